//go:build (linux || freebsd || openbsd || netbsd || dragonfly) && !android

package gui

import (
	"encoding/binary"
	"io"
	"log"

	"fyne.io/fyne/v2/driver"
	"github.com/jezek/xgb"
	"github.com/jezek/xgb/randr"
	"github.com/jezek/xgb/xproto"
)

// On X11 the window is measured and moved by a connection of our own to
// the X server (pure Go; Fyne's own, inside GLFW, is out of reach). The
// position is that of the window's inside relative to the root window
// (TranslateCoordinates), and ConfigureWindow puts the inside back there:
// GLFW gives its windows StaticGravity, so a window manager that follows
// ICCCM places its frame around that spot rather than at it. The frame
// (_NET_FRAME_EXTENTS, else the window manager's parent window) is only
// used to keep the whole window, title bar included, on a screen.
//
// Under Wayland (Fyne built with -tags wayland) the context is a
// WaylandWindowContext, which has no placer: Wayland lets no client read
// or set its windows' positions, and the compositor places them.

func init() {
	// xgb reports lost connections on its own logger; the placer's errors
	// are handled where they occur.
	xgb.Logger = log.New(io.Discard, "", 0)
}

func nativePlacer(ctx any) placer {
	c, ok := ctx.(driver.X11WindowContext)
	if !ok || c.WindowHandle == 0 {
		return nil
	}
	conn, err := xgb.NewConn()
	if err != nil {
		return nil
	}
	return &x11Placer{conn: conn, win: xproto.Window(c.WindowHandle), root: xproto.Setup(conn).DefaultScreen(conn).Root}
}

type x11Placer struct {
	conn *xgb.Conn
	win  xproto.Window
	root xproto.Window
}

func (p *x11Placer) close() { p.conn.Close() }

func (p *x11Placer) place() (rect, insets, bool) {
	attrs, err := xproto.GetWindowAttributes(p.conn, p.win).Reply()
	if err != nil || attrs.MapState != xproto.MapStateViewable {
		return rect{}, insets{}, false // not shown, or minimised
	}
	g, err := xproto.GetGeometry(p.conn, xproto.Drawable(p.win)).Reply()
	if err != nil {
		return rect{}, insets{}, false
	}
	at, err := xproto.TranslateCoordinates(p.conn, p.win, p.root, 0, 0).Reply()
	if err != nil {
		return rect{}, insets{}, false
	}
	r := rect{X: int(at.DstX), Y: int(at.DstY), W: int(g.Width), H: int(g.Height)}
	return r, p.frame(r), true
}

// frame is how far the window manager's frame reaches around the inside
// r: as the window manager says (_NET_FRAME_EXTENTS), else measured on
// the window just below the root that holds ours.
func (p *x11Placer) frame(r rect) insets {
	if a, err := xproto.InternAtom(p.conn, true, uint16(len("_NET_FRAME_EXTENTS")), "_NET_FRAME_EXTENTS").Reply(); err == nil && a.Atom != xproto.AtomNone {
		v, err := xproto.GetProperty(p.conn, false, p.win, a.Atom, xproto.AtomCardinal, 0, 4).Reply()
		if err == nil && v.Format == 32 && len(v.Value) >= 16 {
			// xgb says "LSB first" at connection setup, so the server
			// sends 32-bit values little-endian.
			e := func(i int) int { return int(int32(binary.LittleEndian.Uint32(v.Value[4*i:]))) }
			return insets{Left: e(0), Right: e(1), Top: e(2), Bottom: e(3)}
		}
	}
	top := p.win
	for range 8 { // a window manager nests a frame a few levels deep at most
		t, err := xproto.QueryTree(p.conn, top).Reply()
		if err != nil || t.Parent == p.root || t.Parent == 0 {
			break
		}
		top = t.Parent
	}
	if top == p.win {
		return insets{} // not reparented: no frame, or not yet
	}
	g, err := xproto.GetGeometry(p.conn, xproto.Drawable(top)).Reply()
	if err != nil {
		return insets{}
	}
	b := int(g.BorderWidth)
	outer := rect{X: int(g.X), Y: int(g.Y), W: int(g.Width) + 2*b, H: int(g.Height) + 2*b}
	return insets{
		Left:   max(r.X-outer.X, 0),
		Top:    max(r.Y-outer.Y, 0),
		Right:  max(outer.X+outer.W-(r.X+r.W), 0),
		Bottom: max(outer.Y+outer.H-(r.Y+r.H), 0),
	}
}

// screens are the monitors as RandR 1.5 lists them, else the root window
// (which spans every monitor).
func (p *x11Placer) screens() []rect {
	if randr.Init(p.conn) == nil {
		if m, err := randr.GetMonitors(p.conn, p.root, true).Reply(); err == nil && len(m.Monitors) > 0 {
			var out []rect
			for _, s := range m.Monitors {
				out = append(out, rect{X: int(s.X), Y: int(s.Y), W: int(s.Width), H: int(s.Height)})
			}
			return out
		}
	}
	g, err := xproto.GetGeometry(p.conn, xproto.Drawable(p.root)).Reply()
	if err != nil {
		return nil
	}
	return []rect{{W: int(g.Width), H: int(g.Height)}}
}

func (p *x11Placer) moveTo(x, y int) {
	xproto.ConfigureWindow(p.conn, p.win, xproto.ConfigWindowX|xproto.ConfigWindowY,
		[]uint32{uint32(int32(x)), uint32(int32(y))}).Check()
}
