// Package agreement is a company's bank integration: where the bank is, the
// stored BankID login, an API client for it, and the state the integration
// card shows.
package agreement

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/login"
	"bankbro/core/sandbox"
)

// Settings keys in the ledger (never secrets).
const (
	keyBankURL     = "bank.url"
	keyAuthURL     = "bank.auth_url"
	keyAPIURL      = "bank.api_url"
	keyClientID    = "bank.client_id"
	keyOnlineBank  = "bank.online_url"
	keyConnectedAt = "agreement.connected_at"
	keySubscribed  = "agreement.subscription"
	// DemoURL is stored as the bank address when the embedded demo bank is used.
	DemoURL = "demo"
)

// WarnBefore is how long before the login expires the app starts to remind.
const WarnBefore = 7 * 24 * time.Hour

// Options configure a Service.
type Options struct {
	// BankURL is the bank's base address ({auth} and {api}); "" uses the
	// address stored in the ledger, and DemoURL (or nothing stored) the
	// embedded demo bank.
	BankURL string
	// AuthURL and APIURL are {auth} and {api} of bank-api.md for a bank
	// that serves them apart ("": BankURL); OnlineBankURL is its online
	// bank, where the integration is turned on ("": {auth}/nettbank, as the
	// demo bank); ClientID the id the bank registered for Bankbro ("":
	// DefaultClientID). Given ones are stored in the ledger with the bank
	// address when onboarding is applied; "" uses the stored ones.
	AuthURL, APIURL, OnlineBankURL, ClientID string
	// Browser opens the BankID login page; nil: the system browser.
	Browser login.Browser
	// Store keeps the refresh token; nil: the keyring, or a file beside the ledger.
	Store login.TokenStore
	// Today fixes the date of the embedded demo bank; zero: the real date.
	Today civil.Date
	// Now is the clock for login expiry; nil: time.Now.
	Now func() time.Time
}

// Service is the bank integration of one company file.
type Service struct {
	l       *ledger.Ledger
	opts    Options
	url     string // the bank address as configured (BankURL)
	ends    endpoints
	demo    bool
	store   login.TokenStore
	kind    login.StoreKind
	mu      sync.Mutex
	session *login.Session
	embed   *sandbox.Server
}

// DefaultClientID is the client id Bankbro uses unless configured: the
// one the demo bank registers (bank-api.md §1).
const DefaultClientID = sandbox.ClientID

// endpoints are where the bank's parts are (bank-api.md).
type endpoints struct{ auth, api, online, clientID string }

// Open prepares the integration of the ledger. It starts the embedded demo
// bank when that is the bank in use.
func Open(ctx context.Context, l *ledger.Ledger, opts Options) (*Service, error) {
	s := &Service{l: l, opts: opts}
	// Each part: as given, else as stored, else from the bank address.
	pick := func(given, key string) (string, error) {
		if given != "" {
			return strings.TrimRight(given, "/"), nil
		}
		v, err := l.Setting(ctx, key)
		return strings.TrimRight(v, "/"), err
	}
	url, err := pick(opts.BankURL, keyBankURL)
	if err != nil {
		return nil, err
	}
	if opts.BankURL != "" && opts.AuthURL == "" && opts.APIURL == "" {
		// A bank given by its one address now: what is stored of another
		// bank's parts does not apply.
		s.ends = endpoints{online: opts.OnlineBankURL, clientID: opts.ClientID}
	} else {
		for _, p := range []struct {
			to       *string
			given, k string
		}{{&s.ends.auth, opts.AuthURL, keyAuthURL}, {&s.ends.api, opts.APIURL, keyAPIURL},
			{&s.ends.online, opts.OnlineBankURL, keyOnlineBank}, {&s.ends.clientID, opts.ClientID, keyClientID}} {
			if *p.to, err = pick(p.given, p.k); err != nil {
				return nil, err
			}
		}
	}
	if (url == "" || url == DemoURL) && s.ends.auth == "" && s.ends.api == "" {
		// The demo bank keeps its logins and payments beside the ledger, as a
		// real bank would keep them between the app's starts.
		srv, err := sandbox.Start("127.0.0.1:0", sandbox.Options{Today: opts.Today, StateFile: DemoStateFile(l.Path())})
		if err != nil {
			return nil, fmt.Errorf("start the demo bank: %w", err)
		}
		s.embed, s.url, s.demo = srv, srv.URL, true
	} else {
		s.url = url
	}
	if s.ends.auth == "" {
		s.ends.auth = s.url
	}
	if s.ends.api == "" {
		s.ends.api = s.url
	}
	if s.ends.online == "" {
		s.ends.online = s.ends.auth + "/nettbank"
	}
	if s.ends.clientID == "" {
		s.ends.clientID = DefaultClientID
	}
	if s.ends.auth == "" || s.ends.api == "" {
		return nil, errors.New("the bank's address is not configured: give both its login ({auth}) and API ({api}) addresses, or one for both")
	}
	s.store, s.kind = opts.Store, login.KindFile
	if s.store == nil {
		s.store, s.kind = login.OpenStore(l.Path())
	} else {
		s.kind = login.KindOf(s.store)
	}
	return s, nil
}

// DemoStateFile is where the embedded demo bank of the ledger at
// ledgerPath keeps its state.
func DemoStateFile(ledgerPath string) string { return ledgerPath + ".demobank" }

// Close stops the embedded demo bank, if one runs.
func (s *Service) Close() error {
	if s.embed != nil {
		return s.embed.Close()
	}
	return nil
}

// URL is the bank's login address, {auth}: where BankID logins and the
// signing of payments (payments.ApproveURL) happen.
func (s *Service) URL() string { return s.ends.auth }

// APIURL is the bank's API address, {api}.
func (s *Service) APIURL() string { return s.ends.api }

// Demo reports whether the bank is the demo bank embedded in the app.
func (s *Service) Demo() bool { return s.demo }

// StoreKind says where the login is kept (keyring or protected file).
func (s *Service) StoreKind() login.StoreKind { return s.kind }

// OnlineBankURL is the address of the bank's online bank, where the
// integration is turned on.
func (s *Service) OnlineBankURL() string { return s.ends.online }

func (s *Service) config() login.Config {
	return login.Config{AuthURL: s.ends.auth, ClientID: s.ends.clientID, Browser: s.opts.Browser, Now: s.opts.Now, Store: s.store}
}

// Login runs a BankID login in the browser and keeps it for later runs.
func (s *Service) Login(ctx context.Context) error {
	sess, err := login.Login(ctx, s.config())
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.session = sess
	s.mu.Unlock()
	return nil
}

// Client returns an API client on the current login, resuming the stored
// one when needed. The error wraps login.ErrLoginRequired when the person
// must log in again.
func (s *Service) Client(ctx context.Context) (*bank.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.session == nil {
		sess, err := login.Resume(ctx, s.config(), s.store)
		if err != nil {
			return nil, err
		}
		s.session = sess
	}
	return bank.New(s.ends.api, s.session.Client(context.WithoutCancel(ctx))), nil
}

// LoginExpires returns when the stored login ends (zero when none is known).
func (s *Service) LoginExpires() time.Time {
	s.mu.Lock()
	sess := s.session
	s.mu.Unlock()
	if sess != nil {
		return sess.LoginExpires()
	}
	if st, err := s.store.Load(); err == nil {
		return st.LoginAt.Add(login.LoginLifetime)
	}
	return time.Time{}
}

// Forget removes the stored login.
func (s *Service) Forget() error {
	s.mu.Lock()
	s.session = nil
	s.mu.Unlock()
	err := s.store.Delete()
	if errors.Is(err, login.ErrNotStored) {
		return nil
	}
	return err
}

// Status is what the integration card shows.
type Status struct {
	Connected      bool
	Since          civil.Date
	Accounts       int
	Remittance     int
	Reconciliation int
	// LoginExpires is when the bank login ends; zero when there is none.
	LoginExpires time.Time
	Demo         bool
	StoreKind    login.StoreKind
}

// DaysLeft returns the days until the login expires, from now, a day
// begun counted whole: a login made a minute ago has 30 days left, not 29;
// one that ends within the day has 1; an ended one 0 or less.
func (st Status) DaysLeft(now time.Time) int {
	if st.LoginExpires.IsZero() {
		return 0
	}
	return int(math.Ceil(st.LoginExpires.Sub(now).Hours() / 24))
}

// Status reads the integration's state from the ledger and the login store.
func (s *Service) Status(ctx context.Context) (Status, error) {
	st := Status{Demo: s.demo, StoreKind: s.kind, LoginExpires: s.LoginExpires()}
	since, err := s.l.Setting(ctx, keyConnectedAt)
	if err != nil {
		return st, err
	}
	st.Since, _ = civil.Parse(since)
	accounts, err := s.l.BankAccounts(ctx)
	if err != nil {
		return st, err
	}
	for _, a := range accounts {
		if !a.Active {
			continue
		}
		st.Accounts++
		if a.Remittance {
			st.Remittance++
		}
		if a.Reconciliation {
			st.Reconciliation++
		}
	}
	st.Connected = st.Accounts > 0 && !st.Since.IsZero()
	return st, nil
}

// Record notes in the ledger, inside an onboarding's transaction, which
// bank the company is connected to and since when.
func (s *Service) Record(tx *ledger.Tx, today civil.Date, subscription string) error {
	url := s.url
	if s.demo {
		url = DemoURL
	}
	if err := tx.SetSetting(keyBankURL, url); err != nil {
		return err
	}
	// The parts in use, so the next start finds the same bank (the demo
	// bank's change with every start: none are kept for it).
	for k, v := range map[string]string{keyAuthURL: s.ends.auth, keyAPIURL: s.ends.api,
		keyOnlineBank: s.ends.online, keyClientID: s.ends.clientID} {
		if s.demo {
			v = ""
		}
		if err := tx.SetSetting(k, v); err != nil {
			return err
		}
	}
	if subscription != "" {
		if err := tx.SetSetting(keySubscribed, subscription); err != nil {
			return err
		}
	}
	since, err := tx.Setting(keyConnectedAt)
	if err != nil {
		return err
	}
	if since == "" {
		return tx.SetSetting(keyConnectedAt, today.String())
	}
	return nil
}
