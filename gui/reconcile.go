package gui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
	"bankbro/core/norway"
	"bankbro/core/reconcile"
	banksync "bankbro/core/sync"
)

// reportPeriods are the periods the report's chart can cover, ending on
// the report's day: first gives the period's first day, and nil reaches
// back to the account's start date. reportPeriod is the one chosen at
// first.
var reportPeriods = []struct {
	name  string
	first func(to civil.Date) civil.Date
}{
	{"Last 30 days", func(to civil.Date) civil.Date { return to.AddDays(-29) }},
	{"Last 60 days", func(to civil.Date) civil.Date { return to.AddDays(-59) }},
	{"Last 12 months", yearBefore},
	{"Since the start date", nil},
}

const reportPeriod = 1

// yearBefore is the first day of the twelve months that end on to: the
// day after the same day a year before (after 28 February, when to is a
// 29 February).
func yearBefore(to civil.Date) civil.Date {
	d := min(to.Day, civil.New(to.Year-1, to.Month+1, 0).Day) // the month's last day, at most
	return civil.New(to.Year-1, to.Month, d).AddDays(1)
}

// reconcileView is the Reconciliation screen: the report with its chart,
// and manual matching.
type reconcileView struct {
	u        *ui
	bg       background
	accounts []ledger.BankAccount
	account  ledger.BankAccount
	tabs     *container.AppTabs
	// tick is a bank line brought from another screen (goTo), ticked
	// once the reading begun for it has shown the lists.
	tick *ledger.BankTransaction
	// refused says the day typed was refused, and the lists emptied.
	refused bool

	picker  *widget.Select
	date    *dateField
	period  *widget.Select
	figures *reportFigures
	chart   *balanceChart
	report  reconcile.Report
	save    *widget.Button
	run     *widget.Button

	// loads and reports count the reads begun (reload counts both), so that
	// what a read finds is shown only if no later one was begun: a long
	// period read slowly must not replace the short one chosen after it.
	loads, reports int

	// The open items are read a page at a time as the lists show them;
	// totals counts and sums all of them. The checked maps hold the
	// selected items' amounts.
	totals      ledger.OpenTotals
	linePages   pager[ledger.BankTransaction]
	postPages   pager[ledger.ReconcilePosting]
	lineChecked map[int64]money.Amount
	postChecked map[int64]money.Amount
	lines       *widget.List
	posts       *widget.List
	lineSum     *widget.Label
	postSum     *widget.Label
	match       *widget.Button
	matchWhy    *widget.Label // why Match is off, with something ticked
	// counter and post post one selected open bank line, then match it.
	counter *accountPicker
	post    *widget.Button

	suggestions []reconcile.Suggestion
	suggList    *widget.List
	message     *widget.Label
	// The empty lists say so instead of showing nothing.
	noLines, noPosts, noSugg *widget.Label
	// search narrows the manual lists (text or amount); filter is what it
	// says now.
	search *widget.Entry
	filter ledger.OpenFilter
}

func (u *ui) reconcileScreen() fyne.CanvasObject {
	defer building()()
	accounts, instead := u.screenAccounts(func(a ledger.BankAccount) bool { return a.Reconciliation }, lang.L("The reconciliation could not be read"))
	if instead != nil {
		u.screens().reconcile = nil // no view to bring a line to
		return instead
	}
	v := &reconcileView{u: u, accounts: accounts, lineChecked: map[int64]money.Amount{}, postChecked: map[int64]money.Amount{}}
	u.screens().reconcile = v
	return v.build()
}

func (v *reconcileView) build() fyne.CanvasObject {
	names := make([]string, len(v.accounts))
	for i, a := range v.accounts {
		names[i] = accountLabel(a)
	}
	v.date = newDateField(v.u.today().AddDays(-1), v.u.today, nil)
	v.date.check = v.dayProblem
	// Another day reads the report again; the open items and what is
	// ticked stay: they are not of a day (reloadReport).
	v.date.entry.OnSubmitted = func(string) { v.reloadReport() }
	v.date.onPick = v.reloadReport
	periods := make([]string, len(reportPeriods))
	for i, p := range reportPeriods {
		periods[i] = lang.L(p.name)
	}
	v.period = widget.NewSelect(periods, nil)
	v.period.SetSelectedIndex(reportPeriod)
	v.period.OnChanged = func(string) { v.reloadReport() } // set after: the picker below reads the first report
	v.figures = newReportFigures()
	v.chart = newBalanceChart()
	v.save = widget.NewButtonWithIcon(lang.L("Save as CSV"), theme.DocumentSaveIcon(), v.saveCSV)
	v.run = widget.NewButtonWithIcon(lang.L("Run matcher"), theme.MediaPlayIcon(), v.runMatcher)
	v.message = widget.NewLabel("")
	v.message.Wrapping = fyne.TextWrapWord
	v.message.Hide() // until there is something to say: an empty row under the toolbar

	v.lineSum, v.postSum = widget.NewLabel(""), widget.NewLabel("")
	fail := func(err error) { v.say(describe(err)) }
	v.linePages = pager[ledger.BankTransaction]{size: openPageSize, kept: openPagesKept, bg: &v.bg, redraw: func() { v.lines.Refresh() }, fail: fail}
	v.postPages = pager[ledger.ReconcilePosting]{size: openPageSize, kept: openPagesKept, bg: &v.bg, redraw: func() { v.posts.Refresh() }, fail: fail}
	v.lines = v.checkList(v.linePages.count, func(i int) (int64, string, money.Amount, bool) {
		b, ok := v.linePages.row(i)
		return b.ID, b.AccountingDate.Norwegian() + "  " + withShop(b.Text), b.Amount, ok
	}, v.lineChecked)
	v.posts = v.checkList(v.postPages.count, func(i int) (int64, string, money.Amount, bool) {
		p, ok := v.postPages.row(i)
		// The voucher number tells apart postings of one text, such as a
		// posting and its reversal.
		return p.ID, p.Date.Norwegian() + "  " + fmt.Sprintf(lang.L("voucher %d"), p.VoucherNumber) + "  " + p.Text, p.Amount, ok
	}, v.postChecked)
	v.match = widget.NewButtonWithIcon(lang.L("Match"), theme.ConfirmIcon(), v.matchSelected)
	v.match.Importance = widget.HighImportance
	v.match.Disable()

	v.suggList = widget.NewList(func() int { return len(v.suggestions) }, func() fyne.CanvasObject {
		// Two lines: what is proposed, and both sides of it. Two
		// suggestions for one bank line differ only in their postings.
		what, sides := widget.NewLabel(""), widget.NewLabel("")
		what.Truncation, sides.Truncation = fyne.TextTruncateEllipsis, fyne.TextTruncateEllipsis
		buttons := container.NewHBox(widget.NewButton(lang.L("Accept"), nil), widget.NewButton(lang.L("Reject"), nil))
		return container.NewBorder(nil, nil, nil, container.NewCenter(buttons), container.NewVBox(what, sides))
	}, v.updateSuggestion)

	v.picker = widget.NewSelect(names, func(string) {
		v.account = v.accounts[v.picker.SelectedIndex()]
		v.date.entry.Validate() // the day allowed depends on the account's start date
		v.reload()
	})
	// Two rows, what it is and what to do with it above, which account and
	// day below: on one row they held the window wider than a laptop's.
	top := container.NewVBox(
		container.NewBorder(nil, nil, heading(lang.L("Bank reconciliation")), container.NewHBox(v.run, v.save)),
		container.NewHBox(container.NewGridWrap(fyne.NewSize(320, v.picker.MinSize().Height), v.picker),
			widget.NewLabel(lang.L("Date")), container.NewGridWrap(fyne.NewSize(170, v.date.entry.MinSize().Height), v.date.object)))

	// The chart's period beside its legend: what the chart shows.
	period := container.NewHBox(widget.NewLabel(lang.L("Chart")), container.NewGridWrap(fyne.NewSize(210, v.period.MinSize().Height), v.period))
	reportTab := container.NewBorder(container.NewVBox(v.figures.object(), container.NewBorder(nil, nil, chartLegend(), period)), nil, nil, nil, v.chart)
	var lines, posts, sugg fyne.CanvasObject
	lines, v.noLines = orEmpty(v.lines, lang.L("No open bank lines."))
	posts, v.noPosts = orEmpty(v.posts, lang.L("No open postings."))
	sugg, v.noSugg = orEmpty(v.suggList, lang.L("No suggestions: the matcher has nothing it is unsure of."))
	left := container.NewBorder(widget.NewLabelWithStyle(lang.L("Open bank lines"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.lineSum, nil, nil, lines)
	right := container.NewBorder(widget.NewLabelWithStyle(lang.L("Open postings"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.postSum, nil, nil, posts)
	split := container.NewHSplit(left, right)
	v.counter = newAccountPicker()
	// Enter posts, as in Yesterday: type or take the account, Enter.
	v.counter.OnSubmitted = func(string) {
		if !v.post.Disabled() {
			v.postSelected()
			return
		}
		// Post and match is off: say why, rather than nothing.
		v.say(lang.L("Tick the one bank line to post, with nothing ticked among the postings."))
	}
	if chart, err := v.u.ledger.Accounts(v.u.ctx); err == nil {
		v.counter.setChart(chart)
	}
	v.post = widget.NewButtonWithIcon(lang.L("Post and match"), theme.ConfirmIcon(), v.postSelected)
	v.post.Disable()
	postLine := container.NewBorder(nil, nil, widget.NewLabel(lang.L("Or post the one selected bank line to")), v.post, v.counter)
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder(lang.L("Find: text or amount, on both sides"))
	v.search.OnChanged = func(s string) { v.find(s) }
	v.matchWhy = widget.NewLabel("")
	manual := container.NewBorder(v.search, container.NewVBox(container.NewHBox(v.match, v.matchWhy), postLine), nil, nil, split)
	v.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Report"), reportTab),
		container.NewTabItem(lang.L("Manual matching"), manual),
		container.NewTabItem(lang.L("Suggestions"), sugg),
	)
	v.picker.SetSelectedIndex(0)
	return container.NewBorder(container.NewVBox(top, v.message), nil, nil, nil, v.tabs)
}

// openPageSize is how many open items one query reads for the manual
// matching lists; openPagesKept how many pages a list holds at most.
const (
	openPageSize  = 100
	openPagesKept = 20
)

// checkList is a list of open items with a checkbox each; item returns
// false while the row's page is being read.
func (v *reconcileView) checkList(n func() int, item func(int) (int64, string, money.Amount, bool), checked map[int64]money.Amount) *widget.List {
	return widget.NewList(n, func() fyne.CanvasObject {
		amount := widget.NewLabel("")
		amount.Alignment = fyne.TextAlignTrailing
		text := widget.NewLabel("")
		text.Truncation = fyne.TextTruncateEllipsis // a long bank text ran under the amount
		return container.NewBorder(nil, nil, widget.NewCheck("", nil), amount, text)
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		c := o.(*fyne.Container)
		id, text, amount, ok := item(i)
		check := c.Objects[1].(*widget.Check)
		check.OnChanged = nil
		if !ok {
			c.Objects[0].(*widget.Label).SetText("…")
			check.SetChecked(false)
			check.Disable()
			c.Objects[2].(*widget.Label).SetText("")
			return
		}
		check.Enable()
		c.Objects[0].(*widget.Label).SetText(text)
		_, on := checked[id]
		check.SetChecked(on)
		check.OnChanged = func(on bool) {
			if on {
				checked[id] = amount
			} else {
				delete(checked, id)
			}
			v.sums()
		}
		c.Objects[2].(*widget.Label).SetText(amount.String())
	})
}

// sums shows the running sum of each side's selection; Match is enabled
// only when they agree, and, as ledger.AddMatch takes it, there is
// something on both sides or at least two items on one side that cancel
// out (a posting and its reversal, which no bank line will ever come for).
func (v *reconcileView) sums() {
	var ls, ps money.Amount
	for _, a := range v.lineChecked {
		ls += a
	}
	for _, a := range v.postChecked {
		ps += a
	}
	v.lineSum.SetText(fmt.Sprintf(lang.L("Selected: %d, sum %s (all open: %s)"), count(len(v.lineChecked)), ls.Kr(), v.totals.LinesSum.Kr()))
	v.postSum.SetText(fmt.Sprintf(lang.L("Selected: %d, sum %s (all open: %s)"), count(len(v.postChecked)), ps.Kr(), v.totals.PostingsSum.Kr()))
	// Ticks stay while a search hides their rows, and Match and Post take
	// them: the sums say so.
	if v.filter.Text != "" {
		for _, c := range []struct {
			l *widget.Label
			n int
		}{{v.lineSum, len(v.lineChecked)}, {v.postSum, len(v.postChecked)}} {
			if c.n > 0 {
				c.l.SetText(c.l.Text + " " + lang.L("— also those the search hides"))
			}
		}
	}
	nl, np := len(v.lineChecked), len(v.postChecked)
	enableIf(v.match, ls == ps && (nl > 0 && np > 0 || nl+np >= 2))
	// What keeps Match off, once something is ticked: greyed out alone it
	// said nothing.
	why := ""
	switch {
	case nl+np == 0 || !v.match.Disabled():
	case ls != ps:
		why = fmt.Sprintf(lang.L("The sums differ by %s."), (ls - ps).Abs().Kr())
	default:
		why = lang.L("Tick what it matches on the other side.")
	}
	if nl >= 2 && np == 0 { // Post and match is off too, greyed out alone
		why = strings.TrimSpace(why + " " + lang.L("Post and match posts one bank line at a time: tick only that one."))
	}
	if v.matchWhy != nil {
		v.matchWhy.SetText(why)
	}
	if v.post != nil {
		enableIf(v.post, len(v.lineChecked) == 1 && len(v.postChecked) == 0)
	}
}

// reload reads the report, the open items and the suggestions again.
func (v *reconcileView) reload() {
	from, to, ok := v.days()
	if !ok {
		return
	}
	v.loads++
	v.reports++
	load, report := v.loads, v.reports
	l, ctx, a := v.u.ledger, v.u.ctx, v.account
	v.bg.run(func() {
		rep, err := reconcile.NewReport(ctx, l, from, to)
		var totals ledger.OpenTotals
		var sugg []reconcile.Suggestion
		if err == nil {
			totals, err = l.OpenTotals(ctx, a.ID, a.GLAccount, a.StartDate)
		}
		if err == nil {
			done := working() // the matcher over every open item of the account
			sugg, err = reconcile.Suggestions(ctx, l, a.ID)
			done()
		}
		do(func() {
			if load != v.loads {
				return // a later read shows what it finds
			}
			tick := v.tick // brought for this read, whatever it finds
			v.tick = nil
			if err != nil {
				v.warn(describe(err))
				return
			}
			v.say("")
			v.refused = false
			if report == v.reports {
				v.report = rep
			}
			v.totals = totals
			if v.filter == (ledger.OpenFilter{}) {
				v.showOpen(a, v.filter, totals.Lines, totals.Postings)
			} else {
				v.find(v.search.Text) // the lists as the search narrows them
			}
			v.suggestions = sugg
			clear(v.lineChecked)
			clear(v.postChecked)
			if tick != nil && tick.BankAccount == a.ID {
				v.lineChecked[tick.ID] = tick.Amount
			}
			v.show()
		})
	})
}

// canTake says whether goTo can bring line here: an open line (neither
// posted nor matched) of an account with reconciliation, on or after the
// day its reconciliation starts.
func canTake(accounts []ledger.BankAccount, line ledger.BankLine) bool {
	if line.Voucher != 0 || line.Matched {
		return false
	}
	i := slices.IndexFunc(accounts, func(a ledger.BankAccount) bool { return a.ID == line.BankAccount })
	return i >= 0 && accounts[i].Active && accounts[i].Reconciliation && !line.AccountingDate.Before(accounts[i].StartDate)
}

// takeButton is "Match or post it" under an open bank line chosen on
// another screen (the Bank list, the search): it takes the line to
// Reconciliation.
type takeButton struct {
	*widget.Button
	line ledger.BankTransaction
}

func newTakeButton(u *ui) *takeButton {
	t := &takeButton{}
	t.Button = widget.NewButtonWithIcon(lang.L("Match or post it"), theme.NavigateNextIcon(), func() { u.reconcileLine(t.line) })
	t.Importance = widget.HighImportance
	t.Hide()
	return t
}

// offer shows the button for b when Reconciliation can take it (canTake),
// hides it otherwise, and says which.
func (t *takeButton) offer(accounts []ledger.BankAccount, b ledger.BankLine) bool {
	if !canTake(accounts, b) {
		t.Hide()
		return false
	}
	t.line = b.BankTransaction
	t.Show()
	return true
}

// reconcileLine opens Reconciliation on an open bank line from another
// screen, to be matched or posted there (reconcileView.goTo).
func (u *ui) reconcileLine(line ledger.BankTransaction) {
	u.goTo(slices.IndexFunc(u.sections, func(s section) bool { return s.key == "Reconciliation" }))
	if v := u.screens().reconcile; v != nil {
		v.goTo(line)
	}
}

// goTo shows line in Manual matching: its account, the lists narrowed to
// its amount (so that postings which may be its other side show with it),
// and the line ticked, to match or to post.
func (v *reconcileView) goTo(line ledger.BankTransaction) {
	i := slices.IndexFunc(v.accounts, func(a ledger.BankAccount) bool { return a.ID == line.BankAccount })
	if i < 0 {
		return
	}
	v.tabs.SelectIndex(1)
	v.tick = &line
	v.search.SetText(line.Amount.Abs().String())
	if v.picker.SelectedIndex() != i {
		v.picker.SetSelectedIndex(i) // reads the account, then ticks
	} else {
		v.reload()
	}
}

// reloadReport reads the report alone again, for another period of the
// chart: the open items, the suggestions and what is ticked stay.
//
// After a refused day, which emptied the lists too, it reads everything.
func (v *reconcileView) reloadReport() {
	if v.refused {
		v.reload()
		return
	}
	from, to, ok := v.days()
	if !ok {
		return
	}
	v.reports++
	report := v.reports
	l, ctx := v.u.ledger, v.u.ctx
	v.bg.run(func() {
		rep, err := reconcile.NewReport(ctx, l, from, to)
		do(func() {
			if report != v.reports {
				return
			}
			if err != nil {
				v.say(describe(err))
				return
			}
			v.say("")
			v.report = rep
			v.show()
		})
	})
}

// dayProblem says why the report cannot show a day (nil: it can). The
// date field shows it, and its calendar does not offer the day.
func (v *reconcileView) dayProblem(d civil.Date) error {
	// A day's lines are read the morning after: a later day's bank balance
	// is not known yet, and the report would show a guess.
	if yesterday := v.u.today().AddDays(-1); d.After(yesterday) {
		return fmt.Errorf(lang.L("The bank's lines of a day are read the morning after: choose %s or earlier."), yesterday.Norwegian())
	}
	if start := v.account.StartDate; !start.IsZero() && d.Before(start) {
		return fmt.Errorf(lang.L("Reconciliation of this account starts on %s: choose that day or later."), start.Norwegian())
	}
	return nil
}

// days returns the report's period: the day typed, and the first day of
// the period chosen for the chart. A day the report cannot show is
// refused (refuse), and ok is false.
func (v *reconcileView) days() (from, to civil.Date, ok bool) {
	to, err := civil.ParseNorwegian(v.date.entry.Text)
	if err != nil {
		v.refuse(notADate(v.date.entry.Text).Error())
		return from, to, false
	}
	if err := v.dayProblem(to); err != nil {
		v.refuse(err.Error())
		return from, to, false
	}
	start := v.account.StartDate
	// The chart begins on the start date at the earliest: before it the
	// books hold nothing of the bank account, and a line from zero would
	// look like a difference. (An account without one, which the wizard
	// never makes, shows twelve months from the start.)
	first := reportPeriods[v.period.SelectedIndex()].first
	if first == nil && start.IsZero() {
		first = yearBefore
	}
	from = start
	if first != nil && first(to).After(start) { // every day is after the zero date
		from = first(to)
	}
	return from, to, true
}

// refuse says why there is no report, and shows none: what was shown
// belonged to another day, or (the picker has moved on) to another
// account, and must not stand under this one's name.
func (v *reconcileView) refuse(why string) {
	v.refused = true
	v.tick = nil
	v.loads++ // what reads are on their way must not show after this
	v.reports++
	v.warn(why)
	v.save.Disable() // no report to save: it would write an empty file
	v.report, v.totals, v.suggestions = reconcile.Report{}, ledger.OpenTotals{}, nil
	v.linePages.reset(0, nil)
	v.postPages.reset(0, nil)
	clear(v.lineChecked)
	clear(v.postChecked)
	v.figures.clear()
	v.chart.SetDays(nil)
	v.chart.Hide() // an empty frame the size of the screen said nothing
	v.show()
}

// showOpen lists the account's open items that pass f, lines and postings
// of them in all.
func (v *reconcileView) showOpen(a ledger.BankAccount, f ledger.OpenFilter, lines, postings int) {
	l, ctx := v.u.ledger, v.u.ctx
	v.linePages.reset(lines, func(offset, limit int) ([]ledger.BankTransaction, error) {
		return l.OpenBankLinesPage(ctx, a.ID, a.StartDate, f, offset, limit)
	})
	v.postPages.reset(postings, func(offset, limit int) ([]ledger.ReconcilePosting, error) {
		return l.OpenPostingsPage(ctx, a.GLAccount, a.StartDate, f, offset, limit)
	})
}

// find narrows the manual lists to the open items the search s finds, as
// the Bank screen's search finds them: words in the texts, or an amount
// ("1 250,00", "1250"), in or out (ledger.OpenFilter). What was ticked
// stays ticked, also when hidden.
func (v *reconcileView) find(s string) {
	f := ledger.OpenFilter{Text: strings.TrimSpace(s)}
	v.filter = f
	a, l, ctx := v.account, v.u.ledger, v.u.ctx
	v.bg.run(func() {
		lines, postings, err := l.OpenCounts(ctx, a.ID, a.GLAccount, a.StartDate, f)
		do(func() {
			if err != nil {
				v.say(describe(err))
				return
			}
			if v.filter != f || v.account.ID != a.ID {
				return // typed on meanwhile, or another account
			}
			v.showOpen(a, f, lines, postings)
			v.show()
		})
	})
}

// say shows text under the toolbar, or hides the line when text is empty.
func (v *reconcileView) say(text string) { v.sayAs(text, widget.MediumImportance) }

// warn says text as a problem: in red, as the other screens' refusals.
func (v *reconcileView) warn(text string) { v.sayAs(text, widget.DangerImportance) }

func (v *reconcileView) sayAs(text string, importance widget.Importance) {
	v.message.Importance = importance
	say(v.message, text)
}

func (v *reconcileView) show() {
	if len(v.report.Accounts) > 0 {
		v.save.Enable()
	}
	for _, a := range v.report.Accounts {
		if a.BankAccount.ID != v.account.ID {
			continue
		}
		v.figures.set(a)
		v.chart.SetDays(a.Days)
		v.chart.Show()
	}
	// An empty list under a search says the search found nothing, not
	// that nothing is open.
	if f := v.filter.Text; f != "" {
		v.noLines.SetText(fmt.Sprintf(lang.L("No open bank lines match “%s”."), f))
		v.noPosts.SetText(fmt.Sprintf(lang.L("No open postings match “%s”."), f))
	} else {
		v.noLines.SetText(lang.L("No open bank lines."))
		v.noPosts.SetText(lang.L("No open postings."))
	}
	showIf(v.noLines, v.linePages.count() == 0)
	showIf(v.noPosts, v.postPages.count() == 0)
	showIf(v.noSugg, len(v.suggestions) == 0)
	v.lines.Refresh()
	v.posts.Refresh()
	v.suggList.Refresh()
	v.sums()
}

// orEmpty lays text over list, centred and hidden: shown (showIf) it says
// why the list is empty.
func orEmpty(list fyne.CanvasObject, text string) (fyne.CanvasObject, *widget.Label) {
	l := widget.NewLabel(text)
	l.Hide()
	return container.NewStack(list, container.NewCenter(l)), l
}

func (v *reconcileView) updateSuggestion(i widget.ListItemID, o fyne.CanvasObject) {
	c := o.(*fyne.Container)
	s := v.suggestions[i]
	what, sides := suggestionText(s)
	text := c.Objects[0].(*fyne.Container).Objects
	text[0].(*widget.Label).SetText(what)
	text[1].(*widget.Label).SetText(sides)
	buttons := c.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container)
	buttons.Objects[0].(*widget.Button).OnTapped = func() { v.decide(s, true) }
	buttons.Objects[1].(*widget.Button).OnTapped = func() { v.decide(s, false) }
}

// suggestionText says what s proposes, and its sides: the first bank line
// by date and whom it was with (a card line's text runs long, and pushed
// the posting, which tells suggestions apart, off the row), and the first
// posting by date and text.
func suggestionText(s reconcile.Suggestion) (what, sides string) {
	what = fmt.Sprintf(lang.L("%s against %s, %s"), counted(len(s.BankLines), "1 bank line", "%d bank lines"), counted(len(s.Postings), "1 posting", "%d postings"), s.Amount().Kr())
	var parts []string
	if len(s.BankLines) > 0 {
		b := s.BankLines[0]
		party := norway.LineParty(b.Counterparty, b.Text)
		if party == "" {
			party = b.Text
		}
		parts = append(parts, lang.L("Bank")+": "+b.AccountingDate.Norwegian()+" "+party)
	}
	if len(s.Postings) > 0 {
		p := s.Postings[0]
		parts = append(parts, lang.L("Ledger")+": "+p.Date.Norwegian()+" "+p.Text)
	}
	return what, strings.Join(parts, "   ·   ")
}

func (v *reconcileView) decide(s reconcile.Suggestion, accept bool) {
	l, ctx := v.u.ledger, v.u.ctx
	v.bg.run(func() {
		var err error
		if accept {
			err = reconcile.Accept(ctx, l, s)
		} else {
			err = reconcile.Reject(ctx, l, s)
		}
		do(func() {
			if err != nil {
				v.say(describe(err))
				return
			}
			if accept {
				v.u.status.done(lang.L("The suggestion is accepted: matched."))
			} else {
				v.u.status.done(lang.L("The suggestion is rejected: it is not proposed again."))
			}
			v.reload()
		})
	})
}

func (v *reconcileView) matchSelected() {
	lines := slices.Sorted(maps.Keys(v.lineChecked))
	posts := slices.Sorted(maps.Keys(v.postChecked))
	v.match.Disable()
	l, ctx := v.u.ledger, v.u.ctx
	v.bg.run(func() {
		err := reconcile.Match(ctx, l, lines, posts, "")
		do(func() {
			if err != nil {
				v.say(describe(err))
				v.sums()
				return
			}
			switch {
			case len(lines) == 0:
				v.u.status.set(fmt.Sprintf(lang.L("Matched %s that cancel each other out."), counted(len(posts), "1 posting", "%d postings")))
			case len(posts) == 0:
				v.u.status.set(fmt.Sprintf(lang.L("Matched %s that cancel each other out."), counted(len(lines), "1 bank line", "%d bank lines")))
			default:
				v.u.status.set(fmt.Sprintf(lang.L("Matched %s against %s."), counted(len(lines), "1 bank line", "%d bank lines"), counted(len(posts), "1 posting", "%d postings")))
			}
			v.reload()
		})
	})
}

// postSelected posts the one selected open bank line against the chosen
// account, as the Yesterday screen does; sync.Post matches it at once.
func (v *reconcileView) postSelected() {
	var line int64
	for id := range v.lineChecked {
		line = id
	}
	n, ok := v.counter.account()
	if line == 0 || !ok {
		v.say(lang.L("Choose the counter account: type its number or part of its name."))
		return
	}
	v.post.Disable()
	l, ctx, amount := v.u.ledger, v.u.ctx, v.lineChecked[line]
	v.bg.run(func() {
		defer working()()
		voucher, err := banksync.Post(ctx, l, line, n, "")
		do(func() {
			if err != nil {
				v.say(describe(err))
				v.sums()
				return
			}
			// Named, not just numbered: the line ticked may be one the
			// search hides now.
			v.u.status.set(fmt.Sprintf(lang.L("Posted %s %s %s as voucher %d."), voucher.Date.Norwegian(), voucher.Description,
				amount.Kr(), voucher.Number))
			delete(v.lineChecked, line)
			v.reload()
		})
	})
}

func (v *reconcileView) runMatcher() {
	v.run.Disable()
	l := v.u.ledger
	// The matcher stores its matches in one transaction: a cancel rolls it
	// back, and nothing is matched.
	ctx, cancel := context.WithCancel(v.u.ctx)
	v.u.status.running(lang.L("Matching bank lines against the books…"), -1, lang.L("Cancel"), cancel)
	v.bg.run(func() {
		defer working()()
		defer cancel()
		res, err := reconcile.Run(ctx, l, reconcile.Options{})
		do(func() {
			v.run.Enable()
			if errors.Is(err, context.Canceled) {
				v.u.status.done(lang.L("Matching was cancelled; nothing was matched."))
				return
			}
			if err != nil {
				v.u.status.done(describe(err))
				return
			}
			v.u.status.done(matcherSummary(res))
			v.reload()
		})
	})
}

// matcherSummary says what a run of the matcher did: its matches, and the
// bank lines the owner's post-and-match rules posted (they are vouchers in
// the books now, which the owner should know without looking).
func matcherSummary(res reconcile.Result) string {
	posted := res.Posted()
	if res.Matched() == 0 {
		// Nothing new: what is left open is the owner's to do.
		open := res.OpenLines()
		if open == 0 {
			return lang.L("The matcher found nothing more to match: every bank line is matched.")
		}
		return fmt.Sprintf(lang.L("The matcher found nothing more to match; %s."), counted(open, "1 bank line is open", "%d bank lines are open"))
	}
	if posted == 0 {
		return fmt.Sprintf(lang.L("The matcher made %d matches."), count(res.Matched()))
	}
	return fmt.Sprintf(lang.L("The matcher made %d matches, %d of them bank lines posted by your rules."), count(res.Matched()), count(posted))
}

func (v *reconcileView) saveCSV() {
	rep := v.report
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		v.writeCSV(rep, w, w.URI().Path())
	}, v.u.win)
	d.SetFileName("bankavstemming-" + rep.To.String() + ".csv")
	d.Show()
}

// csvName is a column or side of the report's CSV in the window's
// language: a spreadsheet's headers are read by people.
func csvName(s string) string {
	switch s {
	case "account":
		return lang.L("Account")
	case "name":
		return lang.L("Name")
	case "gl_account":
		return lang.L("GL account")
	case "date":
		return lang.L("Date")
	case "bank_balance":
		return lang.L("Balance in the bank")
	case "ledger_balance":
		return lang.L("Balance in the books")
	case "difference":
		return lang.L("Difference")
	case "open_bank_lines":
		return lang.L("Open bank lines")
	case "open_bank_lines_sum":
		return lang.L("Sum of open bank lines")
	case "open_postings":
		return lang.L("Open postings")
	case "open_postings_sum":
		return lang.L("Sum of open postings")
	case "opening_difference":
		return lang.L("Difference at the start")
	case "side":
		return lang.L("Side")
	case "id":
		return "ID"
	case "amount":
		return lang.L("Amount")
	case "text":
		return lang.L("Text")
	case "bank":
		return lang.L("Bank (side)")
	case "ledger":
		return lang.L("Books (side)")
	}
	return s
}

// utf8BOM marks a text file as UTF-8 for spreadsheets.
const utf8BOM = "\ufeff"

// writeCSV writes the report over rep's period as CSV to w and closes it,
// off the UI goroutine, and says where it went (the file's path). The
// report is read again, so that its counts and the open items written with
// them are of one moment.
func (v *reconcileView) writeCSV(rep reconcile.Report, w io.WriteCloser, where string) {
	l, ctx := v.u.ledger, v.u.ctx
	v.bg.run(func() {
		rep, err := reconcile.NewReport(ctx, l, rep.From, rep.To)
		if err == nil {
			// A byte-order mark first: Excel reads a CSV without one in
			// the machine's old code page, and "Åpne" became "Ã…pne".
			_, err = io.WriteString(w, utf8BOM)
		}
		if err == nil {
			err = rep.WriteCSVNamed(ctx, l, w, csvName)
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		do(func() {
			if err != nil {
				v.say(describe(err))
				return
			}
			v.u.status.set(fmt.Sprintf(lang.L("The report is saved as %s."), where))
		})
	})
}
