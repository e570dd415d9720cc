package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/ledger/ledgertest"
	"bankbro/core/sandbox"

	_ "modernc.org/sqlite"
)

func run(t *testing.T, env Env, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env.Stdout, env.Stderr = &out, &errb
	code = Run(context.Background(), args[0], args[1:], env)
	return code, out.String(), errb.String()
}

func TestInitRefusals(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.bankbro")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"missing name", []string{"init", "--db", db, "--orgnr", "921573405", "--conversion-date", "2026-01-01"}, 2, "--name is required"},
		{"bad orgnr", []string{"init", "--db", db, "--name", "X", "--orgnr", "921573404", "--conversion-date", "2026-01-01"}, 2, "control digit"},
		{"bad date", []string{"init", "--db", db, "--name", "X", "--orgnr", "921573405", "--conversion-date", "01.01.2026"}, 2, "--conversion-date"},
		{"unknown flag", []string{"init", "--bogus"}, 2, "bogus"},
		{"ok", []string{"init", "--db", db, "--name", "X AS", "--orgnr", "921573405", "--conversion-date", "2026-01-01"}, 0, ""},
		{"exists", []string{"init", "--db", db, "--name", "X AS", "--orgnr", "921573405", "--conversion-date", "2026-01-01"}, 1, "already exists"},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, Env{}, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.msg) || strings.Count(stderr, "\n") > 1 {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and one line with %q", tt.name, code, stderr, tt.code, tt.msg)
		}
	}
	if fi, err := os.Stat(db); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("ledger file: %v, want mode 0600", err)
	}
}

// fingerprint hashes every table of the ledger, row by row.
func fingerprint(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := sha256.New()
	for _, table := range []string{"bank_accounts", "bank_roles", "bank_transactions", "vouchers", "postings", "matches", "match_bank_lines", "match_postings", "company", "settings"} {
		rows, err := db.Query("SELECT * FROM " + table + " ORDER BY 1")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			rows.Scan(ptrs...)
			fmt.Fprintf(h, "%s %v\n", table, vals)
		}
		rows.Close()
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// connected makes a demo company's ledger and connects it from the command
// line to a demo bank over HTTP; it returns the bank, the ledger file, the
// plan file and the connect command.
func connected(t *testing.T) (srv *sandbox.Server, db, planFile string, connect []string, env Env) {
	t.Helper()
	srv, err := sandbox.Start("", sandbox.Options{Today: civil.MustParse("2026-11-20")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	db = filepath.Join(dir, "a.bankbro")
	if code, _, stderr := run(t, Env{}, "init", "--db", db, "--name", "Kaffebrenneriet Solsiden AS", "--orgnr", "921573405",
		"--conversion-date", "2026-01-01", "--demo", "--today", "2026-11-20"); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	accounts := srv.Bank.AccountsFor(sandbox.ManagerID)
	plan := fmt.Sprintf(`{"accounts": [
		{"accountNumber": %q, "glAccount": 1920, "remittance": true, "reconciliation": true},
		{"accountNumber": %q, "glAccount": 1921, "remittance": false, "reconciliation": true}],
		"feeAccount": 7770, "startDate": "2026-01-01", "roles": {"operating": %q, "salary": %q}}`,
		accounts[0].AccountNumber, accounts[1].AccountNumber, accounts[0].AccountNumber, accounts[1].AccountNumber)
	planFile = filepath.Join(dir, "plan.json")
	os.WriteFile(planFile, []byte(plan), 0o600)
	env = Env{Browser: &sandbox.TestBrowser{NationalID: sandbox.ManagerID, OTP: sandbox.DemoOTP}}
	connect = []string{"connect", "--db", db, "--plan", planFile, "--bank", srv.URL, "--today", "2026-11-20"}
	code, stdout, stderr := run(t, env, connect...)
	if code != 0 || !strings.Contains(stdout, "2 accounts created") {
		t.Fatalf("connect: exit %d, %q %q", code, stdout, stderr)
	}
	return srv, db, planFile, connect, env
}

// TestConnectTwiceThenSync drives onboarding and the morning from the
// command line: connecting twice with the same plan leaves the ledger as it
// was; sync then reads the new days once.
func TestConnectTwiceThenSync(t *testing.T) {
	srv, db, planFile, connect, env := connected(t)
	before := fingerprint(t, db)
	code, stdout, _ := run(t, env, connect...)
	if code != 0 || !strings.Contains(stdout, "Nothing changed") {
		t.Errorf("second connect: exit %d, %q", code, stdout)
	}
	if after := fingerprint(t, db); after != before {
		t.Errorf("the second connect with the same plan changed the ledger")
	}
	// A plan that breaks a rule is refused, naming the rule and the account.
	plan, _ := os.ReadFile(planFile)
	bad := strings.Replace(string(plan), `"glAccount": 1921`, `"glAccount": 1920`, 1)
	os.WriteFile(planFile, []byte(bad), 0o600)
	code, _, stderr := run(t, env, connect...)
	if code != 1 || !strings.Contains(stderr, "GL account 1920 is chosen for") {
		t.Errorf("duplicate GL: exit %d, %q", code, stderr)
	}
	// The morning, six days later, in a new process as a scheduler would run it.
	srv.Bank.SetToday(civil.MustParse("2026-11-26"))
	code, stdout, stderr = run(t, Env{}, "sync", "--db", db, "--today", "2026-11-26")
	if code != 0 || strings.Count(stdout, "through=2026-11-25") != 2 {
		t.Fatalf("sync: exit %d, %q %q", code, stdout, stderr)
	}
	code, stdout, _ = run(t, Env{}, "sync", "--db", db, "--today", "2026-11-26")
	if code != 0 || strings.Count(stdout, "new=0") != 2 {
		t.Errorf("second sync: exit %d, %q", code, stdout)
	}
}

// TestPayAndReport sends a payment from the command line, signs it as the
// browser would, lets the bank pay it, and sees it paid and matched.
func TestPayAndReport(t *testing.T) {
	srv, db, _, _, env := connected(t)
	from := srv.Bank.AccountsFor(sandbox.ManagerID)[0].AccountNumber
	pay := []string{"pay", "--db", db, "--from", from, "--to", "1503.20.80119", "--name", "Gårdeier AS",
		"--amount", "1 250,00", "--due", "2026-11-23", "--kid", "0000123456782", "--today", "2026-11-20"}
	bad := append(append([]string(nil), pay[:6]...), "--to", "15032080118", "--name", "Gårdeier AS",
		"--amount", "1 250,00", "--due", "2026-11-23", "--kid", "0000123456782", "--today", "2026-11-20")
	code, _, stderr := run(t, env, bad...)
	if code != 2 || !strings.Contains(stderr, "15032080118") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("wrong account number: exit %d, %q; want exit 2 naming the value on one line", code, stderr)
	}
	// A bank that refuses the payment: exit 1, and the message names the
	// payment left approved in Bankbro by its reference.
	if err := srv.Bank.SetIntegration(sandbox.IntegrationBasis); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = run(t, env, pay...)
	if code != 1 || !strings.Contains(stderr, "payment BB-") || strings.Count(stderr, "sending it again is safe") != 1 {
		t.Errorf("pay refused by the bank: exit %d, %q; want exit 1 naming the payment's reference, saying once that sending again is safe", code, stderr)
	}
	if err := srv.Bank.SetIntegration(sandbox.IntegrationPluss); err != nil {
		t.Fatal(err)
	}
	refused := regexp.MustCompile(`BB-[0-9A-Za-z-]+`).FindString(stderr)
	// Changed, or with --again, it is not sent beside the one stored: the
	// next refresh sends that one.
	later := append(append([]string(nil), pay[:11]...), "--due", "2026-11-24", "--kid", "0000123456782", "--today", "2026-11-20")
	for _, args := range [][]string{later, append(later, "--again")} {
		if code, _, stderr := run(t, env, args...); code != 1 || !strings.Contains(stderr, refused) || !strings.Contains(stderr, "is approved and not sent yet") {
			t.Errorf("%v beside an unsent one: exit %d, %q; want exit 1 naming %s", args[len(args)-1], code, stderr, refused)
		}
	}
	// Run again, the same command sends the payment it stored, not a
	// second one for the next refresh to send as well.
	code, stdout, stderr := run(t, env, pay...)
	if code != 0 || !strings.Contains(stdout, "awaiting signing") || !strings.Contains(stdout, "/payments/approve?paymentIds=") {
		t.Fatalf("pay: exit %d, %q %q", code, stdout, stderr)
	}
	if refused == "" || !strings.HasPrefix(stdout, refused+" ") {
		t.Errorf("pay again after the refusal sent %q, want the stored payment %s", stdout, refused)
	}
	// Once it is at the bank, the same payment again is refused, unless
	// asked for with --again.
	code, _, stderr = run(t, env, pay...)
	if code != 1 || !strings.Contains(stderr, "the same payment is in Bankbro already: "+refused) || !strings.Contains(stderr, "--again") {
		t.Errorf("the same payment a third time: exit %d, %q; want exit 1 naming %s and --again", code, stderr, refused)
	}
	code, second, stderr := run(t, env, append(pay, "--again")...)
	if code != 0 || strings.HasPrefix(second, refused) {
		t.Errorf("pay --again: exit %d, %q %q; want a second payment", code, second, stderr)
	}
	approve := stdout[strings.Index(stdout, "http"):]
	approve = strings.TrimSpace(approve)
	if err := env.Browser.Open(approve); err != nil {
		t.Fatalf("sign in the bank: %v", err)
	}
	srv.Bank.SetToday(civil.MustParse("2026-11-24"))
	code, stdout, stderr = run(t, Env{}, "payments", "--db", db, "--refresh", "--today", "2026-11-24")
	if code != 0 || !strings.Contains(stdout, "paid") || !strings.Contains(stdout, "1\u00a0250,00") ||
		!strings.Contains(stdout, "23.11.2026") || !strings.Contains(stdout, "1503.20.80119") ||
		strings.Count(stdout, "BB-") != 2 || !strings.Contains(stdout, "awaiting signing") { // the one sent --again is not signed
		t.Errorf("payments --refresh: exit %d, %q %q", code, stdout, stderr)
	}
	if code, _, stderr := run(t, Env{}, "sync", "--db", db, "--today", "2026-11-24"); code != 0 {
		t.Fatalf("sync: %s", stderr)
	}
	code, stdout, stderr = run(t, Env{}, "report", "--db", db, "--date", "2026-11-23", "--today", "2026-11-24")
	if code != 0 || !strings.Contains(stdout, from[:4]+".") {
		t.Errorf("report: exit %d, %q %q", code, stdout, stderr)
	}
	code, csv, _ := run(t, Env{}, "report", "--db", db, "--date", "2026-11-23", "--format", "csv", "--today", "2026-11-24")
	if code != 0 || !strings.Contains(csv, ";") {
		t.Errorf("report csv: exit %d, %q", code, csv)
	}
	if code, _, stderr := run(t, Env{}, "report", "--db", db, "--format", "xml"); code != 2 || !strings.Contains(stderr, "xml") {
		t.Errorf("report --format xml: exit %d, %q", code, stderr)
	}

	// A payment whose send failed can be cancelled, so that no refresh
	// sends it; one at the bank cannot.
	if err := srv.Bank.SetIntegration(sandbox.IntegrationBasis); err != nil {
		t.Fatal(err)
	}
	other := append(append([]string(nil), pay[:9]...), "--amount", "990,00", "--due", "2026-11-27", "--message", "Faktura 77", "--today", "2026-11-24")
	_, _, stderr = run(t, env, other...)
	unsent := regexp.MustCompile(`BB-[0-9A-Za-z-]+`).FindString(stderr)
	if err := srv.Bank.SetIntegration(sandbox.IntegrationPluss); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = run(t, Env{}, "payments", "--db", db, "--cancel", unsent, "--today", "2026-11-24")
	if unsent == "" || code != 0 || !strings.Contains(stdout, unsent+" cancelled") {
		t.Errorf("payments --cancel %s: exit %d, %q %q", unsent, code, stdout, stderr)
	}
	code, stdout, _ = run(t, Env{}, "payments", "--db", db, "--refresh", "--today", "2026-11-24")
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, unsent) && !strings.HasSuffix(strings.TrimSpace(line), "cancelled") {
			t.Errorf("after the cancel, payments --refresh lists %q; want it still cancelled, not sent", line)
		}
	}
	if code != 0 {
		t.Errorf("payments --refresh after the cancel: exit %d", code)
	}
	if code, _, stderr := run(t, Env{}, "payments", "--db", db, "--cancel", refused, "--today", "2026-11-24"); code != 1 || !strings.Contains(stderr, refused) || !strings.Contains(stderr, "paid") {
		t.Errorf("payments --cancel of a paid payment: exit %d, %q; want exit 1 saying it is paid", code, stderr)
	}
	// Cancelled already: what was asked for.
	if code, stdout, stderr := run(t, Env{}, "payments", "--db", db, "--cancel", unsent, "--today", "2026-11-24"); code != 0 || !strings.Contains(stdout, unsent+" cancelled") {
		t.Errorf("payments --cancel again: exit %d, %q %q; want exit 0, cancelled", code, stdout, stderr)
	}
	if code, _, stderr := run(t, Env{}, "payments", "--db", db, "--cancel", "BB-NOPE", "--today", "2026-11-24"); code != 1 || strings.Count(stderr, "BB-NOPE") > 1 || strings.Count(stderr, "\n") != 1 {
		t.Errorf("payments --cancel BB-NOPE: exit %d, %q; want exit 1, one line", code, stderr)
	}
}

// TestConnectPostsOpeningBalance: a new company with empty books connects
// from the command line with "postOpeningBalance" in its plan: the bank's
// balance is posted as the opening balance, once, and the report has no
// difference from before the start date. On a later start date the plan is
// refused.
func TestConnectPostsOpeningBalance(t *testing.T) {
	srv, err := sandbox.Start("", sandbox.Options{Today: civil.MustParse("2026-11-20")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	db := filepath.Join(dir, "new.bankbro")
	if code, _, stderr := run(t, Env{}, "init", "--db", db, "--name", "Ny AS", "--orgnr", "921573405",
		"--conversion-date", "2026-01-01", "--today", "2026-11-20"); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	account := srv.Bank.AccountsFor(sandbox.ManagerID)[0].AccountNumber
	planFile := filepath.Join(dir, "plan.json")
	writePlan := func(start string) {
		os.WriteFile(planFile, []byte(fmt.Sprintf(`{"accounts": [
			{"accountNumber": %q, "glAccount": 1920, "remittance": true, "reconciliation": true, "postOpeningBalance": true}],
			"feeAccount": 7770, "startDate": %q, "roles": {"operating": %q}}`, account, start, account)), 0o600)
	}
	env := Env{Browser: &sandbox.TestBrowser{NationalID: sandbox.ManagerID, OTP: sandbox.DemoOTP}}
	connect := []string{"connect", "--db", db, "--plan", planFile, "--bank", srv.URL, "--today", "2026-11-20"}

	writePlan("2026-02-02")
	code, _, stderr := run(t, env, connect...)
	if code != 1 || !strings.Contains(stderr, "conversion date 01.01.2026") {
		t.Errorf("opening balance on a later start date: exit %d, %q; want refused", code, stderr)
	}

	writePlan("2026-01-01")
	code, stdout, stderr := run(t, env, connect...)
	if code != 0 || !strings.Contains(stdout, "Opening balance of "+account+" posted") || strings.Contains(stderr, "difference") {
		t.Fatalf("connect: exit %d, %q %q; want the opening balance posted and no difference warned of", code, stdout, stderr)
	}
	code, stdout, _ = run(t, env, connect...)
	if code != 0 || !strings.Contains(stdout, "Nothing changed") {
		t.Errorf("second connect: exit %d, %q; want nothing posted twice", code, stdout)
	}
	code, stdout, stderr = run(t, Env{}, "report", "--db", db, "--date", "2026-01-01", "--today", "2026-11-20")
	if code != 0 || strings.Contains(stdout, "Difference already") || !strings.Contains(stdout, "Difference") {
		t.Errorf("report on the start date: exit %d, %q %q; want no difference from before the start date", code, stdout, stderr)
	}
}

// A company file from an older Bankbro is updated on first use, and the
// command says so on stderr (seconds with years of books), once.
func TestOlderFileIsUpdatedWithANote(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.bankbro")
	if code, _, stderr := run(t, Env{}, "init", "--db", db, "--name", "Bakeri Nord AS", "--orgnr", "921573405", "--conversion-date", "2026-01-01"); code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	// As the previous version left it.
	ledgertest.Downgrade(t, db, ledger.SchemaVersion(), ledger.SchemaVersion()-1)
	for i, want := range []bool{true, false} {
		code, _, stderr := run(t, Env{}, "report", "--db", db, "--date", "2026-02-01")
		if code != 0 || strings.Contains(stderr, "Updating "+db) != want {
			t.Errorf("report %d: exit %d, stderr %q; want a note of the update %v", i+1, code, stderr, want)
		}
	}
}

// The report refuses a day whose bank lines are not read yet, as the
// window does: it printed a balance for 2030 as if it were known.
func TestReportRefusesDaysNotRead(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.bankbro")
	if code, _, stderr := run(t, Env{}, "init", "--db", db, "--name", "Bakeri Nord AS", "--orgnr", "921573405", "--conversion-date", "2026-01-01"); code != 0 {
		t.Fatalf("init: %d %s", code, stderr)
	}
	for _, day := range []string{"2030-01-01", "2026-11-24"} {
		code, stdout, stderr := run(t, Env{}, "report", "--db", db, "--date", day, "--today", "2026-11-24")
		if want := "choose 2026-11-23 or earlier"; code != 2 || stdout != "" || !strings.Contains(stderr, want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("report --date %s: exit %d, %q %q; want 2 and one line saying %q", day, code, stdout, stderr, want)
		}
	}
	if code, _, stderr := run(t, Env{}, "report", "--db", db, "--date", "2026-11-23", "--today", "2026-11-24"); code != 0 {
		t.Errorf("report on yesterday: exit %d, %q", code, stderr)
	}
}
