package civil

import (
	"testing"
	"time"
)

func TestParseFormats(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{"2026-11-25", Date{2026, 11, 25}, false},
		{"2026-11-25T00:00:00", Date{2026, 11, 25}, false},
		{"2026-02-30", Date{}, true},
		{"25.11.2026", Date{}, true},
		{"", Date{}, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("Parse(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
	if got, _ := ParseNorwegian("5.1.2026"); got != (Date{2026, 1, 5}) {
		t.Errorf("ParseNorwegian(5.1.2026) = %v", got)
	}
	if got := (Date{2026, 1, 5}).Norwegian(); got != "05.01.2026" {
		t.Errorf("Norwegian() = %q", got)
	}
}

func TestArithmeticAcrossDST(t *testing.T) {
	// Oslo's clocks change on the last Sunday of March and October; days still count one by one.
	start := Date{2026, 3, 28}
	if got := start.AddDays(2); got != (Date{2026, 3, 30}) {
		t.Errorf("AddDays over spring change = %v", got)
	}
	if got := (Date{2026, 10, 26}).DaysSince(Date{2026, 10, 24}); got != 2 {
		t.Errorf("DaysSince over autumn change = %d", got)
	}
	if got := (Date{2027, 1, 1}).DaysSince(Date{2026, 1, 1}); got != 365 {
		t.Errorf("DaysSince a year = %d", got)
	}
}

func TestOfUsesOslo(t *testing.T) {
	// 23:30 UTC on 25 November is already 26 November in Oslo.
	got := Of(time.Date(2026, 11, 25, 23, 30, 0, 0, time.UTC))
	if got != (Date{2026, 11, 26}) {
		t.Errorf("Of = %v, want 2026-11-26", got)
	}
}
