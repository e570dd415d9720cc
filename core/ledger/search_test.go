package ledger

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"bankbro/core/civil"
	"bankbro/core/money"
)

func TestParseSearch(t *testing.T) {
	for _, c := range []struct {
		in        string
		match     string
		amount    money.Amount
		hasAmount bool
	}{
		{"Tine", `"Tine"*`, 0, false},
		{"café brygga", `"café"* "brygga"*`, 0, false},
		{"1 250,50", "", 125050, true},
		{"-1 250,50", "", 125050, true},
		{"12.50", "", 1250, true},
		{"1250", `"1250"*`, 125000, true},
		{`"; DROP`, `"DROP"*`, 0, false},
		{"   ", "", 0, false},
	} {
		q := parseSearch(c.in)
		if q.match != c.match || q.amount != c.amount || q.hasAmount != c.hasAmount {
			t.Errorf("parseSearch(%q) = %+v, want match %q amount %d (%v)", c.in, q, c.match, c.amount, c.hasAmount)
		}
	}
}

func TestSearchFindsBankLinesAndPostings(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	acct := addBank(t, l)
	lines := []BankTransaction{
		{TransactionID: "a", AccountingDate: civil.MustParse("2025-02-03"), Amount: -125050, Text: "Varekjøp", Counterparty: "Tine SA"},
		{TransactionID: "b", AccountingDate: civil.MustParse("2026-04-05"), Amount: 430000, Text: "Innbetaling faktura 1042", Counterparty: "Café Brygga", KID: "0000104204"},
		{TransactionID: "c", AccountingDate: civil.MustParse("2026-04-06"), Amount: 125050, Text: "Refusjon", Counterparty: "Friele AS"},
		{TransactionID: "d", AccountingDate: civil.MustParse("2026-04-07"), Amount: -9900, Text: "Gebyr"},
	}
	err := l.Update(ctx, func(tx *Tx) error {
		if _, _, err := tx.InsertBankTransactions(acct, 0, lines); err != nil {
			return err
		}
		_, err := tx.AddVoucher(Voucher{Date: civil.MustParse("2026-04-01"), Description: "Faktura Café Brygga", Postings: []Posting{
			{Account: 1500, Amount: 430000, Text: "Faktura 1042 Café Brygga", KID: "0000104204"},
			{Account: 3000, Amount: -430000, Text: "Salg kaffe"},
		}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	texts := func(p SearchPage) []string {
		var out []string
		for _, h := range p.Hits {
			kind := "bank"
			if h.Kind == HitPosting {
				kind = "posting"
			}
			out = append(out, fmt.Sprintf("%s:%s", kind, strings.ReplaceAll(h.Amount.String(), money.NBSP, " ")))
		}
		return out
	}
	for _, c := range []struct {
		query string
		want  string
	}{
		{"tine", "[bank:-1 250,50]"},
		{"brygg", "[bank:4 300,00 posting:4 300,00]"},
		{"0000104204", "[bank:4 300,00 posting:4 300,00]"},
		{"1 250,50", "[bank:1 250,50 bank:-1 250,50]"},
		{"kjøp", "[]"}, // words are found by their start, not their middle
		{"varekjøp", "[bank:-1 250,50]"},
		{"Friele refusjon", "[bank:1 250,50]"},
		{"gebyr 99", "[]"},
		{"99,00", "[bank:-99,00]"},
		{"salg", "[posting:-4 300,00]"},
	} {
		p, err := l.Search(ctx, c.query, SearchCursor{}, 50)
		if err != nil {
			t.Fatalf("Search(%q): %v", c.query, err)
		}
		if got := fmt.Sprint(texts(p)); got != c.want {
			t.Errorf("Search(%q) = %s, want %s", c.query, got, c.want)
		}
	}
}

func TestSearchPages(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	acct := addBank(t, l)
	var lines []BankTransaction
	for i := range 25 {
		lines = append(lines, BankTransaction{TransactionID: fmt.Sprint("k", i), AccountingDate: civil.MustParse("2026-01-02").AddDays(i),
			Amount: money.Kroner(int64(i + 1)), Text: "Kortsalg"})
	}
	err := l.Update(ctx, func(tx *Tx) error {
		if _, _, err := tx.InsertBankTransactions(acct, 0, lines); err != nil {
			return err
		}
		for i := range 7 {
			if _, err := tx.AddVoucher(Voucher{Date: civil.MustParse("2026-02-01"), Description: "Kortsalg", Postings: []Posting{
				{Account: 1920, Amount: 100, Text: fmt.Sprint("Kortsalg ", i)}, {Account: 3000, Amount: -100, Text: "Salg"}}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var all []SearchHit
	cur := SearchCursor{}
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		p, err := l.Search(ctx, "kortsalg", cur, 10)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p.Hits...)
		if !p.More {
			break
		}
		cur = p.Next
	}
	if len(all) != 32 {
		t.Fatalf("%d hits over all pages, want 25 bank lines + 7 postings", len(all))
	}
	seen := map[string]bool{}
	for i, h := range all {
		key := fmt.Sprint(h.Kind, h.ID)
		if seen[key] {
			t.Errorf("hit %d (%s) twice", i, key)
		}
		seen[key] = true
		if i < 25 && h.Kind != HitBankLine || i >= 25 && h.Kind != HitPosting {
			t.Errorf("hit %d is %v: bank lines come first", i, h.Kind)
		}
	}
	if all[0].Date != civil.MustParse("2026-01-26") {
		t.Errorf("first hit dated %s, want the newest line", all[0].Date)
	}
}

// benchLedger is a ledger with a million bank lines, made once per run.
var benchLedger = struct {
	once sync.Once
	dir  string
	path string
	err  error
}{}

const benchLines = 1_000_000

// millionLines makes (once) a ledger with benchLines bank lines over ten
// years, inserted in one transaction through one prepared statement, as a
// bulk import would; the search triggers run for every line.
func millionLines(b *testing.B) string {
	benchLedger.once.Do(func() {
		dir, err := os.MkdirTemp("", "bankbro-search-bench-")
		if err != nil {
			benchLedger.err = err
			return
		}
		benchLedger.dir = dir
		path := filepath.Join(dir, "company.bankbro")
		benchLedger.path = path
		start := time.Now()
		benchLedger.err = fillMillion(path)
		b.Logf("made %d bank lines in %s", benchLines, time.Since(start).Round(time.Millisecond))
	})
	if benchLedger.err != nil {
		b.Fatal(benchLedger.err)
	}
	return benchLedger.path
}

func fillMillion(path string) error {
	ctx := context.Background()
	l, err := Create(ctx, path, testCompany)
	if err != nil {
		return err
	}
	defer l.Close()
	var acct int64
	err = l.Update(ctx, func(tx *Tx) error {
		acct, err = tx.SaveBankAccount(BankAccount{BankID: "A1", Number: "15032080119", Name: "Drift", GLAccount: 1920, Reconciliation: true, Active: true})
		return err
	})
	if err != nil {
		return err
	}
	counterparties := []string{"Tine SA", "Friele AS", "Café Brygga", "Asko Øst AS", "Telenor Norge AS", "Hafslund Strøm",
		"Kaffebrenneriet", "Norgesgruppen", "Posten Norge", "Rema 1000", "Coop Extra", "Kiwi Majorstuen"}
	texts := []string{"Kortsalg", "Varekjøp", "Innbetaling faktura", "Husleie", "Strøm", "Lønn", "Gebyr", "Vipps"}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO bank_transactions (bank_account, transaction_id, accounting_date, amount,
		text, kid, counterparty, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	first := civil.MustParse("2016-01-01")
	for i := range benchLines {
		cp := counterparties[i%len(counterparties)]
		text := texts[i%len(texts)]
		kid := ""
		if i%3 == 0 {
			kid = fmt.Sprintf("%010d", i)
		}
		amount := int64((i*7919)%500000 + 100)
		if i%2 == 0 {
			amount = -amount
		}
		if _, err := stmt.ExecContext(ctx, acct, fmt.Sprint("t", i), first.AddDays(i*3650/benchLines).String(), amount,
			fmt.Sprintf("%s %d %s", text, i%9973, cp), kid, cp, "2026-01-01T00:00:00Z"); err != nil {
			return err
		}
	}
	if err := stmt.Close(); err != nil {
		return err
	}
	return tx.Commit()
}

// BenchmarkSearchMillion searches a ledger of a million bank lines for the
// first page (100 hits) of what a person types: a rare name, a KID, an
// amount, and a word in a quarter of a million lines.
func BenchmarkSearchMillion(b *testing.B) {
	path := millionLines(b)
	l, err := Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	for _, q := range []struct{ name, text string }{
		{"counterparty", "Brygga 4711"},
		{"kid", "0000333333"},
		{"amount", "1 250,00"},
		{"common-word", "kortsalg"},
		{"prefix", "hus"},
	} {
		b.Run(q.name, func(b *testing.B) {
			p, err := l.Search(context.Background(), q.text, SearchCursor{}, 100)
			if err != nil {
				b.Fatal(err)
			}
			if len(p.Hits) == 0 {
				b.Fatalf("%q found nothing", q.text)
			}
			b.ReportMetric(float64(len(p.Hits)), "hits")
			b.ResetTimer()
			for b.Loop() {
				if _, err := l.Search(context.Background(), q.text, SearchCursor{}, 100); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A hit says what is done with it: a bank line posted by a live voucher
// and matched, one posted by a voucher since reversed (not posted), an
// open one; a posting matched or not.
func TestSearchHitsSayWhatIsDone(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t)
	acct := addBank(t, l)
	day := civil.MustParse("2026-04-07")
	lines := []BankTransaction{
		{TransactionID: "posted", AccountingDate: day, Amount: -9900, Text: "Gebyr april"},
		{TransactionID: "reversed", AccountingDate: day, Amount: -4900, Text: "Gebyr mai"},
		{TransactionID: "open", AccountingDate: day, Amount: -2900, Text: "Gebyr juni"},
	}
	err := l.Update(ctx, func(tx *Tx) error {
		_, _, err := tx.InsertBankTransactions(acct, 0, lines)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := l.BankLines(ctx, acct, day, day)
	if err != nil {
		t.Fatal(err)
	}
	err = l.Update(ctx, func(tx *Tx) error {
		for i, b := range stored[:2] {
			v, err := tx.AddVoucher(Voucher{Date: day, Description: b.Text, Postings: []Posting{
				{Account: 1920, Amount: b.Amount, Text: b.Text, BankTransaction: b.ID}, {Account: 7770, Amount: -b.Amount, Text: b.Text, BankTransaction: b.ID}}})
			if err != nil {
				return err
			}
			if i == 0 {
				if _, err := tx.AddMatch("manual", []int64{b.ID}, []int64{v.Postings[0].ID}); err != nil {
					return err
				}
			} else if _, err := tx.Reverse(v.ID, day, "Feil"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := l.Search(ctx, "gebyr", SearchCursor{}, 50)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range p.Hits {
		got = append(got, fmt.Sprintf("%v %s %d posted=%v matched=%v", h.Kind, h.Text, h.Account, h.Posted, h.Matched))
	}
	want := []string{
		"0 Gebyr juni 0 posted=false matched=false",
		"0 Gebyr mai 0 posted=false matched=false",
		"0 Gebyr april 0 posted=true matched=true",
	}
	if len(got) < 3 || strings.Join(got[:3], "\n") != strings.Join(want, "\n") {
		t.Errorf("bank hits:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	matchedPostings := 0
	for _, h := range p.Hits {
		if h.Kind == HitPosting && h.Matched {
			matchedPostings++
			if h.Account != 1920 || h.Amount != -9900 {
				t.Errorf("matched posting hit %+v, want the April fee on 1920", h)
			}
		}
	}
	if matchedPostings != 1 {
		t.Errorf("%d posting hits matched, want 1", matchedPostings)
	}
}
