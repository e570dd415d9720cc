package gui

// Benchmarks at scale (issue 10), in the test driver: opening the window
// on a ledger of 10,000 and of 1,000,000 bank lines, scrolling the Bank
// list from top to bottom, and the Go heap after every section has been
// opened. The ledgers are made once by demo.ScaleLedger under
// os.TempDir()/bankbro-scale. Run with -p 1: a ledger is locked while open.
// The real process (start to first frame, max RSS) is measured by
// core/demo/testdata/startup (see README, Performance).

import (
	"context"
	"os"
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/demo"
)

var guiScaleSizes = []struct {
	name  string
	lines int
}{{"rows=10k", 10_000}, {"rows=1M", 1_000_000}}

func benchLedger(b *testing.B, lines int) string {
	b.Helper()
	path, err := demo.ScaleLedger(context.Background(), lines, os.Stderr)
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// benchUI opens the window on the ledger at path as Start does, with the
// bank integration stood in for, and waits for the first screen's data.
func benchUI(b *testing.B, path string) *ui {
	b.Helper()
	newLoginService = func(*ui) loginService { return scrLogin{expires: time.Now().Add(72 * time.Hour)} }
	u := newUI(test.NewTempApp(b), Options{LedgerPath: path, Today: demo.BenchToday})
	if m := u.screens().morning; m != nil {
		m.bg.Wait()
	}
	return u
}

func closeUI(u *ui) {
	u.win.Close()
	statesMu.Lock()
	delete(states, u)
	statesMu.Unlock()
}

// BenchmarkStartup is newUI (open the ledger, build the navigation and the
// Yesterday screen) until Yesterday's lines are read, in the test driver.
func BenchmarkStartup(b *testing.B) {
	for _, size := range guiScaleSizes {
		b.Run(size.name, func(b *testing.B) {
			path := benchLedger(b, size.lines)
			for b.Loop() {
				closeUI(benchUI(b, path))
			}
		})
	}
}

// BenchmarkScrollBank opens the Bank screen on the busiest account and
// jumps from the top row to the last in 200 steps, each drawing the rows
// it jumped to with their text read from the ledger (ns/op is the whole
// scroll). by=offset jumps
// as dragging the scroll bar does (Table.ScrollToOffset); by=row jumps with
// Table.ScrollTo(row), which in Fyne 2.7 adds up the height of every row
// above the target (Table.findY), so it also grows with the list although
// the app never calls it (and lands some rows off deep down: the sum is a
// float32).
func BenchmarkScrollBank(b *testing.B) {
	for _, size := range guiScaleSizes {
		for _, by := range []string{"offset", "row"} {
			b.Run(size.name+"/by="+by, func(b *testing.B) {
				u := benchUI(b, benchLedger(b, size.lines))
				defer closeUI(u)
				obj := u.bankScreen()
				screenWindow(b, obj)
				v := u.screens().bank
				v.bg.Wait()
				total := v.lines()
				if total < 200 {
					b.Fatalf("%d lines on the account, want many", total)
				}
				// Where a row begins when every row keeps the template's height.
				rowHeight := newBankCell().MinSize().Height + theme.Padding()
				for b.Loop() {
					for k := range 200 {
						row := k * (total - 1) / 199
						if by == "row" {
							v.table.ScrollTo(widget.TableCellID{Row: row, Col: 0})
						} else {
							v.table.ScrollToOffset(fyne.NewPos(0, float32(row)*rowHeight))
						}
						// The test driver reads pages as cells ask for them,
						// so the row is read if the table drew it. ScrollTo's
						// float32 sum drifts some rows off deep in a long list;
						// then the row is read here.
						if _, ok := v.line(row); !ok {
							if by == "offset" {
								b.Fatalf("jump %d: row %d is not on the screen", k, row)
							}
							v.bg.Wait()
						}
					}
					v.table.ScrollToTop()
				}
				b.ReportMetric(float64(total), "lines")
			})
		}
	}
}

// BenchmarkOpenEverySection opens the window and every section once, and
// reports the Go heap in use afterwards (heap-MB), beside the same for a
// bare test app (bare-heap-MB). The process's resident memory under a
// real display is measured by core/demo/testdata/startup.
func BenchmarkOpenEverySection(b *testing.B) {
	for _, size := range guiScaleSizes {
		b.Run(size.name, func(b *testing.B) {
			path := benchLedger(b, size.lines)
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			bare := ms.HeapInuse
			var heap uint64
			for b.Loop() {
				u := benchUI(b, path)
				for i := range u.sections {
					u.show(i)
					waitScreens(u)
				}
				runtime.GC()
				runtime.ReadMemStats(&ms)
				heap = ms.HeapInuse
				closeUI(u)
			}
			b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
			b.ReportMetric(float64(bare)/(1<<20), "bare-heap-MB")
		})
	}
}

// waitScreens waits for the background work of the screens built so far.
func waitScreens(u *ui) {
	s := u.screens()
	if s.morning != nil {
		s.morning.bg.Wait()
	}
	if s.bank != nil {
		s.bank.bg.Wait()
	}
}
