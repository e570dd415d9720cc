package login

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// fakeAuth is a small OAuth server for the tests that need to see or bend
// what the bank does (rotation bookkeeping, odd answers); the end-to-end
// tests run against the demo bank instead.
type fakeAuth struct {
	t   *testing.T
	srv *httptest.Server
	now func() time.Time

	mu       sync.Mutex
	codes    map[string]fakeCode
	refresh  map[string]time.Time  // live refresh token → login moment
	issued   []string              // every code and token handed out
	onToken  func(form url.Values) // called before answering, if set
	tokenErr string                // when set, the token endpoint answers 400 with this error
	echo     bool                  // put the request's secrets into error_description
}

type fakeCode struct {
	challenge, redirect string
}

func newFakeAuth(t *testing.T, now func() time.Time) *fakeAuth {
	f := &fakeAuth{t: t, now: now, codes: map[string]fakeCode{}, refresh: map[string]time.Time{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /identityserver/connect/token", f.token)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAuth) secret() string {
	b := make([]byte, 24)
	rand.Read(b)
	s := base64.RawURLEncoding.EncodeToString(b)
	f.issued = append(f.issued, s)
	return s
}

func (f *fakeAuth) secrets() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.issued...)
}

// approve plays the bank's login page: it issues a code for the authorize
// URL and returns the redirect URL the browser would be sent to.
func (f *fakeAuth) approve(authURL string) (string, error) {
	u, err := url.Parse(authURL)
	if err != nil {
		return "", err
	}
	q := u.Query()
	if q.Get("code_challenge_method") != "S256" || len(q.Get("state")) < 43 || q.Get("response_type") != "code" {
		return "", fmt.Errorf("bad authorize request %s", u.RawQuery)
	}
	f.mu.Lock()
	code := f.secret()
	f.codes[code] = fakeCode{challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
	f.mu.Unlock()
	return q.Get("redirect_uri") + "?" + url.Values{"code": {code}, "state": {q.Get("state")}}.Encode(), nil
}

func (f *fakeAuth) token(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	if f.onToken != nil {
		f.onToken(r.PostForm)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if v := r.PostForm.Get("code_verifier"); v != "" {
		f.issued = append(f.issued, v)
	}
	fail := func(code string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		desc := "refused"
		if f.echo {
			desc = fmt.Sprintf("refused %v", r.PostForm)
		}
		json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
	}
	if f.tokenErr != "" {
		fail(f.tokenErr)
		return
	}
	var loginAt time.Time
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		c, ok := f.codes[r.PostForm.Get("code")]
		delete(f.codes, r.PostForm.Get("code"))
		if !ok || c.redirect != r.PostForm.Get("redirect_uri") || oauth2.S256ChallengeFromVerifier(r.PostForm.Get("code_verifier")) != c.challenge {
			fail("invalid_grant")
			return
		}
		loginAt = f.now()
	case "refresh_token":
		at, ok := f.refresh[r.PostForm.Get("refresh_token")]
		delete(f.refresh, r.PostForm.Get("refresh_token"))
		if !ok || f.now().Sub(at) > LoginLifetime {
			fail("invalid_grant")
			return
		}
		loginAt = at
	default:
		fail("unsupported_grant_type")
		return
	}
	rt := f.secret()
	f.refresh[rt] = loginAt
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": f.secret(), "token_type": "Bearer", "expires_in": 3600, "refresh_token": rt, "scope": "accounts transactions payments offline_access"})
}

// browser returns a Browser that approves at once and follows the redirect.
func (f *fakeAuth) browser(get func(u string) (*http.Response, error)) Browser {
	return BrowserFunc(func(authURL string) error {
		cb, err := f.approve(authURL)
		if err != nil {
			return err
		}
		resp, err := get(cb)
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	})
}

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *testClock { return &testClock{now: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
