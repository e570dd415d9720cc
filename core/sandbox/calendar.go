package sandbox

import (
	"time"

	"bankbro/core/civil"
)

// Days are numbered internally as days since 1970-01-01, so that the data
// generator and its caches work with plain integers.

// dayOf returns the day number of d.
func dayOf(d civil.Date) int {
	return int(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// dateOf returns the civil date of day number n.
func dateOf(n int) civil.Date {
	t := time.Unix(int64(n)*86400, 0).UTC()
	return civil.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

// weekdayOf returns the weekday of day number n (1970-01-01 was a Thursday).
func weekdayOf(n int) time.Weekday {
	return time.Weekday(((n+4)%7 + 7) % 7)
}

// easter returns Easter Sunday of year y (anonymous Gregorian algorithm).
func easter(y int) civil.Date {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return civil.Date{Year: y, Month: time.Month(month), Day: day}
}

// isHoliday reports whether n is a day Norwegian banks do not book on:
// the public holidays plus Christmas Eve and New Year's Eve.
func isHoliday(n int) bool {
	d := dateOf(n)
	switch {
	case d.Month == time.January && d.Day == 1,
		d.Month == time.May && (d.Day == 1 || d.Day == 17),
		d.Month == time.December && (d.Day == 24 || d.Day == 25 || d.Day == 26 || d.Day == 31):
		return true
	}
	if d.Month < time.March || d.Month > time.June {
		return false
	}
	e := dayOf(easter(d.Year))
	switch n - e {
	case -3, -2, 1, 39, 50: // Maundy Thursday, Good Friday, Easter Monday, Ascension, Whit Monday
		return true
	}
	return false
}

// isBusinessDay reports whether banks book payments on day n.
func isBusinessDay(n int) bool {
	wd := weekdayOf(n)
	return wd != time.Saturday && wd != time.Sunday && !isHoliday(n)
}

// bizOnOrBefore returns the last business day on or before n.
func bizOnOrBefore(n int) int {
	for !isBusinessDay(n) {
		n--
	}
	return n
}

// bizOnOrAfter returns the first business day on or after n.
func bizOnOrAfter(n int) int {
	for !isBusinessDay(n) {
		n++
	}
	return n
}

// monthDay returns the day number of the given day of a month (normalised).
func monthDay(y int, m time.Month, d int) int {
	return dayOf(civil.New(y, m, d))
}

// lastBizDayOfMonth returns the last business day of the month.
func lastBizDayOfMonth(y int, m time.Month) int {
	return bizOnOrBefore(monthDay(y, m+1, 0))
}
