// Package childtest runs a test binary again as a child process that runs
// one helper test, for the tests that kill a process (SIGKILL) at a chosen
// moment and then check what it left behind. The helper test does its work
// only when it finds the environment the parent gives it, and says on its
// standard output, a line at a time, how far it has come.
package childtest

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// Child is a running helper test.
type Child struct {
	Cmd *exec.Cmd
	// Lines reads the child's standard output line by line.
	Lines *bufio.Scanner
}

// Start runs the test named helper of this test binary in a child process,
// with env ("NAME=value") added to this process's environment and its
// standard error passed through.
func Start(t testing.TB, helper string, env ...string) *Child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+helper+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return &Child{Cmd: cmd, Lines: bufio.NewScanner(out)}
}

// WaitFor reads the child's output until a line is line, and says whether
// one was (false: the output ended first).
func (c *Child) WaitFor(line string) bool {
	for c.Lines.Scan() {
		if c.Lines.Text() == line {
			return true
		}
	}
	return false
}

// Ended is how a child ended.
type Ended struct {
	// Killed is true when the SIGKILL ended it, false when it had ended on
	// its own before (then Err says whether it failed).
	Killed bool
	// Rest is what it wrote after the last line read before the kill.
	Rest string
	// Err is what waiting for it returned.
	Err error
}

// Kill sends the child SIGKILL, reads the rest of its output and waits for
// it to end.
func (c *Child) Kill() Ended {
	c.Cmd.Process.Signal(syscall.SIGKILL)
	var rest strings.Builder
	for c.Lines.Scan() {
		rest.WriteString(c.Lines.Text() + "\n")
	}
	e := Ended{Rest: rest.String(), Err: c.Cmd.Wait()}
	ws, ok := c.Cmd.ProcessState.Sys().(syscall.WaitStatus)
	e.Killed = ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
	return e
}
