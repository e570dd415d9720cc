package gui

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/ledger"
)

// accountsEditor is Settings → Chart of accounts: the accounts postings go
// to, found by number or name; a new one is added, and one is renamed,
// retyped or taken out of use (an account is never deleted: postings may
// stand on it).
type accountsEditor struct {
	u     *ui
	chart []ledger.Account // the whole chart, in number order
	shown []ledger.Account // what the search finds
	list  *widget.List
	find  *widget.Entry
	none  *widget.Label

	editing *ledger.Account // the account in the form; nil for a new one
	// typed says the owner chose the new account's type: typing the
	// number on no longer offers one.
	typed    bool
	offering bool          // the type is being offered, not chosen
	title    *widget.Label // which: "New account" or the account
	// typeNote says when the type chosen is not the one NS 4102 gives the
	// number (allowed: the owner may know better).
	typeNote *widget.Label
	number   *widget.Entry
	name     *widget.Entry
	kind     *widget.Select
	active   *widget.Check
	save     *widget.Button
	problem  *widget.Label
	bg       background
}

// typeName is an account type in the window's language.
func typeName(t ledger.AccountType) string {
	switch t {
	case ledger.Asset:
		return lang.L("Asset")
	case ledger.Liability:
		return lang.L("Liability")
	case ledger.Equity:
		return lang.L("Equity")
	case ledger.Income:
		return lang.L("Income")
	case ledger.Expense:
		return lang.L("Expense")
	}
	return string(t)
}

func (u *ui) accountsTab() fyne.CanvasObject {
	e := &accountsEditor{u: u}
	e.list = widget.NewList(func() int { return len(e.shown) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			a := e.shown[i]
			text := fmt.Sprintf("%d  %s  · %s", a.Number, a.Name, typeName(a.Type))
			if !a.Active {
				text += lang.L(" (not in use)")
			}
			l := o.(*widget.Label)
			l.Importance = widget.MediumImportance
			if !a.Active {
				l.Importance = widget.LowImportance
			}
			l.SetText(text)
		})
	e.list.OnSelected = func(i widget.ListItemID) {
		if i >= 0 && i < len(e.shown) {
			e.edit(&e.shown[i])
		}
	}
	e.find = widget.NewEntry()
	e.find.SetPlaceHolder(lang.L("Find: number or name"))
	e.find.OnChanged = func(string) { e.filter() }
	e.none = widget.NewLabel(lang.L("Reading…"))
	e.none.Wrapping = fyne.TextWrapWord

	e.number = widget.NewEntry()
	e.number.SetPlaceHolder("6560")
	e.number.OnChanged = e.numberTyped
	e.name = widget.NewEntry()
	var names []string
	for _, t := range ledger.AccountTypes {
		names = append(names, typeName(t))
	}
	e.kind = widget.NewSelect(names, func(string) {
		e.typed = !e.offering
		e.noteType()
	})
	e.typeNote = widget.NewLabel("")
	e.typeNote.Importance = widget.WarningImportance
	e.typeNote.Wrapping = fyne.TextWrapWord
	e.typeNote.Hide()
	e.kind.PlaceHolder = lang.L("Choose the type")
	e.active = widget.NewCheck(lang.L("In use"), nil)
	e.problem = widget.NewLabel("")
	e.problem.Wrapping = fyne.TextWrapWord
	e.problem.Importance = widget.DangerImportance
	e.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.save = widget.NewButtonWithIcon(lang.L("Save account"), theme.DocumentSaveIcon(), e.saveAccount)
	e.save.Importance = widget.HighImportance
	add := widget.NewButtonWithIcon(lang.L("New account"), theme.ContentAddIcon(), func() {
		e.list.UnselectAll()
		e.edit(nil)
		e.u.win.Canvas().Focus(e.number)
	})
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Account number"), e.number),
		widget.NewFormItem(lang.L("Name"), e.name),
		widget.NewFormItem(lang.L("Type"), e.kind),
		widget.NewFormItem("", e.active),
	)
	form.Items[3].HintText = lang.L("Not in use: no new postings on it.")
	u.accounts = e
	e.edit(nil)
	e.load(0)

	intro := widget.NewLabel(lang.L("The accounts of the books. Add the ones the business needs; an account the bank integration posts to stays in use."))
	intro.Wrapping = fyne.TextWrapWord
	left := container.NewBorder(e.find, nil, nil, nil, container.NewStack(e.list, container.NewPadded(e.none)))
	// The problem under the buttons: above them, it moved Save away from
	// under the pointer.
	right := container.NewVBox(e.title, form, e.typeNote, container.NewHBox(add, layoutSpacer(), e.save), e.problem)
	split := container.NewHSplit(left, container.NewVScroll(right))
	split.Offset = 0.5
	return container.NewBorder(intro, nil, nil, nil, split)
}

// load reads the chart off the UI goroutine, then shows it with account
// select chosen (0: none).
func (e *accountsEditor) load(selected int) {
	ctx, l := e.u.ctx, e.u.ledger
	e.bg.run(func() {
		chart, err := l.Accounts(ctx)
		do(func() {
			if err != nil {
				e.none.SetText(describe(err))
				e.none.Show()
				return
			}
			e.chart = chart
			e.filter()
			if i := slices.IndexFunc(e.shown, func(a ledger.Account) bool { return a.Number == selected }); i >= 0 {
				e.list.Select(i)
				e.list.ScrollTo(i)
			}
		})
	})
}

// filter shows the accounts whose number begins with what is typed, or
// whose name holds it.
func (e *accountsEditor) filter() {
	e.shown = e.shown[:0]
	for _, a := range e.chart {
		if a.Fits(e.find.Text) {
			e.shown = append(e.shown, a)
		}
	}
	e.list.UnselectAll()
	e.list.Refresh()
	switch {
	case len(e.chart) == 0:
	case len(e.shown) == 0:
		e.none.SetText(fmt.Sprintf(lang.L("No account has “%s” in its number or name."), e.find.Text))
	}
	showIf(e.none, len(e.shown) == 0)
}

// edit fills the form with account a, or empties it for a new account.
func (e *accountsEditor) edit(a *ledger.Account) {
	e.editing = nil
	if a != nil {
		copied := *a
		e.editing = &copied
	}
	e.problem.SetText("")
	e.offering = true // what the form is filled with is no choice of the owner's
	defer func() { e.offering, e.typed = false, false }()
	if a == nil {
		e.title.SetText(lang.L("New account"))
		e.number.Enable()
		e.number.SetText("")
		e.name.SetText("")
		e.kind.ClearSelected()
		e.active.SetChecked(true)
		return
	}
	e.title.SetText(fmt.Sprintf(lang.L("Account %d"), a.Number))
	e.number.SetText(strconv.Itoa(a.Number))
	e.number.Disable() // the number is the account: postings stand on it
	e.name.SetText(a.Name)
	e.kind.SetSelected(typeName(a.Type))
	e.active.SetChecked(a.Active)
}

// noteType says when the type chosen differs from the one NS 4102 gives
// the number typed.
func (e *accountsEditor) noteType() {
	n, ok := accountNumber(e.number.Text)
	i := e.kind.SelectedIndex()
	standard := ledger.TypeOfNumber(n)
	if !ok || i < 0 || standard == "" || ledger.AccountTypes[i] == standard {
		e.typeNote.Hide()
		return
	}
	e.typeNote.SetText(fmt.Sprintf(lang.L("NS 4102 gives accounts %d… the type %s, not %s: check the number."), n/100, strings.ToLower(typeName(standard)), strings.ToLower(typeName(ledger.AccountTypes[i]))))
	e.typeNote.Show()
}

// numberTyped offers, for a new account, the type its number has in the
// standard, and says if the number is taken.
func (e *accountsEditor) numberTyped(s string) {
	if e.editing != nil {
		return
	}
	e.problem.SetText("")
	n, ok := accountNumber(s)
	if !ok {
		e.noteType() // of no number: none
		return
	}
	if !e.typed {
		e.offering = true
		if t := ledger.TypeOfNumber(n); t != "" {
			e.kind.SetSelected(typeName(t))
		} else {
			e.kind.ClearSelected() // class 9: the owner's choice
		}
		e.offering = false
	}
	if i := slices.IndexFunc(e.chart, func(a ledger.Account) bool { return a.Number == n }); i >= 0 {
		e.problem.SetText(fmt.Sprintf(lang.L("Account %d is in the chart already: %s."), n, e.chart[i].Name))
	}
	e.noteType()
}

// accountNumber reads an account number as typed, and says whether it
// can number an account (ledger.CheckAccountNumber).
func accountNumber(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil && ledger.CheckAccountNumber(n) == nil
}

// account reads the form.
func (e *accountsEditor) account() (ledger.Account, error) {
	n, ok := accountNumber(e.number.Text)
	if !ok {
		return ledger.Account{}, errors.New(lang.L("An account number has four digits, 1000 to 9999."))
	}
	if e.editing == nil && slices.ContainsFunc(e.chart, func(a ledger.Account) bool { return a.Number == n }) {
		return ledger.Account{}, fmt.Errorf(lang.L("Account %d is in the chart already: choose it in the list to change it."), n)
	}
	i := e.kind.SelectedIndex()
	if i < 0 {
		return ledger.Account{}, errors.New(lang.L("Choose the account's type."))
	}
	return ledger.Account{Number: n, Name: e.name.Text, Type: ledger.AccountTypes[i], Active: e.active.Checked}, nil
}

func (e *accountsEditor) saveAccount() {
	a, err := e.account()
	if err != nil {
		e.problem.SetText(err.Error())
		return
	}
	ctx, l := e.u.ctx, e.u.ledger
	e.save.Disable()
	e.bg.run(func() {
		err := l.Update(ctx, func(tx *ledger.Tx) error { return tx.SaveAccount(a) })
		do(func() {
			e.save.Enable()
			if err != nil {
				e.problem.SetText(describe(err))
				if errors.As(err, new(*ledger.AccountInUseError)) && e.editing != nil {
					// As it stays: the form shows the account as stored.
					e.kind.SetSelected(typeName(e.editing.Type))
					e.active.SetChecked(e.editing.Active)
				}
				return
			}
			e.u.status.done(fmt.Sprintf(lang.L("Account %d %s is saved."), a.Number, strings.TrimSpace(a.Name)))
			e.find.SetText("")
			e.load(a.Number)
			if e.u.rules != nil { // its post-to list offers the accounts in use
				e.u.rules.load()
			}
		})
	})
}
