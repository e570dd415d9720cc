package reconcile

import (
	"cmp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
)

// The rules the matcher records on the matches it makes. Owner rules are
// recorded as "rule:<id>", accepted suggestions as "accepted:<rule>".
const (
	RuleReversal  = "reversal"         // a voucher's posting against its reversal's, no bank line
	RuleLinked    = "posted_from_line" // postings that were posted from the bank line itself
	RuleReference = "reference"        // a payment's end-to-end reference
	RuleKID       = "kid"
	RuleOneToOne  = "one_to_one"
	RuleSameDay   = "same_day_sum"
	RuleManual    = "manual"
)

// OwnerRule is the rule name recorded for matches made by the owner's rule.
func OwnerRule(id int64) string { return "rule:" + strconv.FormatInt(id, 10) }

// Accepted is the rule name recorded for an accepted suggestion.
func Accepted(rule string) string { return "accepted:" + rule }

// suggestionsPerGroup caps how many pairs one ambiguous group proposes, so a
// day with fifty equal card purchases costs no more than a few suggestions.
const suggestionsPerGroup = 6

// proposal is a set of items the matcher found, by index into its slices.
type proposal struct {
	rule  string
	lines []int
	posts []int
}

// postRequest asks for a bank line to be posted by a post-and-match rule.
type postRequest struct {
	line int
	rule ledger.Rule
}

// matcher holds one bank account's open items in memory and works out which
// belong together. Every rule runs over hash maps keyed by what it compares,
// so a run costs O(n log n) at most (the sorting of the input).
type matcher struct {
	lines    []ledger.ReconcileLine
	posts    []ledger.ReconcilePosting
	lineDay  []int32 // day numbers, for tolerance windows
	postDay  []int32
	lineOpen []bool
	postOpen []bool
	rejected map[string]bool
	lower    []string // the lines' texts in lower case, each made on first use

	matches     []proposal
	suggestions []proposal
	posted      []postRequest
	byRule      map[string]int
}

// dayNumber counts days since 1970-01-01 (proleptic Gregorian), without the
// cost of building a time.Time for each of 200,000 items.
func dayNumber(d civil.Date) int32 {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}

func newMatcher(lines []ledger.ReconcileLine, posts []ledger.ReconcilePosting, rejected map[string]bool) *matcher {
	m := &matcher{
		lines: lines, posts: posts, rejected: rejected,
		lineDay: make([]int32, len(lines)), postDay: make([]int32, len(posts)),
		lineOpen: make([]bool, len(lines)), postOpen: make([]bool, len(posts)),
		byRule: map[string]int{},
	}
	// Input comes sorted by date and id from the ledger; keep that order
	// for determinism even if a caller passes something else.
	byLine := func(a, b ledger.ReconcileLine) int {
		if c := a.AccountingDate.Compare(b.AccountingDate); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	}
	if !slices.IsSortedFunc(m.lines, byLine) {
		slices.SortStableFunc(m.lines, byLine)
	}
	byPosting := func(a, b ledger.ReconcilePosting) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	}
	if !slices.IsSortedFunc(m.posts, byPosting) {
		slices.SortStableFunc(m.posts, byPosting)
	}
	m.matches = make([]proposal, 0, min(len(lines), len(posts)))
	for i := range m.lines {
		m.lineDay[i] = dayNumber(m.lines[i].AccountingDate)
		m.lineOpen[i] = true
	}
	for i := range m.posts {
		m.postDay[i] = dayNumber(m.posts[i].Date)
		m.postOpen[i] = true
	}
	return m
}

func (m *matcher) key(p proposal) string {
	lines := make([]int64, len(p.lines))
	for i, x := range p.lines {
		lines[i] = m.lines[x].ID
	}
	posts := make([]int64, len(p.posts))
	for i, x := range p.posts {
		posts[i] = m.posts[x].ID
	}
	return ledger.MatchKey(lines, posts)
}

// take makes a match unless any item is taken or the owner rejected it.
func (m *matcher) take(p proposal) bool {
	for _, x := range p.lines {
		if !m.lineOpen[x] {
			return false
		}
	}
	for _, x := range p.posts {
		if !m.postOpen[x] {
			return false
		}
	}
	if len(m.rejected) > 0 && m.rejected[m.key(p)] {
		return false
	}
	for _, x := range p.lines {
		m.lineOpen[x] = false
	}
	for _, x := range p.posts {
		m.postOpen[x] = false
	}
	m.matches = append(m.matches, p)
	m.byRule[p.rule]++
	return true
}

// newMatches returns the matches made, by the ledger's ids, to be stored.
func (m *matcher) newMatches() []ledger.NewMatch {
	out := make([]ledger.NewMatch, len(m.matches))
	n := 0
	for _, p := range m.matches {
		n += len(p.lines) + len(p.posts)
	}
	ids := make([]int64, n) // one array for every match's ids
	for k, p := range m.matches {
		nm := ledger.NewMatch{Rule: p.rule}
		nm.BankLines, ids = ids[:len(p.lines):len(p.lines)], ids[len(p.lines):]
		nm.Postings, ids = ids[:len(p.posts):len(p.posts)], ids[len(p.posts):]
		for i, x := range p.lines {
			nm.BankLines[i] = m.lines[x].ID
			nm.Cover(m.lines[x].AccountingDate)
		}
		for i, x := range p.posts {
			nm.Postings[i] = m.posts[x].ID
			nm.Cover(m.posts[x].Date)
		}
		out[k] = nm
	}
	return out
}

// suggest records every pairing of an ambiguous group (up to a cap).
func (m *matcher) suggest(rule string, lines, posts []int) {
	n := 0
	for _, l := range lines {
		for _, p := range posts {
			if n == suggestionsPerGroup {
				return
			}
			if m.lines[l].Amount == m.posts[p].Amount {
				m.suggestions = append(m.suggestions, proposal{rule: rule, lines: []int{l}, posts: []int{p}})
				n++
			}
		}
	}
}

func (m *matcher) openLines(idx []int) []int { return onlyOpen(idx, m.lineOpen) }

func (m *matcher) openPosts(idx []int) []int { return onlyOpen(idx, m.postOpen) }

// onlyOpen returns the indexes in idx whose items are open: idx itself,
// without room to append, when all are (most groups), without allocating.
func onlyOpen(idx []int, open []bool) []int {
	for i, x := range idx {
		if !open[x] { // copy from the first that is taken
			out := append(make([]int, 0, len(idx)-1), idx[:i]...)
			for _, x := range idx[i+1:] {
				if open[x] {
					out = append(out, x)
				}
			}
			return out
		}
	}
	return idx[:len(idx):len(idx)]
}

func (m *matcher) lineSum(idx []int) money.Amount {
	var s money.Amount
	for _, x := range idx {
		s += m.lines[x].Amount
	}
	return s
}

func (m *matcher) postSum(idx []int) money.Amount {
	var s money.Amount
	for _, x := range idx {
		s += m.posts[x].Amount
	}
	return s
}

// run applies the matcher's rules and then the owner's, in order.
func (m *matcher) run(rules []ledger.Rule) {
	m.reversals()
	m.linked()
	m.references()
	m.kids()
	m.oneToOne()
	m.sameDay()
	for _, r := range rules {
		if !r.Active {
			continue
		}
		switch r.Kind {
		case ledger.RuleMatch:
			m.matchRule(r)
		case ledger.RulePostAndMatch:
			m.postAndMatchRule(r)
		}
	}
}

// reversals matches a voucher's open postings on the GL account against its
// reversal's: together they are zero and no bank line will ever come.
func (m *matcher) reversals() {
	byVoucher := map[int64][]int{}
	reversing := map[int64][]int{} // reversed voucher -> postings of its reversal
	var order []int64
	for i, p := range m.posts {
		byVoucher[p.Voucher] = append(byVoucher[p.Voucher], i)
		if p.Reverses != 0 {
			if reversing[p.Reverses] == nil {
				order = append(order, p.Reverses)
			}
			reversing[p.Reverses] = append(reversing[p.Reverses], i)
		}
	}
	for _, v := range order {
		orig, rev := byVoucher[v], reversing[v]
		if len(orig) == 0 || m.postSum(orig)+m.postSum(rev) != 0 {
			continue
		}
		m.take(proposal{rule: RuleReversal, posts: append(append([]int(nil), orig...), rev...)})
	}
}

// linked matches a bank line with the postings posted from it (by the
// morning import or by hand), when they sum to the line.
func (m *matcher) linked() {
	byLine := map[int64][]int{}
	for i, p := range m.posts {
		if p.BankTransaction != 0 && m.postOpen[i] {
			byLine[p.BankTransaction] = append(byLine[p.BankTransaction], i)
		}
	}
	if len(byLine) == 0 {
		return
	}
	for i, l := range m.lines {
		g := byLine[l.ID]
		if len(g) > 0 && m.postSum(g) == l.Amount {
			m.take(proposal{rule: RuleLinked, lines: []int{i}, posts: g})
		}
	}
}

// references matches payments sent from the app with their bank lines.
func (m *matcher) references() {
	joinGroups(m,
		func(l *ledger.ReconcileLine, _ int) (string, bool) { return l.Reference, l.Reference != "" },
		func(p *ledger.ReconcilePosting, _ int) (string, bool) { return p.Reference, p.Reference != "" },
		strings.Compare,
		func(ls, ps []int) {
			// Several payments that went as one line (or one payment's
			// postings): all of them together.
			if m.lineSum(ls) == m.postSum(ps) && m.take(proposal{rule: RuleReference, lines: ls, posts: ps}) {
				return
			}
			m.pairByAmount(RuleReference, ls, ps)
		})
}

// joinGroups groups the open lines and the open postings by key (items
// whose key function says false take no part) and calls f with the lines
// and postings of every key both sides have, each in index order, the keys
// in the order of their first line. It sorts instead of hashing: with
// 100,000 items on each side a map of slices costs a slice per key and most
// of the matcher's time.
func joinGroups[K any](m *matcher, lineKey func(*ledger.ReconcileLine, int) (K, bool),
	postKey func(*ledger.ReconcilePosting, int) (K, bool), cmpKey func(a, b K) int, f func(ls, ps []int)) {
	lines, posts := openKeyed(m, lineKey, postKey)
	if len(lines) == 0 || len(posts) == 0 {
		return
	}
	byKey := func(a, b keyed[K]) int {
		if c := cmpKey(a.k, b.k); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	}
	slices.SortFunc(posts, byKey)
	slices.SortFunc(lines, byKey)
	joinSorted(len(m.lines), lines, posts, cmpKey, f)
}

// openKeyed returns the open lines and postings that have a key, with it,
// in index order.
func openKeyed[K any](m *matcher, lineKey func(*ledger.ReconcileLine, int) (K, bool),
	postKey func(*ledger.ReconcilePosting, int) (K, bool)) (lines, posts []keyed[K]) {
	lines = make([]keyed[K], 0, len(m.lines))
	for i := range m.lines {
		if k, ok := lineKey(&m.lines[i], i); ok && m.lineOpen[i] {
			lines = append(lines, keyed[K]{k, i})
		}
	}
	posts = make([]keyed[K], 0, len(m.posts))
	for i := range m.posts {
		if k, ok := postKey(&m.posts[i], i); ok && m.postOpen[i] {
			posts = append(posts, keyed[K]{k, i})
		}
	}
	return lines, posts
}

// keyed is an item's index with its key.
type keyed[K any] struct {
	k K
	i int
}

// joinSorted is joinGroups for lines and postings sorted by key, and by
// index within a key.
func joinSorted[K any](nLines int, lines, posts []keyed[K], cmpKey func(a, b K) int, f func(ls, ps []int)) {
	type group struct{ ls, ps []int }
	groups := make([]group, 0, min(len(lines), len(posts)))
	idx := make([]int, 0, len(lines)+len(posts))
	for i, j := 0, 0; i < len(lines) && j < len(posts); {
		c := cmpKey(lines[i].k, posts[j].k)
		switch {
		case c < 0:
			i++
		case c > 0:
			j++
		default:
			k := lines[i].k
			start := len(idx)
			for ; i < len(lines) && cmpKey(lines[i].k, k) == 0; i++ {
				idx = append(idx, lines[i].i)
			}
			mid := len(idx)
			for ; j < len(posts) && cmpKey(posts[j].k, k) == 0; j++ {
				idx = append(idx, posts[j].i)
			}
			groups = append(groups, group{idx[start:mid:mid], idx[mid:len(idx):len(idx)]})
		}
	}
	// In the order of their first lines: a group's first line is its own,
	// so they are placed by it (lines counts the matcher's lines).
	at := make([]int32, nLines)
	for k, g := range groups {
		at[g.ls[0]] = int32(k) + 1
	}
	for _, k := range at {
		if k > 0 {
			g := groups[k-1]
			f(g.ls, g.ps)
		}
	}
}

// pairByAmount matches, within a group, each line with the one item of the
// same amount on the other side when that amount is unique on both sides,
// and proposes the rest.
func (m *matcher) pairByAmount(rule string, ls, ps []int) {
	lineBy := map[money.Amount][]int{}
	postBy := map[money.Amount][]int{}
	for _, x := range m.openLines(ls) {
		lineBy[m.lines[x].Amount] = append(lineBy[m.lines[x].Amount], x)
	}
	for _, x := range m.openPosts(ps) {
		postBy[m.posts[x].Amount] = append(postBy[m.posts[x].Amount], x)
	}
	for _, x := range m.openLines(ls) {
		a := m.lines[x].Amount
		cl, cp := lineBy[a], postBy[a]
		switch {
		case len(cp) == 0:
		case len(cl) == 1 && len(cp) == 1:
			m.take(proposal{rule: rule, lines: cl, posts: cp})
		case cl[0] == x:
			m.suggest(rule, cl, cp)
		}
	}
}

type kidKey struct {
	kid    string
	amount money.Amount
}

// kids matches a line carrying a KID with the open posting carrying the same
// KID and amount.
func (m *matcher) kids() {
	joinGroups(m,
		func(l *ledger.ReconcileLine, _ int) (kidKey, bool) { return kidKey{l.KID, l.Amount}, l.KID != "" },
		func(p *ledger.ReconcilePosting, _ int) (kidKey, bool) { return kidKey{p.KID, p.Amount}, p.KID != "" },
		func(a, b kidKey) int {
			if c := strings.Compare(a.kid, b.kid); c != 0 {
				return c
			}
			return cmp.Compare(a.amount, b.amount)
		},
		func(ls, ps []int) { m.unique(RuleKID, ls, ps) })
}

// unique matches a group of equal candidates when it holds exactly one item
// on each side, and proposes its pairings otherwise.
func (m *matcher) unique(rule string, ls, ps []int) {
	ls, ps = m.openLines(ls), m.openPosts(ps)
	switch {
	case len(ls) == 0 || len(ps) == 0:
	case len(ls) == 1 && len(ps) == 1:
		m.take(proposal{rule: rule, lines: ls, posts: ps})
	default:
		m.suggest(rule, ls, ps)
	}
}

// oneToOne matches a line and a posting of the same amount and date when
// each is the other's only candidate. It is joinGroups over (day, amount),
// packed in one number and radix sorted: the open items of every day are
// most of what the matcher sees, and sorting them by comparison was 40 %
// of its time at 100,000 a side.
func (m *matcher) oneToOne() {
	if len(m.lines) == 0 || len(m.posts) == 0 {
		return
	}
	var lo, hi money.Amount
	for i := range m.lines {
		lo, hi = min(lo, m.lines[i].Amount), max(hi, m.lines[i].Amount)
	}
	for i := range m.posts {
		lo, hi = min(lo, m.posts[i].Amount), max(hi, m.posts[i].Amount)
	}
	first := min(m.lineDay[0], m.postDay[0]) // both sides are in date order
	last := max(m.lineDay[len(m.lineDay)-1], m.postDay[len(m.postDay)-1])
	if uint64(hi-lo) >= 1<<dayShift || uint64(last-first) >= 1<<(64-dayShift) {
		m.oneToOneByComparing() // amounts or days too far apart to pack: not met in practice
		return
	}
	pack := func(day int32, a money.Amount) uint64 {
		return uint64(day-first)<<dayShift | uint64(a-lo)
	}
	lines, posts := openKeyed(m,
		func(l *ledger.ReconcileLine, i int) (uint64, bool) { return pack(m.lineDay[i], l.Amount), true },
		func(p *ledger.ReconcilePosting, i int) (uint64, bool) { return pack(m.postDay[i], p.Amount), true })
	radixSort(lines)
	radixSort(posts)
	joinSorted(len(m.lines), lines, posts, cmp.Compare[uint64], func(ls, ps []int) { m.unique(RuleOneToOne, ls, ps) })
}

// dayShift leaves the low 40 bits of a packed (day, amount) to the amount:
// up to 10,995,116,277.75 kr between the lowest and the highest.
const dayShift = 40

// radixSort sorts by key, keeping the order of equal keys (a least
// significant digit radix sort, a byte at a time, skipping the bytes that
// are the same in every key).
func radixSort(a []keyed[uint64]) {
	var or, and uint64 = 0, ^uint64(0)
	for _, x := range a {
		or, and = or|x.k, and&x.k
	}
	orig, buf := a, make([]keyed[uint64], len(a))
	for shift := 0; shift < 64; shift += 8 {
		if (or^and)>>shift&0xff == 0 {
			continue // every key has this byte alike
		}
		var count [257]int
		for _, x := range a {
			count[x.k>>shift&0xff+1]++
		}
		for b := 1; b < len(count); b++ {
			count[b] += count[b-1]
		}
		for _, x := range a {
			d := x.k >> shift & 0xff
			buf[count[d]] = x
			count[d]++
		}
		a, buf = buf, a
	}
	if len(a) > 0 && &a[0] != &orig[0] {
		copy(orig, a) // an odd number of passes left it in buf
	}
}

type dayAmount struct {
	day    int32
	amount money.Amount
}

// oneToOneByComparing is oneToOne for items whose keys do not pack.
func (m *matcher) oneToOneByComparing() {
	joinGroups(m,
		func(l *ledger.ReconcileLine, i int) (dayAmount, bool) { return dayAmount{m.lineDay[i], l.Amount}, true },
		func(p *ledger.ReconcilePosting, i int) (dayAmount, bool) {
			return dayAmount{m.postDay[i], p.Amount}, true
		},
		func(a, b dayAmount) int {
			if c := cmp.Compare(a.day, b.day); c != 0 {
				return c
			}
			return cmp.Compare(a.amount, b.amount)
		},
		func(ls, ps []int) { m.unique(RuleOneToOne, ls, ps) })
}

// sameDay matches all open lines of a day with all open postings of that day
// when the sums agree.
func (m *matcher) sameDay() {
	postsBy := map[int32][]int{}
	for i := range m.posts {
		if m.postOpen[i] {
			postsBy[m.postDay[i]] = append(postsBy[m.postDay[i]], i)
		}
	}
	linesBy := map[int32][]int{}
	var days []int32
	for i := range m.lines {
		if !m.lineOpen[i] || postsBy[m.lineDay[i]] == nil {
			continue
		}
		d := m.lineDay[i]
		if linesBy[d] == nil {
			days = append(days, d)
		}
		linesBy[d] = append(linesBy[d], i)
	}
	for _, d := range days {
		ls, ps := linesBy[d], postsBy[d]
		if m.lineSum(ls) == m.postSum(ps) {
			m.take(proposal{rule: RuleSameDay, lines: ls, posts: ps})
		}
	}
}

// applies reports whether the owner's rule takes bank line i.
func (m *matcher) applies(r ledger.Rule, i int) bool {
	l := m.lines[i]
	switch {
	case r.Direction == ledger.DirectionIn && l.Amount <= 0:
		return false
	case r.Direction == ledger.DirectionOut && l.Amount >= 0:
		return false
	case r.Amount != 0 && l.Amount.Abs() != r.Amount:
		return false
	}
	if r.TextContains == "" {
		return true
	}
	if m.lower == nil {
		m.lower = make([]string, len(m.lines))
	}
	if m.lower[i] == "" { // rules look at open lines: a few of a big run
		m.lower[i] = strings.ToLower(l.Text)
	}
	return strings.Contains(m.lower[i], strings.ToLower(r.TextContains))
}

// window returns the items of sorted (by day) whose day is in [lo, hi],
// found by binary search.
func window(sorted []int, day []int32, lo, hi int32) []int {
	i := sort.Search(len(sorted), func(i int) bool { return day[sorted[i]] >= lo })
	j := i
	for j < len(sorted) && day[sorted[j]] <= hi {
		j++
	}
	return sorted[i:j]
}

// matchRule applies an owner's match rule: a line the rule takes matches
// the posting of the same amount within the days of tolerance, when each is
// the other's only candidate.
func (m *matcher) matchRule(r ledger.Rule) {
	tol := int32(r.ToleranceDays)
	linesBy := map[money.Amount][]int{}
	for i, l := range m.lines {
		if m.lineOpen[i] && m.applies(r, i) {
			linesBy[l.Amount] = append(linesBy[l.Amount], i)
		}
	}
	if len(linesBy) == 0 {
		return
	}
	postsBy := map[money.Amount][]int{}
	for i, p := range m.posts {
		if m.postOpen[i] && linesBy[p.Amount] != nil {
			postsBy[p.Amount] = append(postsBy[p.Amount], i)
		}
	}
	name := OwnerRule(r.ID)
	for i, l := range m.lines {
		if !m.lineOpen[i] || !m.applies(r, i) {
			continue
		}
		cands := m.openPosts(window(postsBy[l.Amount], m.postDay, m.lineDay[i]-tol, m.lineDay[i]+tol))
		if len(cands) == 0 {
			continue
		}
		if len(cands) == 1 {
			p := cands[0]
			back := m.openLines(window(linesBy[l.Amount], m.lineDay, m.postDay[p]-tol, m.postDay[p]+tol))
			if len(back) == 1 {
				m.take(proposal{rule: name, lines: []int{i}, posts: cands})
				continue
			}
		}
		m.suggest(name, []int{i}, cands)
	}
}

// postAndMatchRule asks for every line the rule takes, and that nothing was
// posted from yet, to be posted to the rule's account and matched.
func (m *matcher) postAndMatchRule(r ledger.Rule) {
	for i, l := range m.lines {
		if m.lineOpen[i] && !l.Posted && m.applies(r, i) {
			m.lineOpen[i] = false
			m.posted = append(m.posted, postRequest{line: i, rule: r})
			m.byRule[OwnerRule(r.ID)]++
		}
	}
}

// liveSuggestions returns the suggestions whose items are all still open and
// that the owner has not rejected, each once.
func (m *matcher) liveSuggestions(limit int) []proposal {
	var out []proposal
	seen := map[string]bool{}
next:
	for _, s := range m.suggestions {
		for _, x := range s.lines {
			if !m.lineOpen[x] {
				continue next
			}
		}
		for _, x := range s.posts {
			if !m.postOpen[x] {
				continue next
			}
		}
		k := m.key(s)
		if seen[k] || m.rejected[k] {
			continue
		}
		seen[k] = true
		out = append(out, s)
		if len(out) == limit {
			break
		}
	}
	return out
}
