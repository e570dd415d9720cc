package gui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/ledger"
	"bankbro/core/money"
	"bankbro/core/reconcile"
)

// rulesEditor is Settings → Rules: the owner's reconciliation rules, applied
// by the matcher in this order after its own rules.
type rulesEditor struct {
	u        *ui
	rules    []ledger.Rule
	selected int // index in rules, or -1 for a new rule
	list     *widget.List

	kind      *widget.RadioGroup
	text      *widget.Entry
	direction *widget.Select
	tolerance *widget.Entry
	amount    *widget.Entry
	account   *accountPicker
	form      *widget.Form // its labels follow their fields' enabled state on Refresh
	active    *widget.Check
	save      *widget.Button
	remove    *widget.Button
	up, down  *widget.Button
	problem   *widget.Label
	none      *widget.Label // shown while there are no rules
	bg        background
	writing   bool // a change is being written (change)
}

var (
	kindNames      = []string{"Match", "Post and match"}
	directionNames = []string{"In and out", "Money in", "Money out"}
	directions     = []ledger.Direction{ledger.DirectionAny, ledger.DirectionIn, ledger.DirectionOut}
)

func (u *ui) rulesTab() fyne.CanvasObject {
	e := &rulesEditor{u: u, selected: -1}
	e.list = widget.NewList(func() int { return len(e.rules) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis // cut with …, not mid-word unseen
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(fmt.Sprintf("%d. %s", i+1, describeRule(e.rules[i])))
		})
	e.list.OnSelected = func(i widget.ListItemID) { e.edit(i) }
	e.kind = widget.NewRadioGroup(translated(kindNames), func(string) { e.refreshForm() })
	e.kind.Horizontal = true
	e.text = widget.NewEntry()
	e.text.SetPlaceHolder(lang.L("For example: Gebyr"))
	e.direction = widget.NewSelect(translated(directionNames), nil)
	e.tolerance = widget.NewEntry()
	e.amount = widget.NewEntry()
	e.amount.SetPlaceHolder(lang.L("Any amount"))
	e.account = newAccountPicker()
	e.none = widget.NewLabel(lang.L("Reading…"))
	e.none.Wrapping = fyne.TextWrapWord
	e.active = widget.NewCheck(lang.L("Active"), nil)
	e.problem = widget.NewLabel("")
	e.problem.Importance = widget.DangerImportance
	e.problem.Wrapping = fyne.TextWrapWord
	e.save = widget.NewButtonWithIcon(lang.L("Save rule"), theme.DocumentSaveIcon(), e.saveRule)
	e.save.Importance = widget.HighImportance
	e.remove = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), e.deleteRule)
	e.up = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { e.move(-1) })
	e.down = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { e.move(+1) })
	add := widget.NewButtonWithIcon(lang.L("New rule"), theme.ContentAddIcon(), func() { e.list.UnselectAll(); e.edit(-1) })
	u.rules = e
	e.edit(-1)
	e.load()

	e.form = widget.NewForm(
		widget.NewFormItem(lang.L("The rule"), container.NewHBox(e.kind)), // side by side, not spread over the form
		widget.NewFormItem(lang.L("Text contains"), e.text),
		widget.NewFormItem(lang.L("Direction"), e.direction),
		widget.NewFormItem(lang.L("Amount"), e.amount),
		widget.NewFormItem(lang.L("Days of tolerance"), e.tolerance),
		widget.NewFormItem(lang.L("Post to account"), e.account),
		widget.NewFormItem("", e.active),
	)
	intro := widget.NewLabel(lang.L("Your own rules for bank reconciliation, tried in this order after Bankbro's own (reference, KID, same amount and date, same-day sums). \"Match\" matches a bank line with an open posting; \"Post and match\" posts the line to an account first, for example bank fees."))
	intro.Wrapping = fyne.TextWrapWord
	buttons := container.NewHBox(add, e.up, e.down, layoutSpacer(), e.remove, e.save)
	right := container.NewVBox(e.form, e.problem, buttons)
	split := container.NewHSplit(container.NewStack(e.list, container.NewPadded(e.none)), container.NewVScroll(right))
	split.Offset = 0.45
	return container.NewBorder(intro, nil, nil, nil, split)
}

func translated(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = lang.L(k)
	}
	return out
}

// describeRule says in words what a rule does. What tells rules apart, the
// text they look for and whether they are active, comes first: the list of
// rules is narrow and cuts its rows short.
func describeRule(r ledger.Rule) string {
	var b strings.Builder
	if r.TextContains != "" {
		fmt.Fprintf(&b, lang.L("“%s”"), r.TextContains)
	}
	if !r.Active {
		b.WriteString(lang.L(" (not active)"))
	}
	if b.Len() > 0 {
		b.WriteString(" → ")
	}
	if r.Kind == ledger.RulePostAndMatch {
		fmt.Fprintf(&b, lang.L("Post to %d and match"), r.Account)
	} else {
		b.WriteString(lang.L("Match"))
	}
	switch r.Direction {
	case ledger.DirectionIn:
		b.WriteString(lang.L(", money in"))
	case ledger.DirectionOut:
		b.WriteString(lang.L(", money out"))
	}
	if r.Amount != 0 {
		fmt.Fprintf(&b, lang.L(", amount %s"), r.Amount.String())
	}
	if r.Kind == ledger.RuleMatch && r.ToleranceDays > 0 {
		fmt.Fprintf(&b, lang.L(", ± %d days"), r.ToleranceDays)
	}
	return strings.TrimPrefix(b.String(), " ")
}

// load reads the rules and the chart of accounts off the UI goroutine and
// then shows them; until then the list says it is reading.
func (e *rulesEditor) load() {
	ctx, l := e.u.ctx, e.u.ledger
	e.bg.run(func() {
		rules, err := reconcile.Rules(ctx, l)
		var chart []ledger.Account
		if err == nil {
			chart, err = l.Accounts(ctx)
		}
		do(func() {
			// A post-and-match rule posts to an income or expense account.
			var postable []ledger.Account
			for _, a := range chart {
				if a.Type == ledger.Expense || a.Type == ledger.Income {
					postable = append(postable, a)
				}
			}
			e.account.setChart(postable)
			e.show(rules, err)
		})
	})
}

// change writes to the ledger and reads the rules again off the UI
// goroutine (a write waits while the morning import holds the ledger),
// then shows them and calls then; a failure is shown as explain says.
// Saving, deleting and moving are refused meanwhile.
func (e *rulesEditor) change(write func(ctx context.Context, l *ledger.Ledger) error, explain func(error) string, then func()) {
	ctx, l := e.u.ctx, e.u.ledger
	e.busy(true)
	e.bg.run(func() {
		err := write(ctx, l)
		var rules []ledger.Rule
		if err == nil {
			rules, err = reconcile.Rules(ctx, l)
		}
		do(func() {
			e.busy(false)
			if err != nil {
				e.problem.SetText(explain(err))
				return
			}
			e.show(rules, nil)
			then()
		})
	})
}

// busy disables the buttons that change the rules while a change is
// written, and gives them back after.
func (e *rulesEditor) busy(on bool) {
	e.writing = on
	enableIf(e.save, !on)
	e.refreshForm()
}

func (e *rulesEditor) show(rules []ledger.Rule, err error) {
	if err != nil {
		e.problem.SetText(describe(err))
		return
	}
	e.rules = rules
	e.list.Refresh()
	e.none.SetText(lang.L("No rules yet. Make one with the form."))
	showIf(e.none, len(rules) == 0)
}

// edit fills the form with rule i (or empties it for a new rule).
func (e *rulesEditor) edit(i int) {
	e.selected = i
	r := ledger.Rule{Kind: ledger.RuleMatch, Direction: ledger.DirectionAny, Active: true}
	if i >= 0 && i < len(e.rules) {
		r = e.rules[i]
	}
	e.kind.SetSelected(lang.L(kindNames[map[ledger.RuleKind]int{ledger.RuleMatch: 0, ledger.RulePostAndMatch: 1}[r.Kind]]))
	e.text.SetText(r.TextContains)
	for j, d := range directions {
		if d == r.Direction {
			e.direction.SetSelectedIndex(j)
		}
	}
	e.tolerance.SetText(strconv.Itoa(r.ToleranceDays))
	e.amount.SetText("")
	if r.Amount != 0 {
		e.amount.SetText(r.Amount.String())
	}
	e.account.SetText("")
	if r.Account != 0 {
		e.account.show(r.Account)
	}
	e.active.SetChecked(r.Active)
	e.problem.SetText("")
	e.refreshForm()
}

// refreshForm shows the fields that belong to the chosen kind of rule.
func (e *rulesEditor) refreshForm() {
	post := e.kind.Selected == lang.L(kindNames[1])
	if post {
		e.account.Enable()
		e.tolerance.Disable()
	} else {
		e.account.Disable()
		e.tolerance.Enable()
	}
	if e.form != nil {
		e.form.Refresh()
	}
	chosen := e.selected >= 0 && !e.writing
	enableIf(e.remove, chosen)
	enableIf(e.up, chosen && e.selected > 0) // the first cannot go higher
	enableIf(e.down, chosen && e.selected < len(e.rules)-1)
}

// rule reads the form.
func (e *rulesEditor) rule() (ledger.Rule, error) {
	r := ledger.Rule{Kind: ledger.RuleMatch, TextContains: strings.TrimSpace(e.text.Text), Active: e.active.Checked}
	if e.selected >= 0 {
		r.ID, r.Position = e.rules[e.selected].ID, e.rules[e.selected].Position
	}
	if e.kind.Selected == lang.L(kindNames[1]) {
		r.Kind = ledger.RulePostAndMatch
		r.Account, _ = e.account.account()
	} else {
		days, err := strconv.Atoi(strings.TrimSpace(e.tolerance.Text))
		if err != nil {
			return r, fmt.Errorf(lang.L("Days of tolerance must be a whole number, not “%s”."), e.tolerance.Text)
		}
		r.ToleranceDays = days
	}
	r.Direction = ledger.DirectionAny
	if i := e.direction.SelectedIndex(); i >= 0 {
		r.Direction = directions[i]
	}
	if s := strings.TrimSpace(e.amount.Text); s != "" {
		a, err := money.Parse(s)
		if err != nil {
			return r, fmt.Errorf(lang.L("“%s” is not an amount."), s)
		}
		r.Amount = a.Abs()
	}
	return r, nil
}

func (e *rulesEditor) saveRule() {
	r, err := e.rule() // in the window's words already
	if err == nil {
		err = ruleProblem(r)
	}
	if err != nil {
		e.problem.SetText(err.Error())
		return
	}
	e.change(func(ctx context.Context, l *ledger.Ledger) error {
		_, err := reconcile.SaveRule(ctx, l, r)
		return err
	}, func(err error) string {
		if errors.As(err, new(*ledger.AccountError)) {
			return describe(err)
		}
		return lang.L(err.Error()) // Rule.Validate's sentences are keys
	}, func() {
		e.list.UnselectAll()
		e.edit(-1)
		e.u.status.done(lang.L("The rule is saved. It is used from the next matching on."))
	})
}

// ruleProblem is what Rule.Validate finds wrong with r, in the window's
// words (its sentences are keys).
func ruleProblem(r ledger.Rule) error {
	if err := r.Validate(); err != nil {
		return errors.New(lang.L(err.Error()))
	}
	return nil
}

func (e *rulesEditor) deleteRule() {
	if e.selected < 0 {
		return
	}
	r := e.rules[e.selected]
	dialog.ShowConfirm(lang.L("Delete the rule?"), describeRule(r), func(ok bool) {
		if !ok {
			return
		}
		e.change(func(ctx context.Context, l *ledger.Ledger) error {
			return reconcile.DeleteRule(ctx, l, r.ID)
		}, describe, func() {
			e.list.UnselectAll()
			e.edit(-1)
			e.u.status.done(lang.L("The rule is deleted. Matches it made stay."))
		})
	}, e.u.win)
}

func (e *rulesEditor) move(by int) {
	to := e.selected + by
	if e.selected < 0 || to < 0 || to >= len(e.rules) {
		return
	}
	id := e.rules[e.selected].ID
	e.change(func(ctx context.Context, l *ledger.Ledger) error {
		return reconcile.MoveRule(ctx, l, id, to+1)
	}, describe, func() { e.list.Select(to) })
}
