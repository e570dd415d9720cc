package gui

import "fyne.io/fyne/v2"

func (u *ui) yesterdayScreen() fyne.CanvasObject { return u.notConnected() }
