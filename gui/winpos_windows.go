//go:build windows

package gui

import (
	"sync"
	"unsafe"

	"fyne.io/fyne/v2/driver"
	"golang.org/x/sys/windows"
)

// On Windows the window is measured and moved with user32: GetWindowRect
// and SetWindowPos both count the whole window, frame and title bar
// included, so no frame is added around it; the screens are the monitors'
// work areas (the taskbar left out).

var (
	user32                  = windows.NewLazySystemDLL("user32.dll")
	procGetWindowRect       = user32.NewProc("GetWindowRect")
	procSetWindowPos        = user32.NewProc("SetWindowPos")
	procIsIconic            = user32.NewProc("IsIconic")
	procIsZoomed            = user32.NewProc("IsZoomed")
	procEnumDisplayMonitors = user32.NewProc("EnumDisplayMonitors")
	procGetMonitorInfoW     = user32.NewProc("GetMonitorInfoW")
)

const (
	swpNoSize     = 0x0001
	swpNoZOrder   = 0x0004
	swpNoActivate = 0x0010
)

type winRect struct{ Left, Top, Right, Bottom int32 }

type monitorInfo struct {
	Size    uint32
	Monitor winRect
	Work    winRect
	Flags   uint32
}

func nativePlacer(ctx any) placer {
	c, ok := ctx.(driver.WindowsWindowContext)
	if !ok || c.HWND == 0 {
		return nil
	}
	return winPlacer{hwnd: c.HWND}
}

type winPlacer struct{ hwnd uintptr }

func (winPlacer) close() {}

func (p winPlacer) place() (rect, insets, bool) {
	if p.call(procIsIconic) || p.call(procIsZoomed) || !windows.IsWindowVisible(windows.HWND(p.hwnd)) {
		return rect{}, insets{}, false // minimised or maximised: keep the place it had before
	}
	var r winRect
	if ok, _, _ := procGetWindowRect.Call(p.hwnd, uintptr(unsafe.Pointer(&r))); ok == 0 {
		return rect{}, insets{}, false
	}
	return rect{X: int(r.Left), Y: int(r.Top), W: int(r.Right - r.Left), H: int(r.Bottom - r.Top)}, insets{}, true
}

func (p winPlacer) call(proc *windows.LazyProc) bool {
	r, _, _ := proc.Call(p.hwnd)
	return r != 0
}

var (
	monitorsMu   sync.Mutex
	monitorsSeen []rect
	monitorsOnce sync.Once
	monitorsCB   uintptr
)

func (winPlacer) screens() []rect {
	// A callback is made once: Windows programs have a limited number.
	monitorsOnce.Do(func() {
		monitorsCB = windows.NewCallback(func(m, _, _, _ uintptr) uintptr {
			info := monitorInfo{Size: uint32(unsafe.Sizeof(monitorInfo{}))}
			if ok, _, _ := procGetMonitorInfoW.Call(m, uintptr(unsafe.Pointer(&info))); ok != 0 {
				w := info.Work
				monitorsSeen = append(monitorsSeen, rect{X: int(w.Left), Y: int(w.Top), W: int(w.Right - w.Left), H: int(w.Bottom - w.Top)})
			}
			return 1 // go on
		})
	})
	monitorsMu.Lock()
	defer monitorsMu.Unlock()
	monitorsSeen = nil
	procEnumDisplayMonitors.Call(0, 0, monitorsCB, 0)
	return monitorsSeen
}

func (p winPlacer) moveTo(x, y int) {
	procSetWindowPos.Call(p.hwnd, 0, uintptr(x), uintptr(y), 0, 0, swpNoSize|swpNoZOrder|swpNoActivate)
}
