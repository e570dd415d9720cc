package gui

import (
	"testing"
	"time"

	"bankbro/core/civil"
)

func TestNextMorning(t *testing.T) {
	oslo := civil.Oslo
	tests := []struct {
		now, want time.Time
	}{
		{time.Date(2026, 11, 26, 5, 59, 0, 0, oslo), time.Date(2026, 11, 26, 6, 0, 0, 0, oslo)},
		{time.Date(2026, 11, 26, 6, 0, 0, 0, oslo), time.Date(2026, 11, 27, 6, 0, 0, 0, oslo)},
		{time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC), time.Date(2026, 11, 27, 6, 0, 0, 0, oslo)}, // 00:30 on the 27th in Oslo
		// The night the clocks go back: 06:00 is still 06:00 on the wall.
		{time.Date(2026, 10, 25, 1, 0, 0, 0, oslo), time.Date(2026, 10, 25, 6, 0, 0, 0, oslo)},
		{time.Date(2026, 3, 29, 1, 0, 0, 0, oslo), time.Date(2026, 3, 29, 6, 0, 0, 0, oslo)},
	}
	for _, tt := range tests {
		if got := nextMorning(tt.now); !got.Equal(tt.want) {
			t.Errorf("nextMorning(%s) = %s, want %s", tt.now, got, tt.want)
		}
	}
}
