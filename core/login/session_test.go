package login

import (
	"bytes"
	"context"
	"errors"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
	"golang.org/x/oauth2"
)

func loginFake(t *testing.T, f *fakeAuth, clock *testClock, store TokenStore) (*Session, Config) {
	t.Helper()
	cfg := Config{AuthURL: f.srv.URL, ClientID: "c", Browser: f.browser(plainGet), Now: clock.Now, Store: store}
	s, err := Login(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, cfg
}

// refreshWith asks the token endpoint directly, as an attacker holding an
// old refresh token would.
func refreshWith(t *testing.T, authURL, rt string) error {
	t.Helper()
	conf := Config{AuthURL: authURL, ClientID: "c"}.oauth("")
	_, err := conf.TokenSource(context.Background(), &oauth2.Token{RefreshToken: rt}).Token()
	return err
}

func TestRefreshRotatesAndSaves(t *testing.T) {
	clock := newClock()
	f := newFakeAuth(t, clock.Now)
	store := NewFileStore(filepath.Join(t.TempDir(), "l.login"))
	s, _ := loginFake(t, f, clock, store)
	first, _ := store.Load()
	if err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	second, _ := store.Load()
	if second.RefreshToken == first.RefreshToken || !second.LoginAt.Equal(first.LoginAt) {
		t.Errorf("after a refresh the store holds %v (token changed: %v); want a new token and the same login moment %v",
			second.LoginAt, second.RefreshToken != first.RefreshToken, first.LoginAt)
	}
	if err := refreshWith(t, f.srv.URL, first.RefreshToken); err == nil {
		t.Errorf("the old refresh token still works after rotation")
	}
}

func TestClientRefreshesExpiredAccessToken(t *testing.T) {
	clock := newClock()
	f := newFakeAuth(t, clock.Now)
	store := NewFileStore(filepath.Join(t.TempDir(), "l.login"))
	s, _ := loginFake(t, f, clock, store)
	var auths []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auths = append(auths, r.Header.Get("Authorization"))
	}))
	defer api.Close()
	hc := s.Client(context.Background())
	call := func() {
		resp, err := hc.Get(api.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	before, _ := store.Load()
	call()
	call()
	clock.Add(59*time.Minute + 30*time.Second) // inside the last minute: renew early
	call()
	after, _ := store.Load()
	if len(auths) != 3 || auths[0] != auths[1] || auths[1] == auths[2] || !strings.HasPrefix(auths[2], "Bearer ") {
		t.Errorf("Authorization headers %d, same token for the first two: %v, new token after expiry: %v", len(auths), auths[0] == auths[1], auths[1] != auths[2])
	}
	if before.RefreshToken == after.RefreshToken {
		t.Errorf("the rotated refresh token was not saved")
	}
}

func TestResume(t *testing.T) {
	clock := newClock()
	f := newFakeAuth(t, clock.Now)
	dir := t.TempDir()
	store := NewFileStore(filepath.Join(dir, "l.login"))
	_, cfg := loginFake(t, f, clock, store)
	cfg.Store = nil
	loginAt := clock.Now()

	clock.Add(29 * 24 * time.Hour)
	s, err := Resume(context.Background(), cfg, store)
	if err != nil {
		t.Fatalf("Resume after 29 days: %v", err)
	}
	if !s.LoginAt().Equal(loginAt) || !s.LoginExpires().Equal(loginAt.Add(LoginLifetime)) {
		t.Errorf("resumed LoginAt %v, LoginExpires %v; want %v and 30 days later", s.LoginAt(), s.LoginExpires(), loginAt)
	}

	// Only where nothing is stored is it ErrNotLoggedIn: the others are
	// logins that ended.
	tests := []struct {
		name  string
		store TokenStore
		setup func()
		none  bool
	}{
		{"nothing stored", NewFileStore(filepath.Join(dir, "none.login")), func() {}, true},
		{"damaged", NewFileStore(filepath.Join(dir, "bad.login")), func() { os.WriteFile(filepath.Join(dir, "bad.login"), []byte("{"), 0o600) }, false},
		{"refused by the bank", store, func() { f.mu.Lock(); clear(f.refresh); f.mu.Unlock() }, false},
		{"older than 30 days", store, func() { clock.Add(2 * 24 * time.Hour) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup()
			_, err := Resume(context.Background(), cfg, tt.store)
			if !errors.Is(err, ErrLoginRequired) || !strings.Contains(err.Error(), "log in again") {
				t.Errorf("Resume() error = %v, want ErrLoginRequired saying to log in again", err)
			}
			if errors.Is(err, ErrNotLoggedIn) != tt.none {
				t.Errorf("Resume() error = %v: ErrNotLoggedIn %v, want %v", err, !tt.none, tt.none)
			}
		})
	}
}

func TestExpiredLoginNotSentToBank(t *testing.T) {
	clock := newClock()
	f := newFakeAuth(t, clock.Now)
	s, _ := loginFake(t, f, clock, nil)
	var calls atomic.Int32
	f.onToken = func(url.Values) { calls.Add(1) }
	clock.Add(31 * 24 * time.Hour)
	_, err := s.Client(context.Background()).Get(f.srv.URL + "/api")
	if !errors.Is(err, ErrLoginRequired) {
		t.Errorf("request after 31 days: error = %v, want ErrLoginRequired", err)
	}
	if calls.Load() != 0 {
		t.Errorf("an expired login was sent to the bank %d times", calls.Load())
	}
}

func TestFileStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "company.db.login")
	s := NewFileStore(path)
	if _, err := s.Load(); !errors.Is(err, ErrNotStored) {
		t.Errorf("Load() of nothing = %v, want ErrNotStored", err)
	}
	want := StoredLogin{RefreshToken: "rt-1", LoginAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	if err := s.Save(want); err != nil {
		t.Fatal(err)
	}
	assertMode0600(t, path)
	got, err := s.Load()
	if err != nil || got.RefreshToken != want.RefreshToken || !got.LoginAt.Equal(want.LoginAt) {
		t.Errorf("Load() = %+v, %v; want %+v", got, err, want)
	}
	if err := s.Delete(); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(); err != nil {
		t.Errorf("second Delete() = %v, want nil", err)
	}
	if _, err := s.Load(); !errors.Is(err, ErrNotStored) {
		t.Errorf("Load() after Delete = %v, want ErrNotStored", err)
	}
}

func assertMode0600(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
	}
}

func TestKeyringStore(t *testing.T) {
	dir := t.TempDir()
	ledger := filepath.Join(dir, "company.db")
	login := StoredLogin{RefreshToken: "rt-secret", LoginAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}

	t.Run("keyring answers", func(t *testing.T) {
		keyring.MockInit()
		s, kind := OpenStore(ledger)
		if kind != KindKeyring || KindOf(s) != KindKeyring {
			t.Fatalf("kind = %v, want the keyring", kind)
		}
		if err := s.Save(login); err != nil {
			t.Fatal(err)
		}
		secret, err := keyring.Get("Bankbro", ledger)
		if err != nil || !strings.Contains(secret, "rt-secret") {
			t.Errorf("keyring holds %v, want the login under Bankbro / %s", err, ledger)
		}
		if _, err := os.Stat(ledger + ".login"); !os.IsNotExist(err) {
			t.Errorf("a file was written although the keyring works: %v", err)
		}
		got, err := s.Load()
		if err != nil || got.RefreshToken != login.RefreshToken {
			t.Errorf("Load() = %v; want the saved login", err)
		}
		if err := s.Delete(); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Load(); !errors.Is(err, ErrNotStored) {
			t.Errorf("Load() after Delete = %v, want ErrNotStored", err)
		}
	})
	t.Run("no keyring", func(t *testing.T) {
		keyring.MockInitWithError(errors.New("org.freedesktop.secrets was not provided by any .service files"))
		s := NewKeyringStore(ledger)
		if KindOf(s) != KindFile || !strings.Contains(KindOf(s).String(), "protected file") {
			t.Fatalf("kind = %v, want the protected file", KindOf(s))
		}
		if err := s.Save(login); err != nil {
			t.Fatal(err)
		}
		assertMode0600(t, ledger+".login")
		got, err := s.Load()
		if err != nil || got.RefreshToken != login.RefreshToken {
			t.Errorf("Load() = %v; want the saved login", err)
		}
	})
	t.Run("keyring refuses to save", func(t *testing.T) {
		keyring.MockInit()
		s, _ := OpenStore(ledger + "2")
		keyring.MockInitWithError(errors.New("collection is locked"))
		if err := s.Save(login); err != nil {
			t.Fatal(err)
		}
		if KindOf(s) != KindFile {
			t.Errorf("kind after a refused save = %v, want the file", KindOf(s))
		}
		assertMode0600(t, ledger+"2.login")
	})
}

// TestNoSecretsInErrorsOrLogs collects every error and log line from
// logins and refreshes that go wrong in many ways and looks for the codes,
// tokens and verifiers in them.
func TestNoSecretsInErrorsOrLogs(t *testing.T) {
	var logs bytes.Buffer
	log.SetOutput(&logs)
	defer log.SetOutput(os.Stderr)

	clock := newClock()
	f := newFakeAuth(t, clock.Now)
	f.echo = true
	var texts []string
	var verifiers []string // the states: not secret, but not for logs either
	note := func(err error) {
		if err != nil {
			texts = append(texts, err.Error())
		}
	}
	store := NewFileStore(filepath.Join(t.TempDir(), "l.login"))
	s, cfg := loginFake(t, f, clock, store)
	note(s.Refresh(context.Background()))

	// The bank refuses the code, echoing the request (code, verifier) in its description.
	for _, code := range []string{"invalid_grant", "invalid_request", "invalid_client"} {
		f.tokenErr = code
		br, wait := tracked(func(u string) error {
			pu, _ := url.Parse(u)
			verifiers = append(verifiers, pu.Query().Get("state"))
			return f.browser(plainGet).Open(u)
		})
		_, err := Login(context.Background(), Config{AuthURL: f.srv.URL, ClientID: "c", Browser: br})
		wait()
		note(err)
		note(s.Refresh(context.Background()))
	}
	f.tokenErr = ""
	// The token endpoint is gone.
	dead := Config{AuthURL: "http://127.0.0.1:1", ClientID: "c", Store: store}
	_, err := Resume(context.Background(), dead, store)
	note(err)
	// Expired.
	clock.Add(40 * 24 * time.Hour)
	_, err = Resume(context.Background(), cfg, store)
	note(err)
	_, err = s.Client(context.Background()).Get(f.srv.URL)
	note(err)

	if len(texts) < 8 {
		t.Fatalf("only %d errors collected, want at least 8", len(texts))
	}
	all := strings.Join(texts, "\n") + logs.String()
	for _, secret := range append(f.secrets(), verifiers...) {
		if strings.Contains(all, secret) {
			t.Errorf("a secret appears in an error or log line:\n%s", all)
			break
		}
	}
	t.Logf("errors seen:\n%s", strings.Join(texts, "\n"))
	if !strings.Contains(all, "[hidden]") {
		t.Errorf("the echoed secrets were not hidden; errors:\n%s", all)
	}
}
