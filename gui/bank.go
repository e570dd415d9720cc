package gui

import (
	"fmt"
	"image/color"
	gosync "sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/instance"
	"bankbro/core/ledger"
	"bankbro/core/norway"
)

// screenStates keeps the state of the bank screens per window. The ui struct
// is shared with other screens, so these screens keep theirs here.
type screenStates struct {
	morning   *morningScreen
	bank      *bankView
	reconcile *reconcileView
	payments  *paymentsView
	data      *dataView
	search    *searchView
	// listener answers a second start on the same company file.
	listener *instance.Listener
}

var (
	statesMu gosync.Mutex
	states   = map[*ui]*screenStates{}
)

// screens returns the bank screens' state of this window.
func (u *ui) screens() *screenStates {
	statesMu.Lock()
	defer statesMu.Unlock()
	s := states[u]
	if s == nil {
		s = &screenStates{}
		states[u] = s
	}
	return s
}

// doMu makes the screens' fyne.Do calls take turns. The real driver runs
// them one by one on the UI goroutine anyway; the test driver runs them on
// the calling goroutine, where two loaders could otherwise meet.
var doMu gosync.Mutex

// inline runs background work and its results on the calling goroutine;
// the headless tests set it, as the test driver has no UI goroutine to
// keep widget updates in turn.
var inline bool

// do hands fn to the UI goroutine.
func do(fn func()) {
	if inline {
		fn()
		return
	}
	fyne.Do(func() {
		doMu.Lock()
		defer doMu.Unlock()
		fn()
	})
}

// onUI hands fn to the UI goroutine without taking do's turn: for work
// that builds screens, whose building takes it.
func onUI(fn func()) {
	if inline {
		fn()
		return
	}
	fyne.Do(fn)
}

// building holds off background results until a screen is built.
func building() func() {
	if inline {
		return func() {}
	}
	doMu.Lock()
	return doMu.Unlock
}

// background runs work off the UI goroutine; tests Wait for it.
type background struct{ wg gosync.WaitGroup }

func (b *background) run(fn func()) {
	if inline {
		fn()
		return
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		fn()
	}()
}

// Wait blocks until every piece of work started so far is done.
func (b *background) Wait() { b.wg.Wait() }

// bankAccounts returns the active bank accounts that keep(…) selects.
// screenAccounts returns the active bank accounts that pass keep (nil:
// all), or the screen to show instead: why they could not be read (under
// the title readErr), or "not connected" when there are none.
func (u *ui) screenAccounts(keep func(ledger.BankAccount) bool, readErr string) ([]ledger.BankAccount, fyne.CanvasObject) {
	all, err := u.ledger.BankAccounts(u.ctx)
	if err != nil {
		return nil, emptyState(readErr, describe(err), nil)
	}
	var out []ledger.BankAccount
	for _, a := range all {
		if a.Active && (keep == nil || keep(a)) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, u.notConnected()
	}
	return out, nil
}

// withShop puts a card purchase's shop before its text, where a list has
// no column for who a line was with: "ELKJOP HAVNA  *7160 26.11 NOK …".
func withShop(text string) string {
	if shop := norway.CardMerchant(text); shop != "" {
		return shop + "  " + text
	}
	return text
}

// accountLabel names a bank account for pickers: "Drift 1503.20.80119".
func accountLabel(a ledger.BankAccount) string { return a.Name + " " + a.Formatted() }

// lineStatus says what has been done with a bank line.
func lineStatus(voucherNumber int64, voucher int64, matched bool) string {
	switch {
	case voucher != 0 && matched:
		return fmt.Sprintf(lang.L("Voucher %d, matched"), voucherNumber)
	case voucher != 0:
		return fmt.Sprintf(lang.L("Posted, voucher %d"), voucherNumber)
	}
	return lineState(false, matched) // as the Bank list says it
}

// bankPageSize is how many lines one query fetches for the bank table: a
// screenful or two, so a jump deep into the list reads little more than it
// shows (each line brings its voucher and match with it).
const bankPageSize = 64

// bankPagesKept is how many pages the table keeps before it forgets them.
const bankPagesKept = 40

// bankView is the Bank screen: every stored line of one account, paged
// from the ledger so a million lines cost what a thousand do.
type bankView struct {
	u        *ui
	bg       background
	accounts []ledger.BankAccount
	picker   *widget.Select
	table    *widget.Table
	count    *widget.Label
	// pending shows the account's reservations of today, read from the
	// bank through login.
	pending *pendingBand
	login   loginService

	// account is the account shown; rows holds its lines, read by day
	// (ledger.BankLineIndex) a page at a time.
	account int64
	rows    pager[ledger.BankLine]
	// take, under the table, offers an open line chosen in it to
	// Reconciliation, where it is matched or posted.
	take     *fyne.Container
	takeWhat *widget.Label
	takeIt   *takeButton
	// widths are the columns' widths now (fitColumns).
	widths []float32
	// chosen is the cell chosen in the table (row -1: none): the rest of
	// its row is marked as Fyne's table marks the cell.
	chosen widget.TableCellID
}

// bankColumns fit side by side in the window's default width (1100 px),
// so nothing hides behind a horizontal scroll bar: Text and Counterparty
// (flex) share what the others leave of the table's width (fitColumns),
// and are never narrower than their width here.
var bankColumns = []struct {
	title string
	width float32
	flex  bool
}{
	{"Date", 100, false}, {"Text", 180, true}, {"Counterparty", 170, true}, {"Amount", 120, false}, {"KID", 120, false}, {"Status", 140, false},
}

// fitColumns sizes the table's flexible columns to fill width: Fyne's
// table has fixed column widths, and puts its padding after each column.
func (v *bankView) fitColumns(width float32) {
	rest, flex := width, float32(0)
	for _, c := range bankColumns {
		rest -= theme.Padding()
		if c.flex {
			flex += c.width
		} else {
			rest -= c.width
		}
	}
	v.widths = make([]float32, len(bankColumns))
	for i, c := range bankColumns {
		v.widths[i] = c.width
		if c.flex {
			v.widths[i] = max(c.width, c.width*rest/flex)
			v.table.SetColumnWidth(i, v.widths[i])
		}
	}
}

// fitLayout lays its one object, the Bank table, out over the whole
// space, its columns fitted to its width.
type fitLayout struct{ v *bankView }

func (f fitLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if f.v.table.Size().Width != size.Width {
		f.v.fitColumns(size.Width)
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (f fitLayout) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

func (u *ui) bankScreen() fyne.CanvasObject {
	defer building()()
	accounts, instead := u.screenAccounts(nil, lang.L("The bank lines could not be read"))
	if instead != nil {
		return instead
	}
	v := &bankView{u: u, accounts: accounts, count: widget.NewLabel(""), pending: newPendingBand(), login: u.bankLogin(), chosen: widget.TableCellID{Row: -1}}
	v.rows = pager[ledger.BankLine]{size: bankPageSize, kept: bankPagesKept, bg: &v.bg,
		redraw: func() { v.table.Refresh() }, fail: func(err error) { v.count.SetText(describe(err)) }}
	u.screens().bank = v
	names := make([]string, len(accounts))
	for i, a := range accounts {
		names[i] = accountLabel(a)
	}
	v.table = widget.NewTableWithHeaders(v.size, newBankCell, v.cell)
	v.table.ShowHeaderColumn = false
	v.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(bankColumns) {
			o.(*widget.Label).SetText(lang.L(bankColumns[id.Col].title))
		}
	}
	for i, c := range bankColumns {
		v.table.SetColumnWidth(i, c.width)
	}
	v.picker = widget.NewSelect(names, func(string) { v.choose(accounts[v.picker.SelectedIndex()]) })
	// Wide enough for "Skattetrekkskonto 9710.68.27943": a Select is as wide
	// as its placeholder otherwise, and the account number was cut.
	left := container.NewHBox(heading(lang.L("Bank lines")), container.NewGridWrap(fyne.NewSize(300, v.picker.MinSize().Height), v.picker))
	v.takeWhat = widget.NewLabel("")
	v.takeWhat.Truncation = fyne.TextTruncateEllipsis
	v.takeIt = newTakeButton(u)
	v.takeIt.Show() // the bar shows and hides
	v.take = container.NewBorder(nil, nil, nil, v.takeIt, v.takeWhat)
	v.take.Hide()
	v.table.OnSelected = func(id widget.TableCellID) {
		v.chosen = id
		v.table.Refresh()
		v.offer(id.Row)
	}
	// Today's reservations sit above the booked lines, apart from them.
	lines := container.NewBorder(v.pending.box, v.take, nil, nil, container.New(fitLayout{v}, v.table))
	body := container.NewStack(lines)
	var results, top fyne.CanvasObject
	search := newSearchView(u, accounts, func(active bool) {
		// While a search is shown, its results take the table's place.
		if active {
			left.Hide()
			v.count.Hide()
			body.Objects = []fyne.CanvasObject{results}
		} else {
			left.Show()
			v.count.Show()
			body.Objects = []fyne.CanvasObject{lines}
		}
		top.Refresh()
		body.Refresh()
	})
	results = search.object()
	u.screens().search = search
	v.picker.SetSelectedIndex(0)
	top = container.NewBorder(nil, nil, left, v.count, search.entry)
	return container.NewBorder(top, nil, nil, nil, body)
}

// shorten cuts text to what fits a column of the given width, counting a
// generous average glyph width rather than measuring (which is slow).
func shorten(text string, width float32) string {
	max := int(width/8) - 2
	r := []rune(text)
	if max < 1 || len(r) <= max {
		return text
	}
	return string(r[:max-1]) + "…"
}

// offer shows, under the table, what can be done with the line of row i:
// an open line can be taken to Reconciliation.
func (v *bankView) offer(i int) {
	b, ok := v.rows.row(i)
	if !ok || !v.takeIt.offer(v.accounts, b) {
		v.take.Hide()
		return
	}
	who := b.Counterparty
	if who == "" {
		who = b.Text
	}
	v.takeWhat.SetText(fmt.Sprintf(lang.L("Open line: %s · %s · %s"), b.AccountingDate.Norwegian(), b.Amount.Kr(), who))
	v.take.Show()
}

// choose shows the lines of another account.
func (v *bankView) choose(a ledger.BankAccount) {
	v.account = a.ID
	if v.take != nil {
		v.take.Hide()
		v.table.UnselectAll() // a cell chosen in one account's list is no line of this one
	}
	v.chosen = widget.TableCellID{Row: -1}
	v.rows.reset(0, nil)
	v.count.SetText(lang.L("Reading…"))
	v.table.Refresh()
	v.readPending(a)
	l, ctx := v.u.ledger, v.u.ctx
	v.bg.run(func() {
		index, err := l.BankLineIndex(ctx, a.ID)
		n := index.Total()
		do(func() {
			if err != nil {
				v.count.SetText(describe(err))
				return
			}
			if v.account != a.ID {
				return
			}
			v.rows.reset(n, func(offset, limit int) ([]ledger.BankLine, error) {
				return l.BankLinesPageAt(ctx, a.ID, index, offset, limit)
			})
			v.count.SetText(counted(n, "1 line", "%d lines"))
			v.table.ScrollToTop()
			v.table.Refresh()
		})
	})
}

// readPending reads the account's reservations of today from the bank,
// off the UI goroutine, and shows them when the account is still shown.
func (v *bankView) readPending(a ledger.BankAccount) {
	v.pending.clear()
	ctx, svc, today := v.u.ctx, v.login, v.u.today()
	v.bg.run(func() {
		res, err := readPending(ctx, svc, a.BankID, today)
		do(func() {
			if v.account == a.ID {
				v.pending.show(res, err)
			}
		})
	})
}

// size is the table's Length. It counts no rows until the table has been
// laid out: Fyne's table (v2.7) makes a row divider for every row it
// believes visible, and before it has a height that is every row, so a
// refresh before the first layout made a million separators, kept them,
// and hid each of them again at every scroll.
func (v *bankView) size() (int, int) {
	if v.table.Size().Height < 1 {
		return 0, len(bankColumns)
	}
	return v.lines(), len(bankColumns)
}

// lines is how many lines the shown account has.
func (v *bankView) lines() int { return v.rows.count() }

// line returns row i when its page is loaded, and starts loading it if not.
func (v *bankView) line(i int) (ledger.BankLine, bool) { return v.rows.row(i) }

// newBankCell makes a cell of the bank table: a text with a label's
// padding, over a background that marks the chosen row. A label measures
// (shapes) its text at every SetText, which was half the cost of a
// scroll; a canvas text is measured only when drawn. cell shortens long
// texts itself, without measuring.
func newBankCell() fyne.CanvasObject {
	pad := theme.InnerPadding()
	text := container.New(layout.NewCustomPaddedLayout(pad, pad, pad, pad), canvas.NewText("", theme.Color(theme.ColorNameForeground)))
	return container.NewStack(canvas.NewRectangle(color.Transparent), text)
}

func (v *bankView) cell(id widget.TableCellID, o fyne.CanvasObject) {
	bg := o.(*fyne.Container).Objects[0].(*canvas.Rectangle)
	fill := color.Color(color.Transparent)
	if id.Row == v.chosen.Row && id.Col != v.chosen.Col {
		fill = theme.Color(theme.ColorNameSelection)
	}
	if bg.FillColor != fill {
		bg.FillColor = fill
		bg.Refresh()
	}
	t := o.(*fyne.Container).Objects[1].(*fyne.Container).Objects[0].(*canvas.Text)
	t.Color = theme.Color(theme.ColorNameForeground)
	t.Alignment = fyne.TextAlignLeading
	t.Text = v.cellText(id)
	if id.Col == 3 {
		t.Alignment = fyne.TextAlignTrailing
	}
	t.Refresh()
}

// width is column i's width now, or its least before the table is laid out.
func (v *bankView) width(i int) float32 {
	if i < len(v.widths) {
		return v.widths[i]
	}
	return bankColumns[i].width
}

// cellText is what cell id shows: "…" while its page is being read.
func (v *bankView) cellText(id widget.TableCellID) string {
	b, ok := v.line(id.Row)
	if !ok {
		return "…"
	}
	switch id.Col {
	case 0:
		return b.AccountingDate.Norwegian()
	case 1:
		return shorten(b.Text, v.width(1))
	case 2:
		return shorten(norway.LineParty(b.Counterparty, b.Text), v.width(2))
	case 3:
		return b.Amount.String()
	case 4:
		return b.KID
	case 5:
		return lineState(b.Voucher != 0, b.Matched)
	}
	return ""
}

// lineState says in a word or two what is done with a bank line: where a
// list has no room for lineStatus's voucher number.
func lineState(posted, matched bool) string {
	switch {
	case posted && matched:
		return lang.L("Posted, matched")
	case posted:
		return lang.L("Posted")
	case matched:
		return lang.L("Matched")
	}
	return lang.L("Open (status)")
}
