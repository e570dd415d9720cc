package sandbox

import (
	"slices"
	"strings"
)

// archiveView is a snapshot of an account's lines over a day range: counts
// per day, so a page is found without generating the days before it.
type archiveView struct {
	c            *company
	a            *account
	from, to     int
	genUntil     int // generated lines are booked on days < genUntil (today)
	counts       []int32
	paid         map[int][]Transaction
	total        int // booked lines + reservations
	booked       int
	reservations []Transaction
}

// view snapshots a's lines in [from, to]. Callers hold mu.
func (b *Bank) view(a *account, from, to int, withReservations bool) *archiveView {
	today := dayOf(b.currentToday())
	v := &archiveView{c: b.c, a: a, from: from, to: to, genUntil: today, paid: map[int][]Transaction{}}
	if to < from {
		return v
	}
	genTo := min(to, today-1)
	if genTo >= from {
		v.counts = b.c.countsFor(a, from, genTo, nil)
	}
	for len(v.counts) < to-from+1 {
		v.counts = append(v.counts, 0)
	}
	for _, t := range b.paid[a.idx] {
		n := dayOf(t.AccountingDate)
		if n >= from && n <= to {
			v.paid[n] = append(v.paid[n], t)
			v.counts[n-from]++
		}
	}
	for _, c := range v.counts {
		v.booked += int(c)
	}
	v.total = v.booked
	if withReservations && today >= from && today <= to {
		for _, t := range b.c.generate(a, today, true, nil) {
			t.TransactionID = ""
			t.IsReservation = true
			t.Text = strings.TrimSpace(t.Text)
			v.reservations = append(v.reservations, t)
		}
		v.total += len(v.reservations)
	}
	return v
}

// page returns lines [index, index+length) in the API's order: by
// accountingDate, then transactionId; reservations last.
func (v *archiveView) page(index, length int) []Transaction {
	if index >= v.total || length <= 0 {
		return []Transaction{}
	}
	end := min(index+length, v.total)
	out := make([]Transaction, 0, end-index)
	pos := 0
	var buf []Transaction
	for i, c := range v.counts {
		if pos >= end {
			break
		}
		n := int(c)
		if pos+n <= index {
			pos += n
			continue
		}
		day := v.from + i
		buf = buf[:0]
		if day < v.genUntil {
			buf = v.c.generate(v.a, day, true, buf)
		}
		if p := v.paid[day]; len(p) > 0 {
			buf = append(buf, p...)
			slices.SortFunc(buf, func(x, y Transaction) int { return strings.Compare(x.TransactionID, y.TransactionID) })
		}
		lo := max(index-pos, 0)
		hi := min(end-pos, n)
		out = append(out, buf[lo:hi]...)
		pos += n
	}
	for i, t := range v.reservations {
		if p := v.booked + i; p >= index && p < end {
			out = append(out, t)
		}
	}
	return out
}
