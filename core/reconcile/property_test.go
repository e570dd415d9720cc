package reconcile

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
)

// gen makes random but reproducible books: bank lines and postings that
// belong together in every way the matcher knows, and some that do not.
type gen struct {
	r     *rand.Rand
	n     int
	lines []item
	posts []item
	revs  []item
}

func (g *gen) name(prefix string) string { g.n++; return fmt.Sprintf("%s%d", prefix, g.n) }

func (g *gen) amount() money.Amount {
	pool := []int64{100, 250, 500, 1000, 1250, 35, 80}
	a := money.Kroner(pool[g.r.IntN(len(pool))])
	if g.r.IntN(4) == 0 {
		a += money.Amount(g.r.IntN(100))
	}
	if g.r.IntN(3) > 0 {
		a = -a
	}
	return a
}

func (g *gen) date(first civil.Date, days int) string { return first.AddDays(g.r.IntN(days)).String() }

func (g *gen) events(first civil.Date, days, n int) {
	texts := []string{"Gebyr", "Husleie mars", "Vipps", "Kortkjøp REMA", "Innbetaling"}
	for range n {
		d := g.date(first, days)
		a := g.amount()
		text := texts[g.r.IntN(len(texts))]
		switch k := g.r.IntN(10); k {
		case 0, 1, 2: // a line and its posting, perhaps a few days apart, perhaps with KID or reference
			l := item{name: g.name("L"), date: d, amount: a, text: text}
			p := item{name: g.name("P"), date: d, amount: a}
			if g.r.IntN(3) == 0 {
				p.date = g.date(civil.MustParse(d).AddDays(-3), 7)
			}
			switch g.r.IntN(4) {
			case 0:
				l.kid, p.kid = "0000123456782", "0000123456782"
			case 1:
				ref := g.name("BB-")
				l.ref, p.ref = ref, ref
			}
			g.lines, g.posts = append(g.lines, l), append(g.posts, p)
		case 3: // several payments in one line, by reference
			ref := g.name("BB-")
			var sum money.Amount
			for range 2 + g.r.IntN(2) {
				pa := g.amount()
				sum += pa
				g.posts = append(g.posts, item{name: g.name("P"), date: g.date(civil.MustParse(d).AddDays(-2), 3), amount: pa, ref: ref})
			}
			g.lines = append(g.lines, item{name: g.name("L"), date: d, amount: sum, ref: ref, text: "Betaling"})
		case 4: // a bank line alone
			g.lines = append(g.lines, item{name: g.name("L"), date: d, amount: a, text: text})
		case 5: // a posting alone
			g.posts = append(g.posts, item{name: g.name("P"), date: d, amount: a, kid: []string{"", "0000123456782"}[g.r.IntN(2)]})
		case 6: // a voucher and its reversal
			p := item{name: g.name("P"), date: d, amount: a}
			g.posts = append(g.posts, p)
			g.revs = append(g.revs, item{name: g.name("R"), date: g.date(civil.MustParse(d), 5), reverses: p.name})
		case 7: // posted from the line (perhaps at a different amount by mistake)
			l := item{name: g.name("L"), date: d, amount: a, text: text}
			pa := a
			if g.r.IntN(4) == 0 {
				pa = g.amount()
			}
			g.lines, g.posts = append(g.lines, l), append(g.posts, item{name: g.name("P"), date: d, amount: pa, link: l.name})
		default: // equal amounts on one day: ambiguity, or a same-day sum
			for range 1 + g.r.IntN(3) {
				g.lines = append(g.lines, item{name: g.name("L"), date: d, amount: a, text: text})
			}
			for range 1 + g.r.IntN(3) {
				g.posts = append(g.posts, item{name: g.name("P"), date: d, amount: a})
			}
		}
	}
}

func (g *gen) flush(t *testing.T, f *fixture, b ledger.BankAccount) {
	t.Helper()
	f.addLines(t, b, g.lines...)
	f.addPostings(t, b, g.posts...)
	f.addPostings(t, b, g.revs...)
	g.lines, g.posts, g.revs = nil, nil, nil
}

// TestPropertyMatcher runs the matcher over generated books and checks what
// must always hold: no item is matched twice, every match's sums agree and
// stay within one bank account, suggestions are open and agree, a second run
// finds nothing new, and bank balance − ledger balance = open bank lines −
// open postings when the opening balances agree.
func TestPropertyMatcher(t *testing.T) {
	seeds := 40
	if testing.Short() || raceEnabled {
		seeds = 6
	}
	for seed := 1; seed <= seeds; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			checkGenerated(t, uint64(seed))
		})
	}
}

func checkGenerated(t *testing.T, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 7))
	f := newFixture(t)
	banks := []ledger.BankAccount{f.bank}
	if seed%2 == 0 {
		banks = append(banks, f.addBank(t, "A2", "97104133219", 1921))
	}
	g := &gen{r: r}
	err := f.l.Update(f.ctx, func(tx *ledger.Tx) error {
		for _, b := range banks {
			opening := money.Kroner(int64(10000 + r.IntN(90000)))
			for _, d := range []civil.Date{conversion, start} {
				if d == start && seed%3 != 0 {
					continue
				}
				if _, err := tx.AddVoucher(ledger.Voucher{Date: d, Description: "Inngående balanse", Source: "opening",
					Postings: []ledger.Posting{{Account: b.GLAccount, Amount: opening}, {Account: 2050, Amount: -opening}}}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var rules []ledger.Rule
	if r.IntN(2) == 0 {
		rules = append(rules, ledger.Rule{Kind: ledger.RulePostAndMatch, TextContains: "gebyr", Direction: ledger.DirectionOut, Account: 7770, Active: true})
	}
	rules = append(rules,
		ledger.Rule{Kind: ledger.RuleMatch, TextContains: "husleie", Direction: ledger.DirectionAny, ToleranceDays: r.IntN(5), Active: true},
		ledger.Rule{Kind: ledger.RuleMatch, Amount: money.Kroner(250), Direction: ledger.DirectionOut, ToleranceDays: 2, Active: true})
	r.Shuffle(len(rules), func(i, j int) { rules[i], rules[j] = rules[j], rules[i] })
	f.addRules(t, rules...)

	for _, b := range banks {
		g.events(start.AddDays(-20), 20, 5) // before the start date: left alone
		g.events(start, 25, 30+r.IntN(40))
		g.flush(t, f, b)
	}
	f.run(t)
	// The owner undoes some matches and accepts some suggestions; more lines come.
	for _, b := range banks {
		ms, err := f.l.Matches(f.ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if r.IntN(5) == 0 {
				if err := Unmatch(f.ctx, f.l, m.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		g.events(start.AddDays(20), 15, 20)
		g.flush(t, f, b)
	}
	res := f.run(t)
	for _, s := range res.Suggestions {
		if r.IntN(3) == 0 {
			// Suggestions may overlap: a later one may be stale by now.
			if err := Accept(f.ctx, f.l, s); err != nil && !isAlreadyMatched(err) {
				t.Errorf("accept %s: %v", s.Key(), err)
			}
		}
	}
	f.run(t) // what the accepted suggestions settled may leave other items unique
	if again := f.run(t); again.Matched() != 0 {
		t.Errorf("a run right after a run made %d matches, want 0", again.Matched())
	}
	sugg, err := Suggestions(f.ctx, f.l)
	if err != nil {
		t.Fatal(err)
	}

	for _, b := range banks {
		checkMatches(t, f, b)
		// The bank agreed with the books the evening before the start date.
		rep, err := NewReport(f.ctx, f.l, start, start)
		if err != nil {
			t.Fatal(err)
		}
		var opening money.Amount
		for _, a := range rep.Accounts {
			if a.BankAccount.ID == b.ID {
				opening = a.LedgerOpening
			}
		}
		if err := f.l.Update(f.ctx, func(tx *ledger.Tx) error { return tx.SetOpeningBankBalance(b.ID, opening) }); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range sugg {
		var ls, ps money.Amount
		for _, l := range s.BankLines {
			ls += l.Amount
			if m, _ := f.l.MatchOfBankLine(f.ctx, l.ID); m != 0 {
				t.Errorf("suggestion %s holds bank line %d, matched in %d", s.Key(), l.ID, m)
			}
		}
		for _, p := range s.Postings {
			ps += p.Amount
			if m, _ := f.l.MatchOfPosting(f.ctx, p.ID); m != 0 {
				t.Errorf("suggestion %s holds posting %d, matched in %d", s.Key(), p.ID, m)
			}
		}
		if ls != ps {
			t.Errorf("suggestion %s: bank lines %s, postings %s", s.Key(), ls, ps)
		}
	}
	// Every day: the matches the matcher made span days (tolerance,
	// references), and on the days between their items they are open.
	for d := start.AddDays(-1); !d.After(start.AddDays(40)); d = d.AddDays(1) {
		rep, err := NewReport(f.ctx, f.l, start.AddDays(-3), d)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Accounts) != len(banks) {
			t.Fatalf("report has %d accounts, want %d", len(rep.Accounts), len(banks))
		}
		for _, a := range rep.Accounts {
			// An opening voucher dated on the start date is not in the books
			// the evening before.
			if !a.BankKnown || !a.OpeningKnown || (a.OpeningDifference() != 0 && !d.Before(start)) {
				t.Fatalf("%s on %s: bank known %t, opening known %t, opening difference %s; want true, true, 0",
					a.BankAccount.Number, d, a.BankKnown, a.OpeningKnown, a.OpeningDifference())
			}
			if got, want := a.Difference(), a.OpeningDifference()+a.OpenLinesSum-a.OpenPostingsSum; got != want {
				t.Errorf("%s on %s: bank − ledger = %s, opening difference + open lines − open postings = %s", a.BankAccount.Number, d, got, want)
			}
			lines, _ := f.l.BankSum(f.ctx, a.BankAccount.ID, start, d)
			if got, want := a.BankBalance, a.BankOpening+lines; got != want {
				t.Errorf("%s on %s: bank balance %s, want %s", a.BankAccount.Number, d, got, want)
			}
			last := a.Days[len(a.Days)-1]
			if last.Date != d || last.Bank != a.BankBalance || last.Ledger != a.LedgerBalance {
				t.Errorf("%s: the last day of the series is %+v, want %s with the report's balances", a.BankAccount.Number, last, d)
			}
		}
	}
}

func isAlreadyMatched(err error) bool {
	return err != nil && errors.Is(err, ledger.ErrAlreadyMatched)
}

// checkMatches checks every stored match of the bank account.
func checkMatches(t *testing.T, f *fixture, b ledger.BankAccount) {
	t.Helper()
	lineAmount := map[int64]money.Amount{}
	lines, err := f.l.BankTransactions(f.ctx, b.ID, civil.New(2000, 1, 1), civil.New(2100, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		lineAmount[l.ID] = l.Amount
	}
	postAmount := map[int64]money.Amount{}
	posts, err := f.l.Postings(f.ctx, b.GLAccount, civil.New(2000, 1, 1), civil.New(2100, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range posts {
		postAmount[p.ID] = p.Amount
	}
	ms, err := f.l.Matches(f.ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	seenL, seenP := map[int64]int64{}, map[int64]int64{}
	for _, m := range ms {
		var ls, ps money.Amount
		for _, id := range m.BankLines {
			a, ok := lineAmount[id]
			if !ok {
				t.Errorf("match %d (%s) holds bank line %d of another account", m.ID, m.Rule, id)
			}
			if prev, dup := seenL[id]; dup {
				t.Errorf("bank line %d is in match %d and in match %d", id, prev, m.ID)
			}
			seenL[id] = m.ID
			ls += a
		}
		for _, id := range m.Postings {
			a, ok := postAmount[id]
			if !ok {
				t.Errorf("match %d (%s) holds posting %d off the GL account %d", m.ID, m.Rule, id, b.GLAccount)
			}
			if prev, dup := seenP[id]; dup {
				t.Errorf("posting %d is in match %d and in match %d", id, prev, m.ID)
			}
			seenP[id] = m.ID
			ps += a
		}
		if ls != ps {
			t.Errorf("match %d (%s): bank lines %s, postings %s", m.ID, m.Rule, ls, ps)
		}
		if len(m.BankLines)+len(m.Postings) < 2 {
			t.Errorf("match %d (%s) holds %d items", m.ID, m.Rule, len(m.BankLines)+len(m.Postings))
		}
	}
	if len(ms) == 0 {
		t.Errorf("bank account %s: nothing matched in generated books", b.Number)
	}
}
