// Package login is the BankID login against the bank's OAuth 2.0 server:
// authorization code with PKCE in the system browser and a loopback redirect
// (RFC 8252, RFC 7636), plus keeping and refreshing the tokens it yields.
//
// Tokens, codes and verifiers never appear in an error message or a log line.
package login

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// DefaultScopes are the scopes Bankbro asks for (bank-api.md §1).
var DefaultScopes = []string{"accounts", "transactions", "payments", "offline_access"}

// DefaultTimeout is how long Login waits for the person to finish in the browser.
const DefaultTimeout = 5 * time.Minute

// LoginLifetime is how long a BankID login lasts: the bank refuses to
// refresh tokens once this much time has passed since the login.
const LoginLifetime = 30 * 24 * time.Hour

// RenewalWarning is how long before the login ends the app should ask the
// person to log in again, so that the morning import never fails for it.
const RenewalWarning = 7 * 24 * time.Hour

// ExpiresSoon reports whether a login that ends at expires should be renewed
// now (within RenewalWarning, or already over).
func ExpiresSoon(expires, now time.Time) bool { return !now.Before(expires.Add(-RenewalWarning)) }

// callbackPath is the path of the loopback redirect URI.
const callbackPath = "/callback"

var (
	// ErrCancelled is returned when the person pressed Cancel in the bank.
	ErrCancelled = errors.New("Login was cancelled in the bank")
	// ErrTimeout is returned when the login was not finished within Config.Timeout.
	ErrTimeout = errors.New("The login was not finished in time; start it again")
	// ErrLoginRequired is returned when there is no usable login: none stored,
	// older than 30 days, or refused by the bank.
	ErrLoginRequired = errors.New("Your bank login has expired; log in again")
	// ErrNotLoggedIn is the ErrLoginRequired of a computer where no login
	// is stored: never logged in here (the company file came from another
	// computer, or the login was never made), rather than a login that
	// ended.
	ErrNotLoggedIn = errors.New("No bank login is stored on this computer; log in")
)

// loginRequired is an ErrLoginRequired that says why; none marks the one
// of ErrNotLoggedIn.
type loginRequired struct {
	reason string
	none   bool
}

// Error says why, then asks for a new login.
func (e *loginRequired) Error() string { return e.reason + "; log in again" }

// Is makes errors.Is(err, ErrLoginRequired) true, and errors.Is(err,
// ErrNotLoggedIn) where no login is stored.
func (e *loginRequired) Is(target error) bool {
	return target == ErrLoginRequired || e.none && target == ErrNotLoggedIn
}

func needLogin(format string, args ...any) error {
	return &loginRequired{reason: fmt.Sprintf(format, args...)}
}

// Config describes the bank's login server and how to reach the person.
type Config struct {
	// AuthURL is the base of the bank's auth server ({auth} in bank-api.md).
	AuthURL string
	// ClientID is the app's registered client id ("bankbro-desktop" at the demo bank).
	ClientID string
	// Scopes default to DefaultScopes.
	Scopes []string
	// Browser opens the login page; the default is SystemBrowser. Use
	// PrintBrowser to only print the address.
	Browser Browser
	// Timeout bounds the whole login; default DefaultTimeout.
	Timeout time.Duration
	// Now is the clock for the login moment and token expiry; default time.Now.
	Now func() time.Time
	// Store, when set, receives the refresh token after Login and every
	// rotated refresh token afterwards.
	Store TokenStore
	// HTTPClient is used to talk to the token endpoint; default a client
	// with a 30 s timeout.
	HTTPClient *http.Client
}

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c Config) oauth(redirectURI string) *oauth2.Config {
	base := strings.TrimRight(c.AuthURL, "/")
	scopes := c.Scopes
	if len(scopes) == 0 {
		scopes = DefaultScopes
	}
	return &oauth2.Config{
		ClientID: c.ClientID,
		Endpoint: oauth2.Endpoint{
			AuthURL:   base + "/identityserver/connect/authorize",
			TokenURL:  base + "/identityserver/connect/token",
			AuthStyle: oauth2.AuthStyleInParams, // a public client: no secret, client_id in the form
		},
		RedirectURL: redirectURI,
		Scopes:      scopes,
	}
}

func (c Config) tokenContext(ctx context.Context) context.Context {
	hc := c.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return context.WithValue(ctx, oauth2.HTTPClient, hc)
}

func (c Config) check() error {
	if c.AuthURL == "" {
		return errors.New("log in: no address for the bank's login server is configured")
	}
	if c.ClientID == "" {
		return errors.New("log in: no client id for the bank is configured")
	}
	return nil
}

// callback is what the bank's redirect brought to the loopback listener.
type callback struct {
	code string
	err  error
}

// Login runs a BankID login: it listens on a free loopback port, opens the
// bank's authorize page in cfg.Browser, waits for the redirect carrying the
// code (only one with the right state counts), and exchanges the code for
// tokens. The listener is closed when Login returns.
func Login(ctx context.Context, cfg Config) (*Session, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, ErrTimeout)
	defer cancel()

	ln, err := listenLoopback()
	if err != nil {
		return nil, err
	}
	redirectURI := "http://" + ln.Addr().String() + callbackPath
	conf := cfg.oauth(redirectURI)
	state, err := randomState()
	if err != nil {
		ln.Close()
		return nil, err
	}
	verifier := oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))

	cb := &callbackHandler{state: state, results: make(chan callback, 1), outcome: make(chan error, 1), done: make(chan struct{})}
	srv := &http.Server{Handler: cb, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.Serve(ln) // returns when Shutdown or Close is called below
	}()
	defer func() {
		close(cb.done)
		shutdownCtx, stop := context.WithTimeout(context.Background(), 2*time.Second)
		defer stop()
		if srv.Shutdown(shutdownCtx) != nil {
			srv.Close()
		}
		<-served
	}()

	browser := cfg.Browser
	if browser == nil {
		browser = SystemBrowser{}
	}
	opened := make(chan error, 1)
	// Open may block until the whole browser round trip is over (a test
	// browser follows the redirect to us), so it gets its own goroutine.
	go func() { opened <- browser.Open(authURL) }()

	var res callback
wait:
	for {
		select {
		case res = <-cb.results:
			break wait
		case err := <-opened:
			opened = nil // a nil channel: never selected again
			if err == nil {
				continue
			}
			select {
			case res = <-cb.results: // the answer came anyway; the browser's complaint is moot
				break wait
			default:
				return nil, fmt.Errorf("log in: open the bank's login page: %w", err)
			}
		case <-ctx.Done():
			if errors.Is(context.Cause(ctx), ErrTimeout) {
				return nil, fmt.Errorf("log in: no answer from the bank's login page within %v: %w", timeout, ErrTimeout)
			}
			return nil, fmt.Errorf("log in: %w", context.Cause(ctx))
		}
	}
	if res.err != nil {
		cb.outcome <- res.err
		return nil, res.err
	}

	now := cfg.now()
	tok, err := conf.Exchange(cfg.tokenContext(ctx), res.code, oauth2.VerifierOption(verifier))
	if err != nil {
		err = tokenError("log in: get tokens from the bank", err, res.code, verifier)
		cb.outcome <- err
		return nil, err
	}
	if tok.RefreshToken == "" {
		err := errors.New("log in: the bank gave no refresh token; check that the scope offline_access is allowed for this app")
		cb.outcome <- err
		return nil, err
	}
	fixExpiry(tok, now)
	s := newSession(cfg, conf, tok, now)
	if cfg.Store != nil {
		if err := cfg.Store.Save(StoredLogin{RefreshToken: tok.RefreshToken, LoginAt: now}); err != nil {
			err = fmt.Errorf("log in: %w", err)
			cb.outcome <- err
			return nil, err
		}
	}
	cb.outcome <- nil
	return s, nil
}

func listenLoopback() (net.Listener, error) {
	ln, err4 := net.Listen("tcp", "127.0.0.1:0")
	if err4 == nil {
		return ln, nil
	}
	ln, err6 := net.Listen("tcp", "[::1]:0")
	if err6 == nil {
		return ln, nil
	}
	return nil, fmt.Errorf("log in: cannot listen on the loopback address for the bank's answer: %w", errors.Join(err4, err6))
}

// randomState returns 32 random bytes, base64url encoded (43 characters).
func randomState() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("log in: no randomness available: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// callbackHandler serves the loopback redirect URI. It hands the first
// callback with the right state to Login and shows the person a page that
// says how it went; everything else gets a page and changes nothing.
type callbackHandler struct {
	state   string
	taken   sync.Once
	results chan callback // capacity 1: only the first good callback lands
	outcome chan error    // Login's verdict on that callback
	done    chan struct{} // closed when Login returns
}

// ServeHTTP answers one visit of the browser to the redirect URI.
func (h *callbackHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != callbackPath {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	got := q.Get("state")
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(h.state)) != 1 {
		writePage(w, http.StatusBadRequest, pageWrongState)
		return
	}
	first := false
	h.taken.Do(func() { first = true })
	if !first {
		writePage(w, http.StatusConflict, pageAlreadyDone)
		return
	}
	var res callback
	switch e := q.Get("error"); {
	case e == "access_denied":
		res.err = ErrCancelled
	case e != "":
		res.err = describeAuthError(e, q.Get("error_description"))
	case q.Get("code") == "":
		res.err = errors.New("log in: the bank's answer carried no authorization code; try again")
	default:
		res.code = q.Get("code")
	}
	h.results <- res
	var err error
	select {
	case err = <-h.outcome:
	case <-h.done:
		err = errors.New("the login was stopped")
	case <-r.Context().Done():
		return
	}
	switch {
	case err == nil:
		writePage(w, http.StatusOK, pageSuccess)
	case errors.Is(err, ErrCancelled):
		writePage(w, http.StatusOK, pageCancelled)
	default:
		writePage(w, http.StatusOK, pageFailed)
	}
}

// describeAuthError turns an OAuth error redirect into a sentence.
func describeAuthError(code, description string) error {
	var what string
	switch code {
	case "invalid_scope":
		what = "the bank does not allow the access Bankbro asks for"
	case "unsupported_response_type", "invalid_request", "unauthorized_client":
		what = "the bank does not accept Bankbro's login request; check the bank address in the settings"
	case "server_error", "temporarily_unavailable":
		what = "the bank's login is not working right now; try again later"
	default:
		what = "the bank ended the login"
	}
	msg := fmt.Sprintf("log in: %s (%s", what, sanitize(code))
	if description != "" {
		msg += ": " + sanitize(description)
	}
	return errors.New(msg + ")")
}

// sanitize keeps text from the bank short and on one line.
func sanitize(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// tokenError describes a failed call to the token endpoint without the
// response body (which could echo what was sent) and with every secret
// scrubbed from what the bank wrote.
func tokenError(doing string, err error, secrets ...string) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.ErrorCode == "invalid_grant" {
			return needLogin("%s: the bank no longer accepts this login", doing)
		}
		msg := fmt.Sprintf("%s: the bank refused it", doing)
		if re.ErrorCode != "" {
			// Secrets go before shortening, so no prefix of one survives.
			msg += " (" + sanitize(redact(re.ErrorCode, secrets...))
			if re.ErrorDescription != "" {
				msg += ": " + sanitize(redact(re.ErrorDescription, secrets...))
			}
			msg += ")"
		} else if re.Response != nil {
			msg += " (HTTP status " + re.Response.Status + ")"
		}
		return &transientError{msg: msg, temporary: re.Response != nil && (re.Response.StatusCode == 429 || re.Response.StatusCode >= 500)}
	}
	return &transientError{msg: redact(fmt.Sprintf("%s: could not reach the bank's login server: %v", doing, err), secrets...), temporary: true, err: err}
}

// transientError is a token endpoint failure; Temporary reports whether
// trying again later may help (the bank was busy or unreachable).
type transientError struct {
	msg       string
	temporary bool
	err       error
}

// Error is the scrubbed description.
func (e *transientError) Error() string { return e.msg }

// Temporary reports whether trying again later may help.
func (e *transientError) Temporary() bool { return e.temporary }

// Unwrap keeps net and context errors visible to errors.Is/As; their text
// is already in msg, scrubbed.
func (e *transientError) Unwrap() error { return e.err }

func redact(s string, secrets ...string) string {
	for _, v := range secrets {
		if v != "" {
			s = strings.ReplaceAll(s, v, "[hidden]")
		}
	}
	return s
}
