package sandbox

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// onlineBank is a logged-in browser session in the online bank.
type onlineBank struct {
	t    *testing.T
	base string
	c    *http.Client
}

func openOnlineBank(t *testing.T, s *Server, nationalID string) *onlineBank {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	if err := (&TestBrowser{NationalID: nationalID, Client: c}).Open(s.URL + "/nettbank"); err != nil {
		t.Fatalf("online bank login: %v", err)
	}
	return &onlineBank{t: t, base: s.URL, c: c}
}

func (o *onlineBank) get(path string) string {
	o.t.Helper()
	resp, err := o.c.Get(o.base + path)
	if err != nil {
		o.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		o.t.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
	return string(b)
}

func (o *onlineBank) post(path string, form url.Values) (int, string) {
	o.t.Helper()
	resp, err := o.c.PostForm(o.base+path, form)
	if err != nil {
		o.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var (
	csrfRe   = `name="csrf" value="`
	noticeRe = regexp.MustCompile(`<p class="notice" role="status" id="notice">([^<]*)</p>`)
)

func csrfOf(page string) string {
	_, rest, ok := strings.Cut(page, csrfRe)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, `"`)
	return v
}

// activate walks menu → Integrations → New integration → Bankbro → subscription → confirm.
func (o *onlineBank) activate(sub string) string {
	o.t.Helper()
	home := o.get("/nettbank")
	if !strings.Contains(home, `href="/nettbank/integrations"`) {
		o.t.Fatalf("the online bank has no Integrations menu")
	}
	list := o.get("/nettbank/integrations")
	if !strings.Contains(list, `href="/nettbank/integrations/new"`) {
		o.t.Fatalf("Integrations has no New integration")
	}
	choose := o.get("/nettbank/integrations/new")
	if !strings.Contains(choose, `href="/nettbank/integrations/new/bankbro"`) {
		o.t.Fatalf("New integration does not offer Bankbro")
	}
	subs := o.get("/nettbank/integrations/new/bankbro")
	if !strings.Contains(subs, `value="basis"`) || !strings.Contains(subs, `value="pluss"`) {
		o.t.Fatalf("no subscriptions offered")
	}
	confirm := o.get("/nettbank/integrations/new/bankbro/confirm?subscription=" + sub)
	if submatch(metaPageRe, confirm) != "nb-confirm" {
		o.t.Fatalf("confirm page: %s", pageError(confirm))
	}
	st, page := o.post("/nettbank/integrations/activate", url.Values{"csrf": {csrfOf(confirm)}, "subscription": {sub}})
	if st != http.StatusOK {
		o.t.Fatalf("activate: %d", st)
	}
	return page
}

func apiStatus(t *testing.T, s *Server, tok, method, path string, body any) (int, string) {
	t.Helper()
	st, h, b := call(t, method, s.URL+path, tok, body)
	if st == http.StatusForbidden {
		p := decodeProblem(t, h, b)
		return st, p.Type[strings.LastIndex(p.Type, "/"):]
	}
	return st, ""
}

func TestIntegrationStates(t *testing.T) {
	s := startBank(t, Options{Integration: IntegrationNone})
	tok := login(t, s, ManagerID).AccessToken // login itself works without the agreement
	op := s.Bank.AccountsFor(ManagerID)[0]
	check := func(state string, wantAccounts, wantPayments int, wantType string) {
		t.Helper()
		if got := s.Bank.Integration(); got != state {
			t.Errorf("integration = %s, want %s", got, state)
		}
		for _, path := range []string{"/api/v2/Accounts", "/api/v2/Accounts/" + op.AccountID, "/api/v2/Transactions/archive/" + op.AccountID, "/api/v2/Transactions/" + op.AccountID} {
			st, typ := apiStatus(t, s, tok, "GET", path, nil)
			if st != wantAccounts || (st == 403 && typ != "/integration-not-activated") {
				t.Errorf("%s: GET %s = %d %s, want %d", state, path, st, typ, wantAccounts)
			}
		}
		st, typ := apiStatus(t, s, tok, "GET", "/api/v2/Payments/"+op.AccountID, nil)
		if st != wantPayments || (st == 403 && typ != wantType) {
			t.Errorf("%s: payments = %d %s, want %d %s", state, st, typ, wantPayments, wantType)
		}
		st, typ = apiStatus(t, s, tok, "POST", "/api/v2/Payments", paymentBody(op.AccountID, "10", "2026-11-30", "null", "x", "I-"+state))
		wantCreate := wantPayments
		if wantCreate == http.StatusOK {
			wantCreate = http.StatusCreated
		}
		if st != wantCreate || (st == 403 && typ != wantType) {
			t.Errorf("%s: create payment = %d %s, want %d %s", state, st, typ, wantCreate, wantType)
		}
	}
	check(IntegrationNone, 403, 403, "/integration-not-activated")
	_, _, b := call(t, "GET", s.URL+"/api/v2/Accounts", tok, nil)
	if !strings.Contains(string(b), "/nettbank") {
		t.Errorf("the 403 does not say where to turn the integration on: %s", b)
	}

	o := openOnlineBank(t, s, ManagerID)
	home := o.get("/nettbank")
	for _, want := range []string{CompanyName, op.Name, op.AccountNumber[:4] + "." + op.AccountNumber[4:6] + "." + op.AccountNumber[6:], "Sparekonto"} {
		if !strings.Contains(home, want) {
			t.Errorf("online bank home lacks %q", want)
		}
	}
	if list := o.get("/nettbank/integrations"); !strings.Contains(list, `id="state"`) || strings.Contains(list, `id="active"`) {
		t.Errorf("integrations page does not say none is active")
	}

	page := o.activate(IntegrationBasis)
	if !strings.Contains(submatch(noticeRe, page), "Basis") {
		t.Errorf("activation page: %s", pageError(page))
	}
	check(IntegrationBasis, 200, 403, "/subscription-required")

	page = o.activate(IntegrationPluss)
	if !strings.Contains(page, "Pluss") {
		t.Errorf("after choosing Pluss the page does not show it")
	}
	check(IntegrationPluss, 200, 200, "")

	// Ending it.
	list := o.get("/nettbank/integrations")
	st, page := o.post("/nettbank/integrations/end", url.Values{"csrf": {csrfOf(list)}})
	if st != http.StatusOK || submatch(noticeRe, page) == "" || strings.Contains(page, `id="active"`) {
		t.Errorf("end: %d %s", st, pageError(page))
	}
	check(IntegrationNone, 403, 403, "/integration-not-activated")

	// A form without the session's token changes nothing.
	if st, _ := o.post("/nettbank/integrations/activate", url.Values{"csrf": {"forged"}, "subscription": {"pluss"}}); st != http.StatusForbidden {
		t.Errorf("forged form: %d, want 403", st)
	}
	if s.Bank.Integration() != IntegrationNone {
		t.Errorf("a forged form changed the agreement")
	}

	// The bookkeeper sees her accounts but cannot sign agreements.
	bk := openOnlineBank(t, s, BookkeeperID)
	home = bk.get("/nettbank")
	if strings.Contains(home, "Sparekonto") || !strings.Contains(home, "Lønnskonto") {
		t.Errorf("bookkeeper's online bank shows the wrong accounts")
	}
	list = bk.get("/nettbank/integrations")
	if !strings.Contains(list, `id="manager-only"`) || strings.Contains(list, `id="new"`) {
		t.Errorf("bookkeeper is offered to change the agreement")
	}
	if st, _ := bk.post("/nettbank/integrations/activate", url.Values{"csrf": {csrfOf(list)}, "subscription": {"pluss"}}); (st != http.StatusOK && st != http.StatusForbidden) || s.Bank.Integration() != IntegrationNone {
		t.Errorf("bookkeeper activated the integration")
	}
	nm := openOnlineBank(t, s, NoMandateID)
	if !strings.Contains(nm.get("/nettbank"), `id="no-accounts"`) {
		t.Errorf("no-mandate user is not told")
	}

	// The admin endpoint changes it too.
	for _, state := range []string{IntegrationBasis, IntegrationPluss, IntegrationNone} {
		st, _, b := call(t, "POST", s.URL+"/sandbox/integration", "", `{"state":"`+state+`"}`)
		if st != http.StatusOK || s.Bank.Integration() != state {
			t.Errorf("admin %s: %d %s", state, st, b)
		}
	}
	if st, _, _ := call(t, "POST", s.URL+"/sandbox/integration", "", `{"state":"gold"}`); st != http.StatusBadRequest {
		t.Errorf("admin unknown state: %d, want 400", st)
	}

	// Logging out ends the session.
	o.get("/nettbank/logout")
	if p := submatch(metaPageRe, o.get("/nettbank")); p != "login" {
		t.Errorf("after logout the online bank shows %q, want the login", p)
	}
}

func TestNewOptions(t *testing.T) {
	if _, err := New(Options{Integration: "gold"}); err == nil {
		t.Errorf("New accepted integration gold")
	}
	if _, err := New(Options{FailRate: 2}); err == nil {
		t.Errorf("New accepted fail rate 2")
	}
	b, err := New(Options{})
	if err != nil || b.Integration() != IntegrationPluss {
		t.Errorf("default integration = %v %v, want pluss", b, err)
	}
	if err := b.SetIntegration("x"); err == nil {
		t.Errorf("SetIntegration accepted x")
	}
	if _, err := b.BalanceAt("12345678903", testToday); err == nil {
		t.Errorf("BalanceAt of an unknown account gave no error")
	}
}
