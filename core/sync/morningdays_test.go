package sync

import (
	"testing"

	"bankbro/core/civil"
)

func TestMorningDays(t *testing.T) {
	for _, c := range []struct{ today, from, to string }{
		{"2026-12-01", "2026-11-30", "2026-11-30"}, // Tuesday: Monday
		{"2026-11-30", "2026-11-27", "2026-11-29"}, // Monday: Friday to Sunday
		{"2026-11-29", "2026-11-27", "2026-11-28"}, // Sunday: Friday and Saturday
		{"2026-04-07", "2026-04-01", "2026-04-06"}, // after Easter: from the Wednesday before
		{"2027-01-04", "2026-12-30", "2027-01-03"}, // Monday after New Year: from 30 December
	} {
		from, to := MorningDays(civil.MustParse(c.today))
		if from != civil.MustParse(c.from) || to != civil.MustParse(c.to) {
			t.Errorf("MorningDays(%s) = %s, %s; want %s, %s", c.today, from, to, c.from, c.to)
		}
	}
}
