package gui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/instance"
	"bankbro/core/ledger"
	"bankbro/core/payments"
	banksync "bankbro/core/sync"
)

// Preference keys of the window's remembered size.
const (
	prefWidth  = "window.width"
	prefHeight = "window.height"
)

// ForwardToRunning asks a Bankbro window that already has the company file
// open to come forward. It returns true, after saying so on w, when one
// did: this start then has nothing more to do.
func ForwardToRunning(a fyne.App, opts Options, w io.Writer) bool {
	path := opts.LedgerPath
	if path == "" {
		path = DefaultLedgerPath(a)
	}
	if instance.Signal(path) != nil {
		return false
	}
	fmt.Fprintln(w, "Bankbro is already open with this company file; that window was brought forward.")
	return true
}

// setUpDesktop gives the window what an installed desktop app has:
// remembered size and position (winpos.go), keyboard shortcuts, a menu
// with About, and an ear for a second start on the same company file.
func (u *ui) setUpDesktop() {
	p := u.app.Preferences()
	if w, h := p.Float(prefWidth), p.Float(prefHeight); w >= 400 && h >= 300 {
		u.win.Resize(fyne.NewSize(float32(w), float32(h)))
	}
	u.win.SetCloseIntercept(func() {
		u.saveWindowPlace()
		u.win.Close()
	})
	closed := u.close
	u.win.SetOnClosed(func() {
		// Quit closes the window without the intercept; the native
		// window is still there while this runs.
		u.saveWindowPlace()
		if l := u.screens().listener; l != nil {
			l.Close()
		}
		closed()
	})
	if l, err := instance.Listen(u.path, func() { fyne.Do(u.win.RequestFocus) }); err == nil {
		u.screens().listener = l
	}

	fetch := &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}
	u.win.Canvas().AddShortcut(fetch, func(fyne.Shortcut) { u.fetchNow() })
	u.win.Canvas().SetOnTypedKey(func(e *fyne.KeyEvent) {
		if e.Name == fyne.KeyF5 {
			u.fetchNow()
		}
	})
	goItems := []*fyne.MenuItem{}
	for i, key := range sectionKeys {
		sc := &desktop.CustomShortcut{KeyName: fyne.KeyName(fmt.Sprint(i + 1)), Modifier: fyne.KeyModifierShortcutDefault}
		u.win.Canvas().AddShortcut(sc, func(fyne.Shortcut) { u.goTo(i) })
		item := fyne.NewMenuItem(lang.L(key), func() { u.goTo(i) })
		item.Shortcut = sc
		goItems = append(goItems, item)
	}
	fetchItem := fyne.NewMenuItem(lang.L("Fetch now"), u.fetchNow)
	fetchItem.Shortcut = fetch
	fetchItem.Icon = theme.DownloadIcon()
	backupItem := fyne.NewMenuItem(lang.L("Back up now"), u.backUpNow)
	// What needs the company's books is greyed out until they are open: on
	// the welcome page, while an older file is updated, or when it could
	// not be opened, it would do nothing.
	u.bookItems = append([]*fyne.MenuItem{fetchItem, backupItem}, goItems...)
	for _, it := range u.bookItems {
		it.Disabled = true
	}
	u.win.SetMainMenu(fyne.NewMainMenu(
		fyne.NewMenu(lang.L("File (menu)"), fetchItem, backupItem),
		fyne.NewMenu(lang.L("Go to"), goItems...),
		fyne.NewMenu(lang.L("Help"), fyne.NewMenuItem(lang.L("About Bankbro"), u.showAbout)),
	))
}

// enableBookItems makes the menu's items that need the company's books
// usable, once they are open.
func (u *ui) enableBookItems() {
	for _, it := range u.bookItems {
		it.Disabled = false
	}
	if m := u.win.MainMenu(); m != nil {
		m.Refresh()
	}
}

// sectionKeys are the sections' titles in the order Ctrl+1…5 reach them
// (the order of the navigation).
var sectionKeys = []string{"Yesterday", "Bank", "Reconciliation", "Payments", "Settings"}

// goTo selects section i, when the company's books are open.
func (u *ui) goTo(i int) {
	if u.nav == nil || i < 0 || i >= len(u.sections) {
		return
	}
	u.nav.Select(i)
}

// fetchNow is "Fetch now" from anywhere: it goes to Yesterday and presses
// its button, unless a fetch is running already.
func (u *ui) fetchNow() {
	if u.nav == nil {
		return
	}
	if u.current != 0 {
		u.nav.Select(0)
	}
	m := u.screens().morning
	if m == nil || m.fetch == nil || m.fetch.Disabled() || m.fetch.OnTapped == nil {
		return
	}
	m.fetch.OnTapped()
}

// saveWindowPlace stores the window's size and position (winpos.go) for
// the next start.
func (u *ui) saveWindowPlace() {
	values := map[string]any{}
	if s := u.win.Canvas().Size(); s.Width >= 400 && s.Height >= 300 {
		values[prefWidth], values[prefHeight] = float64(s.Width), float64(s.Height)
	}
	if x, y, ok := u.windowPosition(); ok {
		values[prefX], values[prefY] = x, y
	}
	storeAll(u.app.Preferences(), values)
}

// storeAll sets preferences in one change, so that they reach the disk
// together. Fyne writes the file at a change and then waits 100 ms before
// it writes again; the write of what changed meanwhile, due when the app
// stops, is queued as an event that a closing app does not always run
// (seen under Xvfb: only the first of four keys set at close was saved).
// Fyne's preferences have WriteValues for this; others get one Set each.
func storeAll(p fyne.Preferences, values map[string]any) {
	if len(values) == 0 {
		return
	}
	if w, ok := p.(interface{ WriteValues(func(map[string]any)) }); ok {
		w.WriteValues(func(m map[string]any) { maps.Copy(m, values) })
		return
	}
	for k, v := range values {
		switch v := v.(type) {
		case float64:
			p.SetFloat(k, v)
		case int:
			p.SetInt(k, v)
		}
	}
}

// dataView is Settings → Data.
type dataView struct {
	bg      background
	newest  *widget.Label
	message *widget.Label
	backup  *widget.Button
	restore *widget.Button
}

// dataTab is Settings → Data: where the company file lives, backups.
func (u *ui) dataTab() fyne.CanvasObject {
	v := &dataView{newest: widget.NewLabel(""), message: widget.NewLabel("")}
	u.screens().data = v
	v.message.Wrapping = fyne.TextWrapWord
	dir := filepath.Dir(u.path)
	wrap := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapBreak
		return l
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Company file"), wrap(filepath.Base(u.path))),
		widget.NewFormItem(lang.L("Folder (form)"), wrap(dir)),
		widget.NewFormItem(lang.L("Backups"), wrap(u.backupDir())),
		widget.NewFormItem(lang.L("Newest backup"), v.newest),
	)
	open := widget.NewButtonWithIcon(lang.L("Open folder"), theme.FolderOpenIcon(), func() {
		if err := u.openURL(storage.NewFileURI(dir).String()); err != nil {
			v.message.SetText(fmt.Sprintf(lang.L("Bankbro could not open the folder: open %s yourself."), dir))
		}
	})
	v.backup = widget.NewButtonWithIcon(lang.L("Back up now"), theme.DocumentSaveIcon(), u.backUpNow)
	v.backup.Importance = widget.HighImportance
	v.restore = widget.NewButtonWithIcon(lang.L("Restore a backup…"), theme.HistoryIcon(), u.chooseBackup)
	about := widget.NewLabel(lang.L("Bankbro keeps the company's books in this one file. A backup is taken before every morning import; take one yourself before big changes. Restoring a backup keeps the current file as a backup first."))
	about.Wrapping = fyne.TextWrapWord
	u.refreshNewest()
	return container.NewVScroll(container.NewVBox(
		heading(lang.L("Data")), form, about,
		container.NewHBox(open, v.backup, v.restore),
		v.message,
	))
}

// backupDir is where backups of the open company file go.
func (u *ui) backupDir() string {
	if u.ledger != nil {
		return banksync.BackupDir(u.ledger)
	}
	return filepath.Join(filepath.Dir(u.path), "backups")
}

// refreshNewest shows the newest backup on the Data tab.
func (u *ui) refreshNewest() {
	v := u.screens().data
	if v == nil {
		return
	}
	files, err := ledger.BackupFiles(u.path, u.backupDir())
	switch {
	case err != nil:
		v.newest.SetText(describe(err))
	case len(files) == 0:
		v.newest.SetText(lang.L("None yet"))
	default:
		v.newest.SetText(backupLabel(files[0]))
	}
}

// backupLabel names a backup by when it was taken: "26.11.2026 07:02".
func backupLabel(path string) string {
	t := backupTimeOf(path)
	if t.IsZero() {
		return filepath.Base(path)
	}
	return t.Format("02.01.2006 15:04")
}

// backupTimeOf is when a backup was taken, in local time: from its name,
// or for a file not named by Backup, when it was written (zero: unknown).
func backupTimeOf(path string) time.Time {
	if t, ok := banksync.BackupTime(path); ok {
		return t.Local()
	}
	if st, err := os.Stat(path); err == nil {
		return st.ModTime().Local()
	}
	return time.Time{}
}

// backUpNow writes a backup of the company file (core/sync.Backup).
func (u *ui) backUpNow() {
	if u.ledger == nil {
		return
	}
	v := u.screens().data
	l, dir := u.ledger, u.backupDir()
	// Years of books take a while to copy: the status bar shows it, with
	// Cancel (a cancelled backup leaves nothing behind, core/sync.Backup).
	ctx, cancel := context.WithCancel(u.ctx)
	u.status.running(lang.L("Backing up…"), -1, lang.L("Cancel"), cancel)
	var bg *background
	if v != nil {
		v.backup.Disable()
		bg = &v.bg
	} else {
		bg = &background{}
	}
	bg.run(func() {
		defer working()()
		defer cancel()
		beforeLongWork()
		path, err := banksync.Backup(ctx, l, dir, 0)
		cancelled := err != nil && ctx.Err() != nil
		do(func() {
			if v != nil {
				v.backup.Enable()
			}
			if cancelled {
				u.status.done(lang.L("The backup was cancelled."))
				return
			}
			if err != nil {
				u.status.done(fmt.Sprintf(lang.L("The backup failed: %v"), err))
				return
			}
			msg := fmt.Sprintf(lang.L("Backed up to %s."), filepath.Base(path))
			u.status.done(msg)
			if v != nil {
				v.message.SetText(msg)
			}
			u.refreshNewest()
		})
	})
}

// chooseBackup lets the person pick a backup to restore: this company's
// backups, newest first, named by when they were taken and how big they
// are (Fyne's file dialog cuts their long names to "c-backup-202611…",
// all alike), or, with "Another file…", any file on the machine.
func (u *ui) chooseBackup() {
	files, err := ledger.BackupFiles(u.path, u.backupDir())
	if err != nil || len(files) == 0 {
		u.chooseBackupFile()
		return
	}
	var d *dialog.CustomDialog
	chosen := ""
	restore := widget.NewButtonWithIcon(lang.L("Restore"), theme.HistoryIcon(), func() {
		d.Hide()
		u.confirmRestore(chosen)
	})
	restore.Importance = widget.HighImportance
	restore.Disable()
	entries := make([]string, len(files)) // read once, not at every redraw
	for i, f := range files {
		entries[i] = backupEntry(f)
	}
	list := widget.NewList(func() int { return len(entries) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(entries[i]) })
	list.OnSelected = func(i widget.ListItemID) {
		chosen = files[i]
		restore.Enable()
	}
	other := widget.NewButtonWithIcon(lang.L("Another file…"), theme.FolderOpenIcon(), func() {
		d.Hide()
		u.chooseBackupFile()
	})
	intro := widget.NewLabel(lang.L("Choose the backup to go back to. The company file as it is now is kept as a backup first."))
	intro.Wrapping = fyne.TextWrapWord
	d = dialog.NewCustomWithoutButtons(lang.L("Restore a backup"), container.NewBorder(intro, nil, nil, nil, list), u.win)
	d.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.L("Cancel"), d.Hide), other, restore})
	d.Resize(fyne.NewSize(600, 440))
	d.Show()
}

// backupEntry is a line of the backup chooser, to the second (two backups
// a minute apart must not look alike): "27.11.2026 07:41:05 · 12,3 MB".
func backupEntry(path string) string {
	st, err := os.Stat(path)
	if err != nil {
		return backupLabel(path)
	}
	when := backupTimeOf(path).Format("02.01.2006 15:04:05")
	tenths := (st.Size()*10 + 1<<19) >> 20 // MB to one decimal, rounded
	return fmt.Sprintf("%s · %d,%d MB", when, tenths/10, tenths%10)
}

// chooseBackupFile lets the person pick any backup file to restore.
func (u *ui) chooseBackupFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		u.confirmRestore(path)
	}, u.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".bankbro"}))
	if l, err := storage.ListerForURI(storage.NewFileURI(u.backupDir())); err == nil {
		d.SetLocation(l)
	}
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// confirmRestore asks before the company file is replaced by the backup,
// and says what goes with it: what was done since, and above all payments
// sent to the bank since, which the bank pays though the books will not
// know them. (It said only "replace the company file?".)
func (u *ui) confirmRestore(path string) {
	name := filepath.Base(path)
	if _, ok := banksync.BackupTime(path); ok {
		name = fmt.Sprintf(lang.L("from %s"), backupLabel(path))
	}
	l, ctx := u.ledger, u.ctx
	goAsync(func() {
		// The payments the bank has now and the backup does not know:
		// sent after it (also drafts made before it), and neither refused
		// nor cancelled.
		sent := 0
		known, err := ledger.PaymentsAtBank(ctx, path)
		var ps []payments.Payment
		if err == nil {
			ps, err = payments.List(ctx, l, payments.Filter{})
		}
		for _, p := range ps {
			if p.BankPaymentID != "" && p.Status != payments.StatusRejected && p.Status != payments.StatusCancelled && !known[p.Reference] {
				sent++
			}
		}
		do(func() {
			text := fmt.Sprintf(lang.L("Replace the company file with the backup %s? The company file as it is now is kept as a backup first."), name) +
				"\n\n" + lang.L("What was done in Bankbro after the backup is not in it: vouchers, matches, rules and payments.")
			if err != nil {
				text += " " + lang.L("Bankbro could not check which payments were sent to the bank after the backup.")
			}
			if sent > 0 {
				text += " " + counted(sent, "1 payment sent to the bank after the backup is not in it either: the bank carries it out, but the books will not know of it.", "%d payments sent to the bank after the backup are not in it either: the bank carries them out, but the books will not know of them.")
			}
			msg := widget.NewLabel(text)
			msg.Wrapping = fyne.TextWrapWord
			d := dialog.NewCustomConfirm(lang.L("Restore a backup"), lang.L("Restore"), lang.L("Cancel"), msg, func(ok bool) {
				if ok {
					u.restoreFrom(path)
				}
			}, u.win)
			d.Resize(fyne.NewSize(520, 0))
			d.Show()
		})
	})
}

// restoreFrom replaces the open company file with the backup at path. The
// check of the backup, the backup of the file as it is and the swap take
// a while with years of books, so they run off the UI goroutine behind a
// window that says so. Its Cancel stops the restore until the file is
// swapped (ledger.Restore); after that the restore finishes. The channel
// is closed when the window shows the outcome.
func (u *ui) restoreFrom(path string) <-chan struct{} {
	ctx, cancel := context.WithCancel(u.ctx)
	wait := dialog.NewCustom(lang.L("Restoring the backup…"), lang.L("Cancel"), widget.NewProgressBarInfinite(), u.win)
	wait.SetOnClosed(cancel)
	wait.Show()
	u.status.set(lang.L("Restoring the backup…"))
	cur, dir := u.ledger, u.backupDir()
	done := make(chan struct{})
	goAsync(func() {
		defer cancel()
		beforeLongWork()
		var restored, reopened *ledger.Ledger
		var kept string
		err := ledger.CheckFile(ctx, path)
		if err == nil {
			u.closeBank()
			restored, kept, err = ledger.Restore(ctx, cur, path, func(cur *ledger.Ledger) (string, error) {
				onUI(func() { u.status.set(lang.L("Restoring the backup…")) })
				return banksync.BackupBeforeRestore(ctx, cur, dir)
			}, func() {
				onUI(func() { u.status.set(lang.L("Waiting for the changes being saved to finish…")) })
			})
		}
		// Cancelled before the swap: the company file is as it was.
		cancelled := err != nil && ctx.Err() != nil && kept == ""
		if err != nil && restored == nil && kept != "" {
			// The old ledger is closed; reopen whatever is at the path now.
			reopened, _ = ledger.Open(u.ctx, u.path)
		}
		// Not do: showing a ledger builds screens, which hold do's turn
		// themselves (building).
		onUI(func() {
			defer close(done)
			wait.Hide()
			switch {
			case cancelled:
				u.status.done(lang.L("The restore was cancelled; nothing was changed."))
			case err != nil:
				if reopened != nil {
					u.showLedger(reopened)
				}
				if v := u.screens().data; v != nil {
					v.message.SetText(restoreRefused(err))
				}
				u.status.done(restoreRefused(err))
			default:
				u.showLedger(restored)
				u.goTo(len(sectionKeys) - 1)
				msg := fmt.Sprintf(lang.L("Restored %s. The company file as it was is kept as %s."), filepath.Base(path), filepath.Base(kept))
				u.status.done(msg)
				// The status bar cuts a long line: the Data screen, where
				// the restore was asked for, says it whole, with the name
				// of the copy kept.
				if v := u.screens().data; v != nil {
					v.message.SetText(msg)
				}
			}
		})
	})
	return done
}

// beforeLongWork runs first in the background work of a backup, a restore
// or the search for a good backup; tests hold the work there.
var beforeLongWork = func() {}

// restoreRefused says why a backup was not restored.
func restoreRefused(err error) string {
	switch {
	case errors.Is(err, ledger.ErrNewerSchema):
		return lang.L("This backup was written by a newer version of Bankbro. Update Bankbro to restore it.")
	case errors.Is(err, ledger.ErrDamaged):
		return lang.L("This backup is damaged; nothing was changed. Choose another backup.")
	case errors.Is(err, ledger.ErrNotALedger):
		return lang.L("This file is not a Bankbro backup; nothing was changed.")
	}
	return fmt.Sprintf(lang.L("The backup could not be restored: %v"), err)
}

// openFailed is what the window shows when the company file cannot be
// opened at start: why, and, for a damaged or newer file, the newest good
// backup to restore instead. The file itself is set aside, never overwritten.
func (u *ui) openFailed(err error) fyne.CanvasObject {
	var title, text string
	switch {
	case errors.Is(err, ledger.ErrLocked):
		title = lang.L("Bankbro is already open with this company file")
		text = lang.L("Switch to the Bankbro window that is open, or close it and start Bankbro again.")
	case errors.Is(err, ledger.ErrNewerSchema):
		title = lang.L("The company file is from a newer Bankbro")
		text = describe(err)
	case errors.Is(err, ledger.ErrDamaged), errors.Is(err, ledger.ErrNotALedger):
		title = lang.L("The company file cannot be opened")
		text = lang.L("The company file is damaged or is not a Bankbro file.")
	default:
		return problemState(lang.L("The company file cannot be opened"), describe(err), nil)
	}
	if errors.Is(err, ledger.ErrLocked) {
		return problemState(title, text, nil)
	}
	// Checking the backups reads each of them whole (seconds with years of
	// books): the window says so meanwhile, and then offers the newest good
	// one.
	shown := container.NewStack(problemState(title, text+" "+lang.L("Looking for the newest good backup…"), nil))
	ctx, path, dir := u.ctx, u.path, u.backupDir()
	goAsync(func() {
		beforeLongWork()
		cctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		backup, _ := ledger.NewestGoodBackup(cctx, path, dir)
		do(func() {
			shown.Objects = []fyne.CanvasObject{u.offerBackup(title, text, backup)}
			shown.Refresh()
		})
	})
	return shown
}

// offerBackup says why the company file cannot be opened and offers to
// restore backup ("" when none is good) in its place.
func (u *ui) offerBackup(title, text, backup string) fyne.CanvasObject {
	if backup == "" {
		return problemState(title, text+" "+fmt.Sprintf(lang.L("No good backup was found in %s."), u.backupDir()), nil)
	}
	text += " " + fmt.Sprintf(lang.L("The newest good backup is from %s. Restoring it sets the company file aside beside it, unchanged."), backupLabel(backup))
	var b *widget.Button
	b = widget.NewButtonWithIcon(lang.L("Restore the newest backup"), theme.HistoryIcon(), func() {
		b.Disable()
		u.status.set(lang.L("Restoring the backup…"))
		ctx, path := u.ctx, u.path
		goAsync(func() {
			aside, err := ledger.SetAsideAndRestore(ctx, path, backup)
			var l *ledger.Ledger
			if err == nil {
				l, err = ledger.Open(ctx, path)
			}
			// Not do: showing the ledger builds screens (see restoreFrom).
			onUI(func() {
				switch {
				case err != nil && aside == "":
					b.Enable()
					u.status.done(restoreRefused(err))
				case err != nil:
					u.status.done(describe(err))
				default:
					u.showLedger(l)
					u.status.done(fmt.Sprintf(lang.L("Restored the backup from %s. The damaged file is kept as %s."), backupLabel(backup), filepath.Base(aside)))
				}
			})
		})
	})
	b.Importance = widget.HighImportance
	return problemState(title, text, b)
}
