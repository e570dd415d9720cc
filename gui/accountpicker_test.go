package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// drawnTexts are the texts of the canvas.Text objects the window draws for
// o: shown and laid out with room to be seen.
func drawnTexts(o fyne.CanvasObject) string {
	var b strings.Builder
	for _, c := range test.LaidOutObjects(o) {
		if t, ok := c.(*canvas.Text); ok && t.Visible() && t.Size().Width > 0 && t.Size().Height > 0 {
			b.WriteString(t.Text + "|")
		}
	}
	return b.String()
}

// What is put in the picker, by the program or by typing, is what the
// window draws, also when the picker was made inside a hidden container
// (as the posting panels are). The real window once drew an empty field
// (see newAccountPicker); the test driver did not show that failure, so
// this guards the picker's drawing, not that particular bug.
func TestAccountPickerDrawsItsText(t *testing.T) {
	p := newAccountPicker()
	panel := container.NewVBox(p)
	panel.Hide()
	box := container.NewStack(panel)
	w := test.NewTempWindow(t, box)
	w.Resize(fyne.NewSize(400, 80))
	panel.Show()
	if got := drawnTexts(box); !strings.Contains(got, p.PlaceHolder) {
		t.Errorf("drawn %q, want the placeholder %q", got, p.PlaceHolder)
	}
	p.SetText("6800 Kontorrekvisita")
	if got := drawnTexts(box); !strings.Contains(got, "6800 Kontorrekvisita") {
		t.Errorf("after SetText, drawn %q", got)
	}
	p.SetText("")
	test.Type(p, "kontor")
	if got := drawnTexts(box); !strings.Contains(got, "kontor") {
		t.Errorf("after typing, drawn %q", got)
	}
}
