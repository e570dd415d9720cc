package login_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"bankbro/core/login"
	"bankbro/core/sandbox"
)

// TestForgedCallbacksRefused sends the loopback listener, while the login
// waits, what a web page open in the person's browser (or another program
// on the machine) could send: the right path with an attacker's code and no
// state, a wrong state, an empty state, a state in the wrong parameter, an
// error that would end the login, and a POST. None may be taken: each is
// answered 400 (or 405), and the login then completes with the person's own
// code, as the person (the daily manager's accounts, not an attacker's).
func TestForgedCallbacksRefused(t *testing.T) {
	srv := startBank(t, sandbox.Options{Seed: 1})
	type forged struct {
		name   string
		method string
		query  url.Values
	}
	forgeries := []forged{
		{"code without state", "GET", url.Values{"code": {"attacker-code"}}},
		{"code with a wrong state", "GET", url.Values{"code": {"attacker-code"}, "state": {"Zm9yZ2VkLXN0YXRlLWZvcmdlZC1zdGF0ZS1mb3JnZWQ"}}},
		{"code with an empty state", "GET", url.Values{"code": {"attacker-code"}, "state": {""}}},
		{"code with the state twice, the first empty", "GET", url.Values{"code": {"attacker-code"}, "state": {"", "x"}}},
		{"error without state", "GET", url.Values{"error": {"access_denied"}}},
		{"error with a wrong state", "GET", url.Values{"error": {"access_denied"}, "state": {"wrong-state-wrong-state-wrong"}}},
		{"form post of a code", "POST", url.Values{"code": {"attacker-code"}}},
	}
	statuses := map[string]int{}
	br := login.BrowserFunc(func(authURL string) error {
		u, _ := url.Parse(authURL)
		redirect := u.Query().Get("redirect_uri")
		for _, f := range forgeries {
			var req *http.Request
			if f.method == "POST" {
				req, _ = http.NewRequest("POST", redirect, strings.NewReader(f.query.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			} else {
				req, _ = http.NewRequest("GET", redirect+"?"+f.query.Encode(), nil)
			}
			// What a cross-site request from a page in the browser carries.
			req.Header.Set("Origin", "https://evil.example")
			req.Header.Set("Referer", "https://evil.example/page")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return fmt.Errorf("forged callback %q: %w", f.name, err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[f.name] = resp.StatusCode
		}
		return (&sandbox.TestBrowser{}).Open(authURL)
	})
	s, err := login.Login(context.Background(), config(srv, br))
	if err != nil {
		t.Fatalf("the login failed after forged callbacks: %v", err)
	}
	for _, f := range forgeries {
		if st := statuses[f.name]; st != http.StatusBadRequest && st != http.StatusMethodNotAllowed {
			t.Errorf("forged callback %q answered %d, want 400", f.name, st)
		}
	}
	got := accounts(t, srv, s)
	if want := srv.Bank.AccountsFor(sandbox.ManagerID); len(got) != len(want) {
		t.Errorf("the session sees %d accounts, the person logging in may administer %d: a forged code was taken", len(got), len(want))
	}
}

// TestRedirectURITamperedAtBank puts a proxy in front of the bank that
// swaps the redirect_uri of the authorize request for an attacker's
// listener (as a compromised or misconfigured server could). The attacker
// gets the code; exchanging it without the app's PKCE verifier fails, and
// when the attacker passes it on to the app (with the right state, which
// it saw), the app's exchange fails too: the bank bound the code to the
// attacker's redirect_uri, not the app's. The login ends with an error and
// no tokens.
func TestRedirectURITamperedAtBank(t *testing.T) {
	b, err := sandbox.New(sandbox.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var appRedirect, bankAddr string
	var attackerExchange int
	attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		// The attacker tries the code itself, with a verifier of its own.
		form := url.Values{"grant_type": {"authorization_code"}, "code": {q.Get("code")}, "client_id": {sandbox.ClientID},
			"redirect_uri": {"http://" + r.Host + "/cb"}, "code_verifier": {strings.Repeat("a", 64)}}
		resp, err := http.PostForm(bankAddr+"/identityserver/connect/token", form)
		if err == nil {
			attackerExchange = resp.StatusCode
			resp.Body.Close()
		}
		// Then hands it to the app, as if nothing happened.
		http.Redirect(w, r, appRedirect+"?"+r.URL.RawQuery, http.StatusSeeOther)
	}))
	defer attacker.Close()
	inner := b.Handler()
	bankSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/identityserver/connect/authorize" {
			q := r.URL.Query()
			appRedirect = q.Get("redirect_uri")
			q.Set("redirect_uri", attacker.URL+"/cb")
			r.URL.RawQuery = q.Encode()
		}
		inner.ServeHTTP(w, r)
	}))
	defer bankSrv.Close()
	bankAddr = bankSrv.URL

	cfg := login.Config{AuthURL: bankSrv.URL, ClientID: sandbox.ClientID, Browser: &sandbox.TestBrowser{}, Timeout: 30 * time.Second}
	s, err := login.Login(context.Background(), cfg)
	if err == nil {
		t.Fatalf("the login succeeded with a code issued for another redirect URI (session %p)", s)
	}
	t.Logf("the login says: %v", err)
	if appRedirect == "" {
		t.Fatal("the proxy saw no authorize request; the test proves nothing")
	}
	if attackerExchange != http.StatusBadRequest {
		t.Errorf("the attacker's own exchange of the code answered %d, want 400", attackerExchange)
	}
	if !strings.Contains(err.Error(), "log in") {
		t.Errorf("the error %q does not say that the login failed", err)
	}
}

// TestSessionPrintsNoTokens formats a logged-in session, its HTTP client
// and a stored login every way a log line or a panic message might (%v,
// %+v, %#v, %s), and looks for the tokens the bank issued; it also reads
// this process's command line and environment, which must not carry them
// either. (%s of a *Session printed both tokens before Session.Format.)
func TestSessionPrintsNoTokens(t *testing.T) {
	srv := startBank(t, sandbox.Options{Seed: 1})
	var tokens []string
	capture := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil || !strings.HasSuffix(r.URL.Path, "/token") {
			return resp, err
		}
		tokens = append(tokens, tokensIn(t, resp)...)
		return resp, nil
	})}
	cfg := config(srv, &sandbox.TestBrowser{})
	cfg.HTTPClient = capture
	s, err := login.Login(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	accounts(t, srv, s)
	if len(tokens) < 2 {
		t.Fatalf("captured %d tokens, want the access and the refresh token", len(tokens))
	}
	hc := s.Client(context.Background())
	var texts []string
	stored := login.StoredLogin{RefreshToken: tokens[len(tokens)-1], LoginAt: s.LoginAt()}
	for _, v := range []any{s, hc, hc.Transport, stored, &stored} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			texts = append(texts, fmt.Sprintf(verb, v))
		}
	}
	for _, f := range []string{"/proc/self/cmdline", "/proc/self/environ"} {
		if b, err := os.ReadFile(f); err == nil {
			texts = append(texts, string(b))
		}
	}
	all := strings.Join(texts, "\n")
	for _, tok := range tokens {
		if strings.Contains(all, tok) {
			for i, x := range texts {
				if strings.Contains(x, tok) {
					t.Errorf("a token shows in printed form %d: %s", i, x)
				}
			}
		}
	}
}

// tokensIn reads the access and refresh tokens out of a token endpoint's
// answer, leaving the answer readable.
func tokensIn(t *testing.T, resp *http.Response) []string {
	t.Helper()
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	var out []string
	for _, f := range []string{"access_token", "refresh_token"} {
		if i := bytes.Index(b, []byte(`"`+f+`":"`)); i >= 0 {
			v := b[i+len(f)+4:]
			out = append(out, string(v[:bytes.IndexByte(v, '"')]))
		}
	}
	return out
}
