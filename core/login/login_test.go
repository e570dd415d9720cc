package login

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// get fetches u like a browser tab and returns the status and page.
func get(u string) (int, string, error) {
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// tracked wraps a browser so the test can wait until its Open returned
// (Login does not wait for that) before reading what it recorded.
func tracked(f BrowserFunc) (Browser, func()) {
	done := make(chan struct{})
	var once sync.Once
	return BrowserFunc(func(u string) error {
			defer once.Do(func() { close(done) })
			return f(u)
		}), func() {
			<-done
		}
}

func plainGet(u string) (*http.Response, error) {
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
	return c.Get(u)
}

// callbackAddr returns host:port of the redirect URI inside an authorize URL.
func callbackAddr(t *testing.T, authURL string) string {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	r, err := url.Parse(u.Query().Get("redirect_uri"))
	if err != nil {
		t.Fatal(err)
	}
	return r.Host
}

// assertClosed checks that nothing listens on addr any more and the port can
// be taken again.
func assertClosed(t *testing.T, addr string) {
	t.Helper()
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("something still listens on %s after Login returned", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Errorf("port %s is not free after Login returned: %v", addr, err)
		return
	}
	ln.Close()
}

func TestLoginWithFakeBank(t *testing.T) {
	clock := newClock()
	f := newFakeAuth(t, clock.Now)
	store := NewFileStore(t.TempDir() + "/x.login")
	var authURL string
	var page string
	br, wait := tracked(func(u string) error {
		authURL = u
		cb, err := f.approve(u)
		if err != nil {
			return err
		}
		var status int
		status, page, err = get(cb)
		if status != 200 {
			t.Errorf("callback page status %d, want 200", status)
		}
		return err
	})
	s, err := Login(context.Background(), Config{AuthURL: f.srv.URL, ClientID: "bankbro-desktop", Browser: br, Now: clock.Now, Store: store})
	if err != nil {
		t.Fatal(err)
	}
	wait()
	if want := clock.Now().Add(30 * 24 * time.Hour); !s.LoginExpires().Equal(want) {
		t.Errorf("LoginExpires() = %v, want %v", s.LoginExpires(), want)
	}
	stored, err := store.Load()
	if err != nil || stored.RefreshToken == "" || !stored.LoginAt.Equal(clock.Now()) {
		t.Errorf("stored login = %+v, %v; want the refresh token and the login moment", stored, err)
	}
	for _, want := range []string{"gå tilbake til Bankbro", "go back to Bankbro"} {
		if !strings.Contains(page, want) {
			t.Errorf("success page does not say %q:\n%s", want, page)
		}
	}
	u, _ := url.Parse(authURL)
	q := u.Query()
	checks := map[string]bool{
		"response_type=code":      q.Get("response_type") == "code",
		"client_id":               q.Get("client_id") == "bankbro-desktop",
		"S256":                    q.Get("code_challenge_method") == "S256",
		"state of 32 bytes":       len(q.Get("state")) >= 43,
		"scope":                   q.Get("scope") == "accounts transactions payments offline_access",
		"loopback redirect":       strings.HasPrefix(q.Get("redirect_uri"), "http://127.0.0.1:") || strings.HasPrefix(q.Get("redirect_uri"), "http://[::1]:"),
		"authorize path":          u.Path == "/identityserver/connect/authorize",
		"no verifier in the link": q.Get("code_verifier") == "",
	}
	for name, ok := range checks {
		if !ok {
			t.Errorf("authorize URL %s: %s is wrong", authURL, name)
		}
	}
	assertClosed(t, callbackAddr(t, authURL))
}

func TestStateIsFreshEachLogin(t *testing.T) {
	f := newFakeAuth(t, time.Now)
	seen := map[string]bool{}
	for range 3 {
		br := BrowserFunc(func(u string) error {
			pu, _ := url.Parse(u)
			st := pu.Query().Get("state")
			if seen[st] {
				t.Errorf("state %q used twice", st)
			}
			seen[st] = true
			return f.browser(plainGet).Open(u)
		})
		if _, err := Login(context.Background(), Config{AuthURL: f.srv.URL, ClientID: "c", Browser: br}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCallbacks(t *testing.T) {
	f := newFakeAuth(t, time.Now)
	tests := []struct {
		name string
		// visit makes the browser's requests to the redirect URI; good is
		// the approved callback URL.
		visit     func(t *testing.T, good string) error
		wantErr   error
		wantInErr string
	}{
		{"wrong state, then the right one", func(t *testing.T, good string) error {
			u, _ := url.Parse(good)
			q := u.Query()
			q.Set("state", "x"+q.Get("state")[1:])
			bad := *u
			bad.RawQuery = q.Encode()
			status, page, err := get(bad.String())
			if err != nil || status != 400 || !strings.Contains(page, "start the login again") {
				t.Errorf("wrong state: %d %v, want 400 and a page that says what to do:\n%s", status, err, page)
			}
			q.Del("state")
			bad.RawQuery = q.Encode()
			if status, _, _ := get(bad.String()); status != 400 {
				t.Errorf("missing state: status %d, want 400", status)
			}
			status, _, err = get(good)
			if status != 200 {
				t.Errorf("good callback after bad ones: status %d, want 200", status)
			}
			return err
		}, nil, ""},
		{"cancelled", func(t *testing.T, good string) error {
			u, _ := url.Parse(good)
			q := u.Query()
			u.RawQuery = url.Values{"error": {"access_denied"}, "state": {q.Get("state")}}.Encode()
			status, page, err := get(u.String())
			if status != 200 || !strings.Contains(page, "avbrøt") {
				t.Errorf("cancel page: %d, want 200 and a page saying it was cancelled:\n%s", status, page)
			}
			return err
		}, ErrCancelled, "Login was cancelled in the bank"},
		{"other error", func(t *testing.T, good string) error {
			u, _ := url.Parse(good)
			u.RawQuery = url.Values{"error": {"invalid_scope"}, "error_description": {"scope nope"}, "state": {u.Query().Get("state")}}.Encode()
			_, _, err := get(u.String())
			return err
		}, nil, "does not allow the access"},
		{"no code", func(t *testing.T, good string) error {
			u, _ := url.Parse(good)
			u.RawQuery = url.Values{"state": {u.Query().Get("state")}}.Encode()
			_, _, err := get(u.String())
			return err
		}, nil, "no authorization code"},
		{"other path", func(t *testing.T, good string) error {
			u, _ := url.Parse(good)
			u.Path = "/favicon.ico"
			if status, _, _ := get(u.String()); status != 404 {
				t.Errorf("other path: status %d, want 404", status)
			}
			_, _, err := get(good)
			return err
		}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			br := BrowserFunc(func(u string) error {
				good, err := f.approve(u)
				if err != nil {
					return err
				}
				return tt.visit(t, good)
			})
			s, err := Login(context.Background(), Config{AuthURL: f.srv.URL, ClientID: "c", Browser: br})
			switch {
			case tt.wantErr == nil && tt.wantInErr == "":
				if err != nil || s == nil {
					t.Errorf("Login() = %v, %v; want a session", s, err)
				}
			default:
				if err == nil {
					t.Fatalf("Login() error = nil, want one")
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Errorf("Login() error = %v, want %v", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantInErr) {
					t.Errorf("Login() error = %q, want it to contain %q", err, tt.wantInErr)
				}
			}
		})
	}
}

func TestSecondCallbackIgnored(t *testing.T) {
	f := newFakeAuth(t, time.Now)
	exchanging := make(chan struct{})
	secondDone := make(chan struct{})
	var once sync.Once
	f.onToken = func(url.Values) {
		once.Do(func() {
			close(exchanging)
			<-secondDone // hold the first exchange until the second callback was answered
		})
	}
	var firstCode string
	br, wait := tracked(func(u string) error {
		first, err := f.approve(u)
		if err != nil {
			return err
		}
		second, err := f.approve(u)
		if err != nil {
			return err
		}
		fu, _ := url.Parse(first)
		firstCode = fu.Query().Get("code")
		firstDone := make(chan error, 1)
		go func() {
			status, _, err := get(first)
			if status != 200 {
				t.Errorf("first callback: status %d, want 200", status)
			}
			firstDone <- err
		}()
		<-exchanging
		status, page, err := get(second)
		if err != nil || status != http.StatusConflict || !strings.Contains(page, "already") {
			t.Errorf("second callback: %d %v, want 409 and a page saying the login is already done:\n%s", status, err, page)
		}
		close(secondDone)
		return <-firstDone
	})
	s, err := Login(context.Background(), Config{AuthURL: f.srv.URL, ClientID: "c", Browser: br})
	if err != nil || s == nil {
		t.Fatalf("Login() = %v, %v; want a session from the first callback", s, err)
	}
	wait()
	f.mu.Lock()
	_, firstLeft := f.codes[firstCode]
	left := len(f.codes)
	f.mu.Unlock()
	if firstLeft || left != 1 {
		t.Errorf("the first code was not the one exchanged (first unused: %v, unused codes: %d)", firstLeft, left)
	}
}

func TestLoginEnds(t *testing.T) {
	f := newFakeAuth(t, time.Now)
	tests := []struct {
		name    string
		timeout time.Duration
		cancel  bool
		openErr error
		want    error
	}{
		{"timeout", 100 * time.Millisecond, false, nil, ErrTimeout},
		{"context cancelled", time.Hour, true, nil, context.Canceled},
		{"browser fails", time.Hour, false, errors.New("no browser here"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var addr string
			br, wait := tracked(func(u string) error {
				addr = callbackAddr(t, u)
				if tt.cancel {
					cancel()
				}
				return tt.openErr
			})
			_, err := Login(ctx, Config{AuthURL: f.srv.URL, ClientID: "c", Browser: br, Timeout: tt.timeout})
			wait()
			if err == nil {
				t.Fatal("Login() error = nil, want one")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Login() error = %v, want %v", err, tt.want)
			}
			if tt.openErr != nil && !strings.Contains(err.Error(), tt.openErr.Error()) {
				t.Errorf("Login() error = %v, want it to say %q", err, tt.openErr)
			}
			assertClosed(t, addr)
		})
	}
}

func TestPrintBrowser(t *testing.T) {
	var buf bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := Login(ctx, Config{AuthURL: "http://127.0.0.1:9/bank/", ClientID: "bankbro-desktop", Browser: PrintBrowser{W: lockedWriter{w: &buf}}})
		done <- err
	}()
	var line string
	for line == "" {
		time.Sleep(10 * time.Millisecond)
		line = lockedString(&buf)
	}
	cancel()
	<-done
	const prefix = "Open this address to log in: http://127.0.0.1:9/bank/identityserver/connect/authorize?"
	if !strings.HasPrefix(line, prefix) || !strings.HasSuffix(line, "\n") || strings.Count(line, "\n") != 1 {
		t.Errorf("printed %q, want one line starting %q", line, prefix)
	}
}

var bufMu sync.Mutex

type lockedWriter struct{ w io.Writer }

func (l lockedWriter) Write(p []byte) (int, error) {
	bufMu.Lock()
	defer bufMu.Unlock()
	return l.w.Write(p)
}

func lockedString(b *bytes.Buffer) string {
	bufMu.Lock()
	defer bufMu.Unlock()
	return b.String()
}

func TestConfigChecked(t *testing.T) {
	for _, cfg := range []Config{{ClientID: "c"}, {AuthURL: "http://127.0.0.1:9"}} {
		if _, err := Login(context.Background(), cfg); err == nil {
			t.Errorf("Login(%+v) error = nil, want one", cfg)
		}
	}
}

func TestExpiresSoon(t *testing.T) {
	login := StoredLogin{LoginAt: time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)}
	end := login.Expires()
	if want := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC); !end.Equal(want) {
		t.Errorf("Expires() = %v, want %v", end, want)
	}
	tests := []struct {
		now  time.Time
		want bool
	}{
		{login.LoginAt, false},
		{end.Add(-RenewalWarning - time.Second), false},
		{end.Add(-RenewalWarning), true},
		{end.Add(time.Hour), true},
	}
	for _, tt := range tests {
		if got := ExpiresSoon(end, tt.now); got != tt.want {
			t.Errorf("ExpiresSoon(%v, %v) = %v, want %v", end, tt.now, got, tt.want)
		}
	}
}
