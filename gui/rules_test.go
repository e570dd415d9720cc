package gui

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"bankbro/assets"
	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/reconcile"
	banksync "bankbro/core/sync"
)

// newCompanyUI opens the window on a new company with the standard chart
// and no bank connected.
func newCompanyUI(t *testing.T, name string) *ui {
	t.Helper()
	a := test.NewTempApp(t)
	path := filepath.Join(t.TempDir(), "company.bankbro")
	l, err := ledger.Create(t.Context(), path, ledger.Company{Name: name, OrgNumber: "921573405", ConversionDate: civil.MustParse("2026-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	u := newUI(a, Options{LedgerPath: path, Today: civil.MustParse("2026-11-26")})
	t.Cleanup(u.close)
	return u
}

func TestRulesEditor(t *testing.T) {
	u := newCompanyUI(t, "Regel AS")
	u.rulesTab()
	e := u.rules

	// A post-and-match rule without an account is refused with the reason.
	e.kind.SetSelected(lang.L("Post and match"))
	test.Type(e.text, "Gebyr")
	test.Tap(e.save)
	if e.problem.Text == "" || len(e.rules) != 0 {
		t.Fatalf("a post-and-match rule without account: problem %q, %d rules", e.problem.Text, len(e.rules))
	}
	// An account the books do not have is refused in the window's language.
	e.account.SetText("9999")
	test.Tap(e.save)
	if want := fmt.Sprintf(lang.L("Account %d is not in the chart of accounts."), 9999); e.problem.Text != want || len(e.rules) != 0 {
		t.Fatalf("a rule posting to 9999: problem %q, %d rules; want %q", e.problem.Text, len(e.rules), want)
	}
	e.account.SetText("7770 Bank- og kortgebyrer")
	test.Tap(e.save)
	if len(e.rules) != 1 || e.rules[0].Account != 7770 || e.rules[0].Kind != ledger.RulePostAndMatch {
		t.Fatalf("saved rules = %+v (problem %q)", e.rules, e.problem.Text)
	}
	// A second rule, a match on Vipps with two days of tolerance, money in.
	e.kind.SetSelected(lang.L("Match"))
	test.Type(e.text, "Vipps")
	e.direction.SetSelectedIndex(1)
	e.tolerance.SetText("2")
	test.Tap(e.save)
	if len(e.rules) != 2 || e.rules[1].ToleranceDays != 2 || e.rules[1].Direction != ledger.DirectionIn {
		t.Fatalf("rules = %+v (problem %q)", e.rules, e.problem.Text)
	}
	// The list is narrow and cuts its rows: the text that tells rules
	// apart comes first, and a rule that is off says so before the rest.
	if got := describeRule(e.rules[1]); !strings.HasPrefix(got, "«Vipps» → ") {
		t.Errorf("description %q does not begin with the text it looks for", got)
	}
	off := e.rules[1]
	off.Active = false
	if got, want := describeRule(off), "«Vipps»"+lang.L(" (not active)")+" → "; !strings.HasPrefix(got, want) {
		t.Errorf("description of a rule that is off = %q, want it to begin %q", got, want)
	}
	if got := describeRule(ledger.Rule{Kind: ledger.RuleMatch, Active: false, Amount: 100}); strings.HasPrefix(got, " ") || !strings.Contains(got, lang.L("Match")) {
		t.Errorf("description of a rule without text = %q", got)
	}
	// Move the Vipps rule first, then delete it.
	e.list.Select(1)
	if e.up.Disabled() || !e.down.Disabled() {
		t.Errorf("the last rule chosen: up disabled %v, down disabled %v; want up only", e.up.Disabled(), e.down.Disabled())
	}
	test.Tap(e.up)
	if e.rules[0].TextContains != "Vipps" {
		t.Fatalf("after moving up: %+v", e.rules)
	}
	if !e.up.Disabled() || e.down.Disabled() {
		t.Errorf("the first rule chosen: up disabled %v, down disabled %v; want down only", e.up.Disabled(), e.down.Disabled())
	}
	test.Tap(e.remove)
	test.Tap(dialogButton(t, u, lang.L("Yes"))) // asked first
	if len(e.rules) != 1 || e.rules[0].TextContains != "Gebyr" {
		t.Errorf("after delete: %+v", e.rules)
	}
}

// Saving a rule writes off the UI goroutine: while the morning import
// holds the ledger, the window answers, with Save disabled until the rule
// is written.
func TestRuleSaveWaitsOffTheUIGoroutine(t *testing.T) {
	u := newScreensUI(t)
	u.rulesTab()
	e := u.rules
	e.bg.Wait()
	held, release := make(chan struct{}), make(chan struct{})
	writer := make(chan error, 1)
	go func() {
		writer <- u.ledger.Update(u.ctx, func(*ledger.Tx) error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	inline = false
	t.Cleanup(func() { inline = true })

	test.Type(e.text, "Vipps")
	test.Tap(e.save) // returns at once: the write waits in the background
	if !e.save.Disabled() || len(e.rules) != 0 || e.problem.Text != "" {
		t.Errorf("while the ledger is held: Save disabled %v, %d rules, problem %q; want Save disabled and nothing yet",
			e.save.Disabled(), len(e.rules), e.problem.Text)
	}
	close(release)
	if err := <-writer; err != nil {
		t.Fatal(err)
	}
	e.bg.Wait()
	if e.save.Disabled() || len(e.rules) != 1 || e.rules[0].TextContains != "Vipps" {
		t.Errorf("after the write: Save disabled %v, rules %+v (problem %q)", e.save.Disabled(), e.rules, e.problem.Text)
	}
}

// An account that cannot take the posting is named in the window's words,
// also through the core's wrapping (posting a bank line).
func TestDescribeAccountErrors(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("post the bank line: %w", &ledger.AccountError{Number: 9999, Problem: ledger.AccountMissing}),
			fmt.Sprintf(lang.L("Account %d is not in the chart of accounts."), 9999)},
		{fmt.Errorf("post the bank line: %w", &ledger.AccountError{Number: 6300, Name: "Leie lokale", Problem: ledger.AccountInactive}),
			fmt.Sprintf(lang.L("Account %d %s is not in use."), 6300, "Leie lokale")},
		{&ledger.AccountError{Number: 1920, Problem: ledger.AccountIsBank},
			fmt.Sprintf(lang.L("Account %d is the bank account's own account in the books: choose the account the money belongs to."), 1920)},
	} {
		if got := describe(c.err); got != c.want {
			t.Errorf("describe(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

// The morning import's failures are said per account in the window's
// language, however the core wrapped them.
func TestDescribeBankTrouble(t *testing.T) {
	busy := &bank.ProblemError{Status: 503, Title: "Service Unavailable"}
	err := errors.Join(
		&banksync.AccountError{AccountNumber: "97106850937", Err: fmt.Errorf("read the lines from 2026-12-01: %w", busy)},
		&banksync.AccountError{AccountNumber: "97103322114", Err: fmt.Errorf("read the lines: %w", &bank.ProblemError{Status: 403})})
	want := fmt.Sprintf(lang.L("Account %s: %s"), "9710.68.50937", lang.L("The bank is having trouble right now. Nothing was stored half way; try again later.")) + "\n" +
		fmt.Sprintf(lang.L("Account %s: %s"), "9710.33.22114", lang.L("The bank does not allow this for your user; check your access (mandate) in the online bank."))
	if got := describe(err); got != want {
		t.Errorf("describe = %q\nwant %q", got, want)
	}
	if got := describe(fmt.Errorf("payment of 100,00 kr was not sent: %w", &bank.ProblemError{Status: 401})); got != lang.L("The bank login has expired. Log in again with BankID: Yesterday → Log in again.") {
		t.Errorf("a refused login: %q", got)
	}
	if got := describe(&reconcile.PostedElsewhereError{BankLine: 7, Voucher: 3, Number: 41}); got != fmt.Sprintf(lang.L("The bank line is posted as voucher %d: match it against that voucher's posting, or reverse the posting first."), 41) {
		t.Errorf("a posted line matched elsewhere: %q", got)
	}
}

// Every rule the editor refuses is refused in the window's words: each of
// Rule.Validate's sentences has its translation.
func TestRuleProblemsAreTranslated(t *testing.T) {
	b, err := assets.Translations.ReadFile("translations/nb.json")
	if err != nil {
		t.Fatal(err)
	}
	var nb map[string]string
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatal(err)
	}
	for _, r := range []ledger.Rule{
		{Kind: ledger.RuleMatch, Direction: ledger.DirectionAny},
		{Kind: ledger.RuleMatch, TextContains: "x", ToleranceDays: -5},
		{Kind: ledger.RuleMatch, TextContains: "x", ToleranceDays: ledger.MaxToleranceDays + 1},
		{Kind: ledger.RuleMatch, TextContains: "x", Amount: -100},
		{Kind: ledger.RulePostAndMatch, TextContains: "x"},
		{Kind: ledger.RuleMatch, TextContains: "x", Account: 6300},
	} {
		if r.Direction == "" {
			r.Direction = ledger.DirectionAny // the editor always sets one
		}
		err := r.Validate()
		if err == nil {
			t.Fatalf("%+v is valid", r)
		}
		if nb[err.Error()] == "" {
			t.Errorf("nb.json has no translation of %q", err.Error())
		}
	}
}
