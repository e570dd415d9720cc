package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

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
	u := newScreensUI(t)
	screenWindow(t, u.win.Content())
	u.nav.Select(1) // Bank
	v := u.screens().bank
	v.bg.Wait()
	v.line(0)
	v.bg.Wait()
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
	u.reconcileLine(v.takeLine)
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
	if h, _ := s.hit(0); h.Kind != ledger.HitBankLine || h.ID != other.ID || !s.take.Visible() || s.takeLine.ID != h.ID {
		t.Errorf("search hit %+v: offer shown %v for line %d", h, s.take.Visible(), s.takeLine.ID)
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
