package gui

import (
	"context"
	"encoding/binary"
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

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/ledger/ledgertest"
	"bankbro/core/login"
	"bankbro/core/money"
	banksync "bankbro/core/sync"
)

// lineCount is how many lines the first bank account of u's ledger has.
func lineCount(t *testing.T, l *ledger.Ledger) int {
	t.Helper()
	accts, err := l.BankAccounts(context.Background())
	if err != nil || len(accts) == 0 {
		t.Fatalf("bank accounts: %v", err)
	}
	n, err := l.CountBankTransactions(context.Background(), accts[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDataTabBacksUpAndRestores(t *testing.T) {
	u := newScreensUI(t)
	obj := u.dataTab()
	v := u.screens().data
	text, _ := screenText(t, obj)
	for _, want := range []string{filepath.Base(u.path), filepath.Dir(u.path), lang.L("None yet")} {
		if !strings.Contains(text, want) {
			t.Errorf("the Data tab does not show %q:\n%s", want, text)
		}
	}
	var opened string
	u.browser.system = login.BrowserFunc(func(url string) error { opened = url; return nil })
	test.Tap(button(t, obj, lang.L("Open folder")))
	if opened != "file://"+filepath.Dir(u.path) {
		t.Errorf("Open folder opened %q", opened)
	}

	test.Tap(v.backup)
	v.bg.Wait()
	backups, _ := ledger.BackupFiles(u.path, banksync.BackupDir(u.ledger))
	if len(backups) != 1 || v.newest.Text == lang.L("None yet") {
		t.Fatalf("after Back up now: backups %v, newest %q", backups, v.newest.Text)
	}
	shoot(t, "9-data", obj)

	// A line arrives after the backup; restoring goes back to before it.
	before := lineCount(t, u.ledger)
	addLateLine(t, u)
	u.restoreFrom(backups[0])
	if u.ledger == nil || lineCount(t, u.ledger) != before {
		t.Fatalf("after restore the ledger has %d lines, want %d", lineCount(t, u.ledger), before)
	}
	if !strings.Contains(u.status.label.Text, filepath.Base(backups[0])) {
		t.Errorf("status after restore: %q", u.status.label.Text)
	}
	// The Data screen says it whole: the status bar cuts the name of the
	// copy kept.
	if v := u.screens().data; v == nil || v.message.Text != u.status.label.Text {
		t.Errorf("the Data screen after restore says %q, want %q", func() string {
			if v == nil {
				return "(no Data screen)"
			}
			return v.message.Text
		}(), u.status.label.Text)
	}
	all, _ := ledger.BackupFiles(u.path, banksync.BackupDir(u.ledger))
	if len(all) != 2 {
		t.Fatalf("backups after restore: %v, want the one restored and the file as it was", all)
	}
	kept, err := ledger.Open(context.Background(), all[0])
	if err != nil {
		t.Fatal(err)
	}
	defer kept.Close()
	if n := lineCount(t, kept); n != before+1 {
		t.Errorf("the kept copy has %d lines, want %d", n, before+1)
	}
}

// holdLongWork runs background work really in the background and holds a
// backup's, a restore's or a backup search's work at its start until the
// returned gate is closed.
func holdLongWork(t *testing.T) chan struct{} {
	gate := make(chan struct{})
	beforeLongWork = func() { <-gate }
	inline = false
	t.Cleanup(func() { inline, beforeLongWork = true, func() {} })
	return gate
}

// addLateLine stores a bank line that came after the backups.
func addLateLine(t *testing.T, u *ui) {
	t.Helper()
	accts, _ := u.ledger.BankAccounts(context.Background())
	err := u.ledger.Update(context.Background(), func(tx *ledger.Tx) error {
		_, _, err := tx.InsertBankTransactions(accts[0].ID, 0, []ledger.BankTransaction{{TransactionID: "late",
			AccountingDate: scrToday.AddDays(-1), Amount: money.Kroner(-99), Text: "Etter sikkerhetskopien"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// backedUp opens the Data tab of a company with lines and presses Back
// up now; it returns the tab and the backups then.
func backedUp(t *testing.T) (*ui, *dataView, []string) {
	t.Helper()
	u := newScreensUI(t)
	u.dataTab()
	v := u.screens().data
	test.Tap(v.backup)
	v.bg.Wait()
	backups, err := ledger.BackupFiles(u.path, banksync.BackupDir(u.ledger))
	if err != nil || len(backups) != 1 {
		t.Fatalf("backups after Back up now: %v, %v", backups, err)
	}
	return u, v, backups
}

func TestRestoreRefusesADamagedBackup(t *testing.T) {
	u, v, backups := backedUp(t)
	bad := filepath.Join(t.TempDir(), "cut.bankbro")
	b, _ := os.ReadFile(backups[0])
	os.WriteFile(bad, b[:len(b)/2], 0o600)
	before := lineCount(t, u.ledger)
	u.restoreFrom(bad)
	if v.message.Text != lang.L("This backup is damaged; nothing was changed. Choose another backup.") {
		t.Errorf("message = %q", v.message.Text)
	}
	if lineCount(t, u.ledger) != before {
		t.Errorf("a refused restore changed the ledger")
	}
}

// startWith makes a company file with a backup beside it, spoils the file
// with spoil, and starts the window on it.
func startWith(t *testing.T, spoil func(path string)) (*ui, string) {
	t.Helper()
	a := test.NewTempApp(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "company.bankbro")
	l, err := ledger.Create(ctx, path, ledger.Company{Name: "Kaffebrenneriet Solsiden AS", OrgNumber: "921573405",
		ConversionDate: civil.MustParse("2026-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	backup, err := banksync.Backup(ctx, l, banksync.BackupDir(l), 0)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	spoil(path)
	u := newUI(a, Options{LedgerPath: path, Today: scrToday})
	t.Cleanup(func() {
		if l := u.screens().listener; l != nil {
			l.Close()
		}
		if u.ledger != nil {
			u.ledger.Close()
		}
	})
	return u, backup
}

func TestDamagedLedgerAtStartOffersTheBackup(t *testing.T) {
	var damaged []byte
	u, _ := startWith(t, func(path string) {
		b, _ := os.ReadFile(path)
		damaged = b[:len(b)/2]
		os.WriteFile(path, damaged, 0o600)
	})
	if u.ledger != nil {
		t.Fatal("a cut-off company file was opened")
	}
	text, _ := screenText(t, u.win.Content())
	if !strings.Contains(text, lang.L("The company file cannot be opened")) {
		t.Errorf("the window shows:\n%s", text)
	}
	shootWindow(t, "9-damaged", u.win)
	test.Tap(button(t, u.win.Content(), lang.L("Restore the newest backup")))
	if u.ledger == nil {
		t.Fatalf("the backup was not opened; status %q", u.status.label.Text)
	}
	aside, _ := filepath.Glob(filepath.Join(filepath.Dir(u.path), "company-set-aside-*.bankbro"))
	if len(aside) != 1 {
		t.Fatalf("set-aside files: %v", aside)
	}
	if b, _ := os.ReadFile(aside[0]); string(b) != string(damaged) {
		t.Errorf("the damaged file was changed")
	}
}

// Looking through the backups of a damaged file takes a while with years
// of books: the window says so at once, off the UI goroutine, and then
// offers the newest good backup.
func TestDamagedLedgerAtStartLooksForABackupInTheBackground(t *testing.T) {
	gate := holdLongWork(t)
	u, _ := startWith(t, func(path string) {
		b, _ := os.ReadFile(path)
		os.WriteFile(path, b[:len(b)/2], 0o600)
	})
	text, _ := screenText(t, u.win.Content())
	if !strings.Contains(text, lang.L("Looking for the newest good backup…")) || strings.Contains(text, lang.L("Restore the newest backup")) {
		t.Errorf("while the backups are checked the window shows:\n%s", text)
	}
	close(gate)
	eventually(t, "the offer of the backup", func() bool {
		doMu.Lock()
		defer doMu.Unlock()
		text, _ := screenText(t, u.win.Content())
		return strings.Contains(text, lang.L("Restore the newest backup"))
	})
}

func TestNewerLedgerAtStartIsNotOpened(t *testing.T) {
	var newer []byte
	u, _ := startWith(t, func(path string) {
		// What a newer Bankbro leaves: a higher schema version (the SQLite
		// header's user_version, at offset 60).
		b, _ := os.ReadFile(path)
		binary.BigEndian.PutUint32(b[60:64], uint32(ledger.SchemaVersion()+1))
		os.WriteFile(path, b, 0o600)
		newer = b
	})
	if u.ledger != nil {
		t.Fatal("a newer company file was opened")
	}
	text, _ := screenText(t, u.win.Content())
	if !strings.Contains(text, lang.L("The company file is from a newer Bankbro")) || !strings.Contains(text, lang.L("Restore the newest backup")) {
		t.Errorf("the window shows:\n%s", text)
	}
	if b, _ := os.ReadFile(u.path); string(b) != string(newer) {
		t.Errorf("the newer file was changed by opening it")
	}
}

// A restore runs off the UI goroutine behind a window that says so, and
// the window goes when the restored file is shown.
func TestRestoreRunsOffTheUIGoroutine(t *testing.T) {
	u, _, backups := backedUp(t)
	before := lineCount(t, u.ledger)
	old := u.ledger
	gate := holdLongWork(t)

	returned := make(chan (<-chan struct{}))
	go func() { returned <- u.restoreFrom(backups[0]) }()
	var done <-chan struct{}
	select {
	case done = <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("Restore blocked the UI goroutine")
	}
	if u.win.Canvas().Overlays().Top() == nil || u.ledger != old {
		t.Errorf("while restoring: waiting window shown %v, ledger replaced %v; want the window and the old ledger",
			u.win.Canvas().Overlays().Top() != nil, u.ledger != old)
	}
	// The rest runs as the other tests do: the test driver has no UI
	// goroutine to keep the new screens' loading in turn.
	inline = true
	close(gate)
	<-done
	if u.ledger == old || u.win.Canvas().Overlays().Top() != nil {
		t.Errorf("after the restore: ledger replaced %v, waiting window shown %v", u.ledger != old, u.win.Canvas().Overlays().Top() != nil)
	}
	if n := lineCount(t, u.ledger); n != before {
		t.Errorf("the restored ledger has %d lines, want %d", n, before)
	}
}

// Cancel in the waiting window stops a restore before the file is
// swapped: the company file, and the window's ledger, stay as they were.
func TestRestoreCanBeCancelled(t *testing.T) {
	u, _, backups := backedUp(t)
	addLateLine(t, u)
	before := lineCount(t, u.ledger)
	old := u.ledger
	gate := holdLongWork(t)

	done := u.restoreFrom(backups[0])
	over := u.win.Canvas().Overlays().Top()
	if over == nil {
		t.Fatal("no waiting window")
	}
	cancel := buttonIn(t, over, lang.L("Cancel"))
	if cancel == nil {
		t.Fatal("the waiting window has no Cancel")
	}
	test.Tap(cancel)
	inline = true
	close(gate)
	<-done
	if u.ledger != old || lineCount(t, u.ledger) != before {
		t.Errorf("after Cancel: ledger replaced %v, %d lines (want %d)", u.ledger != old, lineCount(t, u.ledger), before)
	}
	if got, want := u.status.label.Text, lang.L("The restore was cancelled; nothing was changed."); got != want {
		t.Errorf("status = %q, want %q", got, want)
	}
	if all, _ := ledger.BackupFiles(u.path, banksync.BackupDir(u.ledger)); len(all) != 1 {
		t.Errorf("backups after a cancelled restore: %v, want only the one taken before", all)
	}
}

// Back up now shows its progress in the status bar with Cancel; a cancelled
// backup leaves no file behind.
func TestBackupCanBeCancelled(t *testing.T) {
	u := newScreensUI(t)
	u.dataTab()
	v := u.screens().data
	gate := holdLongWork(t)

	test.Tap(v.backup)
	if !u.status.cancel.Visible() || !u.status.unknown.Visible() || u.status.progress.Visible() {
		t.Fatalf("while backing up: Cancel shown %v, moving bar shown %v, percent bar shown %v; want Cancel and the moving bar (a copy's length is not known)",
			u.status.cancel.Visible(), u.status.unknown.Visible(), u.status.progress.Visible())
	}
	test.Tap(u.status.cancel)
	inline = true
	close(gate)
	v.bg.Wait()
	if got, want := u.status.label.Text, lang.L("The backup was cancelled."); got != want {
		t.Errorf("status = %q, want %q", got, want)
	}
	if all, _ := ledger.BackupFiles(u.path, banksync.BackupDir(u.ledger)); len(all) != 0 {
		t.Errorf("backups after a cancelled backup: %v", all)
	}
	if left, _ := filepath.Glob(filepath.Join(banksync.BackupDir(u.ledger), "*")); len(left) != 0 {
		t.Errorf("a cancelled backup left %v", left)
	}
}

// TestRestoreChooserNamesBackupsByTime: Restore a backup… lists the
// company's backups newest first by when they were taken and their size,
// not by file names that Fyne's file dialog cuts to the same few letters,
// and asks before restoring the one chosen, naming it by its time.
func TestRestoreChooserNamesBackupsByTime(t *testing.T) {
	u := newScreensUI(t)
	u.dataTab()
	dir := banksync.BackupDir(u.ledger)
	made := backupsAt(t, u, time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC), time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC))
	u.chooseBackup()
	over := u.win.Canvas().Overlays().Top()
	if over == nil {
		t.Fatal("no backup chooser")
	}
	var list *widget.List
	var find func(o fyne.CanvasObject)
	find = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.List:
			list = v
		case *fyne.Container:
			for _, c := range v.Objects {
				find(c)
			}
		case fyne.Widget:
			for _, c := range test.TempWidgetRenderer(t, v).Objects() {
				find(c)
			}
		}
	}
	find(over)
	if list == nil || list.Length() != 2 {
		t.Fatalf("the chooser's list: %v", list)
	}
	newest := backupEntry(made[1])
	if want := backupLabel(made[1]) + ":00 · "; !strings.HasPrefix(newest, want) || !strings.HasSuffix(newest, " MB") {
		t.Errorf("backup entry %q, want it to begin %q (to the second) and give the size", newest, want)
	}
	if want := time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC).Local().Format("02.01.2006 15:04"); backupLabel(made[1]) != want {
		t.Errorf("backupLabel = %q, want %q (from the name, in local time)", backupLabel(made[1]), want)
	}
	text, _ := screenText(t, over)
	if i, j := strings.Index(text, newest), strings.Index(text, backupEntry(made[0])); i < 0 || j < 0 || i > j {
		t.Errorf("the chooser shows, newest first, %q then %q:\n%s", newest, backupEntry(made[0]), text)
	}
	restore := buttonIn(t, over, lang.L("Restore"))
	if restore == nil || !restore.Disabled() {
		t.Fatal("Restore must wait until a backup is chosen")
	}
	list.Select(0)
	if restore.Disabled() {
		t.Fatal("Restore stays disabled after a backup is chosen")
	}
	test.Tap(restore)
	confirm := u.win.Canvas().Overlays().Top()
	if text, _ := screenText(t, confirm); !strings.Contains(text, backupLabel(made[1])) {
		t.Errorf("the question before restoring does not name the backup by its time:\n%s", text)
	}
	if no := buttonIn(t, confirm, lang.L("No")); no != nil {
		test.Tap(no)
	}
	if all, _ := ledger.BackupFiles(u.path, dir); len(all) != 2 {
		t.Errorf("backups after saying no: %v, want the two made (nothing restored)", all)
	}
}

// Restoring the oldest of the kept backups works: keeping the company file
// first must not prune away the backup being restored.
func TestRestoreTheOldestBackup(t *testing.T) {
	u := newScreensUI(t)
	u.dataTab()
	var times []time.Time
	for i := range banksync.DefaultKeep {
		times = append(times, time.Date(2026, 11, 1+i, 6, 0, 0, 0, time.UTC))
	}
	oldest := backupsAt(t, u, times...)[0]
	before := lineCount(t, u.ledger)
	addLateLine(t, u)
	<-u.restoreFrom(oldest)
	if u.ledger == nil || lineCount(t, u.ledger) != before {
		t.Fatalf("after restoring the oldest backup: status %q", u.status.label.Text)
	}
	if _, err := os.Stat(oldest); err != nil {
		t.Errorf("the restored backup is gone: %v", err)
	}
}

// backupsAt takes a backup of u's company file as if at each of times, in
// its backup folder, and returns their paths in that order.
func backupsAt(t *testing.T, u *ui, times ...time.Time) []string {
	t.Helper()
	now := u.ledger.Now
	defer func() { u.ledger.Now = now }()
	var made []string
	for _, at := range times {
		u.ledger.Now = func() time.Time { return at }
		p, err := banksync.Backup(context.Background(), u.ledger, banksync.BackupDir(u.ledger), 0)
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, p)
	}
	return made
}

// A company file from an older Bankbro is updated in the background: the
// window says so meanwhile, then shows the books as any start does.
func TestOlderFileIsUpdatedWhileTheWindowSaysSo(t *testing.T) {
	gate := holdLongWork(t)
	u, _ := startWith(t, func(path string) {
		// As the previous version left it.
		ledgertest.Downgrade(t, path, ledger.SchemaVersion(), ledger.SchemaVersion()-1)
	})
	text, _ := screenText(t, u.win.Content())
	if !strings.Contains(text, lang.L("Updating the company file")) || u.ledger != nil {
		t.Errorf("while updating: ledger open %v, window shows %q", u.ledger != nil, text)
	}
	// Released as the real driver would run it, off this goroutine: the
	// books are shown from the UI goroutine without taking do's turn,
	// which the screens being built take (a deadlock once).
	close(gate)
	select {
	case <-u.opening:
	case <-time.After(time.Minute):
		t.Fatal("the books were not shown a minute after the update")
	}
	if m := u.screens().morning; m != nil {
		m.bg.Wait()
	}
	inline = true
	if u.ledger == nil || u.nav == nil {
		t.Fatalf("after the update: ledger %v, navigation %v", u.ledger, u.nav)
	}
	if c, err := u.ledger.Company(context.Background()); err != nil || c.Name == "" {
		t.Errorf("the updated books: company %+v, %v", c, err)
	}
	if text, _ := screenText(t, u.win.Content()); strings.Contains(text, lang.L("Updating the company file")) {
		t.Errorf("after the update the window still says %q", text)
	}
}

// Before a restore the window says what goes with it: what was done after
// the backup, and the payments the bank has that the backup does not know
// (sent after it), which the bank carries out though the restored books
// will not know them.
func TestRestoreWarnsOfPaymentsSentSince(t *testing.T) {
	u := newScreensUI(t)
	screenWindow(t, u.win.Content())
	dir := t.TempDir()
	before := filepath.Join(dir, "company-backup-20260310-080000.000.bankbro")
	if err := u.ledger.BackupInto(u.ctx, before); err != nil {
		t.Fatal(err)
	}
	addWaiting(t, u, 2) // sent, awaiting signing
	after := filepath.Join(dir, "company-backup-20260310-090000.000.bankbro")
	if err := u.ledger.BackupInto(u.ctx, after); err != nil {
		t.Fatal(err)
	}
	text := func(path string) string {
		t.Helper()
		u.confirmRestore(path)
		top := u.win.Canvas().Overlays().Top()
		if top == nil {
			t.Fatal("no question before the restore")
		}
		defer top.Hide()
		shootWindow(t, "restore-"+filepath.Base(path), u.win)
		var s []string
		for _, o := range test.LaidOutObjects(top) {
			if l, ok := o.(*widget.Label); ok {
				s = append(s, l.Text)
			}
		}
		return strings.Join(s, "\n")
	}
	sent := fmt.Sprintf(lang.L("%d payments sent to the bank after the backup are not in it either: the bank carries them out, but the books will not know of them."), 2)
	if got := text(before); !strings.Contains(got, sent) || !strings.Contains(got, lang.L("What was done in Bankbro after the backup is not in it: vouchers, matches, rules and payments.")) {
		t.Errorf("a backup from before the payments: %q; want the two payments sent since named", got)
	}
	if got := text(after); strings.Contains(got, sent) || strings.Contains(got, lang.L("Bankbro could not check which payments were sent to the bank after the backup.")) {
		t.Errorf("a backup taken after the payments: %q names them as lost, or could not check", got)
	}
	if got := text(filepath.Join(dir, "gone.bankbro")); !strings.Contains(got, lang.L("Bankbro could not check which payments were sent to the bank after the backup.")) {
		t.Errorf("a backup that cannot be read: %q; want it said that the payments could not be checked", got)
	}
}
