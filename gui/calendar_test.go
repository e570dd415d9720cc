package gui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/civil"
)

// calendarRows reads the calendar's grid as text, a week to a row: the
// week number, then each day's number ("." for a day of another month),
// a chosen day in [brackets], today in (parentheses).
func calendarRows(c *calendar) []string {
	var rows []string
	var row []string
	for i, o := range c.days.Objects {
		if i < 8 {
			continue // the headings
		}
		switch o := o.(type) {
		case *widget.Label:
			if o.Text == "" {
				row = append(row, ".")
			} else {
				row = append(row, o.Text)
			}
		case *widget.Button:
			switch o.Importance {
			case widget.HighImportance:
				row = append(row, "["+o.Text+"]")
			case widget.MediumImportance:
				row = append(row, "("+o.Text+")")
			default:
				row = append(row, o.Text)
			}
		}
		if len(row) == 8 {
			rows = append(rows, strings.Join(row, " "))
			row = nil
		}
	}
	return rows
}

// The calendar names its month in the window's language, numbers its
// weeks, begins them on Monday, and marks the day chosen and today.
func TestCalendarMonth(t *testing.T) {
	c := newCalendar(civil.New(2027, 3, 15), civil.New(2027, 3, 19), nil, nil)
	if want := lang.L("March") + " 2027"; c.title.Text != want {
		t.Errorf("title %q, want %q", c.title.Text, want)
	}
	var head []string
	for _, o := range c.days.Objects[:8] {
		head = append(head, o.(*widget.Label).Text)
	}
	if want := []string{lang.L("Wk"), lang.L("Mon"), lang.L("Tue"), lang.L("Wed"), lang.L("Thu"), lang.L("Fri"), lang.L("Sat"), lang.L("Sun")}; fmt.Sprint(head) != fmt.Sprint(want) {
		t.Errorf("headings %v, want %v", head, want)
	}
	// 1 March 2027 is a Monday in ISO week 9.
	want := []string{
		"9 1 2 3 4 5 6 7",
		"10 8 9 10 11 12 13 14",
		"11 [15] 16 17 18 (19) 20 21",
		"12 22 23 24 25 26 27 28",
		"13 29 30 31 . . . .",
	}
	if got := calendarRows(c); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("March 2027:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Back and forward move a month at a time, over the turn of a year; a
// month that begins on a Sunday starts in its week's last column.
func TestCalendarMovesAndPicks(t *testing.T) {
	var picked civil.Date
	c := newCalendar(civil.Date{}, civil.New(2026, 12, 31), nil, func(d civil.Date) { picked = d })
	if want := lang.L("December") + " 2026"; c.title.Text != want {
		t.Fatalf("with no date chosen the calendar shows %q, want today's month %q", c.title.Text, want)
	}
	test.Tap(c.next)
	if want := lang.L("January") + " 2027"; c.title.Text != want {
		t.Fatalf("after forward: %q, want %q", c.title.Text, want)
	}
	// 1 January 2027 is a Friday in ISO week 53 of 2026.
	if got := calendarRows(c)[0]; got != "53 . . . . 1 2 3" {
		t.Errorf("first week of January 2027: %q", got)
	}
	for range 7 {
		test.Tap(c.next)
	}
	if want := lang.L("August") + " 2027"; c.title.Text != want {
		t.Fatalf("seven months on: %q, want %q", c.title.Text, want)
	}
	rows := calendarRows(c)
	if rows[0] != "30 . . . . . . 1" || len(rows) != 6 {
		t.Errorf("August 2027 begins on a Sunday and spans six weeks: %q", rows)
	}
	// Its pop-up is told to grow when a month has a week more, and to
	// shrink when it has one less.
	resized := 0
	c.onResize = func() { resized++ }
	test.Tap(c.next) // September 2027: five weeks
	test.Tap(c.prev) // August again: six
	test.Tap(c.prev) // July: five
	test.Tap(c.prev) // June: five
	if resized != 3 {
		t.Errorf("the size changed %d times from August to June by way of September, want 3", resized)
	}
	if want := lang.L("June") + " 2027"; c.title.Text != want {
		t.Fatalf("back to %q, want %q", c.title.Text, want)
	}
	for _, o := range c.days.Objects {
		if b, ok := o.(*widget.Button); ok && b.Text == "2" {
			test.Tap(b)
		}
	}
	if picked != civil.New(2027, 6, 2) {
		t.Errorf("tapping 2 in June 2027 picked %v", picked)
	}
}

// The date field's calendar opens on the date typed and puts the day
// picked into the field, in Norwegian form.
func TestDateFieldCalendar(t *testing.T) {
	f := newDateField(civil.New(2027, 5, 17), func() civil.Date { return civil.New(2027, 5, 20) }, nil)
	w := test.NewTempWindow(t, f.object)
	w.Resize(fyne.NewSize(400, 400))
	test.Tap(f.pick)
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("the calendar button opened nothing")
	}
	var title string
	var day *widget.Button
	for _, o := range test.LaidOutObjects(top) {
		switch o := o.(type) {
		case *widget.Label:
			if strings.HasSuffix(o.Text, " 2027") {
				title = o.Text
			}
		case *widget.Button:
			if o.Text == "28" {
				day = o
			}
		}
	}
	if want := lang.L("May") + " 2027"; title != want {
		t.Errorf("the calendar shows %q, want %q", title, want)
	}
	if day == nil {
		t.Fatal("no day 28 in the calendar")
	}
	test.Tap(day)
	if f.entry.Text != "28.05.2027" {
		t.Errorf("after picking 28 the field reads %q", f.entry.Text)
	}
	if w.Canvas().Overlays().Top() != nil {
		t.Error("the calendar stays open after a day is picked")
	}
}

// The calendar takes the keys while it is open: Page Down and Page Up turn
// the month, Esc closes it and gives the field its keys back.
func TestDateFieldCalendarKeys(t *testing.T) {
	f := newDateField(civil.New(2027, 5, 17), func() civil.Date { return civil.New(2027, 5, 20) }, nil)
	w := test.NewTempWindow(t, f.object)
	w.Resize(fyne.NewSize(400, 400))
	test.Tap(f.pick)
	keys, ok := w.Canvas().Focused().(*calendarKeys)
	if !ok {
		t.Fatalf("the open calendar does not have the keys: %T does", w.Canvas().Focused())
	}
	keys.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageDown})
	if want := lang.L("June") + " 2027"; keys.cal.title.Text != want {
		t.Errorf("Page Down shows %q, want %q", keys.cal.title.Text, want)
	}
	keys.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageUp})
	keys.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageUp})
	if want := lang.L("April") + " 2027"; keys.cal.title.Text != want {
		t.Errorf("Page Up twice shows %q, want %q", keys.cal.title.Text, want)
	}
	keys.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Error("Esc leaves the calendar open")
	}
	if w.Canvas().Focused() != f.entry || f.entry.Text != "17.05.2027" {
		t.Errorf("after Esc the keys go to %T and the field reads %q", w.Canvas().Focused(), f.entry.Text)
	}
}
