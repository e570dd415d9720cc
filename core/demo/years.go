package demo

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
	"bankbro/core/reconcile"
	"bankbro/core/sandbox"
	"bankbro/core/sync"
)

// LinesPerYear is about how many bank lines a year FillYears stores: a busy
// company, some thirty times the demo bank's café.
const LinesPerYear = 100_000

// demoLinesPerYear is about how many lines a year the demo bank delivers
// for the accounts FillYears connects (measured: 3,350–3,420 on the
// operating account and some 140 on the others).
const demoLinesPerYear = 3_490

// CompaniesFor returns how many demo companies' days each bank account
// must carry for about linesPerYear lines a year.
func CompaniesFor(linesPerYear int) int {
	return max(1, (linesPerYear+demoLinesPerYear/2)/demoLinesPerYear)
}

// Scale says how much FillScale generates.
type Scale struct {
	// Through is the last day with bank lines (usually yesterday); the
	// first is the company's conversion date.
	Through civil.Date
	// Companies is how many demo companies' days each bank account
	// carries (0 means 1): the demo bank's company (seed 0) and as many
	// more seeds, each seed's lines keeping their own transactionIds, as if
	// a chain's shops all banked on the same accounts.
	Companies int
	// Progress, when not nil, gets a line per month written.
	Progress io.Writer
}

// Stats counts what a fill stored.
type Stats struct {
	Lines, Vouchers, Postings, Matches int
	From, Through                      civil.Date
	Elapsed                            time.Duration
}

// FillYears fills the books of a busy company that has used Bankbro for
// years years (LinesPerYear bank lines a year) through yesterday, from its
// conversion date, which must lie at least that far back. See FillScale.
func FillYears(ctx context.Context, l *ledger.Ledger, today civil.Date, years int, progress io.Writer) (Stats, error) {
	if years < 1 {
		return Stats{}, errors.New("the number of years must be at least 1")
	}
	c, err := l.Company(ctx)
	if err != nil {
		return Stats{}, err
	}
	if want := YearsBefore(today, years); c.ConversionDate.After(want) {
		return Stats{}, fmt.Errorf("%d years of books need a conversion date on or before %s, not %s", years, want, c.ConversionDate)
	}
	return FillScale(ctx, l, Scale{Through: today.AddDays(-1), Companies: CompaniesFor(LinesPerYear), Progress: progress})
}

// YearsBefore returns the day years years before today.
func YearsBefore(today civil.Date, years int) civil.Date {
	return civil.New(today.Year-years, today.Month, today.Day)
}

// FillScale fills an empty company ledger the way years of use would have:
// the demo bank's accounts connected as onboarding connects them (the GL
// accounts of GLFor, reconciliation from the conversion date, the roles),
// the opening balances posted and recorded as the bank's opening balance,
// every booked line from the conversion date through s.Through stored
// through the morning import's InsertBankTransactions, a month per ledger
// transaction, vouchers for most lines (fees as the morning import posts
// them; card purchases, the day's sales, paid invoices and customer
// payments in one voucher a day each; payroll, tax and interest per line),
// and each posted line matched to its posting. Transfers between the
// company's own accounts and the last two days are left for the owner.
//
// The demo company was founded on 2 January 2019; days before that are
// filled with the lines of the same weekday 313 weeks later, their dates
// moved back and their transactionIds made new, so the data stays
// believable and every line unique per (account, transactionId).
func FillScale(ctx context.Context, l *ledger.Ledger, s Scale) (Stats, error) {
	start := time.Now()
	c, err := l.Company(ctx)
	if err != nil {
		return Stats{}, err
	}
	from := c.ConversionDate
	st := Stats{From: from, Through: s.Through}
	if s.Through.Before(from) {
		return st, fmt.Errorf("nothing to fill: the last day %s is before the conversion date %s", s.Through, from)
	}
	n := max(s.Companies, 1)
	today := s.Through.AddDays(1)
	banks := make([]*sandbox.Bank, n)
	for i := range banks {
		if banks[i], err = sandbox.New(sandbox.Options{Today: today, Seed: int64(i)}); err != nil {
			return st, err
		}
	}
	accts, err := connect(ctx, l, banks, from)
	if err != nil {
		return st, err
	}
	feeAccount := c.FeeAccount
	if feeAccount == 0 {
		feeAccount = 7770
	}
	openFrom := s.Through.AddDays(-1) // the last two days wait for the owner
	for m := from; !m.After(s.Through); {
		end := civil.New(m.Year, m.Month+1, 0)
		if end.After(s.Through) {
			end = s.Through
		}
		err := l.Update(ctx, func(tx *ledger.Tx) error {
			tr := newTransfers(accts)
			for _, a := range accts {
				if err := fillMonth(tx, a, m, end, openFrom, feeAccount, tr, &st); err != nil {
					return fmt.Errorf("%s %s–%s: %w", a.name, m, end, err)
				}
			}
			n, err := tr.match(tx)
			st.Matches += n
			return err
		})
		if err != nil {
			return st, err
		}
		if s.Progress != nil {
			fmt.Fprintf(s.Progress, "%s  %9d lines %8d vouchers %9d matches  %s\n", end.String()[:7],
				st.Lines, st.Vouchers, st.Matches, time.Since(start).Round(time.Second))
		}
		m = end.AddDays(1)
	}
	err = l.Update(ctx, func(tx *ledger.Tx) error {
		for _, a := range accts {
			if err := tx.SetReadThrough(a.id, s.Through); err != nil {
				return err
			}
		}
		return tx.Audit("demo.fill", fmt.Sprintf("%d lines, %d vouchers, %d matches from %s to %s (%d companies' days)",
			st.Lines, st.Vouchers, st.Matches, from, s.Through, n))
	})
	st.Elapsed = time.Since(start)
	return st, err
}

// scaleAccount is one connected bank account and the demo accounts (one
// per seed) whose lines it carries.
type scaleAccount struct {
	id     int64
	gl     int
	name   string
	banks  []*sandbox.Bank
	number []string // per seed
}

// connect creates the bank accounts as onboarding would, and posts and
// records their opening balances on the conversion date.
func connect(ctx context.Context, l *ledger.Ledger, banks []*sandbox.Bank, conv civil.Date) ([]*scaleAccount, error) {
	var accts []*scaleAccount
	err := l.Update(ctx, func(tx *ledger.Tx) error {
		opening := ledger.Voucher{Date: conv, Description: "Inngående balanse", Source: ledger.SourceOpening}
		var equity money.Amount
		roles := map[string]ledger.Role{"Driftskonto": ledger.RoleOperating, "Lønnskonto": ledger.RoleSalary,
			"Skattetrekkskonto": ledger.RoleTaxWithholding}
		for _, a := range banks[0].AccountsFor(sandbox.ManagerID) {
			gl, ok := GLFor[a.Name]
			if !ok {
				continue
			}
			sa := &scaleAccount{gl: gl, name: a.Name, banks: banks}
			var bal money.Amount
			for _, b := range banks {
				number := ""
				for _, o := range b.AccountsFor(sandbox.ManagerID) {
					if o.Name == a.Name {
						number = o.AccountNumber
					}
				}
				if number == "" {
					return fmt.Errorf("the demo bank has no %s", a.Name)
				}
				sa.number = append(sa.number, number)
				// The balance before the demo company's first line stands
				// for the balance before the conversion date: earlier days
				// are filled from later ones.
				day := conv.AddDays(-1)
				if day.Before(founded) {
					day = founded.AddDays(-1)
				}
				v, err := b.BalanceAt(number, day)
				if err != nil {
					return err
				}
				bal += v
			}
			id, err := tx.SaveBankAccount(ledger.BankAccount{BankID: a.AccountID, Number: a.AccountNumber, Name: a.Name,
				GLAccount: gl, Remittance: a.Name != "Skattetrekkskonto" && a.Name != "Sparekonto",
				Reconciliation: true, StartDate: conv, Active: true})
			if err != nil {
				return err
			}
			sa.id = id
			if r, ok := roles[a.Name]; ok {
				if err := tx.SetRole(r, id); err != nil {
					return err
				}
			}
			if err := tx.SetOpeningBankBalance(id, bal); err != nil {
				return err
			}
			opening.Postings = append(opening.Postings, ledger.Posting{Account: gl, Amount: bal, Text: "Inngående balanse " + a.Name})
			equity -= bal
			accts = append(accts, sa)
		}
		opening.Postings = append(opening.Postings, ledger.Posting{Account: 2050, Amount: equity, Text: "Inngående balanse"})
		if _, err := tx.AddVoucher(opening); err != nil {
			return fmt.Errorf("opening balances: %w", err)
		}
		return tx.Audit("onboarding.apply", fmt.Sprintf("demo: %d bank accounts, reconciliation from %s", len(accts), conv))
	})
	return accts, err
}

// founded is the demo company's first day with lines.
var founded = civil.New(2019, time.January, 2)

// shiftDays is how far back a day before founded borrows its lines from:
// 313 weeks, so weekdays stay weekdays, about six years.
const shiftDays = 313 * 7

// shiftFor returns how many days later the lines of d are taken from.
func shiftFor(d civil.Date) int {
	if !d.Before(founded) {
		return 0
	}
	k := (founded.DaysSince(d) + shiftDays - 1) / shiftDays
	return k * shiftDays
}

// seedLine is a line and the seed (demo company) it came from.
type seedLine struct {
	t    sandbox.Transaction
	seed int
}

// linesFor returns every seed's lines of the account dated in [from, to],
// by date and then transactionId, as the bank would deliver them.
func (a *scaleAccount) linesFor(from, to civil.Date) ([]seedLine, error) {
	var out []seedLine
	for seg := from; !seg.After(to); {
		shift := shiftFor(seg)
		end := seg
		for end.Before(to) && shiftFor(end.AddDays(1)) == shift {
			end = end.AddDays(1)
		}
		for seed, b := range a.banks {
			lines, err := b.ArchiveFor(a.number[seed], seg.AddDays(shift), end.AddDays(shift))
			if err != nil {
				return nil, err
			}
			for _, t := range lines {
				if shift != 0 {
					t = moveBack(t, shift)
				}
				out = append(out, seedLine{t, seed})
			}
		}
		seg = end.AddDays(1)
	}
	slices.SortStableFunc(out, func(x, y seedLine) int {
		if c := x.t.AccountingDate.Compare(y.t.AccountingDate); c != 0 {
			return c
		}
		return strings.Compare(x.t.TransactionID, y.t.TransactionID)
	})
	return out, nil
}

// moveBack dates a borrowed line days earlier, gives it a transactionId of
// its own and the year it now falls in.
func moveBack(t sandbox.Transaction, days int) sandbox.Transaction {
	oldYear := t.AccountingDate.Year
	t.AccountingDate = t.AccountingDate.AddDays(-days)
	if !t.InterestDate.IsZero() {
		t.InterestDate = t.InterestDate.AddDays(-days)
	}
	if !t.RegistrationDate.IsZero() {
		t.RegistrationDate = t.RegistrationDate.AddDays(-days)
	}
	if y := t.AccountingDate.Year; y != oldYear {
		t.Text = strings.ReplaceAll(t.Text, " "+strconv.Itoa(oldYear), " "+strconv.Itoa(y))
	}
	raw, err := hex.DecodeString(t.TransactionID)
	if err != nil || len(raw) < 16 {
		raw = make([]byte, 16)
		copy(raw, t.TransactionID)
	}
	hi := mix64(binary.BigEndian.Uint64(raw[:8]) ^ uint64(days))
	lo := mix64(binary.BigEndian.Uint64(raw[8:16]) ^ hi)
	var id [16]byte
	binary.BigEndian.PutUint64(id[:8], hi)
	binary.BigEndian.PutUint64(id[8:], lo)
	t.TransactionID = hex.EncodeToString(id[:])
	return t
}

// mix64 is splitmix64's finaliser.
func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// bankLine turns a demo line into what the morning import stores.
func bankLine(t sandbox.Transaction) ledger.BankTransaction {
	who := t.PayerName
	if t.Amount < 0 || who == "" {
		who = t.ReceiverName
	}
	if who == "" {
		who = t.PayerName
	}
	return ledger.BankTransaction{TransactionID: t.TransactionID, AccountingDate: t.AccountingDate,
		InterestDate: t.InterestDate, Amount: t.Amount, Text: t.Text, TypeCode: t.TransactionTypeCode,
		TypeText: t.TransactionTypeText, OtherAccount: t.OtherAccountNumber, KID: t.KID, Counterparty: who,
		Reference: t.Reference}
}

// posting plans how the bookkeeper posts a line: in a voucher of its own
// (group "") or in the day's voucher of the group, against counter. A fee,
// and a transfer to another of the company's accounts, are posted as the
// owner posts a line on the Yesterday screen: linked to the line.
type posting struct {
	group, description string
	counter            int
	fee, transfer      bool
}

// plan says how a line is posted, or false when it is left for the owner
// (or, for money that came from another of the company's accounts, is
// matched with what that account's transfer posted: transfers).
func plan(t sandbox.Transaction, feeAccount int, own map[string]int) (posting, bool) {
	date := t.AccountingDate.Norwegian()
	switch code := t.TransactionTypeCode; {
	case slices.Contains(sync.FeeTypeCodes, code):
		return posting{counter: feeAccount, fee: true, description: t.Text}, true
	case code == transferCode && t.Amount < 0 && own[t.OtherAccountNumber] != 0:
		return posting{counter: own[t.OtherAccountNumber], transfer: true, description: t.Text}, true
	case code == 709:
		return posting{group: "card", counter: 4000, description: "Kortkjøp " + date}, true
	case code == 710:
		return posting{group: "card", counter: 6800, description: "Kortkjøp " + date}, true
	case code == 561 || code == 714:
		return posting{group: "sales", counter: 3000, description: "Dagsoppgjør Vipps og terminal " + date}, true
	case code == 161 && t.Amount < 0:
		counter := 2400
		if strings.Contains(strings.ToLower(t.Text), "husleie") {
			counter = 6300
		}
		return posting{group: "giro", counter: counter, description: "Betalte fakturaer " + date}, true
	case code == 230 && t.Amount > 0:
		counter := 3000
		if t.KID != "" {
			counter = 1500
		}
		return posting{group: "incoming", counter: counter, description: "Innbetalinger " + date}, true
	case code == 13:
		return posting{group: "salary", counter: 2930, description: "Lønn utbetalt " + date}, true
	case code == 16:
		return posting{counter: 2600, description: t.Text}, true
	case code == 752:
		return posting{counter: 8040, description: t.Text}, true
	}
	return posting{}, false
}

// fillMonth stores one account's lines of [from, to] with their vouchers
// and matches, inside the month's transaction.
func fillMonth(tx *ledger.Tx, a *scaleAccount, from, to, openFrom civil.Date, feeAccount int, tr *transfers, st *Stats) error {
	lines, err := a.linesFor(from, to)
	if err != nil {
		return err
	}
	if len(lines) == 0 {
		return nil
	}
	run, err := tx.StartSyncRun(a.id, from, to, time.Now())
	if err != nil {
		return err
	}
	stored := make([]ledger.BankTransaction, len(lines))
	for i, sl := range lines {
		stored[i] = bankLine(sl.t)
	}
	added, skipped, err := tx.InsertBankTransactions(a.id, run, stored)
	if err != nil {
		return err
	}
	if err := tx.FinishSyncRun(run, len(stored), added, skipped, ""); err != nil {
		return err
	}
	st.Lines += added
	ids, err := tx.BankTransactionIDs(a.id, from, to)
	if err != nil {
		return err
	}

	// Build the vouchers: one per line, or one per (seed, day, group).
	type bankSide struct{ line, posting int } // index in lines, index in voucher postings
	var vouchers []ledger.Voucher
	var sides [][]bankSide
	var rules [][]string
	group := map[string]int{}           // "seed|date|group" -> voucher index
	transferTo := map[int]transferKey{} // voucher -> where its counter posting waits for a line
	for i, sl := range lines {
		t := sl.t
		p, planned := plan(t, feeAccount, tr.own)
		if !t.AccountingDate.Before(openFrom) && !(planned && p.fee) {
			continue // the last days wait for the owner; the import posts fees at once
		}
		id := ids[t.TransactionID]
		if tr.incoming(t) {
			k := transferKey{a.gl, t.AccountingDate, t.Amount}
			tr.lines[k] = append(tr.lines[k], id)
			continue
		}
		if !planned {
			continue
		}
		bank := ledger.Posting{Account: a.gl, Amount: t.Amount, Text: t.Text, KID: t.KID}
		rule := reconcile.RuleOneToOne
		if t.KID != "" {
			rule = reconcile.RuleKID
		}
		if p.fee || p.transfer {
			bank.BankTransaction, rule = id, reconcile.RuleLinked
		}
		counter := ledger.Posting{Account: p.counter, Amount: -t.Amount, Text: t.Text}
		if p.group == "" {
			source := "demo"
			switch {
			case p.fee:
				source = "fee"
			case p.transfer:
				source = "bank"
				transferTo[len(vouchers)] = transferKey{p.counter, t.AccountingDate, -t.Amount}
			}
			vouchers = append(vouchers, ledger.Voucher{Date: t.AccountingDate, Description: p.description, Source: source,
				Postings: []ledger.Posting{bank, counter}})
			sides = append(sides, []bankSide{{i, 0}})
			rules = append(rules, []string{rule})
			continue
		}
		key := strconv.Itoa(sl.seed) + "|" + t.AccountingDate.String() + "|" + p.group
		v, ok := group[key]
		if !ok {
			v = len(vouchers)
			group[key] = v
			vouchers = append(vouchers, ledger.Voucher{Date: t.AccountingDate, Description: p.description, Source: "demo"})
			sides = append(sides, nil)
			rules = append(rules, nil)
		}
		vp := &vouchers[v].Postings
		sides[v] = append(sides[v], bankSide{i, len(*vp)})
		rules[v] = append(rules[v], rule)
		*vp = addCounter(append(*vp, bank), p.counter, -t.Amount) // one counter posting per account
	}
	stored2, err := tx.AddVouchers(vouchers)
	if err != nil {
		return err
	}
	st.Vouchers += len(stored2)
	var matches []ledger.NewMatch
	for v, vs := range stored2 {
		st.Postings += len(vs.Postings)
		if k, ok := transferTo[v]; ok {
			tr.postings[k] = append(tr.postings[k], vs.Postings[1].ID)
		}
		for k, s := range sides[v] {
			t := lines[s.line].t // the voucher is dated the line's day
			matches = append(matches, ledger.NewMatch{Rule: rules[v][k],
				BankLines: []int64{ids[t.TransactionID]}, Postings: []int64{vs.Postings[s.posting].ID},
				First: t.AccountingDate, Last: t.AccountingDate})
		}
	}
	if _, err := tx.AddMatches(matches); err != nil {
		return err
	}
	st.Matches += len(matches)
	return nil
}

// transfers pairs, within a month, what a transfer between two of the
// company's accounts posted on the receiving account's GL account with the
// line the receiving account shows for it, on the same day with the same
// amount: the matcher's one-to-one, done as the month is stored.
type transfers struct {
	own      map[string]int // the company's account numbers (every seed's) -> GL account
	postings map[transferKey][]int64
	lines    map[transferKey][]int64
}

type transferKey struct {
	gl     int
	date   civil.Date
	amount money.Amount
}

func newTransfers(accts []*scaleAccount) *transfers {
	tr := &transfers{own: map[string]int{}, postings: map[transferKey][]int64{}, lines: map[transferKey][]int64{}}
	for _, a := range accts {
		for _, n := range a.number {
			tr.own[n] = a.gl
		}
	}
	return tr
}

// incoming says t is money in from another of the company's accounts.
func (tr *transfers) incoming(t sandbox.Transaction) bool {
	return t.TransactionTypeCode == transferCode && t.Amount > 0 && tr.own[t.OtherAccountNumber] != 0
}

// match stores a match for every line that has its posting, and returns
// how many.
func (tr *transfers) match(tx *ledger.Tx) (int, error) {
	var ms []ledger.NewMatch
	for k, lines := range tr.lines {
		posts := tr.postings[k]
		for i := range min(len(lines), len(posts)) {
			ms = append(ms, ledger.NewMatch{Rule: reconcile.RuleOneToOne, BankLines: []int64{lines[i]}, Postings: []int64{posts[i]},
				First: k.date, Last: k.date})
		}
	}
	_, err := tx.AddMatches(ms)
	return len(ms), err
}

// BenchToday is the day the scale ledgers of ScaleLedger are made for; run
// the app on them with --today 2026-11-27.
var BenchToday = civil.New(2026, time.November, 27)

// scaleVersion changes when FillScale's output changes, so cached ledgers
// made by an older generator are not reused.
const scaleVersion = 2

// ScaleLedger returns the path of a demo ledger with about lines bank
// lines through the day before BenchToday, for benchmarks: the busy company
// of FillYears (whole years from 100,000 lines on, fewer days below). It
// is made once and kept under os.TempDir()/bankbro-scale, keyed by size,
// and never committed anywhere. Benchmarks open it read-mostly; one that
// writes must copy it first.
func ScaleLedger(ctx context.Context, lines int, progress io.Writer) (string, error) {
	dir := filepath.Join(os.TempDir(), "bankbro-scale")
	// The schema version is part of the name: opening a ledger migrates it,
	// and a build with an older schema could no longer open the file.
	path := filepath.Join(dir, fmt.Sprintf("lines%d-%s-v%d-s%d.bankbro", lines, BenchToday, scaleVersion, ledger.SchemaVersion()))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	conv := ScaleConversionDate(lines)
	tmp := path + ".part"
	if ledger.Locked(tmp) {
		return "", fmt.Errorf("%s is being made by another process: wait for it (or end it)", tmp)
	}
	ledger.Remove(tmp)
	l, err := ledger.Create(ctx, tmp, ledger.Company{Name: sandbox.CompanyName, OrgNumber: OrgNumber, ConversionDate: conv})
	if err != nil {
		return "", err
	}
	_, err = FillScale(ctx, l, Scale{Through: BenchToday.AddDays(-1), Companies: CompaniesFor(LinesPerYear), Progress: progress})
	if cerr := l.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	os.Remove(ledger.LockPath(tmp))
	return path, os.Rename(tmp, path)
}

// ScaleConversionDate is where ScaleLedger's books of about lines bank
// lines begin: whole years back from BenchToday from LinesPerYear lines on,
// days back below that.
func ScaleConversionDate(lines int) civil.Date {
	if lines >= LinesPerYear {
		return YearsBefore(BenchToday, lines/LinesPerYear)
	}
	return BenchToday.AddDays(-max(1, lines*365/LinesPerYear))
}
