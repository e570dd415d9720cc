package gui

import (
	"time"

	"fyne.io/fyne/v2"

	"bankbro/core/civil"
)

// morningHour is when the app, left running, reads the night's transactions.
const morningHour = 6

// scheduleMornings runs the morning import once the window is up, and again
// at 06:00 (Oslo) every day while the app runs. It uses the Yesterday
// screen's import, so progress, Cancel and errors show as for "Fetch now".
func (u *ui) scheduleMornings() {
	fyne.Do(u.runMorning)
	go func() {
		for {
			time.Sleep(time.Until(nextMorning(time.Now())))
			fyne.Do(u.runMorning)
		}
	}()
}

// runMorning starts the import unless there is no bank to read from, or
// one is running already.
func (u *ui) runMorning() {
	if u.ledger == nil || u.wiz != nil {
		return
	}
	if m := u.screens().morning; m != nil && m.fetch != nil && !m.fetch.Disabled() {
		m.fetchNow()
	}
}

// nextMorning returns the next 06:00 in Oslo after now.
func nextMorning(now time.Time) time.Time {
	d := civil.Of(now)
	at := time.Date(d.Year, d.Month, d.Day, morningHour, 0, 0, 0, civil.Oslo)
	if !at.After(now) {
		next := d.AddDays(1)
		at = time.Date(next.Year, next.Month, next.Day, morningHour, 0, 0, 0, civil.Oslo)
	}
	return at
}
