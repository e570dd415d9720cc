package gui

import (
	"os"
	"runtime/debug"
	"sync"
)

// The window's pace of garbage collection.
//
// Between pieces of work the window holds what its screens show (about
// 10 MB of Go heap, most of it parsed fonts) and allocates in bursts: a
// screen built, a page of rows read. At Go's default pace (GOGC 100) the
// heap grows to twice what is live before it is collected, and the process
// keeps the pages it grew into: after opening every section once, 10 MB of
// resident memory more than at 25 %, and 3 MB more at 25 % than at 10 %
// (BenchmarkStartupProcess in core/demo; README "Performance"). So while
// no long work runs, the window collects at 10 % growth: a collection then
// marks about 10 MB, a few milliseconds on the second core, and scrolling
// a list or opening a screen allocates a few MB. Long work runs at the
// default pace, so that an import of a year is not slowed: each piece
// marks itself (working) where it runs in the background: the morning
// import, the matcher, posting from Reconciliation and reading its
// suggestions, a backup, the payments' statuses, and all that runs through
// goAsync (the wizard's reading of the history and its import, a restore).
// GOGC in the environment overrides both.

// idleGCPercent is the pace while the window waits.
const idleGCPercent = 10

var pace struct {
	mu      sync.Mutex
	enabled bool
	busy    int // pieces of long work running
}

// LeanWhenIdle turns the idle pace on, unless GOGC is set. The window's
// main calls it; tests keep Go's default.
func LeanWhenIdle() {
	if os.Getenv("GOGC") != "" {
		return
	}
	pace.mu.Lock()
	defer pace.mu.Unlock()
	pace.enabled = true
	if pace.busy == 0 {
		debug.SetGCPercent(idleGCPercent)
	}
}

// working marks long work begun and returns what marks it done (once,
// however often it is called).
func working() (done func()) {
	pace.mu.Lock()
	defer pace.mu.Unlock()
	pace.busy++
	if pace.enabled && pace.busy == 1 {
		debug.SetGCPercent(100)
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			pace.mu.Lock()
			defer pace.mu.Unlock()
			pace.busy--
			if pace.enabled && pace.busy == 0 {
				debug.SetGCPercent(idleGCPercent)
			}
		})
	}
}
