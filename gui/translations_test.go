package gui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"bankbro/assets"
)

// TestEveryStringIsTranslated fails when a lang.L string in the window's
// code has no entry in nb.json or en.json.
func TestEveryStringIsTranslated(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`lang\.L\(("(?:[^"\\]|\\.)*")`)
	keys := map[string]string{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllSubmatch(src, -1) {
			k, err := strconv.Unquote(string(m[1]))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			keys[k] = f
		}
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d strings; is the pattern right?", len(keys))
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
