//go:build !race

package reconcile

// raceEnabled is true under the race detector, which slows SQLite tenfold.
const raceEnabled = false
