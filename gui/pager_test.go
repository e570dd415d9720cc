package gui

import (
	"errors"
	"testing"
)

// The pager reads a page when one of its rows is first asked for, once,
// holds at most kept pages, drops a page of a list that was reset, and
// reports a page that cannot be read (asking again reads it again).
func TestPager(t *testing.T) {
	var reads []int
	var failed error
	redraws := 0
	bad := false
	var bg background
	p := pager[int]{size: 10, kept: 3, bg: &bg, redraw: func() { redraws++ }, fail: func(err error) { failed = err }}
	read := func(offset, limit int) ([]int, error) {
		reads = append(reads, offset)
		if bad {
			return nil, errors.New("disk trouble")
		}
		var out []int
		for i := offset; i < min(offset+limit, 35); i++ {
			out = append(out, i*i)
		}
		return out, nil
	}
	if _, ok := p.row(0); ok || len(reads) != 0 {
		t.Fatalf("a list without a reader gave a row or read (%v)", reads)
	}
	p.reset(35, read)
	if got, ok := p.row(12); !ok || got != 144 {
		t.Errorf("row 12 = %d, %v; want 144", got, ok)
	}
	if got, ok := p.row(19); !ok || got != 361 || len(reads) != 1 {
		t.Errorf("row 19 = %d, %v after %v reads; want 361 from the same page", got, ok, reads)
	}
	if _, ok := p.row(35); ok {
		t.Error("row 35 of 35 was found")
	}
	if got, ok := p.row(34); !ok || got != 34*34 {
		t.Errorf("row 34 = %d, %v", got, ok)
	}
	for _, i := range []int{0, 20} {
		p.row(i)
	}
	if len(p.pages) > p.kept {
		t.Errorf("%d pages held, want at most %d", len(p.pages), p.kept)
	}
	if redraws != 0 {
		t.Errorf("%d redraws for pages that were read before they were drawn", redraws)
	}

	bad = true
	p.reset(35, read)
	if _, ok := p.row(5); ok || failed == nil {
		t.Fatalf("a page that could not be read gave a row (failure %v)", failed)
	}
	bad = false
	n := len(reads)
	if got, ok := p.row(5); !ok || got != 25 || len(reads) != n+1 {
		t.Errorf("after a failed read, row 5 = %d, %v (%d more reads); want it read again", got, ok, len(reads)-n)
	}

	// A page that arrives after a reset belongs to the old list.
	gen := p.gen
	p.reset(35, read)
	p.load(gen, 2, func(int, int) ([]int, error) { return []int{-1}, nil })
	if got, ok := p.row(20); !ok || got != 400 {
		t.Errorf("row 20 = %d, %v; a page of the old list was kept", got, ok)
	}
}
