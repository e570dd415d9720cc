package sandbox

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"bankbro/core/norway"
)

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func TestAuthorizeRefusals(t *testing.T) {
	s := startBank(t, Options{})
	cb := newCallback(t)
	tests := []struct {
		name      string
		over      map[string]string
		wantError string // OAuth error in the redirect; "" with wantHTML
		wantHTML  bool   // an HTML error page, no redirect
	}{
		{"response_type token", map[string]string{"response_type": "token"}, "unsupported_response_type", false},
		{"response_type missing", map[string]string{"response_type": ""}, "unsupported_response_type", false},
		{"redirect localhost", map[string]string{"redirect_uri": "http://localhost:5000/callback"}, "", true},
		{"redirect other host", map[string]string{"redirect_uri": "http://example.com:5000/callback"}, "", true},
		{"redirect other loopback literal", map[string]string{"redirect_uri": "http://127.0.0.2:5000/callback"}, "", true},
		{"redirect https", map[string]string{"redirect_uri": "https://127.0.0.1:5000/callback"}, "", true},
		{"redirect custom scheme", map[string]string{"redirect_uri": "no.bankbro.app:/callback"}, "", true},
		{"redirect missing", map[string]string{"redirect_uri": ""}, "", true},
		{"client unknown", map[string]string{"client_id": "someone-else"}, "", true},
		{"scope unknown", map[string]string{"scope": "accounts transactions everything"}, "invalid_scope", false},
		{"scope missing", map[string]string{"scope": ""}, "invalid_scope", false},
		{"state missing", map[string]string{"state": ""}, "invalid_request", false},
		{"state short", map[string]string{"state": "short-state"}, "invalid_request", false},
		{"pkce missing", map[string]string{"code_challenge": "", "code_challenge_method": ""}, "invalid_request", false},
		{"pkce plain", map[string]string{"code_challenge_method": "plain"}, "invalid_request", false},
		{"pkce method missing", map[string]string{"code_challenge_method": ""}, "invalid_request", false},
		{"pkce challenge malformed", map[string]string{"code_challenge": "abc"}, "invalid_request", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := noRedirect.Get(authorizeURL(s.URL, cb.uri(), tt.over))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if tt.wantHTML {
				if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
					t.Fatalf("got %d Location %q, want 400 without redirect", resp.StatusCode, resp.Header.Get("Location"))
				}
				if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(body), `content="error"`) {
					t.Errorf("got %q, want the HTML error page", resp.Header.Get("Content-Type"))
				}
				return
			}
			if resp.StatusCode != http.StatusFound {
				t.Fatalf("status = %d, want 302", resp.StatusCode)
			}
			loc, err := resp.Location()
			if err != nil {
				t.Fatal(err)
			}
			if got := loc.Scheme + "://" + loc.Host + loc.Path; got != cb.uri() {
				t.Errorf("redirect to %s, want %s", got, cb.uri())
			}
			if got := loc.Query().Get("error"); got != tt.wantError {
				t.Errorf("error = %q, want %q", got, tt.wantError)
			}
			if st, ok := tt.over["state"]; ok && st == "" {
				return
			}
			wantState := testState
			if st, ok := tt.over["state"]; ok {
				wantState = st
			}
			if got := loc.Query().Get("state"); got != wantState {
				t.Errorf("state = %q, want %q", got, wantState)
			}
		})
	}
	for _, redirect := range []string{cb.uri(), "http://[::1]:61234/cb", "http://127.0.0.1/cb"} {
		t.Run("accepted "+redirect, func(t *testing.T) {
			req, err := http.NewRequest("GET", authorizeURL(s.URL, redirect, nil), nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Accept-Language", "en") // the words below are the English page's
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<title>BankID") {
				t.Errorf("got %d, want 200 and the page titled BankID", resp.StatusCode)
			}
			for _, want := range []string{BankName, `name="national_id"`, `name="otp"`, `value="approve"`, `value="cancel"`,
				"Bankbro asks for access to: accounts, transactions, payments", ManagerID, BookkeeperID, NoMandateID, DemoOTP, "demo bank"} {
				if !strings.Contains(string(body), want) {
					t.Errorf("login page lacks %q", want)
				}
			}
		})
	}
}

// validNonDemoID returns a valid national identity number that is no demo user.
func validNonDemoID(t *testing.T) string {
	t.Helper()
	for n := 0; n < 100000; n++ {
		id := fmt.Sprintf("018980%05d", n) // 1 September 1980, synthetic (month+80)
		if norway.ValidNationalID(id) == nil {
			if _, demo := findUser(id); !demo {
				return id
			}
		}
	}
	t.Fatal("no valid number found")
	return ""
}

func TestLoginForm(t *testing.T) {
	s := startBank(t, Options{})
	cb := newCallback(t)
	other := validNonDemoID(t)
	tests := []struct {
		name       string
		nationalID string
		otp        string
		action     string
		wantErr    error  // from TestBrowser
		wantError  string // OAuth error at the callback
	}{
		{"manager", ManagerID, DemoOTP, "", nil, ""},
		{"bookkeeper", BookkeeperID, DemoOTP, "", nil, ""},
		{"no mandate", NoMandateID, DemoOTP, "", nil, ""},
		{"bad control digits", "15887510189", DemoOTP, "", ErrLoginRefused, ""},
		{"too short", "1588751018", DemoOTP, "", ErrLoginRefused, ""},
		{"valid but unknown", other, DemoOTP, "", ErrLoginRefused, ""},
		{"wrong code", ManagerID, "654321", "", ErrLoginRefused, ""},
		{"code not digits", ManagerID, "12a456", "", ErrLoginRefused, ""},
		{"cancel", ManagerID, DemoOTP, "cancel", nil, "access_denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(cb.got)
			err := (&TestBrowser{NationalID: tt.nationalID, OTP: tt.otp, Action: tt.action}).Open(authorizeURL(s.URL, cb.uri(), nil))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Open = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				if len(cb.got) != before {
					t.Errorf("a refused login reached the app's listener")
				}
				return
			}
			q := cb.last(t)
			if got := q.Get("error"); got != tt.wantError {
				t.Errorf("error = %q, want %q", got, tt.wantError)
			}
			if tt.wantError == "" && q.Get("code") == "" {
				t.Errorf("no code in %v", q)
			}
			if q.Get("state") != testState {
				t.Errorf("state = %q, want %q", q.Get("state"), testState)
			}
		})
	}
}

func TestFiveFailuresDeny(t *testing.T) {
	s := startBank(t, Options{})
	cb := newCallback(t)
	resp, err := http.Get(authorizeURL(s.URL, cb.uri(), nil))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	reqID := submatch(requestIDRe, string(body))
	for i := 1; i <= maxLoginErrors; i++ {
		resp, err := noRedirect.PostForm(s.URL+"/identityserver/connect/authorize/login", url.Values{
			"request_id": {reqID}, "national_id": {ManagerID}, "otp": {"000000"}, "action": {"approve"}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if i < maxLoginErrors {
			if resp.StatusCode != http.StatusOK || submatch(metaPageRe, string(body)) != "login-error" {
				t.Fatalf("attempt %d: got %d %q, want the form with an error", i, resp.StatusCode, submatch(metaPageRe, string(body)))
			}
			continue
		}
		loc, err := resp.Location()
		if err != nil || loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != testState {
			t.Fatalf("attempt %d: got %d %v, want a redirect with access_denied", i, resp.StatusCode, loc)
		}
	}
	// The request is gone: even the right code no longer works.
	resp, err = noRedirect.PostForm(s.URL+"/identityserver/connect/authorize/login", url.Values{
		"request_id": {reqID}, "national_id": {ManagerID}, "otp": {DemoOTP}, "action": {"approve"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("after denial: status %d, want 400", resp.StatusCode)
	}
}

func TestTokenRefusals(t *testing.T) {
	s := startBank(t, Options{})
	cb := newCallback(t)
	base := func(code string) url.Values {
		return url.Values{"grant_type": {"authorization_code"}, "code": {code},
			"redirect_uri": {cb.uri()}, "client_id": {ClientID}, "code_verifier": {testVerifier}}
	}
	tests := []struct {
		name   string
		change func(url.Values)
		want   string
	}{
		{"bad code_verifier", func(v url.Values) { v.Set("code_verifier", strings.Repeat("x", 50)) }, "invalid_grant"},
		{"missing code_verifier", func(v url.Values) { v.Del("code_verifier") }, "invalid_request"},
		{"other redirect_uri", func(v url.Values) { v.Set("redirect_uri", "http://127.0.0.1:1/other") }, "invalid_grant"},
		{"unknown client", func(v url.Values) { v.Set("client_id", "other") }, "invalid_client"},
		{"unknown code", func(v url.Values) { v.Set("code", "nonsense") }, "invalid_grant"},
		{"missing code", func(v url.Values) { v.Del("code") }, "invalid_request"},
		{"grant type", func(v url.Values) { v.Set("grant_type", "password") }, "unsupported_grant_type"},
		{"refresh unknown", func(v url.Values) { v.Set("grant_type", "refresh_token"); v.Set("refresh_token", "nope") }, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := loginCode(t, s, cb, ManagerID)
			f := base(code)
			tt.change(f)
			status, tr := postToken(t, s.URL, f)
			if status != http.StatusBadRequest || tr.Error != tt.want {
				t.Errorf("got %d %q, want 400 %q", status, tr.Error, tt.want)
			}
			if tr.AccessToken != "" {
				t.Errorf("a refused exchange issued a token")
			}
		})
	}
}

func TestCodeReuseRevokes(t *testing.T) {
	s := startBank(t, Options{})
	cb := newCallback(t)
	code := loginCode(t, s, cb, ManagerID)
	status, tr := exchange(t, s, cb, code)
	if status != http.StatusOK || tr.TokenType != "Bearer" || tr.ExpiresIn != 3600 || tr.RefreshToken == "" ||
		tr.Scope != "accounts transactions payments offline_access" {
		t.Fatalf("first exchange = %d %+v", status, tr)
	}
	if st, _, _ := call(t, "GET", s.URL+"/api/v2/Accounts", tr.AccessToken, nil); st != http.StatusOK {
		t.Fatalf("accounts with the new token: %d", st)
	}
	status, again := exchange(t, s, cb, code)
	if status != http.StatusBadRequest || again.Error != "invalid_grant" {
		t.Errorf("second exchange = %d %q, want 400 invalid_grant", status, again.Error)
	}
	if st, h, _ := call(t, "GET", s.URL+"/api/v2/Accounts", tr.AccessToken, nil); st != http.StatusUnauthorized ||
		h.Get("WWW-Authenticate") != `Bearer error="invalid_token"` {
		t.Errorf("access token after reuse: %d %q, want 401 revoked", st, h.Get("WWW-Authenticate"))
	}
	status, rt := postToken(t, s.URL, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tr.RefreshToken}, "client_id": {ClientID}})
	if status != http.StatusBadRequest || rt.Error != "invalid_grant" {
		t.Errorf("refresh after reuse = %d %q, want 400 invalid_grant", status, rt.Error)
	}
}

func TestExpiryAndRotation(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	s := startBank(t, Options{Now: clock.Now})
	cb := newCallback(t)

	t.Run("code used within 60 s", func(t *testing.T) {
		code := loginCode(t, s, cb, ManagerID)
		clock.Add(59 * time.Second)
		if status, tr := exchange(t, s, cb, code); status != http.StatusOK {
			t.Errorf("exchange after 59 s = %d %q, want 200", status, tr.Error)
		}
	})
	t.Run("code expired after 60 s", func(t *testing.T) {
		code := loginCode(t, s, cb, ManagerID)
		clock.Add(61 * time.Second)
		if status, tr := exchange(t, s, cb, code); status != http.StatusBadRequest || tr.Error != "invalid_grant" {
			t.Errorf("exchange after 61 s = %d %q, want 400 invalid_grant", status, tr.Error)
		}
	})
	t.Run("access token lasts an hour, refresh rotates, 30 days", func(t *testing.T) {
		code := loginCode(t, s, cb, BookkeeperID)
		_, tr := exchange(t, s, cb, code)
		clock.Add(59 * time.Minute)
		if st, _, _ := call(t, "GET", s.URL+"/api/v2/Accounts", tr.AccessToken, nil); st != http.StatusOK {
			t.Errorf("after 59 min: %d, want 200", st)
		}
		clock.Add(2 * time.Minute)
		if st, h, _ := call(t, "GET", s.URL+"/api/v2/Accounts", tr.AccessToken, nil); st != http.StatusUnauthorized || h.Get("WWW-Authenticate") == "" {
			t.Errorf("after 61 min: %d, want 401 with WWW-Authenticate", st)
		}
		refresh := func(rt string) (int, tokenResponse) {
			return postToken(t, s.URL, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {ClientID}})
		}
		old := tr.RefreshToken
		status, next := refresh(old)
		if status != http.StatusOK || next.RefreshToken == "" || next.RefreshToken == old {
			t.Fatalf("refresh = %d %+v, want a new refresh token", status, next)
		}
		if st, _, b := call(t, "GET", s.URL+"/api/v2/Accounts", next.AccessToken, nil); st != http.StatusOK || !strings.Contains(string(b), `"availableItems":2`) {
			t.Errorf("refreshed token: %d %s, want the bookkeeper's 2 accounts", st, b)
		}
		if status, e := refresh(old); status != http.StatusBadRequest || e.Error != "invalid_grant" {
			t.Errorf("old refresh token = %d %q, want 400 invalid_grant", status, e.Error)
		}
		clock.Add(29 * 24 * time.Hour)
		status, next2 := refresh(next.RefreshToken)
		if status != http.StatusOK {
			t.Fatalf("refresh on day 29 = %d %q, want 200", status, next2.Error)
		}
		clock.Add(24 * time.Hour)
		if status, e := refresh(next2.RefreshToken); status != http.StatusBadRequest || e.Error != "invalid_grant" {
			t.Errorf("refresh after 30 days = %d %q, want 400 invalid_grant", status, e.Error)
		}
	})
}

func TestRedirectURIMustMatchAtToken(t *testing.T) {
	s := startBank(t, Options{})
	cb := newCallback(t)
	code := loginCode(t, s, cb, ManagerID)
	status, tr := postToken(t, s.URL, url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {strings.Replace(cb.uri(), "/callback", "/callback2", 1)}, "client_id": {ClientID}, "code_verifier": {testVerifier}})
	if status != http.StatusBadRequest || tr.Error != "invalid_grant" {
		t.Errorf("got %d %q, want 400 invalid_grant", status, tr.Error)
	}
}
