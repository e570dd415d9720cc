package reconcile

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
)

// TestRadixSort: keys in order, equal keys in their first order, for an
// odd and an even number of byte passes.
func TestRadixSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, spread := range []uint64{1, 200, 1 << 12, 1 << 20, 1 << 41, 1 << 63} {
		a := make([]keyed[uint64], 5000)
		for i := range a {
			a[i] = keyed[uint64]{r.Uint64N(spread), i}
		}
		want := slices.Clone(a)
		slices.SortStableFunc(want, func(x, y keyed[uint64]) int {
			switch {
			case x.k < y.k:
				return -1
			case x.k > y.k:
				return 1
			}
			return 0
		})
		radixSort(a)
		if !slices.Equal(a, want) {
			t.Errorf("keys below %d: radix sort differs from a stable sort", spread)
		}
	}
}

// TestOneToOnePackedAsCompared: the packed, radix-sorted one-to-one makes
// the same matches and suggestions, in the same order, as joining by
// comparing, over books with negative amounts, equal amounts on one day and
// days across a year.
func TestOneToOnePackedAsCompared(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	start := civil.MustParse("2025-01-01")
	for round := range 20 {
		var lines []ledger.ReconcileLine
		var posts []ledger.ReconcilePosting
		days := 1 + r.IntN(400)
		amounts := []money.Amount{-100_000_00, -250_00, -1, 0, 35_00, 35_00, 99_95, 1_000_000_000_00}
		if round%5 == 4 {
			amounts = append(amounts, 20_000_000_000_00) // too far apart to pack
		}
		for i := range 300 + r.IntN(300) {
			d := start.AddDays(r.IntN(days))
			a := amounts[r.IntN(len(amounts))] + money.Amount(r.IntN(3))
			if r.IntN(2) == 0 {
				lines = append(lines, ledger.ReconcileLine{BankTransaction: ledger.BankTransaction{ID: int64(i + 1), AccountingDate: d, Amount: a}})
			}
			if r.IntN(2) == 0 {
				posts = append(posts, ledger.ReconcilePosting{Posting: ledger.Posting{ID: int64(i + 1), Date: d, Amount: a}})
			}
		}
		packed := newMatcher(slices.Clone(lines), slices.Clone(posts), nil)
		packed.oneToOne()
		compared := newMatcher(slices.Clone(lines), slices.Clone(posts), nil)
		compared.oneToOneByComparing()
		if len(packed.matches) == 0 || len(packed.suggestions) == 0 {
			t.Fatalf("round %d: %d matches, %d suggestions: the books test too little", round, len(packed.matches), len(packed.suggestions))
		}
		if !slices.EqualFunc(packed.matches, compared.matches, sameProposal) ||
			!slices.EqualFunc(packed.suggestions, compared.suggestions, sameProposal) {
			t.Fatalf("round %d: packed made %d matches and %d suggestions, compared %d and %d, or in another order",
				round, len(packed.matches), len(packed.suggestions), len(compared.matches), len(compared.suggestions))
		}
	}
}

func sameProposal(a, b proposal) bool {
	return a.rule == b.rule && slices.Equal(a.lines, b.lines) && slices.Equal(a.posts, b.posts)
}

// TestOnlyOpen: all open gives the same indexes, with no room to append
// into what the caller holds; some taken gives the others, the input as it
// was.
func TestOnlyOpen(t *testing.T) {
	open := []bool{true, false, true, true, false}
	backing := []int{0, 2, 3, 9}
	all := onlyOpen(backing[:3], open)
	if !slices.Equal(all, []int{0, 2, 3}) || cap(all) != 3 {
		t.Errorf("all open: %v (cap %d)", all, cap(all))
	}
	in := []int{0, 1, 3, 4, 2}
	if got := onlyOpen(in, open); !slices.Equal(got, []int{0, 3, 2}) || !slices.Equal(in, []int{0, 1, 3, 4, 2}) {
		t.Errorf("some taken: %v, input now %v", got, in)
	}
}

// TestJoinSortedOrder: the groups come in the order of their first lines,
// as sorting them by it would give.
func TestJoinSortedOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const n = 400
	var lines, posts []keyed[uint64]
	for i := range n {
		lines = append(lines, keyed[uint64]{r.Uint64N(60), i})
		posts = append(posts, keyed[uint64]{r.Uint64N(60), i})
	}
	byKey := func(a, b keyed[uint64]) int {
		if a.k != b.k {
			return cmp.Compare(a.k, b.k)
		}
		return cmp.Compare(a.i, b.i)
	}
	slices.SortFunc(lines, byKey)
	slices.SortFunc(posts, byKey)
	var got [][]int
	joinSorted(n, lines, posts, cmp.Compare[uint64], func(ls, ps []int) { got = append(got, ls) })
	want := slices.Clone(got)
	slices.SortFunc(want, func(a, b []int) int { return cmp.Compare(a[0], b[0]) })
	if len(got) < 30 || !slices.EqualFunc(got, want, slices.Equal[[]int]) {
		t.Errorf("%d groups, not in the order of their first lines", len(got))
	}
	for _, ls := range got {
		if !slices.IsSorted(ls) {
			t.Errorf("a group's lines %v are not in index order", ls)
		}
	}
}
