package gui

import "fyne.io/fyne/v2"

func (u *ui) paymentsScreen() fyne.CanvasObject { return u.notConnected() }
