package gui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/ledger"
)

// accountPicker picks an account of the chart by typing part of its number
// or name: the counter account of a posting.
type accountPicker struct {
	widget.SelectEntry
	chart []ledger.Account
}

func newAccountPicker() *accountPicker {
	// Extended, not wrapped: with a *SelectEntry inside, the window drew
	// the picker while SetText, Enable and typing refreshed the inner
	// entry's own renderer, which is never drawn (a picker made while
	// hidden then showed neither box, placeholder nor text).
	p := &accountPicker{}
	p.ExtendBaseWidget(p)
	p.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	p.PlaceHolder = lang.L("Counter account: number or name")
	p.OnChanged = p.filter
	return p
}

// setChart gives the picker the accounts to choose from.
func (p *accountPicker) setChart(chart []ledger.Account) { p.chart = chart }

// text is how an account is shown: "7770 Bank- og kortgebyrer".
func (p *accountPicker) text(n int) string {
	for _, a := range p.chart {
		if a.Number == n {
			return fmt.Sprintf("%d %s", a.Number, a.Name)
		}
	}
	return strconv.Itoa(n)
}

// show puts account n in the picker.
func (p *accountPicker) show(n int) { p.SetText(p.text(n)) }

// filter offers the chart's active accounts whose number or name holds
// what was typed.
func (p *accountPicker) filter(s string) {
	s = strings.ToLower(strings.TrimSpace(s))
	var opts []string
	for _, a := range p.chart {
		text := fmt.Sprintf("%d %s", a.Number, a.Name)
		if a.Active && strings.Contains(strings.ToLower(text), s) {
			opts = append(opts, text)
		}
		if len(opts) == 30 {
			break
		}
	}
	p.SetOptions(opts)
}

// account reads the account number at the start of the picker's text.
func (p *accountPicker) account() (int, bool) {
	f := strings.Fields(p.Text)
	if len(f) == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(f[0])
	return n, err == nil
}
