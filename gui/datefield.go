package gui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/civil"
)

// dateField is a date as Norwegians write it (25.11.2026), typed or picked
// from a calendar. Fyne's DateEntry knows no Norwegian format, so it would
// show 25/11/2026.
type dateField struct {
	entry    *widget.Entry
	pick     *widget.Button
	object   fyne.CanvasObject
	onChange func(civil.Date)
	today    func() civil.Date // marked in the calendar
	// check, if set, refuses a date the screen cannot take: the field
	// shows its error, and the calendar does not offer the day.
	check func(civil.Date) error
	// onPick, if set, is told of a date picked from the calendar (typing
	// is not told: a screen that acts on a date takes it on Enter).
	onPick func()
}

// newDateField shows d; onChange, if not nil, gets every date typed or
// picked, and the zero date while the text is not a date. today is the
// window's today, which the calendar marks.
func newDateField(d civil.Date, today func() civil.Date, onChange func(civil.Date)) *dateField {
	f := &dateField{entry: widget.NewEntry(), onChange: onChange, today: today}
	f.entry.SetPlaceHolder(lang.L("DD.MM.YYYY"))
	f.entry.SetText(d.Norwegian())
	f.entry.Validator = func(s string) error {
		d, err := civil.ParseNorwegian(s)
		if err != nil {
			return notADate(s)
		}
		if f.check == nil {
			return nil
		}
		return f.check(d)
	}
	// Text that is no date reports the zero date: the date typed before
	// it is no longer what the field shows, so it must not go on counting.
	f.entry.OnChanged = func(s string) {
		if f.onChange != nil {
			d, _ := civil.ParseNorwegian(s)
			f.onChange(d)
		}
	}
	f.pick = widget.NewButtonWithIcon("", theme.CalendarIcon(), f.showCalendar)
	f.object = container.NewBorder(nil, nil, nil, f.pick, f.entry)
	return f
}

// date returns the date typed, if it is one.
func (f *dateField) date() (civil.Date, bool) {
	d, err := civil.ParseNorwegian(f.entry.Text)
	return d, err == nil
}

// valid says whether the text is a date (one the screen may still refuse).
func (f *dateField) valid() bool {
	_, ok := f.date()
	return ok
}

// problem says what is wrong with the text, as the field shows it: not a
// date ("31.02.2026 is not a date: …"), or one the screen cannot take;
// empty, it asks for the date in the field's format. "" when nothing is.
func (f *dateField) problem() string {
	if strings.TrimSpace(f.entry.Text) == "" {
		return lang.L("Write the date as DD.MM.YYYY.")
	}
	if err := f.entry.Validator(f.entry.Text); err != nil {
		return err.Error()
	}
	return ""
}

// set shows d (and reports it, like typing it would).
func (f *dateField) set(d civil.Date) { f.entry.SetText(d.Norwegian()) }

func (f *dateField) showCalendar() {
	c := fyne.CurrentApp().Driver().CanvasForObject(f.pick)
	if c == nil {
		return
	}
	chosen, _ := f.date()
	var pop *widget.PopUp
	closed := func() {
		pop.Hide()
		c.Focus(f.entry) // the keys back where they were
	}
	cal := newCalendar(chosen, f.today(), func(d civil.Date) bool { return f.check == nil || f.check(d) == nil }, func(d civil.Date) {
		f.set(d)
		closed()
		if f.onPick != nil {
			f.onPick()
		}
	})
	keys := newCalendarKeys(cal, closed)
	pop = widget.NewPopUp(keys, c)
	cal.onResize = func() { pop.Resize(pop.Content.MinSize()) }
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(f.pick)
	pop.ShowAtPosition(pos.AddXY(f.pick.Size().Width-cal.object.MinSize().Width, f.pick.Size().Height))
	c.Focus(keys)
}

// notADate says, in the window's words, that s is no date.
func notADate(s string) error {
	return fmt.Errorf(lang.L("%s is not a date: write it like 30.11.2026."), strings.TrimSpace(s))
}
