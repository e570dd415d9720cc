package gui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
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
	b := widget.NewButtonWithIcon(lang.L("Connect the bank"), theme.LoginIcon(), func() {
		u.nav.Select(len(u.sections) - 1)
		if u.settingsTabs != nil {
			u.settingsTabs.SelectIndex(1) // Agreements, where the Sbanken card is
		}
	})
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
		}
	}
	walk(o)
	return strings.Join(b, "\n")
}

// showIf shows o when show is true and hides it otherwise.
func showIf(o fyne.CanvasObject, show bool) {
	if show {
		o.Show()
	} else {
		o.Hide()
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
	return fmt.Sprintf(lang.L(other), n)
}
