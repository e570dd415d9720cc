package sandbox

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"bankbro/core/norway"
)

// Lifetimes of bank-api.md §1.
const (
	codeTTL        = 60 * time.Second
	accessTTL      = time.Hour
	refreshTTL     = 30 * 24 * time.Hour
	requestTTL     = 10 * time.Minute
	sessionTTL     = 30 * time.Minute
	maxLoginErrors = 5
)

// knownScopes are the scopes the demo bank grants.
var knownScopes = []string{"accounts", "transactions", "payments", "offline_access"}

// What a login request is for: the app's OAuth login, signing payments, or the online bank.
const (
	reqOAuth = iota
	reqApprove
	reqNettbank
)

type authRequest struct {
	id          string
	kind        int
	redirectURI string
	scope       string
	state       string
	challenge   string
	paymentIDs  []string
	failures    int
	created     time.Time
	loggedIn    string // after login: who (payment signing)
}

type authCode struct {
	nationalID  string
	redirectURI string
	challenge   string
	scope       string
	issued      time.Time
	used        bool
	grantID     string // set when exchanged, so a reuse can revoke
}

type grant struct {
	id         string
	nationalID string
	scope      string
	login      time.Time
	refresh    string
	revoked    bool
}

type accessToken struct {
	grantID    string
	nationalID string
	scope      string
	expires    time.Time
}

type session struct {
	nationalID string
	csrf       string
	expires    time.Time
}

// randomToken returns an unguessable URL-safe token.
func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// checkRedirectURI accepts only http on the loopback IP literals (RFC 8252
// §7.3); otherwise it says why, in l.
func checkRedirectURI(l language, raw string) (string, bool) {
	if raw == "" {
		return l.T("Forespørselen har ingen redirect_uri", "The request has no redirect_uri"), false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return l.T("redirect_uri er ikke en gyldig adresse", "redirect_uri is not a valid address"), false
	}
	if u.Scheme != "http" {
		return l.T("redirect_uri må bruke http til en loopback-adresse (RFC 8252 §7.3), ikke ",
			"redirect_uri must use http on a loopback address (RFC 8252 §7.3), not ") + u.Scheme, false
	}
	if u.User != nil || u.Fragment != "" {
		return l.T("redirect_uri kan ikke ha brukerinformasjon eller fragment", "redirect_uri must not carry user information or a fragment"), false
	}
	host := u.Hostname()
	if host != "127.0.0.1" && host != "::1" {
		if strings.EqualFold(host, "localhost") {
			return l.T("redirect_uri må bruke IP-adressen 127.0.0.1 eller [::1], ikke localhost (RFC 8252 §8.3)",
				"redirect_uri must use the IP literal 127.0.0.1 or [::1], not localhost (RFC 8252 §8.3)"), false
		}
		return l.T("redirect_uri må peke på denne datamaskinen (127.0.0.1 eller [::1])", "redirect_uri must point at this computer (127.0.0.1 or [::1])"), false
	}
	if host == "::1" && !strings.HasPrefix(u.Host, "[") {
		return l.T("redirect_uri må ha IPv6-adressen i hakeparentes", "redirect_uri must bracket the IPv6 address"), false
	}
	if p := u.Port(); p != "" {
		if _, err := net.LookupPort("tcp", p); err != nil {
			return l.T("redirect_uri har en ugyldig port", "redirect_uri has an invalid port"), false
		}
	}
	return "", true
}

// redirectError sends the browser back to the app with an OAuth error.
func redirectError(w http.ResponseWriter, r *http.Request, redirectURI, state, code, desc string) {
	u, _ := url.Parse(redirectURI)
	q := u.Query()
	q.Set("error", code)
	if desc != "" {
		q.Set("error_description", desc)
	}
	if state != "" {
		q.Set("state", state)
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func (b *Bank) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	l := pageLanguage(r)
	if q.Get("client_id") != ClientID {
		b.errorPage(w, r, http.StatusBadRequest, l.T("Ukjent app", "Unknown app"),
			l.T("Appen som sendte deg hit, er ikke registrert i banken (client_id).", "The app that sent you here is not registered with the bank (client_id)."))
		return
	}
	redirectURI := q.Get("redirect_uri")
	if why, ok := checkRedirectURI(l, redirectURI); !ok {
		b.errorPage(w, r, http.StatusBadRequest, l.T("Innloggingsforespørselen er ikke gyldig", "This login request is not valid"),
			why+". "+l.T("Gå tilbake til appen og prøv igjen.", "Go back to the app and try again."))
		return
	}
	state := q.Get("state")
	if q.Get("response_type") != "code" {
		redirectError(w, r, redirectURI, state, "unsupported_response_type", "response_type must be code")
		return
	}
	scope := q.Get("scope")
	for _, s := range strings.Fields(scope) {
		if !slices.Contains(knownScopes, s) {
			redirectError(w, r, redirectURI, state, "invalid_scope", "unknown scope "+s)
			return
		}
	}
	if strings.TrimSpace(scope) == "" {
		redirectError(w, r, redirectURI, state, "invalid_scope", "scope is required")
		return
	}
	if len(state) < 16 {
		redirectError(w, r, redirectURI, state, "invalid_request", "state is required and must have at least 16 characters")
		return
	}
	challenge := q.Get("code_challenge")
	if challenge == "" {
		redirectError(w, r, redirectURI, state, "invalid_request", "code_challenge is required (PKCE)")
		return
	}
	if q.Get("code_challenge_method") != "S256" {
		redirectError(w, r, redirectURI, state, "invalid_request", "code_challenge_method must be S256")
		return
	}
	if len(challenge) != 43 {
		redirectError(w, r, redirectURI, state, "invalid_request", "code_challenge must be a base64url SHA-256 (43 characters)")
		return
	}
	req := &authRequest{id: randomToken(), kind: reqOAuth, redirectURI: redirectURI,
		scope: strings.Join(strings.Fields(scope), " "), state: state, challenge: challenge}
	b.mu.Lock()
	b.prune()
	req.created = b.now()
	b.requests[req.id] = req
	b.mu.Unlock()
	b.loginPage(w, r, req, "", "")
}

// startLogin registers a login request of another kind and shows the form.
func (b *Bank) startLogin(w http.ResponseWriter, r *http.Request, kind int, paymentIDs []string) {
	req := &authRequest{id: randomToken(), kind: kind, paymentIDs: paymentIDs}
	b.mu.Lock()
	b.prune()
	req.created = b.now()
	b.requests[req.id] = req
	b.mu.Unlock()
	b.loginPage(w, r, req, "", "")
}

func (b *Bank) handleLogin(w http.ResponseWriter, r *http.Request) {
	l := pageLanguage(r)
	if err := r.ParseForm(); err != nil {
		b.badForm(w, r)
		return
	}
	id := r.PostForm.Get("request_id")
	b.mu.Lock()
	req := b.requests[id]
	if req != nil && b.now().Sub(req.created) > requestTTL {
		delete(b.requests, id)
		req = nil
	}
	b.mu.Unlock()
	if req == nil {
		b.errorPage(w, r, http.StatusBadRequest, l.T("Innloggingen har utløpt", "This login has expired"),
			l.T("Gå tilbake dit du startet, og prøv igjen.", "Go back to where you started and try again."))
		return
	}
	if r.PostForm.Get("action") == "cancel" {
		b.mu.Lock()
		delete(b.requests, id)
		b.mu.Unlock()
		b.finishDenied(w, r, req, false)
		return
	}
	nationalID := strings.TrimSpace(r.PostForm.Get("national_id"))
	otp := strings.TrimSpace(r.PostForm.Get("otp"))
	msg := ""
	switch {
	case norway.ValidNationalID(nationalID) != nil || len(nationalID) != 11:
		msg = l.T("Det er ikke et gyldig fødselsnummer (11 siffer).", "That is not a valid national identity number (11 digits).")
	case len(otp) != 6 || strings.Trim(otp, "0123456789") != "":
		msg = l.T("Engangskoden har 6 siffer.", "The one-time code has 6 digits.")
	default:
		if _, ok := findUser(nationalID); !ok || subtle.ConstantTimeCompare([]byte(otp), []byte(DemoOTP)) != 1 {
			msg = l.T("Feil fødselsnummer eller engangskode.", "Wrong national identity number or one-time code.")
		}
	}
	if msg != "" {
		b.mu.Lock()
		req.failures++
		failed := req.failures >= maxLoginErrors
		if failed {
			delete(b.requests, id)
		}
		b.mu.Unlock()
		if failed {
			b.finishDenied(w, r, req, true)
			return
		}
		b.loginPage(w, r, req, msg, nationalID)
		return
	}
	switch req.kind {
	case reqOAuth:
		code := randomToken()
		b.mu.Lock()
		delete(b.requests, id)
		b.codes[code] = &authCode{nationalID: nationalID, redirectURI: req.redirectURI,
			challenge: req.challenge, scope: req.scope, issued: b.now()}
		b.mu.Unlock()
		u, _ := url.Parse(req.redirectURI)
		q := u.Query()
		q.Set("code", code)
		q.Set("state", req.state)
		u.RawQuery = q.Encode()
		http.Redirect(w, r, u.String(), http.StatusFound)
	case reqApprove:
		b.mu.Lock()
		req.loggedIn = nationalID
		b.mu.Unlock()
		b.approveListPage(w, r, req)
	case reqNettbank:
		b.mu.Lock()
		delete(b.requests, id)
		s := &session{nationalID: nationalID, csrf: randomToken(), expires: b.now().Add(sessionTTL)}
		sid := randomToken()
		b.sessions[sid] = s
		b.mu.Unlock()
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sid, Path: "/nettbank", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, "/nettbank", http.StatusSeeOther)
	}
}

// finishDenied ends a login request that was cancelled, or failed too often.
func (b *Bank) finishDenied(w http.ResponseWriter, r *http.Request, req *authRequest, tooMany bool) {
	why := phrase{"du avbrøt innloggingen", "the user cancelled the login"}
	if tooMany {
		why = phrase{"for mange mislykkede forsøk", "too many failed attempts"}
	}
	l := pageLanguage(r)
	switch req.kind {
	case reqOAuth:
		redirectError(w, r, req.redirectURI, req.state, "access_denied", why.en) // for the app, which words it itself
	case reqApprove:
		b.messagePage(w, r, http.StatusOK, l.T("Signering avbrutt", "Signing cancelled"),
			l.T("Ingenting ble signert ("+why.nb+"). ", "Nothing was signed ("+why.en+"). ")+closeAndReturn(l), "")
	default:
		b.messagePage(w, r, http.StatusOK, l.T("Innlogging avbrutt", "Login cancelled"),
			l.T("Du er ikke logget inn ("+why.nb+").", "You are not logged in ("+why.en+")."), "/nettbank")
	}
}

// closeAndReturn ends a page that the app opened in the browser.
func closeAndReturn(l language) string {
	return l.T("Du kan lukke dette vinduet og gå tilbake til Bankbro.", "You can close this window and return to Bankbro.")
}

// badForm answers a form that could not be read.
func (b *Bank) badForm(w http.ResponseWriter, r *http.Request) {
	l := pageLanguage(r)
	b.errorPage(w, r, http.StatusBadRequest, l.T("Ugyldig forespørsel", "Bad request"), l.T("Skjemaet kunne ikke leses.", "The form could not be read."))
}

// tokenError answers the token endpoint per RFC 6749 §5.2.
func tokenError(w http.ResponseWriter, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

func pkceS256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func (b *Bank) handleToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		tokenError(w, "invalid_request", "the body must be form-encoded")
		return
	}
	f := r.PostForm
	if f.Get("client_id") != ClientID {
		tokenError(w, "invalid_client", "unknown client_id")
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	switch f.Get("grant_type") {
	case "authorization_code":
		codeText := f.Get("code")
		if codeText == "" {
			tokenError(w, "invalid_request", "code is required")
			return
		}
		c := b.codes[codeText]
		switch {
		case c == nil:
			tokenError(w, "invalid_grant", "unknown code")
			return
		case c.used:
			b.revoke(c.grantID)
			tokenError(w, "invalid_grant", "the code was already used; the tokens issued for it are revoked")
			return
		case now.Sub(c.issued) > codeTTL:
			delete(b.codes, codeText)
			tokenError(w, "invalid_grant", "the code has expired")
			return
		case f.Get("redirect_uri") != c.redirectURI:
			tokenError(w, "invalid_grant", "redirect_uri does not match the one used at authorize")
			return
		case f.Get("code_verifier") == "":
			tokenError(w, "invalid_request", "code_verifier is required (PKCE)")
			return
		case subtle.ConstantTimeCompare([]byte(pkceS256(f.Get("code_verifier"))), []byte(c.challenge)) != 1:
			tokenError(w, "invalid_grant", "code_verifier does not match the code_challenge")
			return
		}
		g := &grant{id: randomToken(), nationalID: c.nationalID, scope: c.scope, login: c.issued}
		b.grants[g.id] = g
		c.used = true
		c.grantID = g.id
		b.issue(w, g, now)
	case "refresh_token":
		rt := f.Get("refresh_token")
		if rt == "" {
			tokenError(w, "invalid_request", "refresh_token is required")
			return
		}
		g := b.grants[b.refresh[rt]]
		switch {
		case g == nil || g.revoked || g.refresh != rt:
			tokenError(w, "invalid_grant", "unknown or revoked refresh token")
			return
		case now.Sub(g.login) > refreshTTL:
			b.revoke(g.id)
			tokenError(w, "invalid_grant", "the login is older than 30 days; log in again with BankID")
			return
		}
		delete(b.refresh, rt)
		b.issue(w, g, now)
	case "":
		tokenError(w, "invalid_request", "grant_type is required")
	default:
		tokenError(w, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
	}
}

// issue writes a token response with a fresh access token and a rotated
// refresh token. Callers hold mu.
func (b *Bank) issue(w http.ResponseWriter, g *grant, now time.Time) {
	at := randomToken()
	b.access[at] = &accessToken{grantID: g.id, nationalID: g.nationalID, scope: g.scope, expires: now.Add(accessTTL)}
	g.refresh = randomToken()
	b.refresh[g.refresh] = g.id
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": at, "token_type": "Bearer", "expires_in": int(accessTTL / time.Second),
		"refresh_token": g.refresh, "scope": g.scope,
	})
}

// revoke ends a grant: its refresh token and every access token issued under it.
func (b *Bank) revoke(grantID string) {
	g := b.grants[grantID]
	if g == nil {
		return
	}
	g.revoked = true
	delete(b.refresh, g.refresh)
	for k, t := range b.access {
		if t.grantID == grantID {
			delete(b.access, k)
		}
	}
}

// authenticate returns the access token of the request, or nil.
func (b *Bank) authenticate(r *http.Request) *accessToken {
	h := r.Header.Get("Authorization")
	if len(h) < 7 || !strings.EqualFold(h[:7], "Bearer ") {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.access[strings.TrimSpace(h[7:])]
	if t == nil || b.now().After(t.expires) {
		return nil
	}
	return t
}

// prune forgets expired login requests, codes, access tokens and sessions,
// so a bank left running for weeks does not grow. Callers hold mu.
func (b *Bank) prune() {
	now := b.now()
	for k, r := range b.requests {
		if now.Sub(r.created) > requestTTL {
			delete(b.requests, k)
		}
	}
	for k, c := range b.codes {
		// Used codes are kept while their grant may still be refreshed, so a
		// late reuse can still revoke it.
		if now.Sub(c.issued) > refreshTTL || (!c.used && now.Sub(c.issued) > codeTTL) {
			delete(b.codes, k)
		}
	}
	for k, t := range b.access {
		if now.After(t.expires) {
			delete(b.access, k)
		}
	}
	for k, g := range b.grants {
		if now.Sub(g.login) > refreshTTL {
			b.revoke(k)
			delete(b.grants, k)
		}
	}
	for k, s := range b.sessions {
		if now.After(s.expires) {
			delete(b.sessions, k)
		}
	}
}
