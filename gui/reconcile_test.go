package gui

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
	"bankbro/core/reconcile"
)

func TestReconcileReportAndMatchButton(t *testing.T) {
	u := newScreensUI(t)
	obj := u.reconcileScreen()
	v := u.screens().reconcile
	v.bg.Wait()
	// The figures are the report's, each in its place; a difference
	// stands out, and the day it began is named.
	shown := 0
	for _, a := range v.report.Accounts {
		if a.BankAccount.ID != v.account.ID {
			continue
		}
		shown++
		f := v.figures
		if !f.shown() || f.bank.Text != a.BankBalance.Kr() || f.books.Text != a.LedgerBalance.Kr() || f.diff.Text != a.Difference().Kr() ||
			f.lines.Text != fmt.Sprint(count(a.OpenLines)) || f.linesSum.Text != a.OpenLinesSum.Kr() ||
			f.postings.Text != fmt.Sprint(count(a.OpenPostings)) || f.postingsSum.Text != a.OpenPostingsSum.Kr() {
			t.Errorf("figures %q, report %+v", labelsIn(f.object()), a)
		}
		if (f.diff.Importance == widget.DangerImportance) != (a.Difference() != 0) {
			t.Errorf("difference %s shown with importance %v", a.Difference().Kr(), f.diff.Importance)
		}
		since, _, ok := a.DifferenceSince()
		if ok != f.since.Visible() || ok && !strings.Contains(f.since.Text, since.Norwegian()) {
			t.Errorf("difference since %s (%v), the figures say %q (shown %v)", since, ok, f.since.Text, f.since.Visible())
		}
	}
	if shown != 1 {
		t.Errorf("the report holds %d accounts named %s", shown, v.account.Formatted())
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
	if want := fmt.Sprintf(lang.L("The sums differ by %s."), first.Amount.Abs().Kr()); v.matchWhy.Text != want {
		t.Errorf("beside Match, off: %q, want %q", v.matchWhy.Text, want)
	}
	if !strings.HasPrefix(v.lineSum.Text, strings.SplitN(lang.L("Selected: %d, sum %s (all open: %s)"), "%d", 2)[0]+"1,") {
		t.Errorf("line sum = %q", v.lineSum.Text)
	}
	// Two lines ticked: Post and match is off too, and the line says why.
	if second, ok := v.linePages.row(1); ok {
		v.lineChecked[second.ID] = second.Amount
		v.sums()
		if why := lang.L("Post and match posts one bank line at a time: tick only that one."); !v.post.Disabled() || !strings.HasSuffix(v.matchWhy.Text, why) {
			t.Errorf("two lines ticked: Post and match enabled %v, beside Match %q; want it off, and %q", !v.post.Disabled(), v.matchWhy.Text, why)
		}
		delete(v.lineChecked, second.ID)
		v.sums()
	}
	shoot(t, "reconcile", obj)
	test.Tap(v.run)
	v.bg.Wait()
	if v.message.Visible() {
		t.Errorf("after Run matcher (it reports in the status bar) the message line is shown: %q", v.message.Text)
	}
	v.date.entry.SetText("31.02.2026")
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
	v.writeCSV(v.report, &out, "/home/eier/bankavstemming-2026-03-10.csv")
	v.bg.Wait()
	if !out.closed || v.message.Text != "" {
		t.Fatalf("file closed %v, message %q", out.closed, v.message.Text)
	}
	if want := fmt.Sprintf(lang.L("The report is saved as %s."), "/home/eier/bankavstemming-2026-03-10.csv"); u.status.label.Text != want {
		t.Errorf("status %q, want %q: where it went", u.status.label.Text, want)
	}
	// Marked as UTF-8 for Excel, which reads it in the old code page else.
	text, ok := strings.CutPrefix(out.String(), utf8BOM)
	if !ok {
		t.Errorf("the CSV does not begin with a byte-order mark: %q", out.String()[:min(20, out.Len())])
	}
	r := csv.NewReader(strings.NewReader(text))
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
			case lang.L("Bank (side)"):
				lines++
			case lang.L("Books (side)"):
				posts++
			}
		}
	}
	if lines == 0 || lines != a.OpenLines || posts != a.OpenPostings {
		t.Errorf("the CSV lists %d open lines and %d open postings, the report counts %d and %d", lines, posts, a.OpenLines, a.OpenPostings)
	}
	// The headers are in the window's language: people read them.
	if len(recs) == 0 || recs[0][0] != lang.L("Account") || recs[0][4] != lang.L("Balance in the bank") {
		t.Errorf("the CSV's first header row = %v, want the window's words", recs[0])
	}
}

// A posting and its reversal cancel out and no bank line will ever come
// for them: the manual lists tell them apart by their voucher numbers, and
// the owner can match the two without a bank line.
func TestReconcileMatchesPostingsThatCancelOut(t *testing.T) {
	u := newScreensUI(t)
	var orig, rev ledger.Voucher
	err := u.ledger.Update(u.ctx, func(tx *ledger.Tx) error {
		var err error
		orig, err = tx.AddVoucher(ledger.Voucher{Date: scrToday.AddDays(-1), Description: "Faktura Renhold Solsiden AS", Postings: []ledger.Posting{
			{Account: 1920, Amount: -148278, Text: "Faktura Renhold Solsiden AS"},
			{Account: 6300, Amount: 148278, Text: "Faktura Renhold Solsiden AS"},
		}})
		if err != nil {
			return err
		}
		rev, err = tx.Reverse(orig.ID, scrToday.AddDays(-1), "Reversering av bilag 1")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	u.reconcileScreen()
	v := u.screens().reconcile
	v.bg.Wait()
	if v.postPages.count() != 2 {
		t.Fatalf("open postings = %d, want the posting and its reversal", v.postPages.count())
	}
	var texts []string
	for i, number := range []int64{orig.Number, rev.Number} {
		row := v.posts.CreateItem()
		v.posts.UpdateItem(i, row)
		c := row.(*fyne.Container)
		text := c.Objects[0].(*widget.Label).Text
		if !strings.Contains(text, fmt.Sprintf(lang.L("voucher %d"), number)) {
			t.Errorf("open posting %d reads %q, want its voucher number %d", i, text, number)
		}
		texts = append(texts, text)
		test.Tap(c.Objects[1].(*widget.Check))
	}
	if texts[0] == texts[1] {
		t.Errorf("the posting and its reversal both read %q", texts[0])
	}
	if v.match.Disabled() {
		t.Fatal("Match is off for two postings that cancel out")
	}
	test.Tap(v.match)
	v.bg.Wait()
	if v.postPages.count() != 0 {
		t.Errorf("open postings after matching = %d, want none (%s)", v.postPages.count(), v.message.Text)
	}
	if m, _ := u.ledger.MatchOfPosting(u.ctx, orig.Postings[0].ID); m == 0 {
		t.Error("the posting is in no match")
	}
}

// The report is for a day whose lines can be known: not after yesterday
// (a day's lines are read the morning after), not before the account's
// start date; either says so and shows nothing of the day shown before
// (another day's, or another account's, figures would mislead).
func TestReconcileRefusesDaysItCannotKnow(t *testing.T) {
	u := newScreensUI(t)
	u.reconcileScreen()
	v := u.screens().reconcile
	v.bg.Wait()
	for _, c := range []struct{ date, want string }{
		{"31.02.2026", fmt.Sprintf(lang.L("%s is not a date: write it like 30.11.2026."), "31.02.2026")},
		{"15.06.2030", fmt.Sprintf(lang.L("The bank's lines of a day are read the morning after: choose %s or earlier."), "10.03.2026")},
		{"11.03.2026", fmt.Sprintf(lang.L("The bank's lines of a day are read the morning after: choose %s or earlier."), "10.03.2026")},
		{"28.02.2026", fmt.Sprintf(lang.L("Reconciliation of this account starts on %s: choose that day or later."), "01.03.2026")},
	} {
		v.date.entry.SetText(c.date)
		v.reload()
		v.bg.Wait()
		if v.message.Text != c.want || v.figures.shown() || v.linePages.count() != 0 || len(v.lineChecked) != 0 || !v.save.Disabled() {
			t.Errorf("date %s: message %q, figures %q, %d lines listed; want %q and nothing shown", c.date, v.message.Text, labelsIn(v.figures.object()), v.linePages.count(), c.want)
		}
		// Said in red, as a refusal, with no empty chart under it.
		if v.message.Importance != widget.DangerImportance || v.chart.Visible() {
			t.Errorf("date %s: message importance %v, chart shown %v; want danger and no chart", c.date, v.message.Importance, v.chart.Visible())
		}
		// The field says it too, rather than ticking the date as good.
		if err := v.date.entry.Validate(); err == nil || err.Error() != c.want {
			t.Errorf("date %s: the field's check says %v, want %q", c.date, err, c.want)
		}
	}
	// Its calendar offers the days the report can show, and no other.
	v.date.entry.SetText("01.03.2026")
	w := screenWindow(t, v.date.object)
	test.Tap(v.date.pick)
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("the calendar button opened nothing")
	}
	var offered []string
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text != "" && !b.Disabled() {
			offered = append(offered, b.Text)
		}
	}
	if want := "1 2 3 4 5 6 7 8 9 10"; strings.Join(offered, " ") != want {
		t.Errorf("the calendar of March 2026 offers %q, want %q (1 March is the start date, 10 March yesterday)", offered, want)
	}
	w.Canvas().Overlays().Top().Hide()
	// A day it can show brings the report back, as typed and submitted.
	v.date.entry.SetText("10.03.2026")
	v.date.entry.OnSubmitted(v.date.entry.Text)
	v.bg.Wait()
	if !v.figures.shown() || v.figures.books.Text == "" || v.linePages.count() == 0 || v.message.Visible() || v.save.Disabled() || !v.chart.Visible() {
		t.Errorf("after a good day: figures %q, %d lines, message %q", labelsIn(v.figures.object()), v.linePages.count(), v.message.Text)
	}
}

// The chart covers the period chosen, ending on the report's day, and
// never reaches before the account's start date; the CSV saved covers the
// same days. Over a period that reaches the start date, a difference there
// from the first day began on it, and the report says so, not "or earlier".
func TestReconcilePeriods(t *testing.T) {
	u := newScreensUI(t)
	accounts, err := u.ledger.BankAccounts(u.ctx)
	if err != nil {
		t.Fatal(err)
	}
	b := accounts[0]
	b.StartDate = civil.MustParse("2025-01-01") // lines only from 1 March 2026
	err = u.ledger.Update(u.ctx, func(tx *ledger.Tx) error { _, err := tx.SaveBankAccount(b); return err })
	if err != nil {
		t.Fatal(err)
	}
	u.reconcileScreen()
	v := u.screens().reconcile
	v.bg.Wait()
	to := civil.MustParse("2026-03-10")
	for i, want := range []civil.Date{to.AddDays(-29), to.AddDays(-59), to.AddDays(-364), b.StartDate} {
		v.period.SetSelectedIndex(i)
		v.bg.Wait()
		if len(v.report.Accounts) != 1 {
			t.Fatalf("%s: %d accounts in the report (message %q)", v.period.Selected, len(v.report.Accounts), v.message.Text)
		}
		a := v.report.Accounts[0]
		if v.report.From != want || v.report.To != to || len(a.Days) != to.DaysSince(want)+1 {
			t.Errorf("%s: the report covers %s to %s in %d days, want %s to %s", v.period.Selected, v.report.From, v.report.To, len(a.Days), want, to)
		}
		// The unposted lines of 1 March on make the difference, whatever the period.
		if wantSince := fmt.Sprintf(lang.L("Bank and books have differed since %s: look there first."), "01.03.2026"); v.figures.since.Text != wantSince {
			t.Errorf("%s: %q, want %q", v.period.Selected, v.figures.since.Text, wantSince)
		}
		var buf closedBuffer
		v.writeCSV(v.report, &buf, "rapport.csv")
		v.bg.Wait()
		if !strings.Contains(buf.String(), want.Norwegian()) && !strings.Contains(buf.String(), want.String()) {
			t.Errorf("%s: the CSV names no day %s:\n%.300s", v.period.Selected, want, buf.String())
		}
	}
	if reportPeriods[reportPeriod].name != "Last 60 days" {
		t.Errorf("the chart first covers %s, want the last 60 days", reportPeriods[reportPeriod].name)
	}
	// Another period for the chart reads the report alone: what is ticked
	// for manual matching stays ticked.
	first, ok := v.linePages.row(0)
	if !ok {
		t.Fatal("no open bank line listed")
	}
	v.lineChecked[first.ID] = first.Amount
	v.period.SetSelectedIndex(0)
	v.bg.Wait()
	if _, ticked := v.lineChecked[first.ID]; !ticked || v.report.From != to.AddDays(-29) {
		t.Errorf("after choosing the last 30 days: line ticked %v, report from %s", ticked, v.report.From)
	}
	// A report read for a period chosen before another is not shown once
	// it comes: the last one chosen is.
	v.period.SetSelectedIndex(3)
	v.period.SetSelectedIndex(2)
	v.bg.Wait()
	if v.report.From != to.AddDays(-364) || v.period.SelectedIndex() != 2 {
		t.Errorf("after choosing since the start date, then twelve months: the report covers from %s", v.report.From)
	}
}

func TestYearBefore(t *testing.T) {
	for _, c := range []struct{ to, want string }{
		{"2026-11-26", "2025-11-27"},
		{"2026-12-31", "2026-01-01"},
		{"2028-02-29", "2027-03-01"},
		{"2027-02-28", "2026-03-01"},
		{"2029-03-01", "2028-03-02"},
	} {
		if got := yearBefore(civil.MustParse(c.to)); got != civil.MustParse(c.want) {
			t.Errorf("yearBefore(%s) = %s, want %s", c.to, got, c.want)
		}
	}
}

// Ten years of days in a chart some 600 pixels wide: the one day the books
// were 500 kr short still shows, as the lowest point of the books' line,
// though there are six days to a pixel.
func TestChartShowsADayThatStandsOut(t *testing.T) {
	start := civil.MustParse("2016-11-27")
	var days []reconcile.Day
	for i := range 3653 {
		d := reconcile.Day{Date: start.AddDays(i), BankKnown: i >= 10, Bank: money.Kroner(10_000), Ledger: money.Kroner(10_000)}
		if i == 1234 {
			d.Ledger -= money.Kroner(500)
		}
		days = append(days, d)
	}
	r := laidOutChart(t, days)
	var bankLow, booksLow float32
	n := 0
	for _, l := range r.segments() {
		low := max(l.Position1.Y, l.Position2.Y) // y grows downwards
		switch l.StrokeColor {
		case bankColour:
			bankLow = max(bankLow, low)
		case ledgerColour:
			booksLow = max(booksLow, low)
			n++
		}
	}
	if n == 0 || n > 340 {
		t.Fatalf("%d segments of the books' line 680 pixels wide", n)
	}
	if booksLow < 280-r.first.MinSize().Height-2-8-1 || bankLow >= booksLow-50 {
		t.Errorf("the books' line reaches down to y %.0f, the bank's to %.0f: the day 500 kr short is not drawn", booksLow, bankLow)
	}
}

func TestDecimate(t *testing.T) {
	vals := []int64{5, 5, 9, 5, 5, 1, 5, 5, 5, 5, 5, 7}
	known := func(i int) (int64, bool) { return vals[i], i >= 1 }
	if got := decimate(len(vals), 20, known); !slices.Equal(got, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}) {
		t.Errorf("within the budget: %v, want every day known", got)
	}
	// Two groups of six days: first, lowest, highest, last of each.
	if got := decimate(len(vals), 8, known); !slices.Equal(got, []int{1, 2, 5, 6, 11}) {
		t.Errorf("two groups: %v, want [1 2 5 6 11]", got)
	}
	for budget := 2; budget < 12; budget++ {
		got := decimate(len(vals), budget, known)
		if len(got) > max(budget, 4) || !slices.IsSorted(got) || got[len(got)-1] != 11 || got[0] != 1 {
			t.Errorf("budget %d: %v", budget, got)
		}
	}
}

// Manual matching: the search narrows both lists to what holds the text or
// has the amount, in or out; what was ticked stays ticked; clearing it
// shows all again.
func TestReconcileManualSearch(t *testing.T) {
	u := newScreensUI(t)
	u.reconcileScreen()
	v := u.screens().reconcile
	v.bg.Wait()
	all := v.linePages.count()
	first, _ := v.linePages.row(0)
	v.lineChecked[first.ID] = first.Amount
	for _, c := range []struct {
		find, want string
	}{
		{"faktura", "Innbetaling faktura 1042"},
		{"FAKTURA 1042", "Innbetaling faktura 1042"},
		{"4 300,00", "Innbetaling faktura 1042"},
		{"-4300", "Innbetaling faktura 1042"},
	} {
		v.search.SetText(c.find)
		v.bg.Wait()
		v.linePages.bg.Wait()
		got, ok := v.linePages.row(0)
		if v.linePages.count() != 1 || !ok || got.Text != c.want {
			t.Errorf("find %q: %d lines, first %q; want only %q", c.find, v.linePages.count(), got.Text, c.want)
		}
	}
	v.search.SetText("ingen slik tekst")
	v.bg.Wait()
	if v.linePages.count() != 0 || v.noLines.Hidden || v.noLines.Text != fmt.Sprintf(lang.L("No open bank lines match “%s”."), "ingen slik tekst") {
		t.Errorf("a search that finds nothing: %d lines, empty text %q shown %v; want it to say the search found nothing", v.linePages.count(), v.noLines.Text, !v.noLines.Hidden)
	}
	v.search.SetText("")
	v.bg.Wait()
	if v.linePages.count() != all {
		t.Errorf("after clearing the search: %d lines, want all %d", v.linePages.count(), all)
	}
	if _, ok := v.lineChecked[first.ID]; !ok {
		t.Error("the ticked line lost its tick while the search hid it")
	}
	// While a search hides the ticked line, the sums say the ticks count;
	// posted from there, the status bar names the line, not just the voucher.
	v.search.SetText("faktura")
	v.bg.Wait()
	v.linePages.bg.Wait()
	if hidden := lang.L("— also those the search hides"); !strings.HasSuffix(v.lineSum.Text, hidden) {
		t.Errorf("lines' sum under a search with a tick: %q, want it to end %q", v.lineSum.Text, hidden)
	}
	// Enter with two lines ticked posts neither, and says why.
	var second ledger.BankTransaction
	for i := 0; i < v.linePages.count(); i++ {
		if b, ok := v.linePages.row(i); ok && b.ID != first.ID {
			second = b
			break
		}
	}
	v.lineChecked[second.ID] = second.Amount
	v.sums()
	v.counter.SetText("4300")
	v.counter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	v.bg.Wait()
	if want := lang.L("Tick the one bank line to post, with nothing ticked among the postings."); v.message.Text != want || len(v.lineChecked) != 2 {
		t.Errorf("Enter with two lines ticked: %q, %d ticked; want %q and nothing posted", v.message.Text, len(v.lineChecked), want)
	}
	delete(v.lineChecked, second.ID)
	v.sums()
	// Enter in the account posts, as Post and match does and as in
	// Yesterday (it did nothing here).
	v.counter.SetText("4300")
	v.counter.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	v.bg.Wait()
	if got := u.status.label.Text; !strings.Contains(got, first.Text) || !strings.Contains(got, first.Amount.Kr()) {
		t.Errorf("posted the hidden ticked line %q %s: status %q, want it named", first.Text, first.Amount.Kr(), got)
	}
}

// The matcher's summary names the bank lines the owner's rules posted.
func TestMatcherSummary(t *testing.T) {
	for _, c := range []struct {
		res  reconcile.Result
		want string
	}{
		{reconcile.Result{}, lang.L("The matcher found nothing more to match: every bank line is matched.")},
		{reconcile.Result{Accounts: []reconcile.AccountResult{{OpenLines: 1}}}, fmt.Sprintf(lang.L("The matcher found nothing more to match; %s."), lang.L("1 bank line is open"))},
		{reconcile.Result{Accounts: []reconcile.AccountResult{{OpenLines: 12}, {OpenLines: 6}}}, fmt.Sprintf(lang.L("The matcher found nothing more to match; %s."), fmt.Sprintf(lang.L("%d bank lines are open"), 18))},
		{reconcile.Result{Accounts: []reconcile.AccountResult{{Matches: 5}, {Matches: 2}}}, fmt.Sprintf(lang.L("The matcher made %d matches."), 7)},
		{reconcile.Result{Accounts: []reconcile.AccountResult{{Matches: 5, Posted: 2}, {Matches: 1, Posted: 1}}},
			fmt.Sprintf(lang.L("The matcher made %d matches, %d of them bank lines posted by your rules."), 6, 3)},
	} {
		if got := matcherSummary(c.res); got != c.want {
			t.Errorf("matcherSummary(%+v) = %q, want %q", c.res, got, c.want)
		}
	}
}

// laidOutChart is a chart of days in a window, laid out 680 by 280.
func laidOutChart(t *testing.T, days []reconcile.Day) *chartRenderer {
	t.Helper()
	c := newBalanceChart()
	c.SetDays(days)
	w := test.NewTempWindow(t, c)
	w.Resize(fyne.NewSize(700, 300))
	r := test.TempWidgetRenderer(t, c).(*chartRenderer)
	r.Layout(fyne.NewSize(680, 280))
	return r
}

// The chart's amounts stand left of the plot, so no line starts under
// them (they once covered the first days of both lines).
func TestChartAmountsLeaveTheLinesFree(t *testing.T) {
	start := civil.MustParse("2026-09-01")
	var days []reconcile.Day
	for i := range 60 {
		days = append(days, reconcile.Day{Date: start.AddDays(i), BankKnown: true, Bank: money.Kroner(int64(8_500_000 + i)), Ledger: money.Kroner(int64(736_000_000 + i))})
	}
	r := laidOutChart(t, days)
	labels := max(r.maxL.Position().X+r.maxL.MinSize().Width, r.min.Position().X+r.min.MinSize().Width)
	if len(r.segments()) == 0 {
		t.Fatal("no lines drawn")
	}
	for _, l := range r.segments() {
		if x := min(l.Position1.X, l.Position2.X); x <= labels {
			t.Fatalf("a line starts at x %.0f, under the amounts that end at %.0f", x, labels)
		}
	}
	if r.maxL.Text != money.Kroner(736_000_059).String() || r.min.Text != money.Kroner(8_500_000).String() {
		t.Errorf("amounts %q and %q", r.maxL.Text, r.min.Text)
	}
}

// Laying the chart out again moves the segments it drew rather than making
// new ones: a year is 730 of them, and every layout of the window lays it
// out; new ones each time kept thousands alive in Fyne's caches. A shorter
// period draws fewer and lets the rest go.
func TestChartReusesItsSegments(t *testing.T) {
	start := civil.MustParse("2025-01-01")
	year := func(n int, bank bool) []reconcile.Day {
		var days []reconcile.Day
		for i := range n {
			days = append(days, reconcile.Day{Date: start.AddDays(i), BankKnown: bank, Bank: money.Kroner(int64(1000 + i)), Ledger: money.Kroner(int64(990 + i%7))})
		}
		return days
	}
	r := laidOutChart(t, year(365, true))
	c := r.c
	// A year in 680 pixels: two points a pixel at most, from the first day
	// to the last.
	if n := len(r.segments()); n < 100 || n > 680 {
		t.Fatalf("%d segments for a year of both balances 680 pixels wide, want some, and at most one a pixel", n)
	}
	var right float32
	for _, l := range r.segments() {
		right = max(right, l.Position2.X)
	}
	if right < 680-8-1 {
		t.Errorf("the lines end at x %.0f, short of the last day at the right edge (680 less the padding)", right)
	}
	first := slices.Clone(r.segments())
	r.Layout(fyne.NewSize(600, 250))
	for i, l := range r.segments() {
		if l != first[i] {
			t.Fatalf("segment %d is a new object after a second layout", i)
		}
	}
	if l := r.segments()[0]; l.Position2.X > 600 {
		t.Errorf("the first segment ends at x %.0f, outside the chart laid out 600 wide", l.Position2.X)
	}
	c.SetDays(year(30, false)) // the ledger's balance only
	if len(r.segments()) != 29 || len(r.made) > 2*29 {
		t.Errorf("a month of the ledger alone: %d segments drawn, %d kept; want 29, at most 58", len(r.segments()), len(r.made))
	}
	for _, l := range r.segments() {
		if l.StrokeColor != ledgerColour {
			t.Fatalf("a segment of the ledger's balance has colour %v", l.StrokeColor)
		}
	}
}

// Two postings that both fit one bank line are two suggestions, which say
// which posting each one would take: they read the same when only the bank
// line was named. Accepting or rejecting one says what became of it.
func TestReconcileSuggestionsTellTheirPostingsApart(t *testing.T) {
	u := newScreensUI(t)
	yesterday := scrToday.AddDays(-1)
	lines, err := u.ledger.BankLines(u.ctx, 1, yesterday, yesterday)
	if err != nil || len(lines) == 0 {
		t.Fatalf("lines %v, %v", lines, err)
	}
	line := lines[0]
	err = u.ledger.Update(u.ctx, func(tx *ledger.Tx) error {
		for _, text := range []string{"Lisens 1", "Lisens 2"} {
			if _, err := tx.AddVoucher(ledger.Voucher{Date: yesterday, Description: text, Postings: []ledger.Posting{
				{Account: 1920, Amount: line.Amount, Text: text}, {Account: 6800, Amount: -line.Amount, Text: text}}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	obj := u.reconcileScreen()
	v := u.screens().reconcile
	v.bg.Wait()
	if os.Getenv("BANKBRO_SHOTS") != "" {
		w := screenWindow(t, obj)
		for _, o := range test.LaidOutObjects(obj) {
			if tabs, ok := o.(*container.AppTabs); ok {
				tabs.SelectIndex(2)
			}
		}
		shootWindow(t, "reconcile-suggestions", w)
	}
	var sides []string
	for _, s := range v.suggestions {
		if len(s.BankLines) == 1 && s.BankLines[0].ID == line.ID {
			_, side := suggestionText(s)
			sides = append(sides, side)
		}
	}
	if len(sides) != 2 || sides[0] == sides[1] || !strings.Contains(strings.Join(sides, "|"), "Lisens 1") || !strings.Contains(strings.Join(sides, "|"), "Lisens 2") {
		t.Fatalf("suggestions for the line: %q; want two, one naming each posting", sides)
	}
	v.decide(v.suggestions[0], false)
	v.bg.Wait()
	if u.status.label.Text != lang.L("The suggestion is rejected: it is not proposed again.") {
		t.Errorf("after rejecting: status %q", u.status.label.Text)
	}
}
