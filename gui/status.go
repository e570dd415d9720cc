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
	// unknown moves while the amount of work is not known (a determinate
	// bar would stand at 0 % all along).
	unknown  *widget.ProgressBarInfinite
	cancel   *widget.Button
	box      *fyne.Container
	onCancel func()
}

func newStatusBar() *statusBar {
	s := &statusBar{label: widget.NewLabel(""), progress: widget.NewProgressBar(), unknown: widget.NewProgressBarInfinite()}
	// A long message is cut with "…" rather than widening the window.
	s.label.Truncation = fyne.TextTruncateEllipsis
	s.cancel = widget.NewButton("", func() {
		if s.onCancel != nil {
			s.onCancel()
		}
	})
	s.progress.Hide()
	s.unknown.Hide()
	s.cancel.Hide()
	// The bars keep a width of their own: the moving one alone is a sliver.
	bars := container.NewGridWrap(fyne.NewSize(160, s.progress.MinSize().Height), s.progress, s.unknown)
	s.box = container.NewBorder(nil, nil, nil, container.NewHBox(bars, s.cancel), s.label)
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
		s.unknown.Hide()
		s.progress.Show()
	} else {
		s.progress.Hide()
		s.unknown.Show()
	}
	s.cancel.SetText(cancelText)
	s.cancel.Show()
}

// done hides progress and shows text.
func (s *statusBar) done(text string) {
	s.label.SetText(text)
	s.progress.Hide()
	s.unknown.Hide()
	s.cancel.Hide()
	s.onCancel = nil
}
