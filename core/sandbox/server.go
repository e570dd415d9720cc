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
			b.messagePage(w, r, http.StatusOK, "Problem: "+r.PathValue("name"), problemHelp(r), "")
		})
		mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
			b.messagePage(w, r, http.StatusOK, BankName,
				"This is a demo bank for Bankbro: no real money and no real BankID. The online bank is at /nettbank.", "/nettbank")
		})
		b.handler = b.persisting(mux)
	})
	return b.handler
}

func problemHelp(r *http.Request) string {
	switch r.PathValue("name") {
	case ProblemIntegrationNotActivated:
		return "The company has not turned on the Bankbro integration. Log in to the online bank (/nettbank), open Integrations, New integration, choose Bankbro and a subscription."
	case ProblemSubscriptionRequired:
		return "The Basis subscription covers accounts and transactions. Payments need Pluss; change it under Integrations in the online bank."
	}
	return "See the detail of the response."
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
		b.errorPage(w, r, http.StatusBadRequest, "Nothing to sign", "The address names no payments (paymentIds).")
		return
	}
	b.startLogin(w, r, reqApprove, ids)
}

// approveListPage lists the payments the logged-in person can sign.
func (b *Bank) approveListPage(w http.ResponseWriter, r *http.Request, req *authRequest) {
	u, _ := findUser(req.loggedIn)
	d := pageData{Page: "approve-list", Title: "Sign payments – " + BankName, RequestID: req.id, UserName: u.name}
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
	render(w, http.StatusOK, "approve", d)
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
		b.errorPage(w, r, http.StatusBadRequest, "Bad request", "The form could not be read.")
		return
	}
	b.mu.Lock()
	req := b.requests[r.PostForm.Get("request_id")]
	if req == nil || req.kind != reqApprove || req.loggedIn == "" || b.now().Sub(req.created) > requestTTL {
		b.mu.Unlock()
		b.errorPage(w, r, http.StatusBadRequest, "This signing has expired", "Go back to Bankbro and send the payments for signing again.")
		return
	}
	delete(b.requests, req.id)
	if r.PostForm.Get("action") != "approve" {
		b.mu.Unlock()
		b.messagePage(w, r, http.StatusOK, "Signing cancelled", "Nothing was signed. You can close this window and return to Bankbro.", "")
		return
	}
	n := b.approvePayments(req.loggedIn, req.paymentIDs)
	b.mu.Unlock()
	what := "1 payment"
	if n != 1 {
		what = fmt.Sprintf("%d payments", n)
	}
	render(w, http.StatusOK, "message", pageData{Page: "approved", Title: "Payments signed – " + BankName,
		Heading: "Payments signed", Message: what + " signed with BankID. You can close this window and return to Bankbro."})
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
