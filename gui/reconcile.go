package gui

import "fyne.io/fyne/v2"

func (u *ui) reconcileScreen() fyne.CanvasObject { return u.notConnected() }
