package gui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/login"
	"bankbro/core/money"
	"bankbro/core/reconcile"
	banksync "bankbro/core/sync"
)

var scrToday = civil.MustParse("2026-03-11")

func init() { inline = true }

// scrLogin stands in for the bank integration.
type scrLogin struct{ expires time.Time }

func (s scrLogin) LoginExpires() time.Time         { return s.expires }
func (s scrLogin) Login(ctx context.Context) error { return nil }
func (s scrLogin) Client(ctx context.Context) (banksync.Bank, error) {
	return nil, fmt.Errorf("no bank in this test")
}

// newScreensUI makes a company with one bank account and yesterday's lines.
func newScreensUI(t *testing.T) *ui {
	t.Helper()
	a := test.NewTempApp(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "company.bankbro")
	l, err := ledger.Create(ctx, path, ledger.Company{Name: "Kaffebrenneriet Solsiden AS", OrgNumber: "921573405",
		ConversionDate: civil.MustParse("2026-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	yesterday := scrToday.AddDays(-1)
	err = l.Update(ctx, func(tx *ledger.Tx) error {
		id, err := tx.SaveBankAccount(ledger.BankAccount{BankID: "acc1", Number: "15032080119", Name: "Driftskonto",
			GLAccount: 1920, Remittance: true, Reconciliation: true, Active: true,
			StartDate: civil.MustParse("2026-03-01"), ReadThrough: yesterday})
		if err != nil {
			return err
		}
		var lines []ledger.BankTransaction
		for i := 0; i < 3; i++ {
			lines = append(lines, ledger.BankTransaction{TransactionID: fmt.Sprint("y", i), AccountingDate: yesterday,
				Amount: money.Amount(-(i + 1) * 12550), Text: fmt.Sprint("Varekjøp ", i), Counterparty: "Friele AS"})
		}
		lines = append(lines, ledger.BankTransaction{TransactionID: "in", AccountingDate: yesterday,
			Amount: money.Kroner(4300), Text: "Innbetaling faktura 1042", Counterparty: "Café Brygga", KID: "0000104204"})
		for i := 0; i < 500; i++ {
			lines = append(lines, ledger.BankTransaction{TransactionID: fmt.Sprint("old", i),
				AccountingDate: civil.MustParse("2026-03-01").AddDays(i % 9), Amount: money.Kroner(int64(i + 1)), Text: fmt.Sprint("Kortsalg ", i)})
		}
		_, _, err = tx.InsertBankTransactions(id, 0, lines)
		return err
	})
	l.Close()
	if err != nil {
		t.Fatal(err)
	}
	newLoginService = func(*ui) loginService { return scrLogin{} }
	u := newUI(a, Options{LedgerPath: path, Today: scrToday})
	if m := u.screens().morning; m != nil {
		m.bg.Wait() // the start screen's loading
	}
	t.Cleanup(func() {
		statesMu.Lock()
		delete(states, u)
		statesMu.Unlock()
	})
	return u
}

// shoot saves what obj shows, for a person to look at.
// screenWindow is a window in the test driver holding obj, at the app's
// default size.
func screenWindow(t testing.TB, obj fyne.CanvasObject) fyne.Window {
	t.Helper()
	w := test.NewTempWindow(t, obj)
	w.Resize(fyne.NewSize(1100, 720))
	return w
}

// overlayLabels is the text of every label in the dialog on top of the
// window, a line each ("" when none is shown): labelsIn does not look into
// a dialog's widgets.
func overlayLabels(u *ui) string {
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var out []string
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l.Text)
		}
	}
	return strings.Join(out, "\n")
}

func shoot(t *testing.T, name string, obj fyne.CanvasObject) {
	t.Helper()
	if os.Getenv("BANKBRO_SHOTS") == "" {
		return
	}
	w := screenWindow(t, obj)
	shootWindow(t, name, w)
}

func TestYesterdayShowsLinesAndPosts(t *testing.T) {
	u := newScreensUI(t)
	u.login = scrLogin{expires: time.Now().Add(3 * 24 * time.Hour)}
	obj := u.yesterdayScreen()
	m := u.screens().morning
	m.bg.Wait()

	if len(m.rows) != 6 { // heading, 4 lines, sums
		t.Fatalf("rows = %d, want 6", len(m.rows))
	}
	if got := m.message.Text; !strings.Contains(got, "4") {
		t.Errorf("message = %q, want the 4 lines needing attention", got)
	}
	// The 500 lines of the days before, never posted, are not on the
	// screen, but they are the difference between the books and the bank:
	// the message says they are there, and where to find them.
	if got, want := m.message.Text, fmt.Sprintf(lang.L("%d lines from earlier days are not posted or matched either: Reconciliation → Manual matching lists them."), count(500)); !strings.Contains(got, want) {
		t.Errorf("message = %q, want it to end %q", got, want)
	}
	if !m.header.Visible() || !strings.Contains(labelsIn(m.header), lang.L("Amount")) || !strings.Contains(labelsIn(m.header), "KID") {
		t.Errorf("the columns are not named above the lines: shown %v, %q", m.header.Visible(), labelsIn(m.header))
	}
	if !m.banner.Visible() || !strings.Contains(m.bannerL.Text, "3") {
		t.Errorf("login banner visible=%v %q, want a reminder of 3 days", m.banner.Visible(), m.bannerL.Text)
	}
	sums := m.rows[5].heading
	if !strings.Contains(sums, "4\u00a0300,00") || !strings.Contains(sums, "Ut 753,00") && !strings.Contains(sums, "Out 753,00") {
		t.Errorf("sums row = %q", sums)
	}
	shoot(t, "yesterday", obj)

	// Post the first line to 4300 (Innkjøp av varer).
	m.list.Select(1)
	if !m.panel.Visible() {
		t.Fatal("the posting panel is hidden after selecting a line")
	}
	test.Type(m.counter, "4300")
	test.Tap(m.post)
	m.bg.Wait()
	posted := 0
	for _, r := range m.rows {
		if r.line != nil && r.line.Voucher != 0 {
			posted++
			if s := lineStatus(m.vouchers[r.line.Voucher], r.line.Voucher, r.line.Matched); !strings.Contains(s, "1") {
				t.Errorf("status of the posted line = %q, want its voucher number", s)
			}
			if !r.line.Matched {
				t.Error("the posted line is not shown matched right after posting (the Bank screen and a later visit show it matched)")
			}
		}
	}
	if posted != 1 {
		t.Fatalf("posted lines = %d, want 1 (message %q)", posted, m.panelErr.Text)
	}
	// The posted line moves after those needing attention.
	if m.rows[4].line == nil || m.rows[4].line.Voucher == 0 {
		t.Errorf("row 4 = %+v, want the posted line last", m.rows[4])
	}
	// The next line that needs the owner is chosen, ready to be posted.
	if m.selected == nil || m.selected.line == nil || !m.selected.line.NeedsAttention() || m.selected.line.ID != m.rows[1].line.ID || m.post.Disabled() {
		t.Errorf("after posting, chosen %+v (Post disabled %v); want the first line still needing attention", m.selected, m.post.Disabled())
	}

	// Reverse it.
	voucher := m.rows[4].line.Voucher
	m.list.Select(4)
	// Asked first, by the voucher's number: a reversal stays in the books.
	// No leaves it posted, and the button on again.
	test.Tap(m.unpost)
	if !m.unpost.Disabled() {
		t.Error("Reverse posting is on while its question is open: a double click asks twice")
	}
	test.Tap(dialogButton(t, u, lang.L("No")))
	if by, _ := u.ledger.ReversedBy(u.ctx, voucher); by != 0 || m.unpost.Disabled() {
		t.Errorf("No to the question: reversed by %d, button disabled %v; want nothing reversed and the button on", by, m.unpost.Disabled())
	}
	test.Tap(m.unpost)
	if title := overlayLabels(u); title != "" {
		if want := fmt.Sprintf(lang.L("Reverse voucher %d?"), m.vouchers[voucher]); m.vouchers[voucher] == 0 || !strings.Contains(title, want) {
			t.Errorf("the question says %q, want %q", title, want)
		}
	}
	test.Tap(dialogButton(t, u, lang.L("Yes")))
	m.bg.Wait()
	for _, r := range m.rows {
		if r.line != nil && (r.line.Voucher != 0 || r.line.Matched) {
			t.Errorf("line %q posted %v, matched %v after the reversal; want it open to be posted again", r.line.Text, r.line.Voucher != 0, r.line.Matched)
		}
	}
	by, _ := u.ledger.ReversedBy(u.ctx, voucher)
	rev, _ := u.ledger.Voucher(u.ctx, by)
	if want := fmt.Sprintf(lang.L("The posting is reversed by voucher %d and the line's match is undone: the line can be posted again."), rev.Number); u.status.label.Text != want {
		t.Errorf("status bar %q, want %q", u.status.label.Text, want)
	}
}

// A line matched against the books' postings has its amount there
// already: Post is off for it, and the panel says what it is matched
// against and how to post it differently. Once the match is undone, the
// line can be posted, once.
func TestYesterdayMatchedLineCannotBePosted(t *testing.T) {
	u := newScreensUI(t)
	// The customer's invoice, paid into the account with its KID.
	var invoice ledger.Voucher
	err := u.ledger.Update(u.ctx, func(tx *ledger.Tx) error {
		var err error
		invoice, err = tx.AddVoucher(ledger.Voucher{Date: scrToday.AddDays(-1), Description: "Faktura 1042 Café Brygga", Postings: []ledger.Posting{
			{Account: 1920, Amount: money.Kroner(4300), Text: "Faktura 1042", KID: "0000104204"},
			{Account: 1500, Amount: -money.Kroner(4300), Text: "Faktura 1042"},
		}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reconcile.Run(u.ctx, u.ledger, reconcile.Options{}); err != nil {
		t.Fatal(err)
	}
	u.login = scrLogin{}
	u.yesterdayScreen()
	m := u.screens().morning
	m.bg.Wait()
	paid := func() int {
		for i, r := range m.rows {
			if r.line != nil && r.line.KID == "0000104204" {
				return i
			}
		}
		t.Fatal("the paid invoice's line is not shown")
		return -1
	}
	row := paid()
	if l := m.rows[row].line; !l.Matched || l.Voucher != 0 {
		t.Fatalf("the paid invoice's line: matched %v, voucher %d; want matched by its KID, not posted", l.Matched, l.Voucher)
	}
	m.list.Select(row)
	m.bg.Wait()
	if !m.post.Disabled() || !m.counter.Disabled() {
		t.Errorf("Post enabled %v, account enabled %v for a matched line: posting it would book it twice", !m.post.Disabled(), !m.counter.Disabled())
	}
	if why := whyNotPost(m.rows[row].line); !strings.Contains(m.detail.Text, why) || !strings.Contains(why, fmt.Sprint(invoice.Number)) {
		t.Errorf("the panel says %q; want why it cannot be posted, naming voucher %d", m.detail.Text, invoice.Number)
	}
	if m.unmatch.Disabled() {
		t.Error("Unmatch is off for a matched line")
	}
	before, _ := u.ledger.Balance(u.ctx, 1920, scrToday)
	m.counter.SetText("1500")
	m.postLine() // as a stale tap would
	m.bg.Wait()
	if after, _ := u.ledger.Balance(u.ctx, 1920, scrToday); after != before {
		t.Fatalf("GL 1920 went from %s to %s: the matched line was posted", before, after)
	}

	// Undone, the match no longer holds the amount: the line can be posted.
	test.Tap(m.unmatch)
	m.bg.Wait()
	row = paid()
	m.list.Select(row)
	if m.post.Disabled() || m.counter.Disabled() {
		t.Errorf("Post enabled %v, account enabled %v after the match is undone", !m.post.Disabled(), !m.counter.Disabled())
	}
}

func TestYesterdayExpiredLogin(t *testing.T) {
	u := newScreensUI(t)
	u.login = scrLogin{expires: time.Now().Add(-time.Hour)}
	u.yesterdayScreen()
	m := u.screens().morning
	m.bg.Wait()
	if !m.banner.Visible() || m.bannerL.Text != lang.L("Your bank login has expired. Bankbro cannot read new transactions until you log in again with BankID.") {
		t.Errorf("banner visible=%v %q, want it to say the login expired", m.banner.Visible(), m.bannerL.Text)
	}
}

func TestScreensNotConnected(t *testing.T) {
	a := test.NewTempApp(t)
	path := filepath.Join(t.TempDir(), "company.bankbro")
	l, err := ledger.Create(context.Background(), path, ledger.Company{Name: "X AS", OrgNumber: "921573405", ConversionDate: scrToday})
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	u := newUI(a, Options{LedgerPath: path, Today: scrToday})
	for name, build := range map[string]func() fyne.CanvasObject{"yesterday": u.yesterdayScreen, "bank": u.bankScreen,
		"reconcile": u.reconcileScreen, "payments": u.paymentsScreen} {
		if got := labelsIn(build()); !strings.Contains(got, "Sbanken") {
			t.Errorf("%s shows %q, want the not-connected state", name, got)
		}
	}
}

// A card purchase has no counterparty, and its text begins with the card
// and the amount: the lists show its shop where the counterparty goes.
func TestCardPurchaseShowsTheShop(t *testing.T) {
	u := newScreensUI(t)
	card := "*7160 26.11 NOK 386.34 REMA 1000 SOLSIDEN Kurs: 1.0000"
	m := &morningScreen{u: u, vouchers: map[int64]int64{}, cols: lineColumns()}
	m.rows = []morningRow{
		{line: &banksync.Line{Text: card, Amount: -38634}},
		{line: &banksync.Line{Text: "Vipps oppgjør 548976", Counterparty: "Vipps MobilePay AS", Amount: 247046}},
		{line: &banksync.Line{Text: "Overføring", Amount: 100}},
	}
	for i, want := range []string{"REMA 1000 SOLSIDEN", "Vipps MobilePay AS", ""} {
		o := m.newRow()
		m.updateRow(i, o)
		cells := o.(*fyne.Container).Objects[0].(*fyne.Container).Objects
		if got := cells[3].(*widget.Label).Text; got != want {
			t.Errorf("Yesterday, row %d: counterparty %q, want %q", i, got, want)
		}
		if got := cells[2].(*widget.Label).Text; got != m.rows[i].line.Text {
			t.Errorf("Yesterday, row %d: text %q, want the bank's %q", i, got, m.rows[i].line.Text)
		}
	}
	v := &bankView{}
	v.rows.size, v.rows.loading = 1, map[int]bool{}
	v.rows.read = func(int, int) ([]ledger.BankLine, error) { return nil, nil }
	v.rows.pages = map[int][]ledger.BankLine{0: {{BankTransaction: ledger.BankTransaction{Text: card}}}}
	if got := v.cellText(widget.TableCellID{Row: 0, Col: 2}); got != "REMA 1000 SOLSIDEN" {
		t.Errorf("Bank list: counterparty of a card purchase %q, want its shop", got)
	}
}

func TestWithShop(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"*7160 26.11 NOK 386.34 ELKJOP HAVNA Kurs: 1.0000", "ELKJOP HAVNA  *7160 26.11 NOK 386.34 ELKJOP HAVNA Kurs: 1.0000"},
		{"Vipps oppgjør 548976", "Vipps oppgjør 548976"},
	} {
		if got := withShop(c.text); got != c.want {
			t.Errorf("withShop(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// On a Monday the morning screen shows Friday to Sunday (banks book on
// banking days, so yesterday alone would be an empty Sunday), and a window
// left open shows the new morning's days when it reloads.
func TestYesterdayOnAMondayShowsSinceFriday(t *testing.T) {
	u := newScreensUI(t)
	m := u.screens().morning
	lineRows := func() int {
		n := 0
		for _, r := range m.rows {
			if r.line != nil {
				n++
			}
		}
		return n
	}
	u.opts.Today = civil.MustParse("2026-03-09") // a Monday
	m.reload()
	m.bg.Wait()
	if want := fmt.Sprintf(lang.L("Since %s %s"), lang.L("friday"), "06.03.2026"); m.title.Text != want {
		t.Errorf("title on a Monday = %q, want %q", m.title.Text, want)
	}
	want := 0 // newScreensUI's old lines, dated 1–9 March by i%9
	for i := 0; i < 500; i++ {
		if d := i % 9; d >= 5 && d <= 7 { // 6, 7 and 8 March
			want++
		}
	}
	if n := lineRows(); n != want {
		t.Errorf("a Monday shows %d lines, want Friday's to Sunday's %d", n, want)
	}
	// The window stays open until Wednesday morning.
	u.opts.Today = scrToday
	m.reload()
	m.bg.Wait()
	if want := fmt.Sprintf(lang.L("Yesterday, %s"), "10.03.2026"); m.title.Text != want {
		t.Errorf("title on Wednesday = %q, want %q", m.title.Text, want)
	}
	if n := lineRows(); n != 4 {
		t.Errorf("Wednesday shows %d lines, want Tuesday's 4", n)
	}
}

// In a narrow window Yesterday's rows leave the KID out, so the text and
// the counterparty keep room; in a wide one every column is there.
func TestYesterdayColumnsGiveWayWhenNarrow(t *testing.T) {
	u := newScreensUI(t)
	m := u.screens().morning
	row := m.newRow().(*fyne.Container).Objects[0].(*fyne.Container)
	lay := row.Layout.(*columns)
	for _, c := range []struct {
		width float32
		kid   bool
	}{{1100, true}, {700, false}} {
		lay.Layout(row.Objects, fyne.NewSize(c.width, 40))
		text, kid := row.Objects[2], row.Objects[5]
		if kid.Visible() != c.kid {
			t.Errorf("at %.0f points the KID column is shown %v, want %v", c.width, kid.Visible(), c.kid)
		}
		// The names above stand over their columns, and give way with them.
		m.header.Layout.Layout(m.header.Objects, fyne.NewSize(c.width, 40))
		for i, o := range m.header.Objects {
			if o.Visible() != row.Objects[i].Visible() || o.Visible() && (o.Position().X != row.Objects[i].Position().X || o.Size().Width != row.Objects[i].Size().Width) {
				t.Errorf("at %.0f points column %d is named at x %.0f (%.0f wide, shown %v), its cells are at %.0f (%.0f wide, shown %v)",
					c.width, i, o.Position().X, o.Size().Width, o.Visible(), row.Objects[i].Position().X, row.Objects[i].Size().Width, row.Objects[i].Visible())
			}
		}
		if text.Size().Width < 100 {
			t.Errorf("at %.0f points the text column is %.0f points wide", c.width, text.Size().Width)
		}
	}
}

// A line's KID is in the panel when it is chosen: the KID column gives way
// in a narrow window.
func TestYesterdayPanelShowsTheKID(t *testing.T) {
	u := newScreensUI(t)
	m := u.screens().morning
	for i, r := range m.rows {
		if r.line != nil && r.line.KID != "" {
			m.selectRow(i)
			if !strings.Contains(m.detail.Text, "KID "+r.line.KID) {
				t.Errorf("the panel for a line with KID %s says %q", r.line.KID, m.detail.Text)
			}
			return
		}
	}
	t.Fatal("no line with a KID to choose")
}

// Days without lines have no columns to name.
func TestYesterdayHeaderOnlyOverLines(t *testing.T) {
	u := newScreensUI(t)
	m := u.screens().morning
	m.bg.Wait()
	if !m.header.Visible() {
		t.Fatal("the columns are not named over the lines")
	}
	for i := range m.days {
		m.days[i].Lines = nil
	}
	m.fill()
	if m.header.Visible() {
		t.Error("the columns are named over days without lines")
	}
}

// A login the bank no longer takes, weeks before its end date, shows
// "Log in again" on Yesterday, where the message of another screen sends
// the owner.
func TestRefusedLoginShowsLogInAgain(t *testing.T) {
	u := newScreensUI(t)
	u.login = scrLogin{expires: time.Now().Add(60 * 24 * time.Hour)}
	u.yesterdayScreen()
	m := u.screens().morning
	m.bg.Wait()
	if m.banner.Visible() {
		t.Fatal("Log in again is shown with two months of login left")
	}
	u.askLogin(errors.New("the bank is busy"))
	if m.banner.Visible() {
		t.Error("Log in again is shown for an error that is not the login's")
	}
	u.askLogin(fmt.Errorf("payment of 100,00 kr was not sent: %w", &bank.ProblemError{Status: 401}))
	if !m.banner.Visible() {
		t.Error("the bank refused the login, and Log in again is not shown")
	}
}

// After a line is posted the next one that needs the owner is chosen, and
// typing goes straight into its counter account.
func TestYesterdayPostingGoesToTheNextLine(t *testing.T) {
	u := newScreensUI(t)
	w := screenWindow(t, u.yesterdayScreen())
	m := u.screens().morning
	m.bg.Wait()
	m.list.Select(1)
	test.Type(m.counter, "4300")
	test.Tap(m.post)
	m.bg.Wait()
	if m.selected == nil || m.selected.line == nil || !m.selected.line.NeedsAttention() {
		t.Fatalf("after posting, chosen %+v; want the next line that needs attention", m.selected)
	}
	if w.Canvas().Focused() != m.counter {
		t.Errorf("after posting, %T has the keys; want the counter account", w.Canvas().Focused())
	}
	// Typed over last time's account, "43" lists what fits; Enter takes
	// the first that fits (it does not post "43"), the next Enter posts.
	next := m.selected.line.ID
	test.Type(m.counter, "43")
	if m.counter.Text != "43" {
		t.Errorf("typed 43 into the counter account: %q", m.counter.Text)
	}
	enter := func() {
		w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		m.bg.Wait()
	}
	enter()
	if n, ok := m.counter.account(); !ok || n != 4300 || m.panelErr.Text != "" {
		t.Errorf("Enter in the list: account %d %v, %q; want 4300 taken and nothing said", n, ok, m.panelErr.Text)
	}
	enter()
	for _, r := range m.rows {
		if r.line != nil && r.line.ID == next && r.line.Voucher == 0 {
			t.Errorf("Enter in the counter account did not post the line (%q)", m.panelErr.Text)
		}
	}
	// An account that cannot be posted to is refused under the field; the
	// refusal goes once another account is typed, not to stand under it.
	test.Type(m.counter, "1920")
	m.counter.SetText("1920")
	m.postLine()
	m.bg.Wait()
	if m.panelErr.Text == "" {
		t.Fatalf("posting to the bank's own account 1920: nothing said")
	}
	test.Type(m.counter, "6")
	if m.panelErr.Text != "" {
		t.Errorf("another account typed, and under it still: %q", m.panelErr.Text)
	}
	// While a line is being posted, another Enter does nothing.
	before := len(m.rows)
	m.posting = true
	m.postLine()
	if m.post.Disabled() || len(m.rows) != before || m.panelErr.Text != "" {
		t.Errorf("Enter while posting: Post disabled %v, %q", m.post.Disabled(), m.panelErr.Text)
	}
}

// Where no login is stored on this computer (a company file brought from
// another), Yesterday and the message say so and offer "Log in", rather
// than calling a login expired that never was; a login that ended says
// "Log in again" again.
func TestNoLoginHereShowsLogIn(t *testing.T) {
	_, none := login.Resume(context.Background(), login.Config{AuthURL: "http://127.0.0.1:9", ClientID: "bankbro-desktop"},
		login.NewFileStore(filepath.Join(t.TempDir(), "none.login")))
	if !errors.Is(none, login.ErrNotLoggedIn) {
		t.Fatalf("Resume with nothing stored: %v, want ErrNotLoggedIn", none)
	}
	u := newScreensUI(t)
	u.login = scrLogin{expires: time.Now().Add(60 * 24 * time.Hour)}
	u.yesterdayScreen()
	m := u.screens().morning
	m.bg.Wait()
	u.askLogin(none)
	notHere := lang.L("Bankbro is not logged in to the bank on this computer, so it cannot read new transactions. Log in with BankID.")
	if !m.banner.Visible() || m.relogin.Text != lang.L("Log in") || m.bannerL.Text != notHere {
		t.Errorf("no login here: banner %v %q, button %q, message %q", m.banner.Visible(), m.bannerL.Text, m.relogin.Text, describe(none))
	}
	if got, want := describe(none), lang.L("Bankbro is not logged in to the bank on this computer. Log in with BankID: Yesterday → Log in."); got != want {
		t.Errorf("describe = %q, want %q", got, want)
	}
	u.askLogin(fmt.Errorf("read the accounts: %w", &bank.ProblemError{Status: 401}))
	if m.relogin.Text != lang.L("Log in again") || m.bannerL.Text == notHere {
		t.Errorf("a refused login: banner %q, button %q; want the login called ended", m.bannerL.Text, m.relogin.Text)
	}
	// Opened with no login stored, the screen says so before any fetch
	// fails.
	u.login = scrLogin{}
	u.yesterdayScreen()
	m2 := u.screens().morning
	m2.bg.Wait()
	if !m2.banner.Visible() || m2.bannerL.Text != notHere || m2.relogin.Text != lang.L("Log in") {
		t.Errorf("opened with no login stored: banner %v %q, button %q", m2.banner.Visible(), m2.bannerL.Text, m2.relogin.Text)
	}
	// A login cancelled says so in words.
	if got := describe(context.Canceled); got != lang.L("Cancelled.") {
		t.Errorf("describe(context.Canceled) = %q", got)
	}
}

// Yesterday's KID and status columns are as wide as what the lines hold:
// a morning of open lines leaves the rest to text and counterparty, and a
// KID of eleven digits is not cut; a long status widens its column.
func TestYesterdayColumnsFitTheLines(t *testing.T) {
	c := lineColumns()
	c.fitTo([]string{"17401216597", ""}, []string{lang.L("Open")})
	kid := widget.NewLabel("17401216597")
	if c.widths[5] < kid.MinSize().Width || c.widths[6] > 120 {
		t.Errorf("KID %v px (its label needs %v), status %v px for %q", c.widths[5], kid.MinSize().Width, c.widths[6], lang.L("Open"))
	}
	long := lineStatus(12345, 1, true)
	c.fitTo(nil, []string{lang.L("Open"), long})
	if need := widget.NewLabel(long).MinSize().Width; c.widths[6] < need {
		t.Errorf("status %v px, %q needs %v", c.widths[6], long, need)
	}

	c.fitTo(nil, []string{strings.Repeat("Bokført ", 20)})
	if c.widths[6] != 260 {
		t.Errorf("status %v px for a very long one: a column is never wider than 260", c.widths[6])
	}

	// A row the list laid out before is laid out again to the widths the
	// lines need now, and the lines set them (fill).
	u := newScreensUI(t)
	screenWindow(t, u.yesterdayScreen())
	m := u.screens().morning
	m.bg.Wait()
	line := -1
	for i := range m.rows {
		if m.rows[i].line != nil {
			line = i
			break
		}
	}
	if line < 0 {
		t.Fatal("no line on the screen")
	}
	o := m.newRow()
	o.Resize(fyne.NewSize(900, 40))
	m.updateRow(line, o)
	row := o.(*fyne.Container).Objects[0].(*fyne.Container)
	m.rows[line].line.KID = "1740121659712345678901"
	m.fill()
	m.updateRow(line, o)
	if need := widget.NewLabel(m.rows[line].line.KID).MinSize().Width; m.cols.widths[5] < need || row.Objects[5].Size().Width != m.cols.widths[5] {
		t.Errorf("after a longer KID: the column %v px (the KID needs %v), the row's KID %v px", m.cols.widths[5], need, row.Objects[5].Size().Width)
	}
}
