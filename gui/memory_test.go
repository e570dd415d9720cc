package gui

import (
	"runtime/debug"
	"testing"
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

// While the status bar shows work running, the collector runs at the
// default pace; when all work is done, at the idle pace again.
func TestLongWorkRunsAtTheDefaultPace(t *testing.T) {
	leanForTest(t)
	if got := gcPercent(); got != idleGCPercent {
		t.Fatalf("idle: GOGC %d, want %d", got, idleGCPercent)
	}
	s := newStatusBar()
	s.running("Leser inn…", 0, "Avbryt", func() {})
	s.running("Leser inn…", 0.5, "Avbryt", func() {}) // progress: the same work
	if got := gcPercent(); got != 100 {
		t.Errorf("while the import runs: GOGC %d, want 100", got)
	}
	backup := working() // a second piece of work beside it
	s.done("Ferdig")
	if got := gcPercent(); got != 100 {
		t.Errorf("while the backup still runs: GOGC %d, want 100", got)
	}
	backup()
	backup() // once is enough
	if got := gcPercent(); got != idleGCPercent {
		t.Errorf("all done: GOGC %d, want %d", got, idleGCPercent)
	}
	s.done("Lagret") // a message without work running changes nothing
	if got := gcPercent(); got != idleGCPercent || pace.busy != 0 {
		t.Errorf("after a message: GOGC %d with %d running, want %d with none", got, pace.busy, idleGCPercent)
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
