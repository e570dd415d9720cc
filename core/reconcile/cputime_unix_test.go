//go:build unix

package reconcile

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the test process has used: on a machine shared
// with other work it says more about a change than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
