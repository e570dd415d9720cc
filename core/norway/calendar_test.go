package norway

import (
	"testing"

	"bankbro/core/civil"
)

func TestBankingDays(t *testing.T) {
	for _, c := range []struct {
		date string
		want bool
	}{
		{"2026-11-27", true},  // a Friday
		{"2026-11-28", false}, // Saturday
		{"2026-11-29", false}, // Sunday
		{"2026-04-02", false}, // Maundy Thursday 2026 (Easter Sunday 5 April)
		{"2026-04-03", false}, // Good Friday
		{"2026-04-06", false}, // Easter Monday
		{"2026-04-07", true},
		{"2026-05-14", false}, // Ascension
		{"2026-05-25", false}, // Whit Monday
		{"2026-05-18", true},
		{"2026-12-24", false}, // Christmas Eve
		{"2026-12-31", false}, // New Year's Eve
		{"2027-01-01", false},
		{"2026-05-01", false},
		{"2026-05-17", false},
	} {
		if got := IsBankingDay(civil.MustParse(c.date)); got != c.want {
			t.Errorf("IsBankingDay(%s) = %v, want %v", c.date, got, c.want)
		}
	}
	if e := Easter(2026); e != civil.MustParse("2026-04-05") {
		t.Errorf("Easter(2026) = %s", e)
	}
	for in, want := range map[string]string{
		"2026-11-29": "2026-11-27", // Sunday → Friday
		"2026-11-27": "2026-11-27",
		"2026-04-06": "2026-04-01", // Easter Monday → the Wednesday before Easter
	} {
		if got := LastBankingDay(civil.MustParse(in)); got != civil.MustParse(want) {
			t.Errorf("LastBankingDay(%s) = %s, want %s", in, got, want)
		}
	}
}
