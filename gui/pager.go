package gui

import gosync "sync"

// pager holds the rows of a long list that come from the ledger a page at
// a time: a page is read in the background the first time one of its rows
// is asked for, at most kept pages are held (memory stays flat however far
// the person scrolls), and a page whose rows were drawn as "…" asks for a
// redraw when it arrives. reset starts a new list (another account, new
// data); pages of the old one that arrive late are dropped.
type pager[T any] struct {
	size, kept int
	bg         *background
	redraw     func()      // on the UI goroutine, when a drawn page arrives
	fail       func(error) // on the UI goroutine, when a page cannot be read

	mu      gosync.Mutex // guards what the loader goroutines fill in
	gen     int
	total   int
	read    func(offset, limit int) ([]T, error)
	pages   map[int][]T
	loading map[int]bool
	shown   map[int]bool
}

// reset starts a new list of total rows that read fetches (nil: nothing to
// read yet, total 0).
func (p *pager[T]) reset(total int, read func(offset, limit int) ([]T, error)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.gen++
	p.total, p.read = total, read
	p.pages, p.loading, p.shown = map[int][]T{}, map[int]bool{}, map[int]bool{}
}

// count is how many rows the list has.
func (p *pager[T]) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.total
}

// row returns row i when its page is here, and otherwise starts reading it
// and remembers that the row is drawn without it.
func (p *pager[T]) row(i int) (T, bool) {
	var zero T
	p.mu.Lock()
	if p.read == nil {
		p.mu.Unlock()
		return zero, false
	}
	n := i / p.size
	if page, ok := p.pages[n]; ok {
		p.mu.Unlock()
		if i%p.size < len(page) {
			return page[i%p.size], true
		}
		return zero, false
	}
	start := !p.loading[n]
	p.loading[n] = true
	gen, read := p.gen, p.read
	p.mu.Unlock()
	if start {
		p.bg.run(func() { p.load(gen, n, read) })
	}
	// The page may be here already (read inline in tests, or quickly);
	// if not, its arrival redraws the list.
	p.mu.Lock()
	defer p.mu.Unlock()
	page, ok := p.pages[n]
	if !ok {
		p.shown[n] = true
		return zero, false
	}
	if i%p.size < len(page) {
		return page[i%p.size], true
	}
	return zero, false
}

func (p *pager[T]) load(gen, n int, read func(offset, limit int) ([]T, error)) {
	page, err := read(n*p.size, p.size)
	do(func() {
		p.mu.Lock()
		if gen != p.gen {
			p.mu.Unlock()
			return
		}
		if err != nil {
			delete(p.loading, n)
			p.mu.Unlock()
			p.fail(err)
			return
		}
		if len(p.pages) >= p.kept {
			p.pages, p.loading = map[int][]T{}, map[int]bool{}
		}
		p.pages[n] = page
		drawn := p.shown[n]
		delete(p.shown, n)
		p.mu.Unlock()
		if drawn {
			p.redraw()
		}
	})
}
