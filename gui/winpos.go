package gui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
)

// The window's remembered position.
//
// Fyne 2.7 has no API for a window's position, so it is read and set on the
// windowing system itself, through driver.NativeWindow: on X11 with a small
// X client of our own (winpos_x11.go), on Windows with user32
// (winpos_windows.go). macOS and Wayland keep the system's placement
// (winpos_other.go; Wayland lets no client place its windows), and so does
// a driver without a native window (the headless test driver).
//
// The position is saved in pixels of the desktop, as the windowing system
// counts them, in Fyne's preferences next to the size: on X11 the top-left
// corner of the window's inside (the window manager's frame around it is
// not counted), on Windows the top-left corner of the window with its frame.
// Each platform reads and moves the same corner, so a restore puts the
// window back where it was. A saved position that is no longer on any
// screen (a monitor was removed, the resolution lowered) is brought onto
// the nearest one, frame included: see placeOnScreen.

// Preference keys of the window's remembered position.
const (
	prefX = "window.x"
	prefY = "window.y"
)

// noPosition is the fallback of prefX and prefY: none saved yet.
const noPosition = -1 << 31

// rect is a rectangle on the desktop, in pixels.
type rect struct{ X, Y, W, H int }

// insets is how far a window manager's frame reaches beyond a window's
// inside on each side, in pixels.
type insets struct{ Left, Top, Right, Bottom int }

func (r rect) overlap(s rect) int {
	w := min(r.X+r.W, s.X+s.W) - max(r.X, s.X)
	h := min(r.Y+r.H, s.Y+s.H) - max(r.Y, s.Y)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

// distance is how far r is from s: 0 when they touch or overlap.
func (r rect) distance(s rect) int {
	dx := max(s.X-(r.X+r.W), r.X-(s.X+s.W), 0)
	dy := max(s.Y-(r.Y+r.H), r.Y-(s.Y+s.H), 0)
	return dx + dy
}

// placeOnScreen returns where to put a window whose inside was saved at
// win, with a frame f around it, so that it lies on one of screens: the
// saved place when the whole window, frame included, is on the screen it
// overlaps most; otherwise moved the least onto that screen, or onto the
// nearest screen when it overlaps none. A window larger than its screen
// gets its top-left corner (the title bar) on the screen. With no screens
// known, win's corner is kept.
func placeOnScreen(win rect, f insets, screens []rect) (x, y int) {
	outer := rect{X: win.X - f.Left, Y: win.Y - f.Top, W: win.W + f.Left + f.Right, H: win.H + f.Top + f.Bottom}
	best, bestOverlap, bestDistance := -1, 0, 0
	for i, s := range screens {
		if s.W <= 0 || s.H <= 0 {
			continue
		}
		o, d := outer.overlap(s), outer.distance(s)
		if best < 0 || o > bestOverlap || (o == bestOverlap && d < bestDistance) {
			best, bestOverlap, bestDistance = i, o, d
		}
	}
	if best < 0 {
		return win.X, win.Y
	}
	s := screens[best]
	ox := max(min(outer.X, s.X+s.W-outer.W), s.X)
	oy := max(min(outer.Y, s.Y+s.H-outer.H), s.Y)
	return ox + f.Left, oy + f.Top
}

// placer reads and moves one window on its windowing system.
type placer interface {
	// place is the window's rectangle and the frame around it: on X11 the
	// inside and the window manager's frame, on Windows the whole window
	// and no frame. ok is false when the window cannot be measured now
	// (not shown, minimised).
	place() (r rect, f insets, ok bool)
	// screens are the desktop's screens (monitors), in the same pixels.
	screens() []rect
	// moveTo puts the window's corner that place measures at x, y.
	moveTo(x, y int)
	// close lets go of whatever the placer holds (a connection).
	close()
}

// placerFor gives the placer of a window's native context, nil where there
// is none: set per platform, and by tests.
var placerFor = nativePlacer

// withPlacer runs fn with the placer of w, if w has a native window now.
// It must run on Fyne's main goroutine (a callback, fyne.Do).
func withPlacer(w fyne.Window, fn func(placer)) {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return
	}
	nw.RunNative(func(ctx any) {
		if p := placerFor(ctx); p != nil {
			defer p.close()
			fn(p)
		}
	})
}

// windowPosition is where the window is now, to be saved for the next
// start (saveWindowPlace); ok is false where that cannot be known.
func (u *ui) windowPosition() (x, y int, ok bool) {
	withPlacer(u.win, func(pl placer) {
		var r rect
		if r, _, ok = pl.place(); ok {
			x, y = r.X, r.Y
		}
	})
	return x, y, ok
}

// restoreWindowPosition moves the shown window to where it was saved, kept
// on a screen that is there now. It is false when the window could not be
// measured yet (not mapped by the window manager): worth trying again.
func (u *ui) restoreWindowPosition() bool {
	p := u.app.Preferences()
	x, y := p.IntWithFallback(prefX, noPosition), p.IntWithFallback(prefY, noPosition)
	if x == noPosition || y == noPosition {
		return true
	}
	done := true
	withPlacer(u.win, func(pl placer) {
		r, f, ok := pl.place()
		if !ok {
			done = false
			return
		}
		nx, ny := placeOnScreen(rect{X: x, Y: y, W: r.W, H: r.H}, f, pl.screens())
		if nx != r.X || ny != r.Y {
			pl.moveTo(nx, ny)
		}
	})
	return done
}

// restoreWindowPositionSoon restores the position now, or, while the
// window manager has not shown the window yet, a few times over the next
// second.
func (u *ui) restoreWindowPositionSoon() {
	if u.restoreWindowPosition() {
		return
	}
	go func() {
		for range 10 {
			time.Sleep(100 * time.Millisecond)
			done := make(chan bool, 1)
			fyne.Do(func() { done <- u.restoreWindowPosition() })
			if <-done {
				return
			}
		}
	}()
}
