// Package civil holds calendar dates as the bank and the books see them:
// Norwegian local dates (Europe/Oslo), without a time of day.
package civil

import (
	"fmt"
	"time"
	_ "time/tzdata" // a machine without zoneinfo must still know Oslo's clock
)

// Oslo is the time zone every bank date and "yesterday" is taken in.
var Oslo = mustLoad("Europe/Oslo")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("civil: time zone %s: %v", name, err))
	}
	return loc
}

// Date is a calendar day. The zero Date means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Of returns the date t falls on in Oslo.
func Of(t time.Time) Date {
	t = t.In(Oslo)
	return Date{t.Year(), t.Month(), t.Day()}
}

// Today is the current date in Oslo.
func Today() Date { return Of(time.Now()) }

// New returns the date, normalised (so New(2026, 1, 32) is 1 February).
func New(year int, month time.Month, day int) Date {
	t := time.Date(year, month, day, 12, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

// Parse reads YYYY-MM-DD, and also the bank's YYYY-MM-DDT00:00:00 form.
func Parse(s string) (Date, error) {
	if len(s) > 10 && s[10] == 'T' {
		s = s[:10]
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date of the form YYYY-MM-DD", s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// ParseNorwegian reads a date as people type it: 25.11.2026 (also 25.11.26 and 2026-11-25).
func ParseNorwegian(s string) (Date, error) {
	for _, layout := range []string{"2.1.2006", "2.1.06", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Date{t.Year(), t.Month(), t.Day()}, nil
		}
	}
	return Date{}, fmt.Errorf("%q is not a date of the form DD.MM.YYYY", s)
}

// MustParse is Parse for constants in code and tests; it panics on bad input.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD, the form stored in the ledger and sent to the bank.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Norwegian formats d as people read it in Norway: 25.11.2026.
func (d Date) Norwegian() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d.%02d.%04d", d.Day, d.Month, d.Year)
}

// Time returns midnight at the start of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

func (d Date) utcNoon() time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }

// AddDays returns d moved n days (n may be negative).
func (d Date) AddDays(n int) Date { return New(d.Year, d.Month, d.Day+n) }

// DaysSince returns the number of days from e to d (positive when d is later).
func (d Date) DaysSince(e Date) int {
	return int(d.utcNoon().Sub(e.utcNoon()).Round(time.Hour).Hours() / 24)
}

// Before reports whether d is strictly earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is strictly later than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmp(d.Year, e.Year)
	case d.Month != e.Month:
		return cmp(int(d.Month), int(e.Month))
	default:
		return cmp(d.Day, e.Day)
	}
}

func cmp(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utcNoon().Weekday() }

// IsWeekend reports whether d is a Saturday or Sunday.
func (d Date) IsWeekend() bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}

// MarshalText writes YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD (or the bank's form with T00:00:00); empty is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
