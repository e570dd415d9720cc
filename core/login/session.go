package login

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// earlyRefresh is how long before its expiry an access token is renewed, so
// a request never leaves with a token about to die.
const earlyRefresh = time.Minute

// Session is a logged-in person at the bank: the tokens, refreshed as needed.
// It is safe for concurrent use.
type Session struct {
	cfg     Config
	conf    *oauth2.Config
	loginAt time.Time

	mu  sync.Mutex
	tok *oauth2.Token
}

func newSession(cfg Config, conf *oauth2.Config, tok *oauth2.Token, loginAt time.Time) *Session {
	return &Session{cfg: cfg, conf: conf, tok: tok, loginAt: loginAt}
}

// Format prints the session without its tokens, whatever the verb (%v,
// %s, %+v, %#v), so a log line or a panic message that names a session
// never shows them. (Without it, %s printed the token struct's fields.)
func (s *Session) Format(f fmt.State, _ rune) {
	if s == nil {
		io.WriteString(f, "login.Session(nil)")
		return
	}
	fmt.Fprintf(f, "login.Session{loginAt: %s, tokens hidden}", s.loginAt.Format(time.RFC3339))
}

// LoginAt is the moment the person logged in with BankID.
func (s *Session) LoginAt() time.Time { return s.loginAt }

// LoginExpires is when the login ends (30 days after LoginAt); after that
// the person must log in again.
func (s *Session) LoginExpires() time.Time { return s.loginAt.Add(LoginLifetime) }

// Client returns an HTTP client that sends the access token with every
// request and refreshes it (saving the rotated refresh token in the store)
// when it is about to expire. ctx bounds the refresh calls.
func (s *Session) Client(ctx context.Context) *http.Client {
	base := http.DefaultTransport
	if s.cfg.HTTPClient != nil && s.cfg.HTTPClient.Transport != nil {
		base = s.cfg.HTTPClient.Transport
	}
	return &http.Client{Transport: &oauth2.Transport{Source: tokenSource{s: s, ctx: ctx}, Base: base}}
}

// tokenSource binds a Session to the context its refreshes run under.
type tokenSource struct {
	s   *Session
	ctx context.Context
}

// Token returns a valid access token, refreshing it under t.ctx when needed.
func (t tokenSource) Token() (*oauth2.Token, error) { return t.s.token(t.ctx) }

// Refresh gets a new access token now, even if the current one is still
// good, and saves the rotated refresh token.
func (s *Session) Refresh(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshLocked(ctx)
}

func (s *Session) token(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.now()
	if s.tok.AccessToken != "" && (s.tok.Expiry.IsZero() || now.Before(s.tok.Expiry.Add(-earlyRefresh))) {
		t := *s.tok
		return &t, nil
	}
	if err := s.refreshLocked(ctx); err != nil {
		return nil, err
	}
	t := *s.tok
	return &t, nil
}

// refreshLocked trades the refresh token for new tokens; s.mu is held, so
// a rotated refresh token is never used twice.
func (s *Session) refreshLocked(ctx context.Context) error {
	if !s.cfg.now().Before(s.LoginExpires()) {
		return needLogin("Your bank login from %s is more than 30 days old and has expired", s.loginAt.In(time.Local).Format("02.01.2006"))
	}
	old := s.tok.RefreshToken
	src := s.conf.TokenSource(s.cfg.tokenContext(ctx), &oauth2.Token{RefreshToken: old})
	tok, err := src.Token()
	if err != nil {
		return tokenError("renew the bank login", err, old)
	}
	if tok.RefreshToken == "" {
		tok.RefreshToken = old
	}
	fixExpiry(tok, s.cfg.now())
	s.tok = tok
	if tok.RefreshToken != old && s.cfg.Store != nil {
		if err := s.cfg.Store.Save(StoredLogin{RefreshToken: tok.RefreshToken, LoginAt: s.loginAt}); err != nil {
			return fmt.Errorf("renew the bank login: the new login could not be kept, so the next start will ask for a new login: %w", err)
		}
	}
	return nil
}

// Resume continues a stored login: it loads the refresh token from store,
// trades it for fresh tokens (saving the rotated one) and returns the
// session. It returns an error wrapping ErrLoginRequired when nothing is
// stored, the login is more than 30 days old, or the bank refuses it.
func Resume(ctx context.Context, cfg Config, store TokenStore) (*Session, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	l, err := store.Load()
	if errors.Is(err, ErrNotStored) {
		return nil, &loginRequired{reason: "No bank login is stored", none: true}
	}
	if err != nil {
		return nil, err
	}
	cfg.Store = store
	s := newSession(cfg, cfg.oauth(""), &oauth2.Token{RefreshToken: l.RefreshToken}, l.LoginAt)
	if err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// fixExpiry counts the access token's lifetime on our clock, so a test clock
// and the token's expiry agree.
func fixExpiry(tok *oauth2.Token, now time.Time) {
	if tok.ExpiresIn > 0 {
		tok.Expiry = now.Add(time.Duration(tok.ExpiresIn) * time.Second)
	}
}
