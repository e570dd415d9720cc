package gui

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"bankbro/core/civil"
	"bankbro/core/ledger"
)

func TestReconcileReportAndMatchButton(t *testing.T) {
	u := newScreensUI(t)
	obj := u.reconcileScreen()
	v := u.screens().reconcile
	v.bg.Wait()
	if !strings.Contains(v.summary.Text, "10.03.2026") {
		t.Errorf("summary = %q", v.summary.Text)
	}
	if v.message.Visible() {
		t.Errorf("the message line is shown with nothing to say (%q): an empty row under the toolbar", v.message.Text)
	}
	// An empty list says so; a list with rows does not.
	for _, c := range []struct {
		name  string
		label interface{ Visible() bool }
		empty bool
	}{
		{"open bank lines", v.noLines, v.linePages.count() == 0},
		{"open postings", v.noPosts, v.postPages.count() == 0},
		{"suggestions", v.noSugg, len(v.suggestions) == 0},
	} {
		if c.label.Visible() != c.empty {
			t.Errorf("%s: the empty-list text is shown %v with the list empty %v", c.name, c.label.Visible(), c.empty)
		}
	}
	first, ok := v.linePages.row(0)
	if v.linePages.count() == 0 || !ok {
		t.Fatalf("no open bank lines (%d counted)", v.linePages.count())
	}
	// The list reads its rows a page at a time: all of them, in order, are
	// the account's open lines.
	var want []int64
	err := u.ledger.EachOpenItemAt(u.ctx, v.account.ID, v.account.GLAccount, v.account.StartDate, civil.MustParse("9999-12-31"), func(it ledger.OpenItem) error {
		if !it.Posting {
			want = append(want, it.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if v.linePages.count() != len(want) {
		t.Fatalf("the list counts %d open lines, the ledger has %d", v.linePages.count(), len(want))
	}
	for i, w := range want {
		if got, ok := v.linePages.row(i); !ok || got.ID != w {
			t.Fatalf("row %d = line %d (%v), want line %d", i, got.ID, ok, w)
		}
	}
	if !v.match.Disabled() {
		t.Error("Match is enabled with nothing selected")
	}
	v.lineChecked[first.ID] = first.Amount
	v.sums()
	if !v.match.Disabled() {
		t.Error("Match is enabled with one side empty")
	}
	if !strings.HasPrefix(v.lineSum.Text, strings.SplitN(lang.L("Selected: %d, sum %s (all open: %s)"), "%d", 2)[0]+"1,") {
		t.Errorf("line sum = %q", v.lineSum.Text)
	}
	shoot(t, "reconcile", obj)
	test.Tap(v.run)
	v.bg.Wait()
	if v.message.Visible() {
		t.Errorf("after Run matcher (it reports in the status bar) the message line is shown: %q", v.message.Text)
	}
	v.date.SetText("31.02.2026")
	v.reload()
	if !v.message.Visible() || !strings.Contains(v.message.Text, "30.11.2026") {
		t.Errorf("a wrong date: message %q (shown %v), want how to write a date", v.message.Text, v.message.Visible())
	}
}

// closedBuffer is a file to save to that remembers being closed.
type closedBuffer struct {
	bytes.Buffer
	closed bool
}

func (b *closedBuffer) Close() error { b.closed = true; return nil }

// Saving the report as CSV writes the open items the report counts, read
// from the ledger as they are written.
func TestReconcileSaveCSV(t *testing.T) {
	u := newScreensUI(t)
	u.reconcileScreen()
	v := u.screens().reconcile
	v.bg.Wait()
	var out closedBuffer
	v.writeCSV(v.report, &out)
	v.bg.Wait()
	if !out.closed || v.message.Text != "" {
		t.Fatalf("file closed %v, message %q", out.closed, v.message.Text)
	}
	r := csv.NewReader(&out)
	r.Comma = ';'
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	a := v.report.Accounts[0]
	var lines, posts int
	for _, rec := range recs {
		if len(rec) == 6 && rec[0] == a.BankAccount.Number {
			switch rec[1] {
			case "bank":
				lines++
			case "ledger":
				posts++
			}
		}
	}
	if lines == 0 || lines != a.OpenLines || posts != a.OpenPostings {
		t.Errorf("the CSV lists %d open lines and %d open postings, the report counts %d and %d", lines, posts, a.OpenLines, a.OpenPostings)
	}
}
