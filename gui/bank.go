package gui

import "fyne.io/fyne/v2"

func (u *ui) bankScreen() fyne.CanvasObject { return u.notConnected() }
