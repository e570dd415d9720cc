package demo_test

// BenchmarkStartupProcess measures the real binary under Xvfb (issue 10,
// DESIGN.md "Measuring"): from process start to its window on the screen,
// and the maximum resident memory (VmHWM) after every section has been
// opened once, beside a hello-world Fyne window started the same way on the
// same display. It needs cgo, Xvfb and xdotool, and skips without them.

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"bankbro/core/demo"
)

func BenchmarkStartupProcess(b *testing.B) {
	for _, tool := range []string{"Xvfb", "xdotool", "gcc"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skipf("%s is not installed", tool)
		}
	}
	dir := b.TempDir()
	// Bankbro is built as it ships (without Fyne's bundled emoji font, see
	// README "Performance"); hello world as Fyne builds it by default.
	for _, p := range []struct{ out, pkg, tags string }{{"bankbro", "bankbro", "no_emoji"}, {"hello", "./testdata/hello", ""}} {
		cmd := exec.Command("go", "build", "-tags", p.tags, "-o", filepath.Join(dir, p.out), p.pkg)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Skipf("cannot build %s with cgo: %v\n%s", p.pkg, err, out)
		}
	}
	display, stop, err := startXvfb()
	if err != nil {
		b.Skip(err)
	}
	defer stop()
	b.Setenv("DISPLAY", display) // for xdotool
	home := b.TempDir()          // a fresh Fyne settings folder for every run
	cases := []struct {
		name, title string
		args        []string
		lines       int
	}{
		{"hello", "Hello", nil, 0},
		{"rows=10k", "Bankbro", nil, 10_000},
		{"rows=1M", "Bankbro", nil, 1_000_000},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			bin := filepath.Join(dir, "hello")
			var args []string
			if c.lines > 0 {
				path, err := demo.ScaleLedger(context.Background(), c.lines, os.Stderr)
				if err != nil {
					b.Fatal(err)
				}
				bin = filepath.Join(dir, "bankbro")
				args = []string{"--db", path, "--today", demo.BenchToday.String()}
			}
			var first time.Duration
			var hwm, afterFirst int
			for b.Loop() {
				f, rss, all, err := runOnce(display, home, bin, args, c.title, c.lines > 0)
				if err != nil {
					b.Fatal(err)
				}
				first += f
				afterFirst, hwm = rss, all
			}
			b.ReportMetric(float64(first.Microseconds())/1000/float64(b.N), "first-frame-ms")
			b.ReportMetric(float64(afterFirst)/1024, "rss-first-MB")
			b.ReportMetric(float64(hwm)/1024, "max-rss-MB")
		})
	}
}

// runOnce starts bin, waits for its window titled title to be visible,
// then (sections) clicks through every section of the navigation, and
// returns the time to the window, VmHWM then, and VmHWM at the end (kB).
func runOnce(display, home, bin string, args []string, title string, sections bool) (time.Duration, int, int, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "HOME="+home)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, 0, err
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	var win string
	for win == "" {
		if time.Since(start) > 60*time.Second {
			return 0, 0, 0, fmt.Errorf("%s: no window after a minute", bin)
		}
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^"+title).Output()
		win = strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
		if win == "" {
			time.Sleep(5 * time.Millisecond)
		}
	}
	first := time.Since(start)
	time.Sleep(time.Second) // let the first screen's data arrive
	rssFirst := vmHWM(cmd.Process.Pid)
	if sections {
		// Go to → each section by its shortcut (Ctrl+2 … Ctrl+5, then back
		// to Ctrl+1), as the menu does: clicks at fixed places missed a row
		// once the menu bar moved the navigation down.
		for _, n := range []int{2, 3, 4, 5, 1} {
			exec.Command("xdotool", "windowfocus", win, "key", "ctrl+"+strconv.Itoa(n)).Run()
			time.Sleep(1500 * time.Millisecond)
		}
	}
	return first, rssFirst, vmHWM(cmd.Process.Pid), nil
}

// vmHWM reads a process's peak resident set size in kB.
func vmHWM(pid int) int {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return n
		}
	}
	return 0
}

// startXvfb starts a virtual display on the first free number from :91.
func startXvfb() (string, func(), error) {
	for n := 91; n < 120; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			continue
		}
		d := fmt.Sprintf(":%d", n)
		cmd := exec.Command("Xvfb", d, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
		if err := cmd.Start(); err != nil {
			return "", nil, err
		}
		stop := func() { cmd.Process.Kill(); cmd.Wait() }
		for range 100 {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
				return d, stop, nil
			}
			time.Sleep(50 * time.Millisecond)
		}
		stop()
	}
	return "", nil, fmt.Errorf("no free X display for Xvfb")
}
