package gui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	banksync "bankbro/core/sync"
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
	// A hit chosen is said in full under the results, with what is done
	// with it; a new search forgets it.
	s.list.Select(0)
	s.bg.Wait()
	h, _ = s.hit(0)
	if !s.detail.Visible() || !strings.Contains(s.detail.Text, h.Text) || !strings.Contains(s.detail.Text, h.Amount.Kr()) ||
		!strings.Contains(s.detail.Text, lang.L("Open (status)")) {
		t.Errorf("hit %+v chosen: detail %q (shown %v); want its text, amount and that it is open", h, s.detail.Text, s.detail.Visible())
	}
	s.entry.SetText("brygga")
	s.bg.Wait()
	if s.detail.Visible() || s.chosen != nil {
		t.Errorf("a new search still shows the hit chosen before: %q", s.detail.Text)
	}
	if got := labelsIn(s.header); !strings.Contains(got, lang.L("Amount")) || !strings.Contains(got, lang.L("Account or voucher")) {
		t.Errorf("the results' columns are named %q", got)
	}
	w := screenWindow(t, obj)
	shootWindow(t, "9-search", w)
}

// A posting found says its account's name and whether it is matched.
func TestSearchHitDetailOfAPosting(t *testing.T) {
	u := newScreensUI(t)
	lines, err := u.ledger.BankLines(u.ctx, 1, civil.MustParse("2026-03-10"), civil.MustParse("2026-03-10"))
	if err != nil || len(lines) == 0 {
		t.Fatalf("lines %v, %v", lines, err)
	}
	v, err := banksync.Post(u.ctx, u.ledger, lines[0].ID, 4300, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range v.Postings {
		h := ledger.SearchHit{Kind: ledger.HitPosting, ID: p.ID, Account: p.Account, Voucher: v.Number, Date: v.Date, Amount: p.Amount, Text: p.Text}
		got, _, err := hitDetail(u.ctx, u.ledger, h, "")
		if err != nil {
			t.Fatal(err)
		}
		a, _ := u.ledger.Account(u.ctx, p.Account)
		if !strings.Contains(got, fmt.Sprintf(lang.L("Voucher %d, account %d"), v.Number, p.Account)+" "+a.Name) {
			t.Errorf("detail of the posting on %d: %q", p.Account, got)
		}
		// The bank side is matched with its line; the counter posting
		// takes no part in reconciliation, and nothing is said of it.
		switch want := lang.L("Matched"); {
		case p.Account == 1920 && !strings.HasSuffix(got, "\n"+want):
			t.Errorf("detail of the bank's posting %q, want it matched", got)
		case p.Account == 4300 && strings.Contains(got, "\n"):
			t.Errorf("detail of the counter posting %q, want no status", got)
		}
	}
	line, _, err := hitDetail(u.ctx, u.ledger, ledger.SearchHit{Kind: ledger.HitBankLine, ID: lines[0].ID, Date: lines[0].AccountingDate, Amount: lines[0].Amount}, "Drift")
	if err != nil || !strings.HasSuffix(line, fmt.Sprintf(lang.L("Voucher %d, matched"), v.Number)) {
		t.Errorf("detail of the posted line %q, %v", line, err)
	}
}
