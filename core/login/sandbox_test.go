package login_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/login"
	"bankbro/core/sandbox"

	"golang.org/x/oauth2"
)

// These tests run the login against the demo bank over real HTTP on 127.0.0.1.

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func startBank(t *testing.T, opts sandbox.Options) *sandbox.Server {
	t.Helper()
	if opts.Today.IsZero() {
		opts.Today = civil.MustParse("2026-11-25")
	}
	srv, err := sandbox.Start("127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func config(srv *sandbox.Server, b login.Browser) login.Config {
	return login.Config{AuthURL: srv.URL, ClientID: sandbox.ClientID, Browser: b, Timeout: time.Minute}
}

// accounts lists the accounts through the session, proving its tokens work.
func accounts(t *testing.T, srv *sandbox.Server, s *login.Session) []bank.Account {
	t.Helper()
	got, err := bank.New(srv.URL, s.Client(context.Background())).Accounts(context.Background())
	if err != nil {
		t.Fatalf("Accounts() with the session: %v", err)
	}
	return got
}

func TestSandboxLogin(t *testing.T) {
	srv := startBank(t, sandbox.Options{Seed: 1})
	tests := []struct {
		name     string
		who      string
		accounts int // at least
	}{
		{"daily manager", sandbox.ManagerID, 4},
		{"bookkeeper", sandbox.BookkeeperID, 2},
		{"no mandate", sandbox.NoMandateID, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := login.NewFileStore(filepath.Join(t.TempDir(), "company.db.login"))
			cfg := config(srv, &sandbox.TestBrowser{NationalID: tt.who})
			cfg.Store = store
			s, err := login.Login(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			got := accounts(t, srv, s)
			if len(got) < tt.accounts || (tt.accounts == 0 && len(got) != 0) {
				t.Errorf("%s sees %d accounts, want %d", tt.name, len(got), tt.accounts)
			}
			if tt.who == sandbox.BookkeeperID && len(got) != 2 {
				t.Errorf("bookkeeper sees %d accounts, want 2", len(got))
			}
			if d := time.Until(s.LoginExpires()); d < 29*24*time.Hour || d > 30*24*time.Hour {
				t.Errorf("LoginExpires in %v, want 30 days", d)
			}
			if l, err := store.Load(); err != nil || l.RefreshToken == "" {
				t.Errorf("stored login: %v; want a refresh token", err)
			}
		})
	}
}

func TestSandboxCancel(t *testing.T) {
	srv := startBank(t, sandbox.Options{Seed: 1})
	_, err := login.Login(context.Background(), config(srv, &sandbox.TestBrowser{Action: "cancel"}))
	if !errors.Is(err, login.ErrCancelled) || !strings.Contains(err.Error(), "Login was cancelled in the bank") {
		t.Errorf("Login() error = %v, want ErrCancelled", err)
	}
}

func TestSandboxWrongStateThenRight(t *testing.T) {
	srv := startBank(t, sandbox.Options{Seed: 1})
	var wrongStatus int
	br := login.BrowserFunc(func(authURL string) error {
		u, _ := url.Parse(authURL)
		q := u.Query()
		forged := q.Get("redirect_uri") + "?" + url.Values{"code": {"forged"}, "state": {"not-the-state-of-this-login-1234567890"}}.Encode()
		resp, err := http.Get(forged)
		if err != nil {
			return err
		}
		resp.Body.Close()
		wrongStatus = resp.StatusCode
		return (&sandbox.TestBrowser{}).Open(authURL)
	})
	s, err := login.Login(context.Background(), config(srv, br))
	if err != nil {
		t.Fatalf("Login() after a wrong-state callback: %v", err)
	}
	if wrongStatus != http.StatusBadRequest {
		t.Errorf("wrong-state callback answered %d, want 400", wrongStatus)
	}
	accounts(t, srv, s)
}

// doubleCallback is a browser transport that sends the loopback callback a
// second time while the first is still being handled (a double click, a
// reloading tab). gate holds the app's token exchange until then, so the
// second one surely arrives while the login is in flight.
type doubleCallback struct {
	exchanging chan struct{} // closed when the app starts the token exchange
	release    chan struct{} // closed when the second callback was answered
	once       sync.Once
	second     int
	secondErr  error
}

// gate is the app's transport to the token endpoint.
func (d *doubleCallback) gate(r *http.Request) (*http.Response, error) {
	d.once.Do(func() { close(d.exchanging) })
	<-d.release
	return http.DefaultTransport.RoundTrip(r)
}

func (d *doubleCallback) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path != "/callback" {
		return http.DefaultTransport.RoundTrip(r)
	}
	tr := &http.Transport{DisableKeepAlives: true}
	type result struct {
		resp *http.Response
		err  error
	}
	firstDone := make(chan result, 1)
	go func() {
		resp, err := tr.RoundTrip(r.Clone(r.Context()))
		firstDone <- result{resp, err}
	}()
	<-d.exchanging
	resp, err := tr.RoundTrip(r.Clone(r.Context()))
	if err == nil {
		d.second = resp.StatusCode
		resp.Body.Close()
	}
	d.secondErr = err
	close(d.release)
	first := <-firstDone
	return first.resp, first.err
}

func TestSandboxSecondCallbackIgnored(t *testing.T) {
	srv := startBank(t, sandbox.Options{Seed: 1})
	dc := &doubleCallback{exchanging: make(chan struct{}), release: make(chan struct{})}
	noRedirects := &http.Client{Transport: dc, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	br := &sandbox.TestBrowser{Client: noRedirects}
	cfg := config(srv, br)
	cfg.HTTPClient = &http.Client{Transport: roundTripFunc(dc.gate)}
	s, err := login.Login(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	<-dc.release // the browser is done with both callbacks
	if dc.second != http.StatusConflict || dc.secondErr != nil {
		t.Errorf("the second callback answered %d, %v; want 409", dc.second, dc.secondErr)
	}
	// Had the code been exchanged twice, the bank would have revoked the tokens.
	accounts(t, srv, s)
}

func TestSandboxTimeoutFreesPort(t *testing.T) {
	srv := startBank(t, sandbox.Options{Seed: 1})
	var redirect string
	br := login.BrowserFunc(func(authURL string) error {
		u, _ := url.Parse(authURL)
		redirect = u.Query().Get("redirect_uri")
		return nil // the person never comes back
	})
	cfg := config(srv, br)
	cfg.Timeout = 200 * time.Millisecond
	_, err := login.Login(context.Background(), cfg)
	if !errors.Is(err, login.ErrTimeout) {
		t.Fatalf("Login() error = %v, want ErrTimeout", err)
	}
	// Open ran before the wait began, so redirect is set; the listener is gone.
	if resp, err := http.Get(redirect); err == nil {
		resp.Body.Close()
		t.Errorf("the callback address %s still answers after Login returned", redirect)
	}
}

func refreshDirect(srv *sandbox.Server, rt string) error {
	conf := &oauth2.Config{ClientID: sandbox.ClientID, Endpoint: oauth2.Endpoint{
		TokenURL: srv.URL + "/identityserver/connect/token", AuthStyle: oauth2.AuthStyleInParams}}
	_, err := conf.TokenSource(context.Background(), &oauth2.Token{RefreshToken: rt}).Token()
	return err
}

func TestSandboxRefreshRotation(t *testing.T) {
	srv := startBank(t, sandbox.Options{Seed: 1})
	store := login.NewFileStore(filepath.Join(t.TempDir(), "company.db.login"))
	cfg := config(srv, &sandbox.TestBrowser{})
	cfg.Store = store
	s, err := login.Login(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := store.Load()
	if err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	second, _ := store.Load()
	if second.RefreshToken == first.RefreshToken || !second.LoginAt.Equal(first.LoginAt) {
		t.Fatalf("after Refresh the stored token changed: %v, login moment kept: %v; want both", second.RefreshToken != first.RefreshToken, second.LoginAt.Equal(first.LoginAt))
	}
	accounts(t, srv, s)

	// A new run of the app resumes from the store, rotating again.
	cfg.Store = nil
	s2, err := login.Resume(context.Background(), cfg, store)
	if err != nil {
		t.Fatal(err)
	}
	third, _ := store.Load()
	if third.RefreshToken == second.RefreshToken {
		t.Errorf("Resume did not store the rotated refresh token")
	}
	accounts(t, srv, s2)

	if err := refreshDirect(srv, first.RefreshToken); err == nil {
		t.Errorf("the bank still accepts the first refresh token after rotation")
	}
}

func TestSandboxExpiredLogin(t *testing.T) {
	tests := []struct {
		name string
		// appClockMoves: the app knows 31 days passed (no call to the bank);
		// otherwise only the bank's clock moves and the bank refuses.
		appClockMoves bool
	}{
		{"app knows", true},
		{"bank refuses", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bankClock := &clock{now: time.Now()}
			appClock := &clock{now: time.Now()}
			srv := startBank(t, sandbox.Options{Seed: 1, Now: bankClock.Now})
			store := login.NewFileStore(filepath.Join(t.TempDir(), "company.db.login"))
			cfg := config(srv, &sandbox.TestBrowser{})
			cfg.Store, cfg.Now = store, appClock.Now
			if _, err := login.Login(context.Background(), cfg); err != nil {
				t.Fatal(err)
			}
			bankClock.Add(31 * 24 * time.Hour)
			if tt.appClockMoves {
				appClock.Add(31 * 24 * time.Hour)
			}
			_, err := login.Resume(context.Background(), cfg, store)
			if !errors.Is(err, login.ErrLoginRequired) || !strings.Contains(err.Error(), "log in again") {
				t.Errorf("Resume() 31 days later: error = %v, want ErrLoginRequired saying to log in again", err)
			}
		})
	}
}

// TestSandboxNoSecretsInLogs logs in and fails in several ways with the
// standard logger captured, then looks for every token the bank issued in
// the logs and in the error strings.
func TestSandboxNoSecretsInLogs(t *testing.T) {
	var logs bytes.Buffer
	log.SetOutput(&logs)
	defer log.SetOutput(os.Stderr)

	srv := startBank(t, sandbox.Options{Seed: 1})
	var tokens []string
	// Capture what the bank's token endpoint hands out, as seen on the wire.
	capture := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil || !strings.HasSuffix(r.URL.Path, "/token") {
			return resp, err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, f := range []string{"access_token", "refresh_token"} {
			if i := bytes.Index(b, []byte(`"`+f+`":"`)); i >= 0 {
				v := b[i+len(f)+4:]
				tokens = append(tokens, string(v[:bytes.IndexByte(v, '"')]))
			}
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		return resp, nil
	})}
	store := login.NewFileStore(filepath.Join(t.TempDir(), "company.db.login"))
	cfg := config(srv, &sandbox.TestBrowser{})
	cfg.Store, cfg.HTTPClient = store, capture
	s, err := login.Login(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	note := func(err error) {
		if err != nil {
			texts = append(texts, err.Error())
		}
	}
	note(s.Refresh(context.Background()))
	stale, _ := store.Load()
	note(s.Refresh(context.Background()))
	// The bank refuses a stale refresh token.
	staleStore := login.NewFileStore(filepath.Join(t.TempDir(), "stale.login"))
	staleStore.Save(stale)
	_, err = login.Resume(context.Background(), cfg, staleStore)
	note(err)
	// Wrong client id, dead bank, API with integration off.
	bad := cfg
	bad.ClientID = "someone-else"
	_, err = login.Resume(context.Background(), bad, store)
	note(err)
	srv.Bank.SetIntegration(sandbox.IntegrationNone)
	_, err = bank.New(srv.URL, s.Client(context.Background())).Accounts(context.Background())
	note(err)
	srv.Close()
	_, err = login.Resume(context.Background(), cfg, store)
	note(err)

	if len(tokens) < 4 || len(texts) < 4 {
		t.Fatalf("captured %d tokens and %d errors, want at least 4 of each", len(tokens), len(texts))
	}
	all := strings.Join(texts, "\n") + "\n" + logs.String()
	for _, tok := range tokens {
		if strings.Contains(all, tok) {
			t.Fatalf("a token appears in the errors or logs:\n%s", all)
		}
	}
	t.Logf("%d tokens checked against:\n%s", len(tokens), all)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
