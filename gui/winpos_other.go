//go:build !windows && !((linux || freebsd || openbsd || netbsd || dragonfly) && !android)

package gui

// On macOS the window's position is not restored (a no-op): Fyne hands
// out the NSWindow, but reading and setting its frame needs Cocoa calls
// through cgo, to be written and tried on a Mac. Android, iOS and the
// browser have no movable windows. The window keeps the system's
// placement.
func nativePlacer(any) placer { return nil }
