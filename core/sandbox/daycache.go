package sandbox

import (
	"sync"

	"bankbro/core/money"
)

// companies holds one company per seed and busyness for the whole process:
// the data is a pure function of the two, so every Bank with the same ones
// shares the per-day sums instead of generating years of lines again.
var companies sync.Map // companyKey -> *company

type companyKey struct {
	seed int64
	busy int
}

// companyFor returns the shared company for seed and busy (Options.Busy).
func companyFor(seed int64, busy int) *company {
	busy = max(busy, 1)
	key := companyKey{seed, busy}
	if c, ok := companies.Load(key); ok {
		return c.(*company)
	}
	c := newCompany(seed)
	c.busy = busy
	got, _ := companies.LoadOrStore(key, c)
	return got.(*company)
}

// dayCache holds, per day from the founding day, the number of generated
// lines and running sums of their amounts, so balances and paging never
// have to generate more than the days they show.
type dayCache struct {
	mu     sync.Mutex
	counts []int32        // counts[i]: lines on day founded+i
	cum    []money.Amount // cum[i]: sum of all lines on days before founded+i
}

// extend makes the cache cover day n. Callers hold mu.
func (c *company) extend(a *account, dc *dayCache, n int) {
	if len(dc.cum) == 0 {
		dc.cum = append(dc.cum, 0)
	}
	var buf []Transaction
	for day := c.founded + len(dc.counts); day <= n; day++ {
		buf = c.generate(a, day, true, buf[:0])
		var sum money.Amount
		for _, t := range buf {
			sum += t.Amount
		}
		dc.counts = append(dc.counts, int32(len(buf)))
		dc.cum = append(dc.cum, dc.cum[len(dc.cum)-1]+sum)
	}
}

// sumThrough is the sum of all generated lines of a on days ≤ n.
func (c *company) sumThrough(a *account, n int) money.Amount {
	if n < c.founded {
		return 0
	}
	dc := c.cache(a)
	dc.mu.Lock()
	defer dc.mu.Unlock()
	c.extend(a, dc, n)
	return dc.cum[n-c.founded+1]
}

// countsFor returns the number of generated lines on each day of [from, to].
func (c *company) countsFor(a *account, from, to int, out []int32) []int32 {
	out = out[:0]
	dc := c.cache(a)
	dc.mu.Lock()
	defer dc.mu.Unlock()
	c.extend(a, dc, to)
	for n := from; n <= to; n++ {
		if n < c.founded {
			out = append(out, 0)
			continue
		}
		out = append(out, dc.counts[n-c.founded])
	}
	return out
}

// generatedBalance is the balance of a at the end of day n counting only
// generated lines: the anchor plus or minus what lies between.
func (c *company) generatedBalance(a *account, n int) money.Amount {
	return a.anchor + c.sumThrough(a, n) - c.sumThrough(a, a.anchorDay)
}

func (c *company) cache(a *account) *dayCache {
	c.cacheOnce.Do(func() {
		c.caches = make([]*dayCache, len(c.accounts))
		for i := range c.caches {
			c.caches[i] = &dayCache{}
		}
	})
	return c.caches[a.idx]
}
