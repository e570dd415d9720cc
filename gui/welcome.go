package gui

import (
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/assets"
	"bankbro/core/civil"
	"bankbro/core/demo"
	"bankbro/core/ledger"
	"bankbro/core/norway"
)

// welcomePage is shown when there is no company file yet.
type welcomePage struct {
	name, orgnr     *widget.Entry
	conversion      *dateField
	create, tryDemo *widget.Button
	problem         *widget.Label
}

func (u *ui) welcome() fyne.CanvasObject {
	p := &welcomePage{
		name:       widget.NewEntry(),
		orgnr:      widget.NewEntry(),
		conversion: newDateField(civil.New(u.today().Year, time.January, 1), u.today, nil),
		problem:    widget.NewLabel(""),
	}
	p.name.SetPlaceHolder(lang.L("Solsiden Kaffebar AS"))
	p.orgnr.SetPlaceHolder("974 760 673")
	p.problem.Importance = widget.DangerImportance
	p.problem.Wrapping = fyne.TextWrapWord
	p.create = widget.NewButtonWithIcon(lang.L("Create company"), theme.ConfirmIcon(), func() {
		d, ok := p.conversion.date()
		if !ok {
			p.problem.SetText(lang.L("Conversion date") + ": " + p.conversion.problem())
			return
		}
		c := ledger.Company{Name: p.name.Text, OrgNumber: p.orgnr.Text, ConversionDate: d}
		if err := c.Validate(); err != nil {
			p.problem.SetText(describeCompanyProblem(err))
			return
		}
		l, err := ledger.Create(u.ctx, u.path, c)
		if err != nil {
			p.problem.SetText(describe(err))
			return
		}
		u.showLedger(l)
	})
	p.create.Importance = widget.HighImportance
	p.tryDemo = widget.NewButtonWithIcon(lang.L("Try with a demo company"), theme.MediaPlayIcon(), func() {
		l, err := demo.Create(u.ctx, u.path, u.today())
		if err != nil {
			p.problem.SetText(describe(err))
			return
		}
		u.showLedger(l)
	})
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Company name"), p.name),
		widget.NewFormItem(lang.L("Organisation number"), p.orgnr),
		widget.NewFormItem(lang.L("Conversion date"), p.conversion.object),
	)
	form.Items[2].HintText = lang.L("The day your books in Bankbro begin. Opening balances are posted on it.")
	logo := widget.NewIcon(assets.Mark)
	head := widget.NewLabelWithStyle(lang.L("Welcome to Bankbro"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	intro := widget.NewLabelWithStyle(lang.L("Your bank transactions, read in every morning and reconciled against your books."), fyne.TextAlignCenter, fyne.TextStyle{})
	intro.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(
		container.NewCenter(container.NewGridWrap(fyne.NewSize(96, 96), logo)),
		head, intro, widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.L("Create your company"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		form, p.problem,
		container.NewHBox(p.tryDemo, layoutSpacer(), p.create),
	)
	u.welcomeForm = p
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(660, 560), body))
}

// describeCompanyProblem words a company validation error for people: an
// organisation number's here (norway's errors are those of any number),
// the ledger's as describe words them.
func describeCompanyProblem(err error) string {
	switch {
	case errors.Is(err, ledger.ErrCompanyName), errors.Is(err, ledger.ErrCompanyConversion):
		return describe(err)
	case errors.Is(err, norway.ErrLength):
		return lang.L("An organisation number has nine digits, such as 921 573 405.")
	case errors.Is(err, norway.ErrDigits):
		return lang.L("An organisation number holds only digits (spaces between them are fine).")
	case errors.Is(err, norway.ErrChecksum):
		return lang.L("That is no organisation number: its last digit does not fit the others. Check it against the Brønnøysund Register Centre.")
	}
	return fmt.Sprintf(lang.L("Check the company's details: %v"), err)
}
