package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"
)

func TestBankPagesLines(t *testing.T) {
	u := newScreensUI(t)
	obj := u.bankScreen()
	v := u.screens().bank
	v.bg.Wait()
	if rows := v.lines(); rows != 504 {
		t.Fatalf("rows = %d, want 504", rows)
	}
	if !strings.Contains(v.count.Text, "504") {
		t.Errorf("count = %q", v.count.Text)
	}
	v.line(0)
	v.line(450)
	v.bg.Wait()
	first, ok := v.line(0)
	if !ok || !strings.HasPrefix(first.Text, "Varekjøp") && !strings.HasPrefix(first.Text, "Innbetaling") {
		t.Errorf("first row = %+v, %v; want yesterday's newest line", first, ok)
	}
	if text := v.cellText(widget.TableCellID{Row: 450, Col: 1}); !strings.HasPrefix(text, "Kortsalg") {
		t.Errorf("row 450 text = %q", text)
	}
	shoot(t, "bank", obj)
}
