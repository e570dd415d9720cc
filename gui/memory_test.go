package gui

import (
	"runtime/debug"
	"testing"

	"fyne.io/fyne/v2/test"
)

// gcPercent reads the collector's pace.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// leanForTest turns the idle pace on for one test and puts Go's default
// back after it.
func leanForTest(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Cleanup(func() {
		pace.mu.Lock()
		pace.enabled, pace.busy = false, 0
		pace.mu.Unlock()
		debug.SetGCPercent(100)
	})
	LeanWhenIdle()
}

// Long work runs at the default pace, however many pieces overlap; when
// the last is done, the window is back at the idle pace.
func TestLongWorkRunsAtTheDefaultPace(t *testing.T) {
	leanForTest(t)
	if got := gcPercent(); got != idleGCPercent {
		t.Fatalf("idle: GOGC %d, want %d", got, idleGCPercent)
	}
	importDone := working()
	if got := gcPercent(); got != 100 {
		t.Errorf("while the import runs: GOGC %d, want 100", got)
	}
	backupDone := working() // a second piece of work beside it
	importDone()
	importDone() // once is enough
	if got := gcPercent(); got != 100 {
		t.Errorf("while the backup still runs: GOGC %d, want 100", got)
	}
	backupDone()
	if got := gcPercent(); got != idleGCPercent || pace.busy != 0 {
		t.Errorf("all done: GOGC %d with %d running, want %d with none", got, pace.busy, idleGCPercent)
	}
}

// A backup, started from the Data tab, runs at the default pace while it
// copies, and the window is back at the idle pace when it is done.
func TestBackupRunsAtTheDefaultPace(t *testing.T) {
	u := newScreensUI(t)
	leanForTest(t)
	u.dataTab()
	v := u.screens().data
	var during int
	beforeLongWork = func() { during = gcPercent() }
	t.Cleanup(func() { beforeLongWork = func() {} })
	test.Tap(v.backup)
	v.bg.Wait()
	if after := gcPercent(); during != 100 || after != idleGCPercent {
		t.Errorf("GOGC %d while backing up and %d after, want 100 and %d", during, after, idleGCPercent)
	}
}

// GOGC in the environment wins over the idle pace.
func TestGOGCFromTheEnvironmentIsKept(t *testing.T) {
	leanForTest(t)
	debug.SetGCPercent(100)
	pace.mu.Lock()
	pace.enabled = false
	pace.mu.Unlock()
	t.Setenv("GOGC", "100")
	LeanWhenIdle()
	done := working()
	done()
	if got := gcPercent(); got != 100 {
		t.Errorf("GOGC=100 set: the window's pace is %d", got)
	}
}

// Work that runs through goAsync (the wizard's import, a restore) runs at
// the default pace too.
func TestAsyncWorkRunsAtTheDefaultPace(t *testing.T) {
	leanForTest(t)
	old := inline
	inline = true
	t.Cleanup(func() { inline = old })
	var during int
	goAsync(func() { during = gcPercent() })
	if after := gcPercent(); during != 100 || after != idleGCPercent {
		t.Errorf("GOGC %d while the work ran and %d after, want 100 and %d", during, after, idleGCPercent)
	}
}
