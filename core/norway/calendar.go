package norway

import (
	"time"

	"bankbro/core/civil"
)

// Easter returns Easter Sunday of year y (the anonymous Gregorian
// algorithm).
func Easter(y int) civil.Date {
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

// IsBankHoliday reports whether d is a weekday Norwegian banks do not book
// on: the public holidays, Christmas Eve and New Year's Eve.
func IsBankHoliday(d civil.Date) bool {
	switch {
	case d.Month == time.January && d.Day == 1,
		d.Month == time.May && (d.Day == 1 || d.Day == 17),
		d.Month == time.December && (d.Day == 24 || d.Day == 25 || d.Day == 26 || d.Day == 31):
		return true
	}
	if d.Month < time.March || d.Month > time.June {
		return false
	}
	switch d.DaysSince(Easter(d.Year)) {
	case -3, -2, 1, 39, 50: // Maundy Thursday, Good Friday, Easter Monday, Ascension, Whit Monday
		return true
	}
	return false
}

// IsBankingDay reports whether Norwegian banks book on d.
func IsBankingDay(d civil.Date) bool { return !d.IsWeekend() && !IsBankHoliday(d) }

// LastBankingDay returns the last banking day on or before d.
func LastBankingDay(d civil.Date) civil.Date {
	for !IsBankingDay(d) {
		d = d.AddDays(-1)
	}
	return d
}
