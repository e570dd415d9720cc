package gui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"bankbro/core/ledger"
)

func TestBankSearch(t *testing.T) {
	u := newScreensUI(t)
	obj := u.bankScreen()
	u.screens().bank.bg.Wait()
	s := u.screens().search
	for _, c := range []struct {
		query string
		hits  int
		first string
	}{
		{"friele", 3, "Varekjøp 2"},
		{"Brygga", 1, "Innbetaling faktura 1042"},
		{"0000104204", 1, "Innbetaling faktura 1042"},
		{"4 300,00", 1, "Innbetaling faktura 1042"},
		{"kortsalg 49", 11, "Kortsalg 499"}, // 49, 490…499
		{"ingen slik tekst", 0, ""},
	} {
		s.entry.SetText(c.query)
		s.bg.Wait()
		if got := s.list.Length(); got != c.hits {
			t.Errorf("%q: %d rows, want %d (%s)", c.query, got, c.hits, s.info.Text)
			continue
		}
		if c.hits == 0 {
			if !strings.Contains(s.info.Text, c.query) {
				t.Errorf("%q: info %q", c.query, s.info.Text)
			}
			continue
		}
		row := newHitRow()
		s.updateRow(0, row)
		if l := hitLabels(row); l[2].Text != c.first && !strings.HasPrefix(l[2].Text, c.first+" ·") {
			t.Errorf("%q: first row %q, want %q", c.query, l[2].Text, c.first)
		}
	}
	// An empty field brings the bank lines back.
	s.entry.SetText("")
	if s.list.Length() != 0 || s.info.Text != "" {
		t.Errorf("cleared search still shows %d rows, %q", s.list.Length(), s.info.Text)
	}
	s.entry.SetText("kortsalg")
	s.bg.Wait()
	if n := s.list.Length(); n != searchPageSize+1 {
		t.Fatalf("kortsalg: %d rows, want a page and a 'more' row", n)
	}
	row := newHitRow()
	s.updateRow(searchPageSize, row) // scrolling to the end fetches the next page
	s.bg.Wait()
	if n := s.list.Length(); n != 2*searchPageSize+1 {
		t.Errorf("after scrolling: %d rows, want two pages and a 'more' row", n)
	}
	h, _ := s.hit(0)
	if h.Kind != ledger.HitBankLine || h.Date.Norwegian() == "" {
		t.Errorf("first hit %+v", h)
	}
	// Typing on cancels the search for what was typed before; the last
	// one's hits stand.
	s.entry.SetText("f")
	s.bg.Wait()
	before := s.ctx
	s.entry.SetText("friele")
	s.bg.Wait()
	if before.Err() != context.Canceled || s.ctx.Err() != nil {
		t.Errorf("after typing on, the first search's context: %v, the new one's: %v; want cancelled and live", before.Err(), s.ctx.Err())
	}
	if n := s.list.Length(); n != 3 {
		t.Errorf("friele after f: %d rows, want 3 (%s)", n, s.info.Text)
	}
	// A search of the same text typed again (cleared and typed, or a typo
	// put right) is a search of its own: the first one's page, arriving
	// late or cancelled, is neither added nor shown as an error.
	s.load(before, "f", ledger.SearchCursor{})
	live := s.ctx
	s.entry.SetText("")
	s.entry.SetText("friele")
	s.bg.Wait()
	s.load(live, "friele", ledger.SearchCursor{})
	if n := s.list.Length(); n != 3 || strings.Contains(s.info.Text, "cancel") {
		t.Errorf("after late pages of earlier searches: %d rows, %q; want 3 and the count", n, s.info.Text)
	}
	w := test.NewTempWindow(t, obj)
	w.Resize(fyne.NewSize(1100, 720))
	shootWindow(t, "9-search", w)
}
