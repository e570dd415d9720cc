// Command hello is the yardstick of Bankbro's start-up benchmark
// (DESIGN.md, Measuring): a hello-world Fyne window, app.NewWithID and one
// label, started the same way on the same display. Built by the benchmark,
// never shipped.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("no.bankbro.hello")
	w := a.NewWindow("Hello")
	w.SetContent(widget.NewLabel("Hello, world"))
	w.Resize(fyne.NewSize(1100, 720))
	w.ShowAndRun()
}
