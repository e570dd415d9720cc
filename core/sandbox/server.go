package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Handler serves {auth}, {api}, the online bank and the admin endpoints from one origin.
func (b *Bank) Handler() http.Handler {
	b.handlerOnce.Do(func() {
		mux := http.NewServeMux()
		mux.HandleFunc("GET /identityserver/connect/authorize", b.handleAuthorize)
		mux.HandleFunc("POST /identityserver/connect/authorize/login", b.handleLogin)
		mux.HandleFunc("POST /identityserver/connect/token", b.handleToken)
		mux.HandleFunc("GET /payments/approve", b.handleApproveStart)
		mux.HandleFunc("POST /payments/approve", b.handleApprove)
		mux.Handle("/api/", b.apiHandler())
		mux.Handle("/sandbox/", b.adminHandler())
		nb := b.nettbankHandler()
		mux.Handle("/nettbank", nb)
		mux.Handle("/nettbank/", nb)
		mux.HandleFunc("GET /problems/{name}", func(w http.ResponseWriter, r *http.Request) {
			name := r.PathValue("name")
			b.messagePage(w, r, http.StatusOK, "Problem: "+name, problemHelp(pageLanguage(r), name), "")
		})
		mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
			b.messagePage(w, r, http.StatusOK, BankName, pageLanguage(r).T(
				"Dette er en demobank for Bankbro: ingen ekte penger og ingen ekte BankID. Nettbanken ligger på /nettbank.",
				"This is a demo bank for Bankbro: no real money and no real BankID. The online bank is at /nettbank."), "/nettbank")
		})
		b.handler = b.persisting(mux)
	})
	return b.handler
}

// problemHelp explains the problem type name, the end of a problem's type URI.
func problemHelp(l language, name string) string {
	switch name {
	case ProblemIntegrationNotActivated:
		return l.T("Bedriften har ikke slått på Bankbro-integrasjonen. Logg inn i nettbanken (/nettbank), åpne Integrasjoner, Ny integrasjon, og velg Bankbro og et abonnement.",
			"The company has not turned on the Bankbro integration. Log in to the online bank (/nettbank), open Integrations, New integration, choose Bankbro and a subscription.")
	case ProblemSubscriptionRequired:
		return l.T("Abonnementet Basis omfatter kontoer og transaksjoner. Betalinger krever Pluss; endre det under Integrasjoner i nettbanken.",
			"The Basis subscription covers accounts and transactions. Payments need Pluss; change it under Integrations in the online bank.")
	}
	return l.T("Se feltet detail i svaret.", "See the detail of the response.")
}

// handleApproveStart shows the BankID login for signing the listed payments.
func (b *Bank) handleApproveStart(w http.ResponseWriter, r *http.Request) {
	var ids []string
	for _, v := range r.URL.Query()["paymentIds"] {
		for _, id := range strings.Split(v, ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		l := pageLanguage(r)
		b.errorPage(w, r, http.StatusBadRequest, l.T("Ingenting å signere", "Nothing to sign"),
			l.T("Adressen angir ingen betalinger (paymentIds).", "The address names no payments (paymentIds)."))
		return
	}
	b.startLogin(w, r, reqApprove, ids)
}

// approveListPage lists the payments the logged-in person can sign.
func (b *Bank) approveListPage(w http.ResponseWriter, r *http.Request, req *authRequest) {
	u, _ := findUser(req.loggedIn)
	l := pageLanguage(r)
	heading := l.T("Signer betalinger", "Sign payments")
	d := newPage(l, "approve-list", heading)
	d.Heading, d.RequestID, d.UserName = heading, req.id, u.name
	b.mu.Lock()
	allowed := b.mandate(req.loggedIn)
	for _, id := range req.paymentIDs {
		p := b.byID[id]
		if p == nil || p.status != StatusPendingApproval || !containsAccount(allowed, p.acct) {
			continue
		}
		ref := p.text
		if p.kid != "" {
			ref = "KID " + p.kid
		}
		d.Payments = append(d.Payments, approveRow{From: p.acct.number, To: p.recipient, Name: p.beneficiary,
			Ref: ref, Due: p.due.Norwegian(), Amount: p.amount.Kr()})
	}
	b.mu.Unlock()
	d.Approve = l.count(len(d.Payments), phrase{"Godkjenn 1 betaling", "Approve 1 payment"}, phrase{"Godkjenn %d betalinger", "Approve %d payments"})
	render(w, http.StatusOK, pages, "approve", d)
}

func containsAccount(list []*account, a *account) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// handleApprove signs (or declines) the payments of a logged-in approve request.
func (b *Bank) handleApprove(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		b.badForm(w, r)
		return
	}
	l := pageLanguage(r)
	b.mu.Lock()
	req := b.requests[r.PostForm.Get("request_id")]
	if req == nil || req.kind != reqApprove || req.loggedIn == "" || b.now().Sub(req.created) > requestTTL {
		b.mu.Unlock()
		b.errorPage(w, r, http.StatusBadRequest, l.T("Signeringen har utløpt", "This signing has expired"),
			l.T("Gå tilbake til Bankbro og send betalingene til signering på nytt.", "Go back to Bankbro and send the payments for signing again."))
		return
	}
	delete(b.requests, req.id)
	if r.PostForm.Get("action") != "approve" {
		b.mu.Unlock()
		b.messagePage(w, r, http.StatusOK, l.T("Signering avbrutt", "Signing cancelled"),
			l.T("Ingenting ble signert. ", "Nothing was signed. ")+closeAndReturn(l), "")
		return
	}
	n := b.approvePayments(req.loggedIn, req.paymentIDs)
	b.mu.Unlock()
	heading := l.T("Betalinger signert", "Payments signed")
	d := newPage(l, "approved", heading)
	d.Heading = heading
	d.Message = l.count(n, phrase{"1 betaling signert med BankID. ", "1 payment signed with BankID. "},
		phrase{"%d betalinger signert med BankID. ", "%d payments signed with BankID. "}) + closeAndReturn(l)
	render(w, http.StatusOK, pages, "message", d)
}

// Server is a demo bank listening on a loopback port.
type Server struct {
	URL  string // base URL like http://127.0.0.1:PORT, no trailing slash
	Bank *Bank

	srv  *http.Server
	done chan error
	once sync.Once
	err  error
}

// Start makes a bank and serves it on addr ("" = 127.0.0.1:0, a free port).
func Start(addr string, opts Options) (*Server, error) {
	b, err := New(opts)
	if err != nil {
		return nil, err
	}
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("demo bank: listen on %s: %w", addr, err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), Bank: b, done: make(chan error, 1),
		srv: &http.Server{Handler: b.Handler(), ReadHeaderTimeout: 10 * time.Second}}
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server, waiting briefly for requests in flight.
func (s *Server) Close() error {
	s.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := s.srv.Shutdown(ctx); err != nil {
			s.err = s.srv.Close()
		}
		if err := <-s.done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.err = err
		}
	})
	return s.err
}
