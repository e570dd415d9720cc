package gui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/login"
	"bankbro/core/norway"
	"bankbro/core/reconcile"
	banksync "bankbro/core/sync"
)

// loginService is what the morning screen needs of the bank integration.
type loginService interface {
	LoginExpires() time.Time
	Login(ctx context.Context) error
	Client(ctx context.Context) (banksync.Bank, error)
}

// newLoginService gives the window its bank integration; tests replace it
// (or set ui.login).
var newLoginService = func(u *ui) loginService { return agreementLogin{u} }

// bankLogin is the window's bank integration, one for every screen that
// reads from the bank.
func (u *ui) bankLogin() loginService {
	if u.login == nil {
		u.login = newLoginService(u)
	}
	return u.login
}

// agreementLogin adapts *agreement.Service to loginService.
type agreementLogin struct{ u *ui }

func (a agreementLogin) LoginExpires() time.Time {
	svc, err := a.u.agreement()
	if err != nil {
		return time.Time{}
	}
	return svc.LoginExpires()
}

func (a agreementLogin) Login(ctx context.Context) error {
	svc, err := a.u.agreement()
	if err != nil {
		return err
	}
	return svc.Login(ctx)
}

func (a agreementLogin) Client(ctx context.Context) (banksync.Bank, error) {
	svc, err := a.u.agreement()
	if err != nil {
		return nil, err
	}
	return svc.Client(ctx)
}

// morningRow is one row of the Yesterday list: an account's heading, its
// sums, or one of its lines.
type morningRow struct {
	heading string
	line    *banksync.Line
	account ledger.BankAccount
}

// morningScreen is the Yesterday screen.
type morningScreen struct {
	u  *ui
	bg background
	// from and day are the days shown: yesterday, or back to the last
	// banking day (sync.MorningDays); worked out again on every reload, so
	// a window left open shows the new morning's days.
	from, day civil.Date
	title     *widget.Label
	header    *fyne.Container // the columns' names
	cols      *columns        // the header's and every row's (fitTo)
	toNext    bool            // the next fill chooses the next line that needs the owner (selectNext)
	posting   bool            // a line's posting is under way (postLine)
	tally     string          // what the message line last said of the lines
	login     loginService
	now       func() time.Time

	days     []banksync.AccountDay
	vouchers map[int64]int64 // voucher id → number
	rows     []morningRow

	banner  *fyne.Container
	bannerL *widget.Label
	relogin *widget.Button
	// addressAgain shows the login page's address again (newAddressAgain).
	addressAgain *widget.Button
	fetch        *widget.Button
	list         *widget.List
	message      *widget.Label
	selected     *morningRow

	// the posting panel
	panel    *fyne.Container
	detail   *widget.Label
	counter  *accountPicker
	post     *widget.Button
	unpost   *widget.Button
	unmatch  *widget.Button
	panelErr *widget.Label
}

func (u *ui) yesterdayScreen() fyne.CanvasObject {
	defer building()()
	_, instead := u.screenAccounts(func(a ledger.BankAccount) bool { return a.Reconciliation }, lang.L("The bank lines could not be read"))
	if instead != nil {
		return instead
	}
	m := &morningScreen{u: u, login: u.bankLogin(), now: time.Now}
	m.from, m.day = banksync.MorningDays(u.today())
	u.screens().morning = m
	return m.build()
}

func (m *morningScreen) build() fyne.CanvasObject {
	m.bannerL = widget.NewLabel("")
	m.bannerL.Wrapping = fyne.TextWrapWord
	m.relogin = widget.NewButtonWithIcon(lang.L("Log in again"), theme.LoginIcon(), m.logInAgain)
	m.addressAgain = m.u.newAddressAgain()
	m.banner = container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), container.NewHBox(m.addressAgain, m.relogin), m.bannerL)
	m.banner.Hide()
	m.fetch = widget.NewButtonWithIcon(lang.L("Fetch now"), theme.DownloadIcon(), m.fetchNow)
	m.message = widget.NewLabel("")
	m.message.Wrapping = fyne.TextWrapWord
	m.title = heading(m.titleText())
	top := container.NewVBox(container.NewBorder(nil, nil, m.title, m.fetch), m.banner, m.message)

	m.list = widget.NewList(func() int { return len(m.rows) }, m.newRow, m.updateRow)
	m.list.OnSelected = m.selectRow
	m.cols = lineColumns()
	m.header = newHeader(m.cols)
	m.header.Hide() // until there are lines to name

	m.detail = widget.NewLabel("")
	m.detail.Wrapping = fyne.TextWrapWord
	m.counter = newAccountPicker()
	// Enter posts: type or take the account, Enter, and the next line is
	// chosen with last time's account filled in (selectNext).
	m.counter.OnSubmitted = func(string) { m.postLine() }
	// What was wrong with the account tried is gone once another is typed
	// or taken: it stood under the new one as if about it.
	m.counter.OnChanged = func(s string) {
		m.counter.filter(s)
		m.panelErr.SetText("")
	}
	m.post = widget.NewButtonWithIcon(lang.L("Post"), theme.ConfirmIcon(), m.postLine)
	m.post.Importance = widget.HighImportance
	m.unpost = widget.NewButtonWithIcon(lang.L("Reverse posting"), theme.ContentUndoIcon(), m.unpostLine)
	m.unmatch = widget.NewButtonWithIcon(lang.L("Unmatch"), theme.ContentClearIcon(), m.unmatchLine)
	m.panelErr = widget.NewLabel("")
	m.panelErr.Importance = widget.DangerImportance
	m.panelErr.Wrapping = fyne.TextWrapWord
	m.panel = container.NewVBox(widget.NewSeparator(), m.detail,
		container.NewBorder(nil, nil, nil, container.NewHBox(m.post, m.unpost, m.unmatch), m.counter), m.panelErr)
	// The panel is always shown, so the owner sees where a line is posted;
	// it stays empty until a line is chosen.
	m.clearPanel()

	m.reload()
	m.checkLogin()
	return container.NewBorder(top, m.panel, nil, nil, container.NewBorder(m.header, nil, nil, nil, m.list))
}

// titleText names the days shown: "I går, 26.11.2026", or on a Monday
// "Siden fredag 27.11.2026".
func (m *morningScreen) titleText() string {
	if m.from == m.day {
		return fmt.Sprintf(lang.L("Yesterday, %s"), m.day.Norwegian())
	}
	weekday := lang.L(strings.ToLower(m.from.Time(time.UTC).Weekday().String())) // Fyne's keys: "friday"
	return fmt.Sprintf(lang.L("Since %s %s"), weekday, m.from.Norwegian())
}

// reload reads the days again from the ledger.
func (m *morningScreen) reload() {
	m.from, m.day = banksync.MorningDays(m.u.today())
	m.title.SetText(m.titleText())
	l, ctx, from, day := m.u.ledger, m.u.ctx, m.from, m.day
	m.bg.run(func() {
		days, err := banksync.Yesterday(ctx, l, from, day)
		numbers := map[int64]int64{}
		for _, d := range days {
			for _, line := range d.Lines {
				if line.Voucher != 0 {
					if v, err := l.Voucher(ctx, line.Voucher); err == nil {
						numbers[line.Voucher] = v.Number
					}
				}
			}
		}
		var chart []ledger.Account
		if err == nil {
			chart, err = l.Accounts(ctx)
		}
		do(func() {
			if err != nil {
				m.toNext = false // a later, unasked refresh must not move the keys
				m.message.SetText(describe(err))
				return
			}
			m.days, m.vouchers = days, numbers
			m.counter.setChart(chart)
			m.fill()
		})
	})
}

// fill turns the days into list rows: per account a heading, the lines
// (those needing attention first, as sync.Yesterday sorts them), and sums.
func (m *morningScreen) fill() {
	m.rows = m.rows[:0]
	attention, earlier, lines, unread := 0, 0, 0, false
	for _, d := range m.days {
		a := d.Account
		m.rows = append(m.rows, morningRow{account: a, heading: fmt.Sprintf("%s  %s  (%d)", a.Name, a.Formatted(), a.GLAccount)})
		for i := range d.Lines {
			m.rows = append(m.rows, morningRow{account: a, line: &d.Lines[i]})
		}
		if len(d.Lines) == 0 {
			none := lang.L("No transactions this day.")
			if d.From != d.Day {
				none = lang.L("No transactions these days.")
			}
			m.rows = append(m.rows, morningRow{account: a, heading: "   " + none})
		}
		sums := fmt.Sprintf(lang.L("In %s   Out %s   Balance in the books %s   Expected in the bank %s"),
			d.In.Kr(), d.Out.Abs().Kr(), d.GLBalance.Kr(), d.ExpectedBankBalance().Kr())
		if !d.Read {
			sums += "   " + lang.L("(not all read yet)")
		}
		m.rows = append(m.rows, morningRow{account: a, heading: "   " + sums})
		attention += d.Attention()
		earlier += d.Earlier
		lines += len(d.Lines)
		unread = unread || !d.Read
	}
	// The message line says what the lines need, unless it holds news of
	// its own (an import's outcome, an error), which stays until then.
	said := m.message.Text == "" || m.message.Text == m.tally
	switch {
	case attention == 1:
		m.tally = lang.L("1 line needs your attention: post it or match it.")
	case attention > 1:
		m.tally = fmt.Sprintf(lang.L("%d lines need your attention: post them or match them."), count(attention))
	case lines == 0 && unread:
		m.tally = lang.L("Nothing is read from the bank for these days yet.")
	case unread:
		m.tally = lang.L("Everything read so far is posted or matched; not all of it is read from the bank yet.")
	case m.from != m.day:
		m.tally = lang.L("Everything from these days is posted or matched.")
	default:
		m.tally = lang.L("Everything from yesterday is posted or matched.")
	}
	// Lines left from mornings before are not on this screen, but they
	// are the difference between the books and the bank shown above.
	switch {
	case earlier > 0 && attention > 0:
		m.tally += " " + counted(earlier, "1 line from earlier days is not posted or matched either: Reconciliation → Manual matching lists it.", "%d lines from earlier days are not posted or matched either: Reconciliation → Manual matching lists them.")
	case earlier > 0:
		m.tally += " " + counted(earlier, "But 1 line from earlier days is not posted or matched: Reconciliation → Manual matching lists it.", "But %d lines from earlier days are not posted or matched: Reconciliation → Manual matching lists them.")
	}
	if said || attention > 0 {
		m.message.SetText(m.tally)
	}
	var kids, statuses []string
	for _, r := range m.rows {
		if r.line != nil {
			kids = append(kids, r.line.KID)
			statuses = append(statuses, lineStatus(m.vouchers[r.line.Voucher], r.line.Voucher, r.line.Matched))
		}
	}
	m.cols.fitTo(kids, statuses)
	m.header.Refresh()
	showIf(m.header, lines > 0)
	m.list.UnselectAll()
	m.list.Refresh()
	m.clearPanel()
	if m.toNext {
		m.toNext = false
		m.selectNext()
	}
}

// selectNext chooses the first line that still needs the owner, with the
// counter account ready for typing: after one line is posted, the next is
// there, as a morning of many lines goes.
func (m *morningScreen) selectNext() {
	for i, r := range m.rows {
		if r.line != nil && r.line.NeedsAttention() {
			m.list.Select(i)
			m.list.ScrollTo(i)
			if c := fyne.CurrentApp().Driver().CanvasForObject(m.counter); c != nil {
				c.Focus(m.counter)
				if m.counter.Text != "" { // last time's account came already: typing replaces it
					m.counter.TypedShortcut(&fyne.ShortcutSelectAll{})
				}
			}
			return
		}
	}
}

// clearPanel shows the posting panel with no line chosen.
func (m *morningScreen) clearPanel() {
	m.selected = nil
	m.detail.SetText(lang.L("Choose a line above to post it, or to see what was done with it."))
	m.panelErr.SetText("")
	m.counter.SetText("")
	m.counter.Disable()
	m.post.Disable()
	m.unpost.Disable()
	m.unmatch.Disable()
}

func (m *morningScreen) newRow() fyne.CanvasObject {
	head := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Truncation = fyne.TextTruncateEllipsis
	row := lineRow(m.cols, widget.NewIcon(theme.WarningIcon()), fyne.TextStyle{})
	return container.NewStack(row, head)
}

// lineRow is first (the icon's column) and six labels in style, laid out
// as a line's columns (lineColumns), the amount right-aligned: a line of
// the list, or the names above them.
func lineRow(cols *columns, first fyne.CanvasObject, style fyne.TextStyle) *fyne.Container {
	cells := []fyne.CanvasObject{first}
	for i := 1; i < 7; i++ {
		align := fyne.TextAlignLeading
		if i == 4 {
			align = fyne.TextAlignTrailing
		}
		l := widget.NewLabelWithStyle("", align, style)
		l.Truncation = fyne.TextTruncateEllipsis
		cells = append(cells, l)
	}
	return container.New(cols, cells...)
}

// lineColumns lays out a line's cells: icon, date, text, counterparty,
// amount, KID and status; text and counterparty share what is left, and
// the KID is left out when the window is narrow. One serves the header and
// every row, so that fitTo can size the KID and the status to what the
// lines hold.
func lineColumns() *columns {
	return &columns{widths: []float32{28, 95, 0, 0, 120, 95, 235}, drop: 5}
}

// fitTo sizes the KID and status columns to the widest of kids and
// statuses (and their names above them), so that text and counterparty
// get the rest: a fixed status column wide enough for "Bokført (bilag
// 12345), avstemt" left most of its width empty on a morning of open
// lines, while the texts were cut.
func (c *columns) fitTo(kids, statuses []string) {
	widest := func(least float32, texts []string) float32 {
		w := least
		for _, s := range texts {
			w = max(w, fyne.MeasureText(s, theme.TextSize(), fyne.TextStyle{}).Width+2*theme.InnerPadding()+theme.Padding())
		}
		return min(w, 260)
	}
	c.widths[5] = widest(60, append(kids, lang.L("KID")))
	c.widths[6] = widest(60, append(statuses, lang.L("Status")))
}

// newHeader names the columns of the lines, above the list, as the Bank
// list does: without it the KID column was a bare number.
func newHeader(cols *columns) *fyne.Container {
	row := lineRow(cols, widget.NewLabel(""), fyne.TextStyle{Bold: true})
	for i, t := range []string{"Date", "Text", "Counterparty", "Amount", "KID", "Status"} {
		row.Objects[i+1].(*widget.Label).SetText(lang.L(t))
	}
	return row
}

func (m *morningScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	stack := o.(*fyne.Container)
	row, head := stack.Objects[0].(*fyne.Container), stack.Objects[1].(*widget.Label)
	r := m.rows[id]
	if r.line == nil {
		row.Hide()
		head.SetText(r.heading)
		head.TextStyle.Bold = !strings.HasPrefix(r.heading, " ")
		head.Show()
		head.Refresh()
		return
	}
	head.Hide()
	row.Show()
	// The list reuses rows laid out before fitTo changed the widths.
	row.Layout.Layout(row.Objects, row.Size())
	l := r.line
	icon := row.Objects[0].(*widget.Icon)
	if l.NeedsAttention() {
		icon.SetResource(theme.WarningIcon())
	} else {
		icon.SetResource(theme.ConfirmIcon())
	}
	set := func(i int, s string) { row.Objects[i].(*widget.Label).SetText(s) }
	set(1, l.Date.Norwegian())
	set(2, l.Text)
	set(3, norway.LineParty(l.Counterparty, l.Text))
	set(4, l.Amount.String())
	set(5, l.KID)
	set(6, lineStatus(m.vouchers[l.Voucher], l.Voucher, l.Matched))
}

func (m *morningScreen) selectRow(id widget.ListItemID) {
	r := m.rows[id]
	if r.line == nil {
		m.list.Unselect(id)
		return
	}
	m.selected = &r
	l := r.line
	detail := fmt.Sprintf("%s  %s  %s  %s", l.Date.Norwegian(), l.Text, l.Counterparty, l.Amount.Kr())
	if l.KID != "" { // the KID column gives way in a narrow window; here it stays
		detail += "  KID " + l.KID
	}
	m.panelErr.SetText("")
	switch {
	case l.Voucher != 0:
		m.counter.Disable()
		m.counter.SetText("")
		m.post.Disable()
		m.unpost.Enable()
	case l.Matched:
		// Its amount is in the books already: posting it would book it
		// twice (sync.Post refuses it too).
		m.counter.Disable()
		m.counter.SetText("")
		m.post.Disable()
		m.unpost.Disable()
		detail += "\n" + whyNotPost(l)
	default:
		m.counter.Enable()
		m.post.Enable()
		m.unpost.Disable()
		m.counter.SetText("")
		// The account used last time is looked up in the background: in a
		// big ledger it takes a moment, and the window must not wait. It
		// fills the picker only if the line is still chosen and nothing
		// has been typed meanwhile.
		line := ledger.BankTransaction{ID: l.ID, Text: l.Text, Counterparty: l.Counterparty}
		chosen, ctx, led := m.selected, m.u.ctx, m.u.ledger
		m.bg.run(func() {
			n, ok := banksync.SuggestAccount(ctx, led, line)
			do(func() {
				if ok && m.selected == chosen && m.counter.Text == "" {
					m.counter.show(n)
				}
			})
		})
	}
	enableIf(m.unmatch, l.Matched)
	m.detail.SetText(detail)
}

// whyNotPost tells the owner why a matched line cannot be posted, what it
// is matched against, and what to do to post it differently.
func whyNotPost(l *banksync.Line) string {
	if len(l.MatchedVouchers) == 0 {
		return lang.L("This line is already matched against other bank lines. To post it differently, press Unmatch first.")
	}
	numbers := make([]string, len(l.MatchedVouchers))
	for i, n := range l.MatchedVouchers {
		numbers[i] = fmt.Sprint(n)
	}
	return fmt.Sprintf(lang.L("This line is already matched against voucher %s, so its amount is in the books already. To post it differently, press Unmatch first."),
		strings.Join(numbers, ", "))
}

// unmatchLine undoes the line's match; the matcher will not make the same
// match again by itself.
func (m *morningScreen) unmatchLine() {
	if m.selected == nil || m.selected.line == nil || !m.selected.line.Matched {
		return
	}
	id := m.selected.line.ID
	m.unmatch.Disable()
	m.bg.run(func() {
		match, err := m.u.ledger.MatchOfBankLine(m.u.ctx, id)
		if err == nil {
			err = reconcile.Unmatch(m.u.ctx, m.u.ledger, match)
		}
		do(func() {
			if err != nil {
				m.unmatch.Enable()
				m.panelErr.SetText(describe(err))
				return
			}
			m.u.status.set(lang.L("The match is undone; the line is open again."))
			m.reload()
		})
	})
}

func (m *morningScreen) postLine() {
	if m.selected == nil || m.selected.line == nil || m.selected.line.Matched || m.posting {
		return // nothing to post, or a posting is under way (Enter pressed twice)
	}
	n, ok := m.counter.account()
	if !ok {
		m.panelErr.SetText(lang.L("Choose the counter account: type its number or part of its name."))
		return
	}
	id := m.selected.line.ID
	m.post.Disable()
	m.posting = true
	m.bg.run(func() {
		v, err := banksync.Post(m.u.ctx, m.u.ledger, id, n, "")
		do(func() {
			m.posting = false
			if err != nil {
				m.post.Enable()
				m.panelErr.SetText(describe(err))
				return
			}
			m.u.status.set(fmt.Sprintf(lang.L("Posted as voucher %d."), v.Number))
			m.toNext = true
			m.reload()
		})
	})
}

func (m *morningScreen) unpostLine() {
	if m.selected == nil || m.selected.line == nil || m.selected.line.Voucher == 0 {
		return
	}
	voucher := m.selected.line.Voucher
	// A reversal is a voucher of its own in the books, for good: asked
	// first, as a click meant for Post beside it would make one. The button
	// is off meanwhile: a double click asked twice.
	title := lang.L("Reverse the posting?")
	if n := m.vouchers[voucher]; n != 0 {
		title = fmt.Sprintf(lang.L("Reverse voucher %d?"), n)
	}
	m.unpost.Disable()
	dialog.ShowConfirm(title, lang.L("Bankbro posts a reversing voucher, and the line can then be posted again."),
		func(ok bool) {
			if ok {
				m.reverse(voucher)
			} else {
				m.unpost.Enable()
			}
		}, m.u.win)
}

// reverse reverses the voucher that posts the chosen line.
func (m *morningScreen) reverse(voucher int64) {
	m.unpost.Disable()
	m.bg.run(func() {
		rev, err := banksync.Unpost(m.u.ctx, m.u.ledger, voucher, civil.Date{})
		do(func() {
			if err != nil {
				m.unpost.Enable()
				m.panelErr.SetText(describe(err))
				return
			}
			if len(rev.Unmatched) > 0 {
				m.u.status.set(fmt.Sprintf(lang.L("The posting is reversed by voucher %d and the line's match is undone: the line can be posted again."), rev.Number))
			} else {
				m.u.status.set(fmt.Sprintf(lang.L("The posting is reversed by voucher %d."), rev.Number))
			}
			m.reload()
		})
	})
}

// checkLogin shows the reminder when the bank login ends within 7 days,
// and says so when it has ended.
func (m *morningScreen) checkLogin() {
	svc, now := m.login, m.now()
	m.bg.run(func() {
		exp := svc.LoginExpires()
		do(func() { m.showLogin(exp, now) })
	})
}

// needsLogin says whether err means the person must log in to the bank
// again: no login stored, or one the bank no longer takes.
func needsLogin(err error) bool {
	return errors.Is(err, login.ErrLoginRequired) || bank.TroubleOf(err) == bank.TroubleLogin
}

// askLogin shows the Yesterday screen's "Log in again", which the message
// of a login that ended points to, also when the login's end date is
// weeks away (the bank refused it before then).
func (u *ui) askLogin(err error) {
	if !needsLogin(err) {
		return
	}
	m := u.screens().morning
	switch {
	case m == nil:
	case errors.Is(err, login.ErrNotLoggedIn):
		m.showLogin(time.Time{}, m.now())
	default:
		now := m.now()
		m.showLogin(now, now)
	}
}

// showLogin shows, above the lines, what the login needs: none stored (exp
// zero), ended, or ending within a week.
func (m *morningScreen) showLogin(exp, now time.Time) {
	m.relogin.SetText(lang.L("Log in again"))
	switch {
	case exp.IsZero():
		// This screen is there for connected accounts: with no login
		// stored, the company file came from another computer, or the
		// login was never made here. No login to call expired.
		m.bannerL.SetText(lang.L("Bankbro is not logged in to the bank on this computer, so it cannot read new transactions. Log in with BankID."))
		m.relogin.SetText(lang.L("Log in"))
		m.banner.Show()
	case !exp.After(now):
		m.bannerL.SetText(lang.L("Your bank login has expired. Bankbro cannot read new transactions until you log in again with BankID."))
		m.banner.Show()
	case exp.Sub(now) <= 7*24*time.Hour:
		days := int(exp.Sub(now).Hours()/24) + 1
		m.bannerL.SetText(fmt.Sprintf(lang.L("Your bank login expires in %s. Log in again with BankID to keep the morning import running."), counted(days, "1 day", "%d days")))
		m.banner.Show()
	default:
		m.banner.Hide()
	}
}

func (m *morningScreen) logInAgain() {
	m.relogin.Disable()
	ctx, cancel := context.WithCancel(m.u.ctx)
	m.u.status.running(lang.L("Waiting for the BankID login in the browser…"), -1, lang.L("Cancel"), cancel)
	m.u.waitWith(m.addressAgain)
	svc := m.login
	m.bg.run(func() {
		err := svc.Login(ctx)
		cancel()
		do(func() {
			m.u.hideAddress()
			m.relogin.Enable()
			if err != nil {
				m.u.status.done(describe(err))
				return
			}
			m.u.status.done(lang.L("You are logged in to the bank."))
			m.checkLogin()
		})
	})
}

// fetchNow runs the morning import and the matcher in the background.
func (m *morningScreen) fetchNow() {
	m.fetch.Disable()
	ctx, cancel := context.WithCancel(m.u.ctx)
	st := m.u.status
	st.running(lang.L("Reading transactions from the bank…"), 0, lang.L("Cancel"), cancel)
	l, today, svc := m.u.ledger, m.u.today(), m.login
	m.bg.run(func() {
		defer working()()
		defer cancel()
		text, found, err := m.runImport(ctx, l, svc, today, func(p banksync.Progress) {
			v := -1.0
			if p.Days > 0 && p.Accounts > 0 {
				v = (float64(p.Account-1) + float64(p.DaysDone)/float64(p.Days)) / float64(p.Accounts)
			}
			msg := fmt.Sprintf(lang.L("Reading %s (%d of %d)…"), p.AccountNumber, p.Account, p.Accounts)
			do(func() { st.running(msg, v, lang.L("Cancel"), cancel) })
		})
		do(func() {
			m.fetch.Enable()
			if err != nil {
				st.done(describe(err))
				m.message.SetText(describe(err))
				m.u.askLogin(err)
			} else {
				st.done(text)
				if found > 0 {
					m.u.app.SendNotification(fyne.NewNotification("Bankbro", text))
				}
			}
			m.reload()
		})
	})
}

func (m *morningScreen) runImport(ctx context.Context, l *ledger.Ledger, svc loginService, today civil.Date, progress func(banksync.Progress)) (text string, found int, err error) {
	client, err := svc.Client(ctx)
	if err != nil {
		return "", 0, err
	}
	res, err := banksync.Morning(ctx, l, client, banksync.Options{Today: today, Progress: progress})
	if err != nil {
		return "", 0, err
	}
	if res.New() == 0 {
		return lang.L("Nothing new from the bank."), 0, nil
	}
	return fmt.Sprintf(lang.L("%s read, %d matched."), counted(res.New(), "1 new transaction", "%d new transactions"), count(res.Matched)), res.New(), nil
}
