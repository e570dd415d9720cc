//go:build !race

package onboarding_test

// raceEnabled is true under the race detector, which slows SQLite tenfold;
// the crash test then starts fewer processes.
const raceEnabled = false
