package agreement

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/login"
	"bankbro/core/sandbox"
)

// part is one host of a bank that serves its login and its API apart: a
// proxy to the demo bank that answers only the paths of its part, and
// counts them.
func part(t *testing.T, bank *url.URL, api bool) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	proxy := httputil.NewSingleHostReverseProxy(bank)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") != api {
			http.Error(w, "not served here", http.StatusNotFound)
			return
		}
		n.Add(1)
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// A bank whose login ({auth}) and API ({api}) live on different hosts, and
// that registered Bankbro under a client id: the addresses come from
// configuration, are kept in the ledger when onboarding is applied, and
// are what the next start uses (bank-api.md: base URLs from
// configuration, never from constants).
func TestBankOnSeparateHosts(t *testing.T) {
	ctx := context.Background()
	today := civil.MustParse("2026-11-26")
	bank, err := sandbox.Start("127.0.0.1:0", sandbox.Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bank.Close() })
	u, _ := url.Parse(bank.URL)
	auth, authCalls := part(t, u, false)
	api, apiCalls := part(t, u, true)

	dir := t.TempDir()
	l, err := ledger.Create(ctx, filepath.Join(dir, "c.bankbro"), ledger.Company{Name: "Del AS", OrgNumber: "921573405", ConversionDate: civil.MustParse("2026-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	store := login.NewFileStore(filepath.Join(dir, "login"))
	browser := &sandbox.TestBrowser{NationalID: sandbox.ManagerID, OTP: sandbox.DemoOTP}

	// A client id the bank does not know is refused at the login.
	wrong, err := Open(ctx, l, Options{AuthURL: auth.URL, APIURL: api.URL, ClientID: "someone-else", Browser: browser, Store: store, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if err := wrong.Login(ctx); err == nil {
		t.Error("a login with a client id the bank does not know succeeded")
	}

	svc, err := Open(ctx, l, Options{AuthURL: auth.URL + "/", APIURL: api.URL, ClientID: DefaultClientID, Browser: browser, Store: store, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if svc.Demo() || svc.URL() != auth.URL || svc.APIURL() != api.URL || svc.OnlineBankURL() != auth.URL+"/nettbank" {
		t.Fatalf("demo %v, auth %q, api %q, online %q", svc.Demo(), svc.URL(), svc.APIURL(), svc.OnlineBankURL())
	}
	if err := svc.Login(ctx); err != nil {
		t.Fatalf("login at {auth}: %v", err)
	}
	c, err := svc.Client(ctx)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := c.Accounts(ctx)
	if err != nil || len(accounts) == 0 {
		t.Fatalf("accounts from {api}: %v, %v", accounts, err)
	}
	if authCalls.Load() == 0 || apiCalls.Load() == 0 {
		t.Errorf("calls: %d to {auth}, %d to {api}; want both used", authCalls.Load(), apiCalls.Load())
	}
	if err := l.Update(ctx, func(tx *ledger.Tx) error { return svc.Record(tx, today, "") }); err != nil {
		t.Fatal(err)
	}

	// The next start, with nothing given: the same bank, from the ledger.
	again, err := Open(ctx, l, Options{Store: store, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if again.Demo() || again.URL() != auth.URL || again.APIURL() != api.URL {
		t.Fatalf("after a restart: demo %v, auth %q, api %q", again.Demo(), again.URL(), again.APIURL())
	}
	before := apiCalls.Load()
	c, err = again.Client(ctx) // the stored login, renewed at {auth}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Accounts(ctx); err != nil || apiCalls.Load() == before {
		t.Errorf("after a restart the API is not read at {api}: %v", err)
	}
	for _, k := range []string{keyAuthURL, keyAPIURL, keyClientID} {
		if v, _ := l.Setting(ctx, k); v == "" {
			t.Errorf("setting %s is not kept", k)
		}
	}
}

// A day begun counts whole: a login made a minute ago has 30 days left (the
// card said 29), one ending within the day 1, an ended one none.
func TestDaysLeft(t *testing.T) {
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		left time.Duration
		want int
	}{
		{30*24*time.Hour - time.Minute, 30},
		{30 * 24 * time.Hour, 30},
		{time.Hour, 1},
		{0, 0},
		{-time.Hour, 0},
		{-49 * time.Hour, -2},
	} {
		st := Status{LoginExpires: now.Add(c.left)}
		if got := st.DaysLeft(now); got != c.want {
			t.Errorf("%v left: DaysLeft = %d, want %d", c.left, got, c.want)
		}
	}
	if got := (Status{}).DaysLeft(now); got != 0 {
		t.Errorf("no login: DaysLeft = %d", got)
	}
}
