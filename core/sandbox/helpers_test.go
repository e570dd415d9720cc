package sandbox

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"bankbro/core/civil"
)

// testToday is the fixed date most tests run at (a Wednesday).
var testToday = civil.MustParse("2026-11-25")

// fakeClock is an injectable clock for expiry tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func startBank(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Today.IsZero() {
		opts.Today = testToday
	}
	s, err := Start("", opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// callback is the app's loopback listener: it records what the browser brings.
type callback struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []url.Values
}

func newCallback(t testing.TB) *callback {
	t.Helper()
	c := &callback{}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.got = append(c.got, r.URL.Query())
		c.mu.Unlock()
		_, _ = io.WriteString(w, "<p>You can return to Bankbro now.</p>")
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *callback) uri() string { return c.srv.URL + "/callback" }

func (c *callback) last(t testing.TB) url.Values {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.got) == 0 {
		t.Fatal("the loopback listener received no callback")
	}
	return c.got[len(c.got)-1]
}

const testVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-more-entropy-0123456789"

func challengeOf(v string) string {
	s := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(s[:])
}

const testState = "state-0123456789abcdef"

// authorizeURL builds a valid authorize address; over replaces parameters ("" deletes).
func authorizeURL(base, redirectURI string, over map[string]string) string {
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {ClientID},
		"redirect_uri":          {redirectURI},
		"scope":                 {"accounts transactions payments offline_access"},
		"state":                 {testState},
		"code_challenge":        {challengeOf(testVerifier)},
		"code_challenge_method": {"S256"},
	}
	for k, v := range over {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	return base + "/identityserver/connect/authorize?" + q.Encode()
}

type tokenResponse struct {
	AccessToken      string `json:"access_token"`
	TokenType        string `json:"token_type"`
	ExpiresIn        int    `json:"expires_in"`
	RefreshToken     string `json:"refresh_token"`
	Scope            string `json:"scope"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

func postToken(t testing.TB, base string, form url.Values) (int, tokenResponse) {
	t.Helper()
	resp, err := http.PostForm(base+"/identityserver/connect/token", form)
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	defer resp.Body.Close()
	var tr tokenResponse
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil {
		t.Fatalf("token response: %v", err)
	}
	return resp.StatusCode, tr
}

// loginCode runs the BankID login as nationalID and returns the code.
func loginCode(t testing.TB, s *Server, cb *callback, nationalID string) string {
	t.Helper()
	tb := &TestBrowser{NationalID: nationalID}
	if err := tb.Open(authorizeURL(s.URL, cb.uri(), nil)); err != nil {
		t.Fatalf("login as %s: %v", nationalID, err)
	}
	q := cb.last(t)
	if q.Get("state") != testState || q.Get("code") == "" {
		t.Fatalf("callback = %v, want a code and state %q", q, testState)
	}
	return q.Get("code")
}

func exchange(t testing.TB, s *Server, cb *callback, code string) (int, tokenResponse) {
	t.Helper()
	return postToken(t, s.URL, url.Values{"grant_type": {"authorization_code"}, "code": {code},
		"redirect_uri": {cb.uri()}, "client_id": {ClientID}, "code_verifier": {testVerifier}})
}

// login returns an access token for nationalID.
func login(t testing.TB, s *Server, nationalID string) tokenResponse {
	t.Helper()
	cb := newCallback(t)
	status, tr := exchange(t, s, cb, loginCode(t, s, cb, nationalID))
	if status != http.StatusOK || tr.AccessToken == "" {
		t.Fatalf("token exchange = %d %+v", status, tr)
	}
	return tr
}

// call makes an API request and returns status, headers and body.
func call(t testing.TB, method, u, token string, body any) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		switch b := body.(type) {
		case string:
			rd = strings.NewReader(b)
		default:
			j, _ := json.Marshal(b)
			rd = strings.NewReader(string(j))
		}
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read: %v", method, u, err)
	}
	return resp.StatusCode, resp.Header, b
}

// problemBody is RFC 7807 problem details.
type problemBody struct {
	Type    string              `json:"type"`
	Title   string              `json:"title"`
	Status  int                 `json:"status"`
	Detail  string              `json:"detail"`
	TraceID string              `json:"traceId"`
	Errors  map[string][]string `json:"errors"`
}

func decodeProblem(t testing.TB, h http.Header, b []byte) problemBody {
	t.Helper()
	if ct := h.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	var p problemBody
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("problem details %s: %v", b, err)
	}
	if p.Type == "" || p.Title == "" || p.Status == 0 || p.TraceID == "" {
		t.Errorf("problem details incomplete: %s", b)
	}
	return p
}
