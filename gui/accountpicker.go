package gui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/ledger"
)

// accountPicker picks an account of the chart by typing part of its number
// or name: the counter account of a posting. While the person types, the
// accounts that fit are listed under the field (↓ and ↑ move in the list,
// Enter or a click takes one, Esc closes it); typing goes on into the field.
// The arrow button lists them too, as a select entry does.
type accountPicker struct {
	widget.SelectEntry
	chart []ledger.Account
	// fits lists the accounts that fit what is typed; popUp holds it.
	fits    *pickerList
	popUp   *widget.PopUp
	setting bool // the picker's own SetText: no list for it
}

// pickerRows is how many fitting accounts the list shows before it scrolls.
const pickerRows = 8

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

// show puts account n in the picker. When the picker has the keys (the
// account used last time, filled in after the line was chosen), the text
// is selected: what the person types then replaces it rather than being
// added to its end.
func (p *accountPicker) show(n int) {
	p.setText(p.text(n))
	if p.typedInto() {
		p.TypedShortcut(&fyne.ShortcutSelectAll{})
	}
}

// setText is SetText for the picker's own text, which lists nothing.
func (p *accountPicker) setText(text string) {
	p.setting = true
	p.SetText(text)
	p.setting = false
}

// filter offers the chart's active accounts whose number or name holds
// what was typed: first those whose number begins with it ("4": 4000 before
// 1923 Bankinnskudd 4), then those where a word begins with it ("ko":
// Kontormaskiner before Sparekonto), then the rest; and lists them under
// the field while the person types.
func (p *accountPicker) filter(s string) {
	s = strings.ToLower(strings.TrimSpace(s))
	var number, word, rest []string
	for _, a := range p.chart {
		text := fmt.Sprintf("%d %s", a.Number, a.Name)
		lower := strings.ToLower(text)
		switch {
		case !a.Active || !strings.Contains(lower, s):
		case strings.HasPrefix(lower, s):
			number = append(number, text)
		case strings.Contains(lower, " "+s):
			word = append(word, text)
		default:
			rest = append(rest, text)
		}
	}
	opts := append(append(number, word...), rest...)
	opts = opts[:min(len(opts), 30)]
	p.SetOptions(opts)
	// A whole account number typed is that account: it is taken, with its
	// name, and the list closes. Open, the list would take the next click
	// outside it only to close (Fyne's overlays take every click), and
	// Post would need pressing twice.
	if n, err := strconv.Atoi(s); err == nil && len(s) == 4 && !p.setting && p.typedInto() {
		for _, a := range p.chart {
			if a.Number == n && a.Active {
				p.choose(fmt.Sprintf("%d %s", a.Number, a.Name))
				return
			}
		}
	}
	if s == "" || len(opts) == 0 || p.setting || !p.typedInto() || len(opts) == 1 && opts[0] == p.Text {
		p.hideFits()
		return
	}
	p.showFits(opts)
}

// typedInto says whether keys go to the picker: it or its list has focus.
func (p *accountPicker) typedInto() bool {
	a := fyne.CurrentApp()
	if a == nil {
		return false
	}
	c := a.Driver().CanvasForObject(p)
	if c == nil {
		return false
	}
	f := c.Focused()
	return f == p || p.fits != nil && f == p.fits
}

// showFits lists opts under the field and gives the list the keys, which
// it hands on to the field but for those that move in it.
func (p *accountPicker) showFits(opts []string) {
	c := fyne.CurrentApp().Driver().CanvasForObject(p)
	if p.fits == nil {
		p.fits = newPickerList(p)
		p.popUp = widget.NewPopUp(p.fits, c)
	}
	p.fits.set(opts)
	// A list's rows stand a padding apart, and the pop-up pads its
	// content: a list of two rows made to the separator's thickness
	// scrolled, cut off under its first.
	row := p.fits.CreateItem().MinSize().Height + theme.Padding()
	h := float32(min(len(opts), pickerRows))*row + theme.Padding()
	// Under the field, or over it where there is more room there (the
	// posting panel sits at the foot of the window): never on it.
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(p)
	above, below := at.Y, c.Size().Height-at.Y-p.Size().Height
	y := p.Size().Height
	if h+theme.Padding() > below && above > below { // not flush with the window's foot
		h = min(h, above)
		y = -h
	} else {
		h = min(h, below)
	}
	p.popUp.Resize(fyne.NewSize(p.Size().Width, h))
	p.popUp.ShowAtRelativePosition(fyne.NewPos(0, y), p)
	c.Focus(p.fits)
}

// hideFits closes the list, and gives the field its keys back.
func (p *accountPicker) hideFits() {
	if p.popUp == nil || !p.popUp.Visible() {
		return
	}
	p.popUp.Hide()
	if c := fyne.CurrentApp().Driver().CanvasForObject(p); c != nil {
		c.Focus(p)
	}
}

// choose puts a fitting account in the field and closes the list.
func (p *accountPicker) choose(text string) {
	p.setText(text)
	p.CursorColumn = len([]rune(text))
	p.Refresh()
	p.hideFits()
}

// pickerList is the list of fitting accounts. It holds the keys while it
// is shown: ↓ and ↑ move, Enter takes, Esc closes, and everything else
// (letters, Backspace, the arrows along the line, paste) goes on to the field.
type pickerList struct {
	widget.List
	p        *accountPicker
	items    []string
	selected widget.ListItemID
	moving   bool // a selection by the arrow keys: not taken yet
}

func newPickerList(p *accountPicker) *pickerList {
	l := &pickerList{p: p, selected: -1}
	l.Length = func() int { return len(l.items) }
	l.CreateItem = func() fyne.CanvasObject {
		t := widget.NewLabel("")
		t.Truncation = fyne.TextTruncateEllipsis
		return t
	}
	l.UpdateItem = func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(l.items[i]) }
	l.OnSelected = func(i widget.ListItemID) {
		if !l.moving && i >= 0 && i < len(l.items) {
			p.choose(l.items[i])
		}
		l.moving = false
	}
	l.ExtendBaseWidget(l)
	return l
}

// set shows items, none of them chosen.
func (l *pickerList) set(items []string) {
	l.items, l.selected = items, -1
	l.UnselectAll()
	l.Refresh()
	l.ScrollToTop()
}

// FocusGained and FocusLost make the list take the keys.
func (l *pickerList) FocusGained() {}
func (l *pickerList) FocusLost()   {}

func (l *pickerList) TypedRune(r rune) { l.p.TypedRune(r) }

func (l *pickerList) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyDown, fyne.KeyUp:
		n := len(l.items)
		if n == 0 {
			return
		}
		if e.Name == fyne.KeyDown {
			l.selected = (l.selected + 1) % n
		} else {
			l.selected = (l.selected - 1 + n) % n
		}
		l.moving = true
		l.Select(l.selected)
	case fyne.KeyReturn, fyne.KeyEnter:
		// Enter takes the account moved to, or else the first that fits:
		// with the list open Enter chooses, it never passes on (where it
		// would post what was typed so far, "43"). The next Enter posts.
		i := l.selected
		if i < 0 {
			i = 0
		}
		if i < len(l.items) {
			l.p.choose(l.items[i])
			return
		}
		l.p.hideFits()
		l.p.TypedKey(e)
	case fyne.KeyEscape:
		l.p.hideFits()
	default:
		l.p.TypedKey(e)
	}
}

// TypedShortcut hands paste, copy and the like to the field.
func (l *pickerList) TypedShortcut(s fyne.Shortcut) { l.p.TypedShortcut(s) }

// account reads the account number at the start of the picker's text.
func (p *accountPicker) account() (int, bool) {
	f := strings.Fields(p.Text)
	if len(f) == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(f[0])
	return n, err == nil
}
