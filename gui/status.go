package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// statusBar is the line at the foot of the window: what runs in the
// background, its progress, and a Cancel button while it runs.
type statusBar struct {
	label    *widget.Label
	progress *widget.ProgressBar
	cancel   *widget.Button
	box      *fyne.Container
	onCancel func()
}

func newStatusBar() *statusBar {
	s := &statusBar{label: widget.NewLabel(""), progress: widget.NewProgressBar()}
	s.cancel = widget.NewButton("", func() {
		if s.onCancel != nil {
			s.onCancel()
		}
	})
	s.progress.Hide()
	s.cancel.Hide()
	s.box = container.NewBorder(nil, nil, nil, container.NewHBox(s.progress, s.cancel), s.label)
	return s
}

func (s *statusBar) object() fyne.CanvasObject { return s.box }

// set shows a message; call it on the UI goroutine (inside fyne.Do from others).
func (s *statusBar) set(text string) {
	s.label.SetText(text)
}

// running shows progress (0..1, or negative for unknown) with a Cancel button.
func (s *statusBar) running(text string, value float64, cancelText string, onCancel func()) {
	s.label.SetText(text)
	s.onCancel = onCancel
	if value >= 0 {
		s.progress.SetValue(value)
	}
	s.progress.Show()
	s.cancel.SetText(cancelText)
	s.cancel.Show()
}

// done hides progress and shows text.
func (s *statusBar) done(text string) {
	s.label.SetText(text)
	s.progress.Hide()
	s.cancel.Hide()
	s.onCancel = nil
}
