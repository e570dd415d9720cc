package gui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	gosync "sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/ledger"
)

// searchPageSize is how many hits one query fetches; scrolling to the end
// of the list fetches the next page.
const searchPageSize = 100

// searchView is the search field of the Bank section and its results: bank
// lines and postings of every year, found by text, counterparty, amount or
// KID.
type searchView struct {
	u     *ui
	bg    background
	entry *widget.Entry
	list  *widget.List
	info  *widget.Label
	// header names the results' columns; detail says all of the hit chosen,
	// and what is done with it, under them.
	header fyne.CanvasObject
	detail *widget.Label
	chosen *ledger.SearchHit    // the hit detail is read for, nil: none
	banks  []ledger.BankAccount // the company's, to name a hit's (accountLabel) and to take its open lines
	// take offers a chosen open bank line to Reconciliation.
	take *takeButton
	// onActive is told whether a search is shown (the screen swaps the
	// bank lines table for the results).
	onActive func(bool)

	mu    gosync.Mutex // guards what the loader goroutines fill in
	query string
	// ctx is the query's, cancelled (stop) when the person types on: a
	// search for one letter in ten years of books reads for a second,
	// which a search for the word being typed need not wait behind.
	ctx     context.Context
	stop    context.CancelFunc
	hits    []ledger.SearchHit
	next    ledger.SearchCursor
	more    bool
	loading bool
}

func newSearchView(u *ui, accounts []ledger.BankAccount, onActive func(bool)) *searchView {
	v := &searchView{u: u, info: widget.NewLabel(""), banks: accounts, onActive: onActive}
	v.entry = widget.NewEntry()
	v.entry.SetPlaceHolder(lang.L("Search text, name, amount or KID"))
	v.entry.ActionItem = widget.NewButtonWithIcon("", theme.CancelIcon(), func() { v.entry.SetText("") })
	v.entry.OnChanged = v.search
	v.entry.OnSubmitted = v.search
	v.list = widget.NewList(v.length, newHitRow, v.updateRow)
	v.list.OnSelected = v.showHit
	v.header = newHitRow()
	names := []string{lang.L("Date"), lang.L("Account or voucher"), lang.L("Text"), lang.L("KID"), lang.L("Amount"), lang.L("Status")}
	for i, l := range hitLabels(v.header) {
		l.TextStyle.Bold = true
		l.SetText(names[i])
	}
	v.detail = widget.NewLabel("")
	v.detail.Wrapping = fyne.TextWrapWord
	v.detail.Hide()
	v.take = newTakeButton(u)
	return v
}

// object is the results: a count line and the columns' names over the
// list, and the hit chosen under it.
func (v *searchView) object() fyne.CanvasObject {
	chosen := container.NewBorder(nil, nil, nil, container.NewCenter(v.take), v.detail)
	return container.NewBorder(container.NewVBox(v.info, v.header), chosen, nil, nil, v.list)
}

// showHit says under the results all of hit i: its whole text (the list
// cuts it), and what is done with it, posted and matched or not.
func (v *searchView) showHit(i widget.ListItemID) {
	v.take.Hide()
	h, ok := v.hit(i)
	if !ok {
		v.chosen = nil // what is shown is of another hit
		v.detail.Hide()
		return
	}
	v.chosen = &h // a bank line's and a posting's ids may be the same number
	chosen := v.chosen
	l, ctx, account := v.u.ledger, v.u.ctx, v.accountName(h.BankAccount)
	v.bg.run(func() {
		text, line, err := hitDetail(ctx, l, h, account)
		do(func() {
			if v.chosen != chosen {
				return // another hit chosen meanwhile
			}
			if err != nil {
				text = describe(err)
			}
			v.detail.SetText(text)
			v.detail.Show()
			if err == nil && h.Kind == ledger.HitBankLine {
				v.take.offer(v.banks, line)
			}
		})
	})
}

// hitDetail is what showHit says of h: where it stands, its text and
// counterparty, its amount, and what is done with it; and, for a bank line,
// the line.
func hitDetail(ctx context.Context, l *ledger.Ledger, h ledger.SearchHit, account string) (text string, b ledger.BankLine, err error) {
	// The amount comes second: Fyne wraps a label at a no-break space
	// too, and at the end of the line it split "-1 482,78 kr" in two.
	parts := []string{h.Date.Norwegian(), h.Amount.Kr()}
	var status string
	switch h.Kind {
	case ledger.HitBankLine:
		b, err = l.BankLineByID(ctx, h.ID)
		if err != nil {
			return "", b, err
		}
		var number int64
		if b.Voucher != 0 {
			vo, err := l.Voucher(ctx, b.Voucher)
			if err != nil {
				return "", b, err
			}
			number = vo.Number
		}
		parts = append(parts, account, b.Text)
		if b.Counterparty != "" && !strings.Contains(b.Text, b.Counterparty) {
			parts = append(parts, b.Counterparty)
		}
		status = lineStatus(number, b.Voucher, b.Matched)
	case ledger.HitPosting:
		where := fmt.Sprintf(lang.L("Voucher %d, account %d"), h.Voucher, h.Account)
		if a, err := l.Account(ctx, h.Account); err == nil {
			where += " " + a.Name
		}
		parts = append(parts, where, h.Text)
		// Only postings on a bank account's GL account are matched with
		// the bank's lines: of others there is nothing to say.
		banks, err := l.BankAccounts(ctx)
		if err != nil {
			return "", b, err
		}
		if slices.ContainsFunc(banks, func(a ledger.BankAccount) bool { return a.GLAccount == h.Account }) {
			m, err := l.MatchOfPosting(ctx, h.ID)
			if err != nil {
				return "", b, err
			}
			status = lang.L("Not matched")
			if m != 0 {
				status = lang.L("Matched")
			}
		}
	}
	if h.KID != "" {
		parts = append(parts, "KID "+h.KID)
	}
	if status == "" {
		return strings.Join(parts, "  ·  "), b, nil
	}
	return strings.Join(parts, "  ·  ") + "\n" + status, b, nil
}

// search starts a new search for text (empty: no search).
func (v *searchView) search(text string) {
	text = strings.TrimSpace(text)
	v.mu.Lock()
	if text == v.query {
		v.mu.Unlock()
		return
	}
	v.query, v.hits, v.next, v.more, v.loading = text, nil, ledger.SearchCursor{}, false, text != ""
	if v.stop != nil {
		v.stop()
	}
	v.ctx, v.stop = context.WithCancel(v.u.ctx)
	ctx := v.ctx
	v.mu.Unlock()
	v.list.UnselectAll() // a row chosen among the last results is no row of these
	v.chosen = nil
	v.detail.Hide()
	v.take.Hide()
	v.list.Refresh()
	if v.onActive != nil {
		v.onActive(text != "")
	}
	if text == "" {
		v.info.SetText("")
		return
	}
	v.info.SetText(lang.L("Searching…"))
	v.bg.run(func() { v.load(ctx, text, ledger.SearchCursor{}) })
}

// load fetches the page of query that begins at cursor and appends it,
// unless the person has typed something else meanwhile (which cancels ctx:
// the same text typed again is a search of its own, whose page 1 this is not).
func (v *searchView) load(ctx context.Context, query string, cursor ledger.SearchCursor) {
	page, err := v.u.ledger.Search(ctx, query, cursor, searchPageSize)
	do(func() {
		v.mu.Lock()
		if v.ctx != ctx || ctx.Err() != nil {
			v.mu.Unlock()
			return
		}
		v.loading = false
		if err == nil {
			v.hits = append(v.hits, page.Hits...)
			v.next, v.more = page.Next, page.More
		}
		n, more := len(v.hits), v.more
		v.mu.Unlock()
		switch {
		case err != nil:
			v.info.SetText(describe(err))
		case n == 0:
			v.info.SetText(fmt.Sprintf(lang.L("Nothing found for “%s” in any year."), query))
		case n == 1:
			v.info.SetText(fmt.Sprintf(lang.L("One hit for “%s”."), query))
		case more:
			v.info.SetText(fmt.Sprintf(lang.L("The first %d hits for “%s”: bank lines, then postings, newest first; scroll for more."), count(n), query))
		default:
			v.info.SetText(fmt.Sprintf(lang.L("%d hits for “%s”: bank lines, then postings, newest first."), count(n), query))
		}
		v.list.Refresh()
		if cursor == (ledger.SearchCursor{}) && n > 0 {
			v.list.ScrollTo(0) // a new search starts at its top
		}
	})
}

func (v *searchView) length() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.more {
		return len(v.hits) + 1 // the "more" row
	}
	return len(v.hits)
}

// hit returns row i, or false for the row past the hits, whose showing
// fetches the next page.
func (v *searchView) hit(i int) (ledger.SearchHit, bool) {
	v.mu.Lock()
	if i < len(v.hits) {
		h := v.hits[i]
		v.mu.Unlock()
		return h, true
	}
	start := v.more && !v.loading
	if start {
		v.loading = true
	}
	ctx, query, cursor := v.ctx, v.query, v.next
	v.mu.Unlock()
	if start {
		v.bg.run(func() { v.load(ctx, query, cursor) })
	}
	return ledger.SearchHit{}, false
}

// hitRow is one result: date, where (bank account or voucher), text and
// counterparty, KID, amount, and what is done with it.
type hitRow struct {
	date, where, text, kid, amount, state *widget.Label
}

func newHitRow() fyne.CanvasObject {
	r := &hitRow{}
	mk := func(align fyne.TextAlign) *widget.Label {
		l := widget.NewLabel("")
		l.Alignment = align
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	r.date, r.where, r.text, r.kid, r.amount, r.state = mk(fyne.TextAlignLeading), mk(fyne.TextAlignLeading),
		mk(fyne.TextAlignLeading), mk(fyne.TextAlignLeading), mk(fyne.TextAlignTrailing), mk(fyne.TextAlignLeading)
	fixed := func(w float32, l *widget.Label) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(w, l.MinSize().Height), l)
	}
	left := container.NewHBox(fixed(100, r.date), fixed(200, r.where))
	right := container.NewHBox(fixed(120, r.kid), fixed(120, r.amount), fixed(130, r.state))
	return container.NewBorder(nil, nil, left, right, r.text)
}

func (v *searchView) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	labels := hitLabels(o)
	h, ok := v.hit(id)
	if !ok {
		for _, l := range labels {
			l.SetText("")
		}
		labels[2].SetText(lang.L("Fetching more…"))
		return
	}
	labels[0].SetText(h.Date.Norwegian())
	text := h.Text
	switch h.Kind {
	case ledger.HitBankLine:
		labels[1].SetText(v.accountName(h.BankAccount))
		if h.Counterparty != "" && !strings.Contains(h.Text, h.Counterparty) {
			text += " · " + h.Counterparty
		}
	case ledger.HitPosting:
		labels[1].SetText(fmt.Sprintf(lang.L("Voucher %d, account %d"), h.Voucher, h.Account))
	}
	labels[2].SetText(text)
	labels[3].SetText(h.KID)
	labels[4].SetText(h.Amount.String())
	labels[5].SetText(v.hitState(h))
}

// accountName is bank account id as the results name it: "Drift
// 1503.20.80119" ("" for one not known).
func (v *searchView) accountName(id int64) string {
	if i := slices.IndexFunc(v.banks, func(a ledger.BankAccount) bool { return a.ID == id }); i >= 0 {
		return accountLabel(v.banks[i])
	}
	return ""
}

// hitState is what is done with a hit, as the Bank list says it: for a
// posting, only whether it is matched, and only on a bank account's GL
// account (no other is matched with the bank's lines).
func (v *searchView) hitState(h ledger.SearchHit) string {
	if h.Kind == ledger.HitBankLine {
		return lineState(h.Posted, h.Matched)
	}
	if !slices.ContainsFunc(v.banks, func(b ledger.BankAccount) bool { return b.GLAccount == h.Account }) {
		return ""
	}
	if h.Matched {
		return lang.L("Matched")
	}
	return lang.L("Not matched")
}

// hitLabels finds a row's labels in the order date, where, text, KID,
// amount, state.
func hitLabels(o fyne.CanvasObject) [6]*widget.Label {
	var out [6]*widget.Label
	b := o.(*fyne.Container)
	// Border puts the centre first, then left and right.
	out[2] = b.Objects[0].(*widget.Label)
	left := b.Objects[1].(*fyne.Container).Objects
	right := b.Objects[2].(*fyne.Container).Objects
	out[0] = left[0].(*fyne.Container).Objects[0].(*widget.Label)
	out[1] = left[1].(*fyne.Container).Objects[0].(*widget.Label)
	out[3] = right[0].(*fyne.Container).Objects[0].(*widget.Label)
	out[4] = right[1].(*fyne.Container).Objects[0].(*widget.Label)
	out[5] = right[2].(*fyne.Container).Objects[0].(*widget.Label)
	return out
}
