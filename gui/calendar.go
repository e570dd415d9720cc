package gui

import (
	"fmt"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/civil"
)

// calendar is a month to pick a day from, in the window's language. Fyne's
// Calendar names the month in English whatever the language ("March 2027"
// in a bokmål window) and shows neither the day chosen nor today. Weeks
// begin on Monday and are numbered, as Norwegian calendars are.
type calendar struct {
	shown  civil.Date // the first of the month shown
	chosen civil.Date // the day the field holds (zero: none)
	today  civil.Date
	can    func(civil.Date) bool // nil: every day can be picked
	onPick func(civil.Date)
	// onResize, if set, is told after a month of another number of weeks
	// is shown (the pop-up holding the calendar takes its new size).
	onResize func()

	title  *widget.Label
	prev   *widget.Button
	next   *widget.Button
	days   *fyne.Container
	object fyne.CanvasObject
}

// newCalendar shows the month of chosen, or of today when chosen is zero.
// A day can is false for is shown but cannot be picked.
func newCalendar(chosen, today civil.Date, can func(civil.Date) bool, onPick func(civil.Date)) *calendar {
	c := &calendar{chosen: chosen, today: today, can: can, onPick: onPick}
	c.title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	c.prev = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { c.show(c.shown.Year, c.shown.Month-1) })
	c.next = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { c.show(c.shown.Year, c.shown.Month+1) })
	c.prev.Importance, c.next.Importance = widget.LowImportance, widget.LowImportance
	c.days = container.NewGridWithColumns(8)
	c.object = container.NewBorder(container.NewBorder(nil, nil, c.prev, c.next, c.title), nil, nil, nil, c.days)
	start := chosen
	if start.IsZero() {
		start = today
	}
	c.show(start.Year, start.Month)
	return c
}

// show shows a month; months outside 1–12 roll into the year before or
// after.
func (c *calendar) show(year int, month time.Month) {
	c.shown = civil.New(year, month, 1)
	c.title.SetText(fmt.Sprintf("%s %d", monthName(c.shown.Month), c.shown.Year))
	cells := []fyne.CanvasObject{weekNumber(lang.L("Wk"))}
	for _, d := range []string{lang.L("Mon"), lang.L("Tue"), lang.L("Wed"), lang.L("Thu"), lang.L("Fri"), lang.L("Sat"), lang.L("Sun")} {
		cells = append(cells, widget.NewLabelWithStyle(d, fyne.TextAlignCenter, fyne.TextStyle{}))
	}
	// From the Monday of the first week to the Sunday of the last.
	last := civil.New(c.shown.Year, c.shown.Month+1, 0)
	for d := c.shown.AddDays(-mondayBased(c.shown)); !d.After(last); {
		_, week := d.Time(time.UTC).ISOWeek()
		cells = append(cells, weekNumber(strconv.Itoa(week)))
		for range 7 {
			cells = append(cells, c.day(d))
			d = d.AddDays(1)
		}
	}
	resized := len(c.days.Objects) != 0 && len(c.days.Objects) != len(cells)
	c.days.Objects = cells
	c.days.Refresh()
	if resized && c.onResize != nil {
		c.onResize()
	}
}

// weekNumber is a week's number, or the heading of the numbers: quieter
// than the days.
func weekNumber(s string) fyne.CanvasObject {
	l := widget.NewLabel(s)
	l.Alignment = fyne.TextAlignCenter
	l.Importance = widget.LowImportance
	return l
}

// day is a day of the month shown to pick; a day of the month before or
// after is left empty.
func (c *calendar) day(d civil.Date) fyne.CanvasObject {
	if d.Month != c.shown.Month {
		return widget.NewLabel("")
	}
	b := widget.NewButton(strconv.Itoa(d.Day), func() {
		if c.onPick != nil {
			c.onPick(d)
		}
	})
	switch {
	case d == c.chosen:
		b.Importance = widget.HighImportance
	case d == c.today:
		b.Importance = widget.MediumImportance
	default:
		b.Importance = widget.LowImportance
	}
	if c.can != nil && !c.can(d) {
		b.Disable()
	}
	return b
}

// mondayBased is how many days d comes after the Monday of its week.
func mondayBased(d civil.Date) int { return (int(d.Weekday()) + 6) % 7 }

// monthName is a month's name in the window's language.
func monthName(m time.Month) string {
	names := [...]string{lang.L("January"), lang.L("February"), lang.L("March"), lang.L("April"),
		lang.L("May"), lang.L("June"), lang.L("July"), lang.L("August"),
		lang.L("September"), lang.L("October"), lang.L("November"), lang.L("December")}
	return names[(int(m)+11)%12]
}

// calendarKeys holds a calendar in a pop-up and takes the keys while it is
// open: Esc closes it, Page Up and Page Down turn the month.
type calendarKeys struct {
	widget.BaseWidget
	cal   *calendar
	close func()
}

func newCalendarKeys(cal *calendar, close func()) *calendarKeys {
	k := &calendarKeys{cal: cal, close: close}
	k.ExtendBaseWidget(k)
	return k
}

func (k *calendarKeys) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(k.cal.object)
}

func (k *calendarKeys) FocusGained()     {}
func (k *calendarKeys) FocusLost()       {}
func (k *calendarKeys) TypedRune(r rune) {}

func (k *calendarKeys) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyEscape:
		k.close()
	case fyne.KeyPageUp:
		k.cal.prev.OnTapped()
	case fyne.KeyPageDown:
		k.cal.next.OnTapped()
	}
}
