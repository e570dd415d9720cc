package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/civil"
	"bankbro/core/ledger"
)

func TestBankPagesLines(t *testing.T) {
	u := newScreensUI(t)
	obj := u.bankScreen()
	v := u.screens().bank
	v.bg.Wait()
	if rows := v.lines(); rows != 504 {
		t.Fatalf("rows = %d, want 504", rows)
	}
	if !strings.Contains(v.count.Text, "504") {
		t.Errorf("count = %q", v.count.Text)
	}
	v.line(0)
	v.line(450)
	v.bg.Wait()
	first, ok := v.line(0)
	if !ok || !strings.HasPrefix(first.Text, "Varekjøp") && !strings.HasPrefix(first.Text, "Innbetaling") {
		t.Errorf("first row = %+v, %v; want yesterday's newest line", first, ok)
	}
	if text := v.cellText(widget.TableCellID{Row: 450, Col: 1}); !strings.HasPrefix(text, "Kortsalg") {
		t.Errorf("row 450 text = %q", text)
	}
	shoot(t, "bank", obj)
}

// An open line chosen in the Bank list, or found by the search, is taken
// to Reconciliation's manual matching: its account, the lists narrowed to
// its amount, the line ticked for Match or Post and match. A posted or
// matched line offers nothing.
func TestOpenLineTakenToReconciliation(t *testing.T) {
	u, v := bankList(t)
	open := -1
	for i := 0; i < 4; i++ {
		if b, ok := v.line(i); ok && b.Voucher == 0 && !b.Matched {
			open = i
			break
		}
	}
	if open < 0 {
		t.Fatal("no open line among yesterday's")
	}
	line, _ := v.line(open)
	v.table.Select(widget.TableCellID{Row: open, Col: 1})
	if !v.take.Visible() || !strings.Contains(v.takeWhat.Text, line.Amount.Kr()) {
		t.Fatalf("choosing the open line %q: offer shown %v, %q", line.Text, v.take.Visible(), v.takeWhat.Text)
	}
	u.reconcileLine(v.takeIt.line)
	r := u.screens().reconcile
	r.bg.Wait()
	if r.tabs.SelectedIndex() != 1 || r.search.Text != line.Amount.Abs().String() {
		t.Errorf("Reconciliation shows tab %d searched for %q; want manual matching searched for %q", r.tabs.SelectedIndex(), r.search.Text, line.Amount.Abs().String())
	}
	if got, ok := r.lineChecked[line.ID]; !ok || got != line.Amount || len(r.lineChecked) != 1 || r.post.Disabled() {
		t.Errorf("ticked %v (post enabled %v); want line %d alone, to post", r.lineChecked, !r.post.Disabled(), line.ID)
	}

	// A line already posted offers nothing.
	if err := u.ledger.Update(u.ctx, func(tx *ledger.Tx) error {
		_, err := tx.AddVoucher(ledger.Voucher{Date: line.AccountingDate, Description: line.Text, Postings: []ledger.Posting{
			{Account: 1920, Amount: line.Amount, BankTransaction: line.ID}, {Account: 4300, Amount: -line.Amount}}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	u.nav.Select(1)
	v = u.screens().bank
	v.bg.Wait()
	v.line(open)
	v.bg.Wait()
	v.table.Select(widget.TableCellID{Row: open, Col: 1})
	if v.take.Visible() {
		t.Error("a posted line is offered to Reconciliation")
	}

	// The search offers an open line it finds.
	var other ledger.BankLine
	for i := 0; i < 4; i++ {
		if b, ok := v.line(i); ok && b.Voucher == 0 && !b.Matched && b.ID != line.ID {
			other = b
		}
	}
	s := u.screens().search
	s.entry.SetText(other.Text)
	s.bg.Wait()
	s.list.Select(0)
	s.bg.Wait()
	if h, _ := s.hit(0); h.Kind != ledger.HitBankLine || h.ID != other.ID || !s.take.Visible() || s.take.line.ID != h.ID {
		t.Errorf("search hit %+v: offer shown %v for line %d", h, s.take.Visible(), s.take.line.ID)
	}
	// The results say which hits are open, as the Bank list does.
	row := newHitRow()
	s.updateRow(0, row)
	if got := hitLabels(row)[5].Text; got != lang.L("Open (status)") {
		t.Errorf("the open hit's status column says %q", got)
	}
	// A new search forgets the hit chosen, and its offer.
	s.entry.SetText("Kortsalg")
	if s.take.Visible() || s.detail.Visible() {
		t.Errorf("after a new search: offer shown %v, detail shown %v", s.take.Visible(), s.detail.Visible())
	}
}

// canTake offers a line to Reconciliation only when it is open there:
// neither posted nor matched, on an active account with reconciliation,
// on or after the day that reconciliation starts.
func TestCanTake(t *testing.T) {
	start := civil.MustParse("2026-03-01")
	accounts := []ledger.BankAccount{
		{ID: 1, Active: true, Reconciliation: true, StartDate: start},
		{ID: 2, Active: true, Reconciliation: false, StartDate: start},
		{ID: 3, Active: false, Reconciliation: true, StartDate: start},
	}
	line := func(account int64, day civil.Date, voucher int64, matched bool) ledger.BankLine {
		return ledger.BankLine{BankTransaction: ledger.BankTransaction{ID: 9, BankAccount: account, AccountingDate: day}, Voucher: voucher, Matched: matched}
	}
	for _, c := range []struct {
		name string
		line ledger.BankLine
		want bool
	}{
		{"open, on the start date", line(1, start, 0, false), true},
		{"posted", line(1, start, 7, false), false},
		{"matched", line(1, start, 0, true), false},
		{"before the start date", line(1, start.AddDays(-1), 0, false), false},
		{"account without reconciliation", line(2, start, 0, false), false},
		{"account not active", line(3, start, 0, false), false},
		{"account not known", line(4, start, 0, false), false},
	} {
		if got := canTake(accounts, c.line); got != c.want {
			t.Errorf("%s: canTake = %v, want %v", c.name, got, c.want)
		}
	}
}

// The search's Status column says of a bank line what the Bank list says,
// and of a posting whether it is matched, on a bank account's GL account
// only.
func TestHitState(t *testing.T) {
	v := &searchView{banks: []ledger.BankAccount{{ID: 1, GLAccount: 1920}}}
	for _, c := range []struct {
		h    ledger.SearchHit
		want string
	}{
		{ledger.SearchHit{Kind: ledger.HitBankLine}, lang.L("Open (status)")},
		{ledger.SearchHit{Kind: ledger.HitBankLine, Posted: true}, lang.L("Posted")},
		{ledger.SearchHit{Kind: ledger.HitBankLine, Matched: true}, lang.L("Matched")},
		{ledger.SearchHit{Kind: ledger.HitBankLine, Posted: true, Matched: true}, lang.L("Posted, matched")},
		{ledger.SearchHit{Kind: ledger.HitPosting, Account: 1920, Matched: true}, lang.L("Matched")},
		{ledger.SearchHit{Kind: ledger.HitPosting, Account: 1920}, lang.L("Not matched")},
		{ledger.SearchHit{Kind: ledger.HitPosting, Account: 3000, Matched: true}, ""},
	} {
		if got := v.hitState(c.h); got != c.want {
			t.Errorf("%+v: %q, want %q", c.h, got, c.want)
		}
	}
}

// A line of another account than the one Reconciliation shows switches
// the account, then ticks the line; a later day keeps the tick and clears
// what was said before.
func TestOpenLineOfAnotherAccount(t *testing.T) {
	u := newScreensUI(t)
	var second ledger.BankTransaction
	err := u.ledger.Update(u.ctx, func(tx *ledger.Tx) error {
		id, err := tx.SaveBankAccount(ledger.BankAccount{BankID: "acc2", Number: "97100000001", Name: "Sparekonto",
			GLAccount: 1921, Reconciliation: true, Active: true, StartDate: civil.MustParse("2026-03-01"), ReadThrough: scrToday.AddDays(-1)})
		if err != nil {
			return err
		}
		second = ledger.BankTransaction{BankAccount: id, TransactionID: "s1", AccountingDate: scrToday.AddDays(-1), Amount: 123400, Text: "Renter"}
		_, _, err = tx.InsertBankTransactions(id, 0, []ledger.BankTransaction{second})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	lines, err := u.ledger.BankLines(u.ctx, second.BankAccount, second.AccountingDate, second.AccountingDate)
	if err != nil || len(lines) != 1 {
		t.Fatalf("%d lines, %v", len(lines), err)
	}
	screenWindow(t, u.win.Content())
	u.nav.Select(2) // Reconciliation, on the first account
	r := u.screens().reconcile
	r.bg.Wait()
	u.reconcileLine(lines[0].BankTransaction)
	r = u.screens().reconcile
	r.bg.Wait()
	if r.account.ID != second.BankAccount || len(r.lineChecked) != 1 || r.lineChecked[lines[0].ID] != second.Amount {
		t.Fatalf("Reconciliation on account %d with %v ticked; want account %d with line %d", r.account.ID, r.lineChecked, second.BankAccount, lines[0].ID)
	}
	r.say("something said before")
	r.date.entry.SetText(scrToday.AddDays(-2).Norwegian())
	r.date.entry.OnSubmitted(r.date.entry.Text)
	r.bg.Wait()
	if len(r.lineChecked) != 1 || r.message.Visible() || r.report.To != scrToday.AddDays(-2) {
		t.Errorf("after another day: %v ticked, message shown %v (%q), report to %s", r.lineChecked, r.message.Visible(), r.message.Text, r.report.To)
	}
}

// The row of the cell chosen in the Bank list is marked across: Fyne's
// table marks the cell clicked, the other cells of its row are marked as
// it is, and other rows are not. Another account clears the mark.
func TestBankRowChosenMarkedAcross(t *testing.T) {
	_, v := bankList(t)
	marked := func(row, col int) bool {
		o := newBankCell()
		v.cell(widget.TableCellID{Row: row, Col: col}, o)
		return o.(*fyne.Container).Objects[0].(*canvas.Rectangle).FillColor == theme.Color(theme.ColorNameSelection)
	}
	v.table.Select(widget.TableCellID{Row: 2, Col: 1})
	for col := range bankColumns {
		if want := col != 1; marked(2, col) != want {
			t.Errorf("row 2, column %d marked %v, want %v (Fyne marks the cell chosen)", col, !want, want)
		}
		if marked(1, col) || marked(3, col) {
			t.Errorf("column %d of a row not chosen is marked", col)
		}
	}
	// Another account (or the same read again) starts unmarked.
	v.choose(v.accounts[len(v.accounts)-1])
	v.bg.Wait()
	if marked(2, 0) {
		t.Error("after choosing the account again, row 2 is still marked")
	}
}

// The Bank table's columns fill its width, Text and Counterparty taking
// what the others leave, so no horizontal scroll bar hides the Status
// (at 1,100 px it did); in a narrow window they keep their least width.
func TestBankColumnsFitTheTable(t *testing.T) {
	u := newScreensUI(t)
	u.bankScreen()
	v := u.screens().bank
	v.bg.Wait()
	for _, width := range []float32{890, 1170} {
		v.fitColumns(width)
		total := float32(0)
		for i, c := range bankColumns {
			total += v.width(i) + theme.Padding()
			if v.width(i) < c.width {
				t.Errorf("at %v px column %s is %v px, under its least %v", width, c.title, v.width(i), c.width)
			}
		}
		if total < width-1 || total > width+1 {
			t.Errorf("at %v px the columns take %v px", width, total)
		}
		if text := v.cellText(widget.TableCellID{Row: 0, Col: 1}); width > 1000 && strings.HasSuffix(text, "…") && len([]rune(text)) < 30 {
			t.Errorf("at %v px the text is cut to %q", width, text)
		}
	}
	v.fitColumns(500)
	for i, c := range bankColumns {
		if v.width(i) != c.width {
			t.Errorf("at 500 px column %s is %v px, want its least %v", c.title, v.width(i), c.width)
		}
	}
	// Laid out in a window, the table fits itself to its width.
	w := screenWindow(t, u.win.Content())
	u.nav.Select(1)
	v = u.screens().bank
	v.bg.Wait()
	w.Resize(fyne.NewSize(1400, 800))
	table := v.table.Size().Width
	total := float32(0)
	for i := range bankColumns {
		total += v.width(i) + theme.Padding()
	}
	if table < 1 || total < table-1 || total > table+1 {
		t.Errorf("in a 1400 px window the table is %v px wide and its columns take %v px", table, total)
	}
}

// bankList opens the Bank screen in a window on the screens' test books,
// its first page read.
func bankList(t *testing.T) (*ui, *bankView) {
	t.Helper()
	u := newScreensUI(t)
	screenWindow(t, u.win.Content())
	u.nav.Select(1) // Bank
	v := u.screens().bank
	v.bg.Wait()
	v.line(0)
	v.bg.Wait()
	return u, v
}
