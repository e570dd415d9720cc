package gui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/ledger"
)

// drawnTexts are the texts of the canvas.Text objects the window draws for
// o: shown and laid out with room to be seen.
func drawnTexts(o fyne.CanvasObject) string {
	var b strings.Builder
	for _, c := range test.LaidOutObjects(o) {
		if t, ok := c.(*canvas.Text); ok && t.Visible() && t.Size().Width > 0 && t.Size().Height > 0 {
			b.WriteString(t.Text + "|")
		}
	}
	return b.String()
}

// What is put in the picker, by the program or by typing, is what the
// window draws, also when the picker was made inside a hidden container
// (as the posting panels are). The real window once drew an empty field
// (see newAccountPicker); the test driver did not show that failure, so
// this guards the picker's drawing, not that particular bug.
func TestAccountPickerDrawsItsText(t *testing.T) {
	p := newAccountPicker()
	panel := container.NewVBox(p)
	panel.Hide()
	box := container.NewStack(panel)
	w := test.NewTempWindow(t, box)
	w.Resize(fyne.NewSize(400, 80))
	panel.Show()
	if got := drawnTexts(box); !strings.Contains(got, p.PlaceHolder) {
		t.Errorf("drawn %q, want the placeholder %q", got, p.PlaceHolder)
	}
	p.SetText("6800 Kontorrekvisita")
	if got := drawnTexts(box); !strings.Contains(got, "6800 Kontorrekvisita") {
		t.Errorf("after SetText, drawn %q", got)
	}
	p.SetText("")
	test.Type(p, "kontor")
	if got := drawnTexts(box); !strings.Contains(got, "kontor") {
		t.Errorf("after typing, drawn %q", got)
	}
}

// While the person types, the accounts that fit are listed under the
// field; typing goes on into the field, ↓ and Enter take one, Esc closes
// the list. What the program puts in the field lists nothing.
func TestAccountPickerListsWhatFitsWhileTyping(t *testing.T) {
	p := newAccountPicker()
	p.setChart([]ledger.Account{{Number: 1940, Name: "Bankinnskudd, sparekonto", Active: true}, {Number: 6800, Name: "Kontorrekvisita", Active: true},
		{Number: 7770, Name: "Bank- og kortgebyrer", Active: true}, {Number: 7790, Name: "Andre gebyrer", Active: true},
		{Number: 7795, Name: "Gamle gebyrer", Active: false}})
	w := test.NewTempWindow(t, container.NewVBox(p, widget.NewLabel("under")))
	w.Resize(fyne.NewSize(400, 300))
	shown := func() bool { return p.popUp != nil && p.popUp.Visible() }

	p.show(7770) // by the program: no list
	if shown() {
		t.Fatal("the program's SetText listed accounts")
	}
	p.SetText("")
	w.Canvas().Focus(p)
	test.Type(p, "geb")
	if !shown() || w.Canvas().Focused() != p.fits {
		t.Fatalf("after typing: list shown %v, focus %T", shown(), w.Canvas().Focused())
	}
	if got := strings.Join(p.fits.items, "|"); got != "7790 Andre gebyrer|7770 Bank- og kortgebyrer" {
		t.Errorf("listed %q, want the two active fee accounts, the one with a word beginning geb first", got)
	}
	// Typing goes on into the field through the list; Backspace too.
	p.fits.TypedRune('y')
	p.fits.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	p.fits.TypedRune('y')
	p.fits.TypedRune('r')
	if p.Text != "gebyr" {
		t.Errorf("typed through the list: %q, want gebyr", p.Text)
	}
	// ↓ ↓ Enter takes the second.
	p.fits.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	p.fits.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if p.Text != "gebyr" {
		t.Errorf("moving in the list changed the field to %q", p.Text)
	}
	p.fits.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if n, ok := p.account(); !ok || n != 7770 || shown() || w.Canvas().Focused() != p {
		t.Errorf("after Enter: account %d %v, list shown %v, focus %T; want 7770, closed, the field", n, ok, shown(), w.Canvas().Focused())
	}
	// Esc closes the list and leaves what was typed. A word that begins
	// with what was typed comes before one that holds it.
	p.SetText("")
	test.Type(p, "kont")
	if got := strings.Join(p.fits.items, "|"); got != "6800 Kontorrekvisita|1940 Bankinnskudd, sparekonto" {
		t.Errorf("listed for kont: %q", got)
	}
	p.fits.TypedRune('o')
	p.fits.TypedRune('r')
	if !shown() {
		t.Fatal("no list for kontor")
	}
	p.fits.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if shown() || p.Text != "kontor" || w.Canvas().Focused() != p {
		t.Errorf("after Esc: list shown %v, text %q, focus %T", shown(), p.Text, w.Canvas().Focused())
	}
	// A click in the list takes that account.
	p.SetText("")
	test.Type(p, "gebyr")
	p.fits.Select(0)
	if n, _ := p.account(); n != 7790 || shown() {
		t.Errorf("after a click: account %d, list shown %v", n, shown())
	}
}

// A whole account number typed takes that account, with its name, and
// closes the list; one not in use, or not in the chart, is listed as typed.
func TestAccountPickerTakesAWholeNumber(t *testing.T) {
	p := newAccountPicker()
	p.setChart([]ledger.Account{{Number: 7770, Name: "Bank- og kortgebyrer", Active: true}, {Number: 7795, Name: "Gamle gebyrer", Active: false},
		{Number: 7790, Name: "Andre gebyrer", Active: true}})
	w := test.NewTempWindow(t, container.NewVBox(p, widget.NewLabel("under")))
	w.Resize(fyne.NewSize(400, 300))
	shown := func() bool { return p.popUp != nil && p.popUp.Visible() }
	w.Canvas().Focus(p)
	test.Type(p, "777")
	if !shown() {
		t.Fatal("no list for 777")
	}
	p.fits.TypedRune('0')
	if n, ok := p.account(); !ok || n != 7770 || p.Text != "7770 Bank- og kortgebyrer" || shown() || w.Canvas().Focused() != p {
		t.Errorf("after 7770: account %d %v, text %q, list shown %v, focus %T", n, ok, p.Text, shown(), w.Canvas().Focused())
	}
	p.SetText("")
	w.Canvas().Focus(p)
	test.Type(p, "7795")
	if p.Text != "7795" {
		t.Errorf("an account not in use was taken: %q", p.Text)
	}
}

// Digits typed are the start of an account number before a word of a
// name: "4" lists 4000 before 1923 Bankinnskudd 4.
func TestAccountPickerNumbersFirst(t *testing.T) {
	p := newAccountPicker()
	p.setChart([]ledger.Account{{Number: 1923, Name: "Bankinnskudd 4", Active: true}, {Number: 2400, Name: "Leverandørgjeld", Active: true},
		{Number: 4000, Name: "Innkjøp av råvarer", Active: true}, {Number: 4300, Name: "Innkjøp av varer", Active: true}})
	w := test.NewTempWindow(t, p)
	w.Resize(fyne.NewSize(400, 300))
	w.Canvas().Focus(p)
	test.Type(p, "4")
	if got := strings.Join(p.fits.items, "|"); got != "4000 Innkjøp av råvarer|4300 Innkjøp av varer|1923 Bankinnskudd 4|2400 Leverandørgjeld" {
		t.Errorf("listed for 4: %q", got)
	}
}

// At the foot of the window the list opens over the field, not on it.
func TestAccountPickerListsOverTheFieldAtTheFoot(t *testing.T) {
	p := newAccountPicker()
	var chart []ledger.Account
	for i := range 20 {
		chart = append(chart, ledger.Account{Number: 6000 + i, Name: fmt.Sprint("Kostnad ", i), Active: true})
	}
	p.setChart(chart)
	w := test.NewTempWindow(t, container.NewBorder(nil, p, nil, nil, widget.NewLabel("over")))
	w.Resize(fyne.NewSize(400, 400))
	w.Canvas().Focus(p)
	test.Type(p, "kost")
	if p.popUp == nil || !p.popUp.Visible() {
		t.Fatal("no list")
	}
	d := fyne.CurrentApp().Driver()
	field, list := d.AbsolutePositionForObject(p), d.AbsolutePositionForObject(p.fits)
	if bottom := list.Y + p.fits.Size().Height; bottom > field.Y+1 || list.Y < 0 || p.fits.Size().Height < 100 {
		t.Errorf("list at y %.0f–%.0f, field at %.0f: want the list over the field, in the window", list.Y, bottom, field.Y)
	}
}

// An account filled in while the picker has the keys (last time's, after
// the line was chosen) is replaced by what is typed, not added to.
func TestAccountPickerTypingReplacesTheSuggestion(t *testing.T) {
	p := newAccountPicker()
	p.setChart([]ledger.Account{{Number: 4000, Name: "Innkjøp av råvarer", Active: true}, {Number: 6800, Name: "Kontorrekvisita", Active: true}})
	w := test.NewTempWindow(t, p)
	w.Resize(fyne.NewSize(400, 300))
	w.Canvas().Focus(p)
	p.show(4000)
	test.Type(p, "6800")
	if n, ok := p.account(); !ok || n != 6800 {
		t.Errorf("typed 6800 over the suggestion: %q, account %d %v; want 6800", p.Text, n, ok)
	}
}

// A list of a few accounts shows them all without scrolling: its height
// counts the padding between a list's rows (it counted a separator's
// thickness, and two rows scrolled, the second cut off).
func TestAccountPickerListHoldsItsRows(t *testing.T) {
	p := newAccountPicker()
	p.setChart([]ledger.Account{{Number: 6500, Name: "Verktøy og inventar", Active: true}, {Number: 6540, Name: "Inventar", Active: true},
		{Number: 7000, Name: "Drivstoff", Active: true}})
	w := test.NewTempWindow(t, container.NewBorder(p, nil, nil, nil, widget.NewLabel("under")))
	w.Resize(fyne.NewSize(400, 500))
	w.Canvas().Focus(p)
	test.Type(p, "65")
	if p.popUp == nil || !p.popUp.Visible() || len(p.fits.items) != 2 {
		t.Fatalf("no list of the two accounts that fit")
	}
	item := p.fits.CreateItem().MinSize().Height
	if need := 2*item + theme.Padding(); p.fits.Size().Height < need {
		t.Errorf("the list is %.0f high, its two rows need %.0f", p.fits.Size().Height, need)
	}
}
