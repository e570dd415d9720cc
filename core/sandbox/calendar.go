package sandbox

import (
	"time"

	"bankbro/core/civil"
	"bankbro/core/norway"
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

// isBusinessDay reports whether banks book payments on day n.
func isBusinessDay(n int) bool { return norway.IsBankingDay(dateOf(n)) }

// bizOnOrBefore returns the last business day on or before n.
func bizOnOrBefore(n int) int { return dayOf(norway.LastBankingDay(dateOf(n))) }

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
