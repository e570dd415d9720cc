package sandbox

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// Integration agreement states (bank-api.md §6).
const (
	IntegrationNone  = "none"
	IntegrationBasis = "basis"
	IntegrationPluss = "pluss"
)

// Options configures a demo bank.
type Options struct {
	Seed        int64
	Today       civil.Date // zero: real date in Europe/Oslo, following the wall clock
	Integration string     // "none", "basis", "pluss"; "" means "pluss"
	FailRate    float64
	Latency     time.Duration
	RateLimit   int              // requests per second before 429; 0 = off
	CutAfter    int              // every Nth response cut mid-body; 0 = off
	Now         func() time.Time // optional clock for token/code expiry tests; nil = time.Now
	// StateFile keeps logins, payments and the agreement between runs (the
	// embedded demo bank uses one beside the ledger); "" keeps them in memory.
	StateFile string
	// Busy multiplies the operating account's card purchases and Vipps
	// sales on business days (0 or 1: the café as it is). Benchmarks use it
	// for a shop with tens of thousands of lines a year.
	Busy int
}

// Faults are the injected failures of bank-api.md §5; they apply to {api} calls.
type Faults struct {
	FailRate  float64       // share of calls answered 503
	Latency   time.Duration // added to every call
	RateLimit int           // calls per second before 429; 0 = off
	CutAfter  int           // every Nth response is cut off mid-body; 0 = off
}

// Bank is one demo bank: its clock, logins, tokens, payments and faults.
// It is safe for concurrent use.
type Bank struct {
	c    *company
	now  func() time.Time
	seed int64

	stateFile string
	saved     []byte     // the state as last written
	saveMu    sync.Mutex // one save at a time
	saveErr   error      // the last save's failure, for tests and the admin page

	handlerOnce sync.Once
	handler     http.Handler

	mu          sync.Mutex
	today       civil.Date // fixed date; zero follows the clock
	processed   int        // last day payments were processed for
	integration string
	integSince  civil.Date
	faults      Faults
	rnd         *rand.Rand // for the fail rate; seeded so runs repeat
	rateWindow  int64      // unix second of the current rate-limit window
	rateCount   int
	responses   int // responses counted for CutAfter

	requests map[string]*authRequest
	codes    map[string]*authCode
	grants   map[string]*grant
	access   map[string]*accessToken
	refresh  map[string]string // refresh token -> grant id
	sessions map[string]*session

	payments []*payment                   // in creation order
	paid     map[int][]Transaction        // account idx -> booked payment lines, by date then id
	byRef    map[string]*payment          // reference -> payment
	byID     map[string]*payment          // paymentId -> payment
	paidSum  map[int]map[int]money.Amount // account idx -> day -> sum of payment lines
}

// New makes a demo bank.
func New(opts Options) (*Bank, error) {
	state := opts.Integration
	if state == "" {
		state = IntegrationPluss
	}
	if !validIntegration(state) {
		return nil, fmt.Errorf("integration %q: want none, basis or pluss", opts.Integration)
	}
	if err := validFaults(Faults{opts.FailRate, opts.Latency, opts.RateLimit, opts.CutAfter}); err != nil {
		return nil, err
	}
	b := &Bank{
		c:           companyFor(opts.Seed, opts.Busy),
		now:         opts.Now,
		seed:        opts.Seed,
		stateFile:   opts.StateFile,
		today:       opts.Today,
		integration: state,
		faults:      Faults{opts.FailRate, opts.Latency, opts.RateLimit, opts.CutAfter},
		rnd:         rand.New(rand.NewPCG(uint64(opts.Seed), 0xfa17)),
		requests:    map[string]*authRequest{},
		codes:       map[string]*authCode{},
		grants:      map[string]*grant{},
		access:      map[string]*accessToken{},
		refresh:     map[string]string{},
		sessions:    map[string]*session{},
		paid:        map[int][]Transaction{},
		byRef:       map[string]*payment{},
		byID:        map[string]*payment{},
		paidSum:     map[int]map[int]money.Amount{},
	}
	if b.now == nil {
		b.now = time.Now
	}
	b.processed = dayOf(b.currentToday())
	if state != IntegrationNone {
		b.integSince = b.currentToday().AddDays(-30)
	}
	if b.stateFile != "" {
		if err := b.load(); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func validIntegration(s string) bool {
	return s == IntegrationNone || s == IntegrationBasis || s == IntegrationPluss
}

func validFaults(f Faults) error {
	switch {
	case f.FailRate < 0 || f.FailRate > 1 || f.FailRate != f.FailRate:
		return fmt.Errorf("fail rate %v: want a share between 0 and 1", f.FailRate)
	case f.Latency < 0:
		return fmt.Errorf("latency %v: must not be negative", f.Latency)
	case f.RateLimit < 0:
		return fmt.Errorf("rate limit %d: must not be negative", f.RateLimit)
	case f.CutAfter < 0:
		return fmt.Errorf("cut-after %d: must not be negative", f.CutAfter)
	}
	return nil
}

// currentToday is the bank's date. Callers hold mu or are in New.
func (b *Bank) currentToday() civil.Date {
	if !b.today.IsZero() {
		return b.today
	}
	return civil.Of(b.now())
}

// Today returns the bank's today.
func (b *Bank) Today() civil.Date {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.currentToday()
}

// SetToday moves the bank's date (as POST /sandbox/clock does); payments
// due by then are processed. The zero date returns to the wall clock.
func (b *Bank) SetToday(d civil.Date) {
	b.mu.Lock()
	b.today = d
	b.advance()
	b.mu.Unlock()
	b.persist()
}

// SetFaults replaces the injected faults (as POST /sandbox/faults does).
func (b *Bank) SetFaults(f Faults) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.faults = f
	b.responses, b.rateCount = 0, 0 // count afresh, so "every Nth" means from now
}

// Faults returns the injected faults.
func (b *Bank) Faults() Faults {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.faults
}

// SetIntegration sets the integration agreement: "none", "basis" or "pluss".
func (b *Bank) SetIntegration(state string) error {
	if !validIntegration(state) {
		return fmt.Errorf("integration %q: want none, basis or pluss", state)
	}
	b.mu.Lock()
	b.setIntegration(state)
	b.mu.Unlock()
	b.persist()
	return nil
}

func (b *Bank) setIntegration(state string) {
	if state != b.integration {
		b.integSince = b.currentToday()
	}
	b.integration = state
}

// Integration returns the integration agreement's state.
func (b *Bank) Integration() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.integration
}

// AccountsFor lists the accounts nationalID may administer (its mandate).
func (b *Bank) AccountsFor(nationalID string) []AccountInfo {
	var out []AccountInfo
	for _, a := range b.mandate(nationalID) {
		out = append(out, AccountInfo{AccountID: a.id, AccountNumber: a.number, Name: a.name, AccountType: a.typ})
	}
	return out
}

// mandate returns the accounts a person may administer.
func (b *Bank) mandate(nationalID string) []*account {
	u, ok := findUser(nationalID)
	if !ok {
		return nil
	}
	var out []*account
	for _, a := range b.c.accounts {
		if slices.Contains(u.mandate, a.kind) {
			out = append(out, a)
		}
	}
	return out
}

// ErrUnknownAccount is returned for an account number the bank does not hold.
var ErrUnknownAccount = errors.New("unknown account")

func (b *Bank) accountByNumber(n string) (*account, error) {
	a := b.c.byNumber(n)
	if a == nil {
		return nil, fmt.Errorf("account %s: %w", n, ErrUnknownAccount)
	}
	return a, nil
}

// BalanceAt returns the booked balance of an account at the end of d.
func (b *Bank) BalanceAt(accountNumber string, d civil.Date) (money.Amount, error) {
	a, err := b.accountByNumber(accountNumber)
	if err != nil {
		return 0, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance()
	return b.balanceAt(a, dayOf(d)), nil
}

// balanceAt is the booked balance at the end of day n: generated lines
// count until yesterday (today's are still reservations), payment lines
// from the day they were paid. Callers hold mu.
func (b *Bank) balanceAt(a *account, n int) money.Amount {
	last := min(n, dayOf(b.currentToday())-1)
	bal := b.c.generatedBalance(a, last)
	for day, s := range b.paidSum[a.idx] {
		if day <= n {
			bal += s
		}
	}
	return bal
}

// ArchiveFor returns what the archive holds for an account in [from, to],
// ordered as the API orders it.
func (b *Bank) ArchiveFor(accountNumber string, from, to civil.Date) ([]Transaction, error) {
	a, err := b.accountByNumber(accountNumber)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	b.advance()
	v := b.view(a, dayOf(from), dayOf(to), false)
	b.mu.Unlock()
	return v.page(0, v.total), nil
}
