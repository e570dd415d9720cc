package gui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/reconcile"
)

// reportFigures is the reconciliation report's figures for one account and
// day, set out as a balance sheet is: the balances and their difference in
// one block, the open items that explain it in another, every amount
// right-aligned in a column of its own. Read down, the difference sits
// under the balances it comes from; and an amount is never broken over two
// lines, as it was in a sentence wrapped at the space in "12 442 976,17".
type reportFigures struct {
	bank, books, diff     *widget.Label
	opening, openingLabel *widget.Label // shown only when the books started out wrong
	lines, postings       *widget.Label // how many are open
	linesSum, postingsSum *widget.Label
	since                 *widget.Label // the day bank and books began to differ
	box                   *fyne.Container
}

func newReportFigures() *reportFigures {
	f := &reportFigures{}
	amount := func() *widget.Label { return widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}) }
	f.bank, f.books, f.diff, f.opening = amount(), amount(), amount(), amount()
	f.linesSum, f.postingsSum = amount(), amount()
	f.lines, f.postings = amount(), amount()
	f.diff.TextStyle.Bold = true
	f.openingLabel = widget.NewLabel(lang.L("Difference at the start"))
	f.since = widget.NewLabel("")
	f.since.Wrapping = fyne.TextWrapWord
	// Rows close together: three of them would otherwise take the chart's
	// room.
	column := func(cells ...fyne.CanvasObject) *fyne.Container {
		return container.New(layout.NewCustomPaddedVBoxLayout(0), cells...)
	}
	balances := container.NewHBox(
		column(widget.NewLabel(lang.L("Balance in the bank")), widget.NewLabel(lang.L("Balance in the books")),
			widget.NewLabelWithStyle(lang.L("Difference"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), f.openingLabel),
		column(f.bank, f.books, f.diff, f.opening))
	open := container.NewHBox(
		column(widget.NewLabel(lang.L("Open bank lines")), widget.NewLabel(lang.L("Open postings"))),
		column(f.lines, f.postings),
		column(f.linesSum, f.postingsSum))
	f.box = container.NewVBox(container.NewHBox(balances, widget.NewSeparator(), open), f.since)
	f.clear()
	return f
}

func (f *reportFigures) object() fyne.CanvasObject { return f.box }

// set shows a's figures.
func (f *reportFigures) set(a reconcile.AccountReport) {
	f.bank.SetText(lang.L("not known"))
	f.diff.SetText(lang.L("not known"))
	f.diff.Importance = widget.MediumImportance
	if a.BankKnown {
		f.bank.SetText(a.BankBalance.Kr())
		f.diff.SetText(a.Difference().Kr())
		if a.Difference() != 0 {
			f.diff.Importance = widget.DangerImportance
		}
	}
	f.diff.Refresh()
	f.books.SetText(a.LedgerBalance.Kr())
	// A difference the open items cannot explain: the opening balances in
	// the books disagree with the bank's.
	opening := a.OpeningKnown && a.OpeningDifference() != 0
	f.opening.SetText(a.OpeningDifference().Kr())
	showIf(f.opening, opening)
	showIf(f.openingLabel, opening)
	f.lines.SetText(fmt.Sprint(count(a.OpenLines)))
	f.postings.SetText(fmt.Sprint(count(a.OpenPostings)))
	f.linesSum.SetText(a.OpenLinesSum.Kr())
	f.postingsSum.SetText(a.OpenPostingsSum.Kr())
	// The day the difference began, which the chart shows but cannot name:
	// where to start looking.
	since, open, ok := a.DifferenceSince()
	switch {
	case ok && open:
		say(f.since, fmt.Sprintf(lang.L("Bank and books have differed since %s or earlier (the chart's first day): a longer period shows when it began."), since.Norwegian()))
	case ok:
		say(f.since, fmt.Sprintf(lang.L("Bank and books have differed since %s: look there first."), since.Norwegian()))
	default:
		say(f.since, "")
	}
	f.box.Show()
}

// clear hides the figures: there is no report to show.
func (f *reportFigures) clear() {
	for _, l := range []*widget.Label{f.bank, f.books, f.diff, f.opening, f.lines, f.postings, f.linesSum, f.postingsSum} {
		l.SetText("")
	}
	say(f.since, "")
	f.box.Hide()
}

// shown reports whether figures are shown.
func (f *reportFigures) shown() bool { return f.box.Visible() }
