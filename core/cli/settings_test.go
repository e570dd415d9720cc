package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/ledger"
)

// inUse makes a company's ledger whose bank integration uses accounts:
// 1920 is a bank account's GL account, fees go to 7770 (init's default),
// a rule posts to 8040, and 6800 has postings.
func inUse(t *testing.T) (db string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "a.bankbro")
	if code, _, stderr := run(t, Env{}, "init", "--db", db, "--name", "Kaffebrenneriet Solsiden AS", "--orgnr", "921573405", "--conversion-date", "2026-01-01"); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	ctx := context.Background()
	l, err := ledger.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	err = l.Update(ctx, func(tx *ledger.Tx) error {
		if _, err := tx.SaveBankAccount(ledger.BankAccount{BankID: "a1", Number: "15032080119", Name: "Drift", GLAccount: 1920, Active: true}); err != nil {
			return err
		}
		if _, err := tx.SaveRule(ledger.Rule{Kind: ledger.RulePostAndMatch, TextContains: "Renter", Direction: ledger.DirectionIn, Account: 8040, Active: true}); err != nil {
			return err
		}
		_, err := tx.AddVoucher(ledger.Voucher{Date: civil.MustParse("2026-01-02"), Description: "Kontorrekvisita", Postings: []ledger.Posting{
			{Account: 6800, Amount: 10000}, {Account: 1900, Amount: -10000}}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// step is a command line that must succeed: what it writes on stdout and
// on stderr.
type step struct {
	name           string
	args           []string
	stdout, stderr string
}

// succeeds runs command on the ledger db with each step's arguments, in
// order.
func succeeds(t *testing.T, command, db string, steps []step) {
	t.Helper()
	for _, s := range steps {
		code, stdout, stderr := run(t, Env{}, append([]string{command, "--db", db}, s.args...)...)
		if code != 0 || stdout != s.stdout || stderr != s.stderr {
			t.Errorf("%s: exit %d\n%s%s\nwant exit 0\n%s%s", s.name, code, stdout, stderr, s.stdout, s.stderr)
		}
	}
}

// refusal is a command line that must fail: its exit code, and the one line
// on stderr after "bankbro COMMAND: ".
type refusal struct {
	name string
	args []string
	code int
	msg  string
}

// refuses runs command on the ledger db with each refusal's arguments.
func refuses(t *testing.T, command, db string, refusals []refusal) {
	t.Helper()
	for _, r := range refusals {
		code, stdout, stderr := run(t, Env{}, append([]string{command, "--db", db}, r.args...)...)
		if want := "bankbro " + command + ": " + r.msg + "\n"; code != r.code || stderr != want || stdout != "" {
			t.Errorf("%s: exit %d, %q %q; want exit %d, %q", r.name, code, stdout, stderr, r.code, want)
		}
	}
}

// TestAccounts lists and searches the chart, adds an account and changes
// it, as Settings → Chart of accounts does.
func TestAccounts(t *testing.T) {
	db := inUse(t)
	succeeds(t, "accounts", db, []step{
		{"find by name", []string{"--find", " BANK- "}, "" +
			"ACCOUNT  NAME                  TYPE     IN USE\n" +
			"7770     Bank- og kortgebyrer  expense  yes\n", ""},
		{"find by number", []string{"--find", "192"}, "" +
			"ACCOUNT  NAME            TYPE   IN USE\n" +
			"1920     Bankinnskudd    asset  yes\n" +
			"1921     Bankinnskudd 2  asset  yes\n" +
			"1922     Bankinnskudd 3  asset  yes\n" +
			"1923     Bankinnskudd 4  asset  yes\n" +
			"1924     Bankinnskudd 5  asset  yes\n" +
			"1925     Bankinnskudd 6  asset  yes\n" +
			"1926     Bankinnskudd 7  asset  yes\n" +
			"1927     Bankinnskudd 8  asset  yes\n", ""},
		{"find nothing", []string{"--find", "kaffe"}, "", "No account has \"kaffe\" in its number or name.\n"},
		{"add, typed as NS 4102 types it", []string{"--save", "6541", "--name", " Kaffemaskiner "},
			"Account 6541 Kaffemaskiner is added: expense, in use.\n", ""},
		{"rename, out of use, its type kept", []string{"--save", "6541", "--name", "Kaffemaskiner og kverner", "--inactive"},
			"Account 6541 Kaffemaskiner og kverner is saved: expense, not in use.\n", ""},
		{"renamed, it stays out of use", []string{"--save", "6541", "--name", "Kaffemaskiner og kverner"},
			"Account 6541 Kaffemaskiner og kverner is saved: expense, not in use.\n", ""},
		{"back in use", []string{"--save", "6541", "--name", "Kaffemaskiner og kverner", "--inactive=false"},
			"Account 6541 Kaffemaskiner og kverner is saved: expense, in use.\n", ""},
		{"out of use again, named as it is", []string{"--save", "6541", "--inactive"},
			"Account 6541 Kaffemaskiner og kverner is saved: expense, not in use.\n", ""},
		{"a type NS 4102 does not give the number", []string{"--save", "6542", "--name", "Kaffelager", "--type", "Asset"},
			"Account 6542 Kaffelager is added: asset, in use.\n",
			"warning: NS 4102 gives accounts 65… the type expense, not asset: check the number.\n"},
		{"class 9, typed", []string{"--save", "9100", "--name", "Internt", "--type", "equity"},
			"Account 9100 Internt is added: equity, in use.\n", ""},
		{"a bank account's GL account renamed", []string{"--save", "1920", "--name", "Driftskonto"},
			"Account 1920 Driftskonto is saved: asset, in use.\n", ""},
		{"the search finds them", []string{"--find", "kaffe"}, "" +
			"ACCOUNT  NAME                      TYPE     IN USE\n" +
			"6541     Kaffemaskiner og kverner  expense  no\n" +
			"6542     Kaffelager                asset    yes\n", ""},
	})
	// The whole chart: the standard one and the three added, under a heading.
	code, stdout, _ := run(t, Env{}, "accounts", "--db", db)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	want := len(ledger.StandardChart) + 3
	if code != 0 || len(lines) != 1+want || lines[1] != "1200     Maskiner og anlegg                      asset      yes" {
		t.Errorf("accounts: exit %d, %d lines, the first account %q; want %d accounts under a heading, aligned",
			code, len(lines), lines[min(1, len(lines)-1)], want)
	}
}

// TestAccountsRefusals: what the ledger refuses exits 1 with its reason and
// what to do; bad arguments exit 2; nothing is written either way.
func TestAccountsRefusals(t *testing.T) {
	db := inUse(t)
	_, before, _ := run(t, Env{}, "accounts", "--db", db)
	refuses(t, "accounts", db, []refusal{
		{"bank account's GL out of use", []string{"--save", "1920", "--name", "Bankinnskudd", "--inactive"}, 1,
			"account 1920 is the GL account of bank account 1503.20.80119: it stays in use and keeps its type"},
		{"bank account's GL retyped", []string{"--save", "1920", "--name", "Bankinnskudd", "--type", "income"}, 1,
			"account 1920 is the GL account of bank account 1503.20.80119: it stays in use and keeps its type"},
		{"fee account out of use", []string{"--save", "7770", "--name", "Gebyrer", "--inactive"}, 1,
			"account 7770 is where bank fees are posted: it stays in use and keeps its type"},
		{"rule's account out of use", []string{"--save", "8040", "--name", "Renteinntekt", "--inactive"}, 1,
			"account 8040 is posted to by an active rule: it stays in use and keeps its type; change the rule first (in the window: Settings → Rules)"},
		{"postings, retyped", []string{"--save", "6800", "--name", "Kontorrekvisita", "--type", "asset"}, 1,
			"account 6800 has postings: it keeps its type; make a new account for the other type"},
		{"nameless", []string{"--save", "6543", "--name", "  "}, 2, "account 6543: an account needs a name: give it one with --name"},
		{"number out of range", []string{"--save", "123", "--name", "Kasse"}, 2, "account 123: an account number has four digits, 1000 to 9999"},
		{"unknown type", []string{"--save", "6543", "--name", "Kaffe", "--type", "cost"}, 2,
			`--type "cost": an account is an asset, liability, equity, income or expense account`},
		{"class 9 untyped", []string{"--save", "9100", "--name", "Internt"}, 2,
			"account 9100 has no type in NS 4102: choose one with --type (an account is an asset, liability, equity, income or expense account)"},
		{"no number", []string{"--save", "kaffe", "--name", "Kaffe"}, 2, `--save "kaffe": want the account's number, such as 6540`},
		{"empty number", []string{"--save", "", "--name", "Kaffe"}, 2, `--save "": want the account's number, such as 6540`},
		{"a new account without a name", []string{"--save", "6543"}, 2, "account 6543 is new: give it a name with --name NAME"},
		{"a number out of range without a name", []string{"--save", "123"}, 2, "account 123: an account number has four digits, 1000 to 9999"},
		{"name without save", []string{"--name", "Kaffe"}, 2, "--name, --type and --inactive go with --save NUMBER"},
		{"inactive without save", []string{"--inactive"}, 2, "--name, --type and --inactive go with --save NUMBER"},
		{"find and save", []string{"--find", "65", "--save", "6543", "--name", "Kaffe"}, 2, "--find lists accounts, --save changes one: one at a time"},
		{"unknown flag", []string{"--delete", "6540"}, 2, "flag provided but not defined: -delete"},
		{"an argument", []string{"6540"}, 2, `unexpected argument "6540"`},
	})
	if code, _, stderr := run(t, Env{}, "accounts", "--find", "65"); code != 2 || stderr != "bankbro accounts: --db is required\n" {
		t.Errorf("without --db: exit %d, %q", code, stderr)
	}
	missing := filepath.Join(t.TempDir(), "none.bankbro")
	if code, _, stderr := run(t, Env{}, "accounts", "--db", missing); code != 1 || !strings.Contains(stderr, missing) || strings.Count(stderr, "\n") != 1 {
		t.Errorf("no such file: exit %d, %q; want exit 1 naming it", code, stderr)
	}
	if _, after, _ := run(t, Env{}, "accounts", "--db", db); after != before {
		t.Errorf("a refused change changed the chart:\n%s\nwas\n%s", after, before)
	}
}

// TestCompany shows the company and corrects its name and organisation
// number, as Settings → Company does; the conversion date stays.
func TestCompany(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.bankbro")
	if code, _, stderr := run(t, Env{}, "init", "--db", db, "--name", "Kaffebrenneriet Solsiden AS", "--orgnr", "921573405", "--conversion-date", "2026-01-01"); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	shown := func(name, org string) string {
		return "" +
			"Company name         " + name + "\n" +
			"Organisation number  " + org + "\n" +
			"Conversion date      01.01.2026\n"
	}
	succeeds(t, "company", db, []step{
		{"shown", nil, shown("Kaffebrenneriet Solsiden AS", "921 573 405"), ""},
		{"as it is", []string{"--name", " Kaffebrenneriet Solsiden AS", "--orgnr", "921 573 405"},
			"Nothing changed: the company's details are these already.\n" + shown("Kaffebrenneriet Solsiden AS", "921 573 405"), ""},
		{"renamed", []string{"--name", " Solsiden Kaffe AS "},
			"The company's details are saved.\n" + shown("Solsiden Kaffe AS", "921 573 405"), ""},
		{"its number corrected", []string{"--orgnr", "974 760 673"},
			"The company's details are saved.\n" + shown("Solsiden Kaffe AS", "974 760 673"), ""},
		{"both", []string{"--name", "Kaffebrenneriet Solsiden AS", "--orgnr", "921573405"},
			"The company's details are saved.\n" + shown("Kaffebrenneriet Solsiden AS", "921 573 405"), ""},
	})

	refuses(t, "company", db, []refusal{
		{"control digit", []string{"--orgnr", "921573404"}, 2,
			`organisation number "921573404": the control digit does not match: check the number against the Brønnøysund Register Centre`},
		{"too short", []string{"--orgnr", "92157340"}, 2,
			`organisation number "92157340": wrong number of digits: an organisation number has nine digits, such as 921 573 405`},
		{"a letter", []string{"--name", "Ny AS", "--orgnr", "92157340O"}, 2,
			`organisation number "92157340O": only digits are allowed: an organisation number has nine digits, such as 921 573 405`},
		{"nameless", []string{"--name", " "}, 2, "the company needs a name: give it one with --name"},
		{"the conversion date", []string{"--conversion-date", "2026-02-01"}, 2, "flag provided but not defined: -conversion-date"},
		{"an argument", []string{"Ny AS"}, 2, `unexpected argument "Ny AS"`},
	})
	if code, _, stderr := run(t, Env{}, "company", "--name", "Ny AS"); code != 2 || stderr != "bankbro company: --db is required\n" {
		t.Errorf("without --db: exit %d, %q", code, stderr)
	}
	if code, stdout, _ := run(t, Env{}, "company", "--db", db); code != 0 || stdout != shown("Kaffebrenneriet Solsiden AS", "921 573 405") {
		t.Errorf("after the refusals: exit %d, %q; want the company as it was", code, stdout)
	}
}

// TestSettingsHelp: --help explains each command on stdout, and the list
// of commands has them.
func TestSettingsHelp(t *testing.T) {
	var usage strings.Builder
	Usage(&usage)
	for _, name := range []string{"init", "connect", "sync", "report", "pay", "payments", "sandbox-bank"} {
		if !strings.Contains(usage.String(), "\n  "+name+" ") {
			t.Errorf("Usage does not list %s:\n%s", name, usage.String())
		}
	}
	for _, c := range []struct{ name, synopsis string }{
		{"accounts", "Usage: bankbro accounts --db FILE [--find TEXT]\n       bankbro accounts --db FILE --save NUMBER [--name NAME] [--type TYPE] [--inactive]\n"},
		{"company", "Usage: bankbro company --db FILE [--name NAME] [--orgnr NNNNNNNNN]\n"},
	} {
		code, stdout, stderr := run(t, Env{}, c.name, "--help")
		if code != 0 || !strings.HasPrefix(stdout, c.synopsis) || !strings.Contains(stdout, "\n  --db FILE\n") || stderr != "" {
			t.Errorf("%s --help: exit %d, %q %q", c.name, code, stdout, stderr)
		}
		var usage strings.Builder
		Usage(&usage)
		if !strings.Contains(usage.String(), "\n  "+c.name+" ") {
			t.Errorf("Usage does not list %s:\n%s", c.name, usage.String())
		}
	}
}
