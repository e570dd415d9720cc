package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestPlaceOnScreen(t *testing.T) {
	left := rect{X: 0, Y: 0, W: 1920, H: 1080}
	right := rect{X: 1920, Y: 0, W: 1280, H: 1024}
	frame := insets{Left: 2, Top: 30, Right: 2, Bottom: 2}
	for _, c := range []struct {
		name    string
		win     rect
		f       insets
		screens []rect
		x, y    int
	}{
		{"on the screen: kept", rect{100, 200, 800, 600}, frame, []rect{left}, 100, 200},
		{"on the second monitor: kept", rect{2000, 100, 800, 600}, frame, []rect{left, right}, 2000, 100},
		{"second monitor removed: onto the nearest", rect{2000, 100, 800, 600}, frame, []rect{left}, 1920 - 2 - 800, 100},
		{"far off to the bottom right", rect{9000, 9000, 800, 600}, frame, []rect{left}, 1920 - 2 - 800, 1080 - 2 - 600},
		{"far off to the top left", rect{-5000, -5000, 800, 600}, frame, []rect{left}, 2, 30},
		{"title bar above the screen", rect{100, 10, 800, 600}, frame, []rect{left}, 100, 30},
		{"hanging over the right edge", rect{1500, 100, 800, 600}, frame, []rect{left}, 1920 - 2 - 800, 100},
		{"mostly on the right monitor: kept there", rect{1900, 100, 800, 600}, frame, []rect{left, right}, 1922, 100},
		{"larger than the screen: title bar on it", rect{300, 300, 2400, 1400}, frame, []rect{left}, 2, 30},
		{"no frame", rect{-10, -10, 800, 600}, insets{}, []rect{left}, 0, 0},
		{"no screens known: kept", rect{-10, -10, 800, 600}, frame, nil, -10, -10},
		{"a screen with no size is skipped", rect{5000, 0, 800, 600}, frame, []rect{{X: 4000, W: 0, H: 0}, left}, 1920 - 2 - 800, 30},
		{"monitor left of the primary", rect{-1500, 100, 800, 600}, frame, []rect{{X: -1600, Y: 0, W: 1600, H: 900}, left}, -1500, 100},
	} {
		x, y := placeOnScreen(c.win, c.f, c.screens)
		if x != c.x || y != c.y {
			t.Errorf("%s: placed at %d,%d, want %d,%d", c.name, x, y, c.x, c.y)
		}
	}
}

// fakePlacer is a window on a windowing system of the test's making.
type fakePlacer struct {
	win     rect
	frame   insets
	shown   bool
	monitor []rect
	moves   int
}

func (p *fakePlacer) place() (rect, insets, bool) { return p.win, p.frame, p.shown }
func (p *fakePlacer) screens() []rect             { return p.monitor }
func (p *fakePlacer) moveTo(x, y int)             { p.win.X, p.win.Y = x, y; p.moves++ }
func (p *fakePlacer) close()                      {}

// nativeTestWindow is the headless test window with a native context, as
// the GLFW driver's windows have.
type nativeTestWindow struct{ fyne.Window }

func (nativeTestWindow) RunNative(f func(any)) { f("test context") }

func TestWindowPositionIsRemembered(t *testing.T) {
	a := test.NewTempApp(t)
	screen := []rect{{W: 1920, H: 1080}}
	native := &fakePlacer{win: rect{X: 340, Y: 150, W: 1100, H: 720}, frame: insets{Top: 28}, shown: true, monitor: screen}
	placerFor = func(ctx any) placer {
		if ctx != "test context" {
			t.Fatalf("placer asked for context %v", ctx)
		}
		return native
	}
	t.Cleanup(func() { placerFor = nativePlacer })

	w := a.NewWindow("first start")
	defer w.Close()
	u := &ui{app: a, win: w}
	u.saveWindowPlace() // no native window: nothing saved
	if x := a.Preferences().IntWithFallback(prefX, noPosition); x != noPosition {
		t.Fatalf("a window without a native one saved x = %d", x)
	}
	u.win = nativeTestWindow{w}
	native.shown = false
	u.saveWindowPlace()
	if x := a.Preferences().IntWithFallback(prefX, noPosition); x != noPosition {
		t.Fatalf("a window not shown saved x = %d", x)
	}
	if !u.restoreWindowPosition() { // nothing saved yet: the system's placement stays
		t.Errorf("with nothing saved, the restore asks to be tried again")
	}
	if native.moves != 0 {
		t.Fatalf("moved with no position saved: %+v", native.win)
	}
	native.shown = true
	u.saveWindowPlace()
	p := a.Preferences()
	if x, y := p.Int(prefX), p.Int(prefY); x != 340 || y != 150 {
		t.Fatalf("saved %d,%d, want 340,150", x, y)
	}

	// The next start: the system puts the window elsewhere; it goes back,
	// once the window manager has shown it.
	native.win.X, native.win.Y = 0, 0
	native.shown = false
	if u.restoreWindowPosition() || native.moves != 0 {
		t.Errorf("a window not shown yet was restored (moves %d), or the restore is not to be tried again", native.moves)
	}
	native.shown = true
	u.restoreWindowPosition()
	if native.win.X != 340 || native.win.Y != 150 || native.moves != 1 {
		t.Errorf("restored to %d,%d after %d moves, want 340,150 after 1", native.win.X, native.win.Y, native.moves)
	}
	u.restoreWindowPosition() // already there: not moved again
	if native.moves != 1 {
		t.Errorf("moved %d times, want 1", native.moves)
	}

	// A start with a smaller screen (the monitor it was on is gone).
	p.SetInt(prefX, 2500)
	p.SetInt(prefY, 900)
	native.monitor = []rect{{W: 1280, H: 800}}
	u.restoreWindowPosition()
	if native.win.X != 1280-1100 || native.win.Y != 800-720 {
		t.Errorf("off-screen position restored to %d,%d, want 180,80 (title bar and all on the screen)", native.win.X, native.win.Y)
	}
}
