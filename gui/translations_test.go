package gui

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"bankbro/assets"
)

// TestEveryStringIsTranslated fails when a lang.L string, or a counted
// pair, in the window's code has no entry in nb.json or en.json.
func TestEveryStringIsTranslated(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`lang\.L\(("(?:[^"\\]|\\.)*")`)
	count := regexp.MustCompile(`counted\([^,()]+(?:\([^()]*\))?[^,()]*, ("(?:[^"\\]|\\.)*"), ("(?:[^"\\]|\\.)*")\)`)
	keys := map[string]string{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var found [][]byte
		for _, m := range call.FindAllSubmatch(src, -1) {
			found = append(found, m[1])
		}
		counts := count.FindAllSubmatch(src, -1)
		for _, m := range counts {
			found = append(found, m[1], m[2])
		}
		calls := len(regexp.MustCompile(`\bcounted\(`).FindAll(src, -1)) - len(regexp.MustCompile(`func counted\(`).FindAll(src, -1))
		if calls != len(counts) && !strings.HasSuffix(f, "_test.go") {
			t.Errorf("%s: %d counted calls, the pattern reads %d: write the keys as strings in the call", f, calls, len(counts))
		}
		for _, q := range found {
			k, err := strconv.Unquote(string(q))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			keys[k] = f
		}
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d strings; is the pattern right?", len(keys))
	}
	// The payment form says what core/payments finds wrong in its words
	// (lang.L(e.Message)).
	src, err := os.ReadFile("../core/payments/draft.go")
	if err != nil {
		t.Fatal(err)
	}
	msgs := regexp.MustCompile(`(?m)^\s+Msg\w+\s*=\s*("(?:[^"\\]|\\.)*")`).FindAllSubmatch(src, -1)
	if len(msgs) < 20 {
		t.Fatalf("found only %d payment messages; is the pattern right?", len(msgs))
	}
	for _, m := range msgs {
		k, err := strconv.Unquote(string(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		keys[k] = "core/payments/draft.go"
	}
	// The wizard says onboarding's problems in bokmål by their rule
	// (problemText); English falls back to the template.
	var rules []string
	for _, f := range []string{"../core/onboarding/rules.go", "../core/onboarding/apply.go", "../core/onboarding/plan.go"} {
		src, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, m := range regexp.MustCompile(`(?:problem|warning)\(Step\w+, "([a-z-]+)"`).FindAllSubmatch(src, -1) {
			rules = append(rules, "problem."+string(m[1]))
		}
	}
	if len(rules) < 15 {
		t.Fatalf("found only %d onboarding rules; is the pattern right?", len(rules))
	}
	nb, err := assets.Translations.ReadFile("translations/nb.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if !strings.Contains(string(nb), `"`+r+`":`) {
			t.Errorf("nb.json has no translation of onboarding's %q", r)
		}
	}
	for _, lang := range []string{"nb", "en"} {
		b, err := assets.Translations.ReadFile("translations/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		for k, f := range keys {
			if m[k] == "" {
				t.Errorf("%s.json has no translation of %q (%s)", lang, k, f)
			}
		}
	}
}

// One of a thing is singular, in Norwegian as in English: "1 konto", not
// "1 kontoer".
func TestCounted(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 kontoer"}, {1, "1 konto"}, {2, "2 kontoer"}, {21, "21 kontoer"}} {
		if got := counted(c.n, "1 account", "%d accounts"); got != c.want && got != strings.Replace(c.want, "konto", "account", 1) {
			t.Errorf("counted(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	if got := changedStatus(1); got != lang.L("1 payment changed status.") {
		t.Errorf("changedStatus(1) = %q", got)
	}
}

// Quantities group their thousands as amounts do; one is a word.
func TestCountedGroupsThousands(t *testing.T) {
	if got := counted(980361, "1 line", "%d lines"); !strings.Contains(got, "980\u00a0361") {
		t.Errorf("counted(980361) = %q, want 980 361 with a non-breaking space", got)
	}
	if got, want := counted(1, "1 line", "%d lines"), lang.L("1 line"); got != want {
		t.Errorf("counted(1) = %q, want %q", got, want)
	}
	if got := fmt.Sprintf("%d / %d", count(-12500), 7); got != "-12\u00a0500 / 7" {
		t.Errorf("count in a format: %q", got)
	}
}
