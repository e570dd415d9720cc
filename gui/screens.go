package gui

import (
	"fyne.io/fyne/v2"
)

func (u *ui) yesterdayScreen() fyne.CanvasObject { return u.notConnected() }
func (u *ui) bankScreen() fyne.CanvasObject      { return u.notConnected() }
func (u *ui) reconcileScreen() fyne.CanvasObject { return u.notConnected() }
func (u *ui) paymentsScreen() fyne.CanvasObject  { return u.notConnected() }
func (u *ui) openWizard()                        {}
