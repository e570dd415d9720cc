//go:build race

package sync

// raceEnabled is true under the race detector, which slows SQLite tenfold;
// the crash tests then build smaller ledgers.
const raceEnabled = true
