package bank

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
)

// ProblemError is an error answer from the bank (RFC 7807 problem details,
// or just a status when the bank sent no details).
type ProblemError struct {
	Status  int
	Type    string
	Title   string
	Detail  string
	TraceID string
}

// Problem types the bank uses (the end of the type URI).
const (
	TypeIntegrationNotActivated = "integration-not-activated"
	TypeSubscriptionRequired    = "subscription-required"
)

func (p *ProblemError) kind() string {
	t := strings.TrimRight(p.Type, "/")
	if i := strings.LastIndexByte(t, '/'); i >= 0 {
		t = t[i+1:]
	}
	return t
}

// Error says what happened and what to do, in words a person understands,
// followed by the bank's own detail and trace id (for the bank's support).
func (p *ProblemError) Error() string {
	var msg string
	switch p.trouble() {
	case TroubleIntegration:
		msg = "The Bankbro integration is not turned on in your online bank. Turn it on under Integrations (New integration → Bankbro) in the online bank, then try again."
	case TroubleSubscription:
		msg = "Your Bankbro subscription in the bank does not include payments. Choose the Pluss subscription under Integrations in the online bank to send payments from Bankbro."
	case TroubleLogin:
		msg = "The bank no longer accepts this login. Log in to the bank again."
	case TroubleMandate:
		msg = "The bank does not allow this for your user; check your access (mandate) in the online bank."
	case TroubleNotFound:
		msg = "The bank does not know what was asked for; the account or payment may no longer exist or may not be yours to manage."
	case TroubleBusy:
		if p.Status == http.StatusTooManyRequests {
			msg = "The bank is busy and asks Bankbro to slow down. Try again in a minute."
		} else {
			msg = fmt.Sprintf("The bank is having trouble right now (status %d). Try again later.", p.Status)
		}
	case TroubleRefused:
		msg = "The bank refused the request."
	default:
		msg = fmt.Sprintf("The bank answered with an error (status %d).", p.Status)
	}
	var extra []string
	if r := p.Reason(); r != "" && r != http.StatusText(p.Status) {
		extra = append(extra, r)
	}
	if p.TraceID != "" {
		extra = append(extra, "trace id "+oneLine(p.TraceID))
	}
	if len(extra) > 0 {
		msg += " (The bank says: " + strings.Join(extra, "; ") + ")"
	}
	return msg
}

// Reason is why the bank refused, in its own words on one line: its
// detail, else its title ("" when it gave neither).
func (p *ProblemError) Reason() string {
	if d := oneLine(p.Detail); d != "" {
		return d
	}
	return oneLine(p.Title)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 300 {
		s = string(r[:300]) + "…"
	}
	return s
}

// problemFrom reads an error answer. Bodies that are not problem details
// (an HTML page from a proxy) leave just the status.
func problemFrom(resp *http.Response, b []byte) *ProblemError {
	p := &ProblemError{Status: resp.StatusCode}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt == "application/problem+json" || mt == "application/json" {
		var raw struct {
			Type    string          `json:"type"`
			Title   string          `json:"title"`
			Status  json.RawMessage `json:"status"`
			Detail  string          `json:"detail"`
			TraceID string          `json:"traceId"`
		}
		if json.Unmarshal(b, &raw) == nil {
			p.Type, p.Title, p.Detail, p.TraceID = raw.Type, raw.Title, raw.Detail, raw.TraceID
		}
	}
	if p.Status == http.StatusUnauthorized && p.Type == "" && strings.Contains(resp.Header.Get("WWW-Authenticate"), "invalid_token") {
		p.Title = "invalid_token"
	}
	if p.Status >= 200 && p.Status < 300 {
		// A problem document with a success status: the real status is
		// inside, or unknown.
		p.Status = 0
		var s struct {
			Status int `json:"status"`
		}
		if json.Unmarshal(b, &s) == nil {
			p.Status = s.Status
		}
	}
	return p
}

func asProblem(err error) *ProblemError {
	var p *ProblemError
	if errors.As(err, &p) {
		return p
	}
	return nil
}

// IsIntegrationNotActivated reports whether err says the company has not
// turned the Bankbro integration on in its online bank.
func IsIntegrationNotActivated(err error) bool {
	p := asProblem(err)
	return p != nil && p.kind() == TypeIntegrationNotActivated
}

// IsSubscriptionRequired reports whether err says the company's
// subscription does not cover payments.
func IsSubscriptionRequired(err error) bool {
	p := asProblem(err)
	return p != nil && p.kind() == TypeSubscriptionRequired
}

// IsUnauthorized reports whether the bank refused the access token (401):
// the person must log in again. A login that expired before the request was
// sent is reported by the login package instead (login.ErrLoginRequired).
func IsUnauthorized(err error) bool {
	p := asProblem(err)
	return p != nil && p.Status == http.StatusUnauthorized
}

// IsNotFound reports whether the bank answered 404.
func IsNotFound(err error) bool {
	p := asProblem(err)
	return p != nil && p.Status == http.StatusNotFound
}

// Trouble sorts what went wrong between Bankbro and the bank, for a window
// that says it in its own language (the errors' texts are English).
type Trouble int

const (
	TroubleNone         Trouble = iota
	TroubleUnreachable          // no connection: no network, no such host, refused TLS
	TroubleNoAnswer             // the bank took too long, or the connection was cut
	TroubleBusy                 // the bank's own trouble (5xx) or too many requests (429)
	TroubleBadAnswer            // an answer that is no data: a web page, cut or broken JSON, a line that cannot be read
	TroubleRefused              // the bank refused the request (400, 409, 422)
	TroubleMandate              // not allowed for this user (403)
	TroubleNotFound             // the bank does not know the account or payment (404)
	TroubleLogin                // the login is no longer accepted (401)
	TroubleIntegration          // the integration is not turned on in the online bank
	TroubleSubscription         // the subscription does not include payments
	TroubleOther                // another error answer from the bank
)

// troubleError marks an error of the client's own making with its Trouble;
// its text is the wrapped error's.
type troubleError struct {
	kind Trouble
	err  error
}

func (e *troubleError) Error() string { return e.err.Error() }
func (e *troubleError) Unwrap() error { return e.err }

// TroubleOf says what kind of trouble with the bank err is, or TroubleNone
// when it is not about the bank.
func TroubleOf(err error) Trouble {
	var te *troubleError
	if errors.As(err, &te) {
		return te.kind
	}
	var tx *TransactionError
	if errors.As(err, &tx) {
		return TroubleBadAnswer
	}
	var p *ProblemError
	if !errors.As(err, &p) {
		return TroubleNone
	}
	return p.trouble()
}

// trouble sorts the bank's answer: TroubleOf's kind, by which Error also
// words it.
func (p *ProblemError) trouble() Trouble {
	switch {
	case p.kind() == TypeIntegrationNotActivated:
		return TroubleIntegration
	case p.kind() == TypeSubscriptionRequired:
		return TroubleSubscription
	case p.Status == http.StatusUnauthorized:
		return TroubleLogin
	case p.Status == http.StatusForbidden:
		return TroubleMandate
	case p.Status == http.StatusNotFound:
		return TroubleNotFound
	case p.Status == http.StatusTooManyRequests || p.Status >= 500:
		return TroubleBusy
	case p.Status == http.StatusRequestTimeout:
		return TroubleNoAnswer
	case p.Status == http.StatusBadRequest || p.Status == http.StatusConflict || p.Status == http.StatusUnprocessableEntity:
		return TroubleRefused // the bank looked at the request and will not do it
	case p.Status == 0:
		return TroubleBadAnswer // problem details in a 2xx answer
	}
	return TroubleOther
}
