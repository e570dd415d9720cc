package sandbox

import (
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"bankbro/core/money"
	"bankbro/core/norway"
)

// Demo users (bank-api.md §1). The numbers are synthetic (month + 80), so
// none can belong to a real person.
const (
	// ManagerID is the daily manager, who may administer every account.
	ManagerID = "15887510188"
	// BookkeeperID is the bookkeeper, who may administer the operating and salary accounts.
	BookkeeperID = "03899210041"
	// NoMandateID is a person with no mandate: the account list is empty.
	NoMandateID = "22818810001"
	// DemoOTP is the one-time code accepted for every demo user.
	DemoOTP = "123456"
	// ClientID is the one OAuth client the demo bank knows.
	ClientID = "bankbro-desktop"
	// BankName is what the bank calls itself on its pages.
	BankName = "Sbanken (demo)"
	// CompanyName is the demo company whose accounts the bank holds.
	CompanyName = "Kaffebrenneriet Solsiden AS"
)

// acctKind says what an account is for; the generator draws each kind's day differently.
type acctKind int

const (
	kindOperating acctKind = iota
	kindSalary
	kindTax
	kindSavings
	kindDeposit
)

// account is one of the company's accounts.
type account struct {
	idx    int
	kind   acctKind
	id     string // the API's accountId
	number string // 11 digits, valid MOD11
	name   string
	typ    string
	// anchor is the booked balance at the end of anchorDay; every other
	// day's balance is derived from it by adding or subtracting generated lines.
	anchor    money.Amount
	anchorDay int
}

// AccountInfo describes one of the demo company's accounts.
type AccountInfo struct {
	AccountID     string
	AccountNumber string
	Name          string
	AccountType   string
}

// person is someone the company pays (an employee) or a counterparty.
type person struct {
	name    string
	account string
	gross   int64 // monthly gross salary in kroner (employees)
}

// user is a demo login.
type user struct {
	id, name string
	role     phrase
	mandate  []acctKind
}

var users = []user{
	{ManagerID, "Ingrid Solberg", phrase{"daglig leder", "daily manager"}, []acctKind{kindOperating, kindSalary, kindTax, kindSavings, kindDeposit}},
	{BookkeeperID, "Mats Haugen", phrase{"regnskapsfører", "bookkeeper"}, []acctKind{kindOperating, kindSalary}},
	{NoMandateID, "Kari Nordmann", phrase{"uten fullmakt", "no mandate"}, nil},
}

func findUser(id string) (user, bool) {
	for _, u := range users {
		if u.id == id {
			return u, true
		}
	}
	return user{}, false
}

// company is everything that follows from the seed alone.
type company struct {
	seed      int64
	orgNr     string
	accounts  []*account
	employees []person
	founded   int // day number of the first day with transactions
	busy      int // Options.Busy, at least 1

	counterpart [64]string // account numbers of customers and suppliers, by index
	taxAccount  string     // the Tax Administration's account
	card        int        // last four digits of the company card

	cacheOnce sync.Once
	caches    []*dayCache // per account
}

// hashParts mixes the seed and parts into a well-spread 64-bit value.
func hashParts(seed int64, parts ...uint64) uint64 {
	h := mix64(uint64(seed) ^ 0x5bd1e9955bd1e995)
	for _, p := range parts {
		h = mix64(h ^ p)
	}
	return h
}

// mix64 is splitmix64's finaliser.
func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// rng is a small deterministic generator (splitmix64), cheap to seed per day.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// intn returns a value in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// between returns a value in [lo, hi].
func (r *rng) between(lo, hi int64) int64 { return lo + int64(r.next()%uint64(hi-lo+1)) }

// chance reports true with probability p percent.
func (r *rng) chance(p int) bool { return r.intn(100) < p }

// digitString returns n pseudo-random digits.
func (r *rng) digitString(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.intn(10))
	}
	return string(b)
}

// accountNumberFrom makes a valid account number in bank register prefix
// from the hash h (skipping prefixes whose control digit would be 10).
func accountNumberFrom(prefix string, h uint64) string {
	r := rng{h}
	for {
		first := prefix + r.digitString(10-len(prefix))
		if c, ok := norway.AccountNumberControl(first); ok {
			return first + string(c)
		}
	}
}

// kidMod10 makes a valid MOD10 KID from a body.
func kidMod10(body string) string { return body + string(norway.KIDMod10(body)) }

func newCompany(seed int64) *company {
	c := &company{seed: seed, founded: monthDay(2019, 1, 2)}
	r := rng{hashParts(seed, 1)}
	for {
		first := "9" + r.digitString(7)
		cand := first + string(norway.KIDMod11(first)) // MOD11 with weights 2..7 equals the org-number weights
		if norway.ValidOrgNumber(cand) == nil {
			c.orgNr = cand
			break
		}
	}
	for i := range c.counterpart {
		c.counterpart[i] = accountNumberFrom("1", hashParts(seed, 6, uint64(i)))
	}
	c.taxAccount = accountNumberFrom("6345", hashParts(seed, 8))
	c.card = 4000 + int(hashParts(seed, 7)%6000)
	anchorDay := monthDay(2026, 1, 1)
	specs := []struct {
		kind     acctKind
		name     string
		typ      string
		lo, hi   int64 // anchor balance range in kroner
		prefixes string
	}{
		{kindOperating, "Driftskonto", "Bedriftskonto", 380_000, 460_000, "9710"},
		{kindSalary, "Lønnskonto", "Bedriftskonto", 12_000, 25_000, "9710"},
		{kindTax, "Skattetrekkskonto", "Skattetrekkskonto", 0, 0, "9710"},
		{kindSavings, "Sparekonto", "Bedrift Sparekonto", 2_300_000, 2_700_000, "9710"},
		{kindDeposit, "Depositumskonto husleie", "Depositumskonto", 115_500, 115_500, "9710"},
	}
	for i, s := range specs {
		h := hashParts(seed, 2, uint64(i))
		ar := rng{h}
		a := &account{
			idx:       i,
			kind:      s.kind,
			number:    accountNumberFrom(s.prefixes, h),
			name:      s.name,
			typ:       s.typ,
			anchor:    money.Amount(ar.between(s.lo*100, s.hi*100)),
			anchorDay: anchorDay,
		}
		var id [16]byte
		for j := range 2 {
			v := mix64(h + uint64(j))
			for k := range 8 {
				id[j*8+k] = byte(v >> (8 * k))
			}
		}
		a.id = strings.ToUpper(hex.EncodeToString(id[:]))
		c.accounts = append(c.accounts, a)
	}
	names := []struct {
		name  string
		gross int64
	}{
		{"Ingrid Solberg", 54_000}, {"Sara Nilsen", 41_500}, {"Jonas Berg", 38_000},
		{"Emma Lie", 36_500}, {"Aksel Dahl", 24_000}, {"Nora Bakke", 17_500},
	}
	for i, n := range names {
		c.employees = append(c.employees, person{name: n.name, gross: n.gross,
			account: accountNumberFrom("1", hashParts(seed, 3, uint64(i)))})
	}
	// The tax-withholding account holds what was withheld and not yet paid:
	// at 1 January that is November's and December's withholding, plus a buffer.
	tax := c.byKind(kindTax)
	tax.anchor = money.Kroner(5_000) + c.withheld(2025, 11) + c.withheld(2025, 12)
	return c
}

func (c *company) byKind(k acctKind) *account {
	for _, a := range c.accounts {
		if a.kind == k {
			return a
		}
	}
	panic(fmt.Sprintf("sandbox: no account of kind %d", k))
}

// byNumber finds an account by its account number (or nil).
func (c *company) byNumber(n string) *account {
	for _, a := range c.accounts {
		if a.number == n {
			return a
		}
	}
	return nil
}

// byID finds an account by its accountId (or nil).
func (c *company) byID(id string) *account {
	for _, a := range c.accounts {
		if strings.EqualFold(a.id, id) {
			return a
		}
	}
	return nil
}
