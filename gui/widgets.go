package gui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/money"
)

func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }

// heading is a screen's title line.
func heading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// emptyState is what a screen shows when it has nothing yet: what is
// missing and what to do about it.
func emptyState(title, explanation string, action *widget.Button) fyne.CanvasObject {
	t, e := stateText(title, explanation)
	items := []fyne.CanvasObject{container.NewCenter(t), e}
	if action != nil {
		items = append(items, container.NewCenter(action))
	}
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(520, 200), container.NewVBox(items...)))
}

// problemState is emptyState with room for a longer explanation.
func problemState(title, explanation string, action *widget.Button) fyne.CanvasObject {
	t, e := stateText(title, explanation)
	// A border gives the wrapped explanation all the height between the
	// title and the button; a box would give it one line's worth.
	var bottom fyne.CanvasObject
	if action != nil {
		bottom = container.NewCenter(action)
	}
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(640, 220),
		container.NewBorder(container.NewCenter(t), bottom, nil, nil, e)))
}

// stateText is the heading and the centred, wrapped explanation of an
// empty or problem state.
func stateText(title, explanation string) (*canvas.Text, *widget.Label) {
	t := canvas.NewText(title, theme.Color(theme.ColorNameForeground))
	t.TextSize = theme.TextHeadingSize()
	t.TextStyle.Bold = true
	e := widget.NewLabelWithStyle(explanation, fyne.TextAlignCenter, fyne.TextStyle{})
	e.Wrapping = fyne.TextWrapWord
	return t, e
}

// notConnected is the empty state of screens that need the bank.
func (u *ui) notConnected() fyne.CanvasObject {
	b := widget.NewButtonWithIcon(lang.L("Connect the bank"), theme.LoginIcon(), u.showAgreements)
	b.Importance = widget.HighImportance
	return emptyState(lang.L("The bank is not connected yet"),
		lang.L("Connect Sbanken under Settings → Bank accounts → Agreements. Bankbro then reads your transactions every morning."), b)
}

// labelsIn returns the text of every label below o, for tests and
// accessibility checks.
func labelsIn(o fyne.CanvasObject) string {
	var b []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			b = append(b, v.Text)
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case *container.Scroll:
			walk(v.Content)
		}
	}
	walk(o)
	return strings.Join(b, "\n")
}

// sentence ends s with a full stop, unless it ends with one already (or
// another mark that ends a sentence): messages put together from parts,
// "Til konto: må ha 11 siffer", read as sentences like the rest.
func sentence(s string) string {
	last, _ := utf8.DecodeLastRuneInString(s)
	if s == "" || strings.ContainsRune(".!?…", last) {
		return s
	}
	return s + "."
}

// showIf shows o when show is true and hides it otherwise.
func showIf(o fyne.CanvasObject, show bool) {
	if show {
		o.Show()
	} else {
		o.Hide()
	}
}

// enableIf enables w when on is true and disables it otherwise.
func enableIf(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

// say puts text on l and shows l only while there is something to say, so
// that an empty message leaves no empty row.
func say(l *widget.Label, text string) {
	l.SetText(text)
	showIf(l, text != "")
}

// counted is n things in the interface's language: one when n is 1 ("1
// konto"), other with n in it otherwise ("%d kontoer"). Both are
// translation keys.
func counted(n int, one, other string) string {
	if n == 1 {
		return lang.L(one)
	}
	return fmt.Sprintf(lang.L(other), count(n))
}

// count is a quantity shown to people: %d groups its thousands as amounts
// do ("980 361 linjer"). Numbers that name something (accounts, vouchers)
// stay plain ints.
type count int

func (c count) Format(f fmt.State, _ rune) { fmt.Fprint(f, money.Digits(int64(c))) }

// columns lays out a row: fixed widths, and those given 0 share what is
// left. When the shared columns would get less than roomy each, the column
// drop (if not 0) is left out and its width shared: in a narrow window the
// text and the counterparty matter more than the KID.
type columns struct {
	widths []float32
	drop   int
}

// roomy is the width a shared column should have before drop is given up.
const roomy = 140

func (c *columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	share, dropped := c.share(size.Width, len(objs))
	pad := theme.Padding()
	x := float32(0)
	for i, o := range objs {
		if dropped && i == c.drop {
			o.Hide()
			continue
		}
		o.Show()
		w := c.widths[i]
		if w == 0 {
			w = share
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
		o.Resize(fyne.NewSize(w, h))
		x += w + pad
	}
}

// share is the width of each shared column at width, and whether drop is
// left out for it.
func (c *columns) share(width float32, n int) (float32, bool) {
	fixed, flex := float32(0), 0
	for _, w := range c.widths {
		fixed += w
		if w == 0 {
			flex++
		}
	}
	if flex == 0 {
		return 0, false
	}
	pad := theme.Padding()
	rest := width - fixed - pad*float32(n-1)
	if c.drop > 0 && rest/float32(flex) < roomy {
		rest += c.widths[c.drop] + pad
		return max(rest, 0) / float32(flex), true
	}
	return max(rest, 0) / float32(flex), false
}

func (c *columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i, o := range objs {
		if i == c.drop && c.drop > 0 {
			continue // left out when narrow
		}
		w += c.widths[i] + theme.Padding()
		if c.widths[i] == 0 {
			w += 60 // a shared column may get narrow; the window must not
		}
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(w, h)
}

var _ fyne.Layout = (*columns)(nil)
