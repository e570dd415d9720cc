package gui

import (
	"bytes"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/instance"
)

// screenText returns every text shown below o (labels, canvas texts,
// buttons, widgets' insides) and the buttons, for assertions.
func screenText(t *testing.T, o fyne.CanvasObject) (string, []*widget.Button) {
	t.Helper()
	var texts []string
	var buttons []*widget.Button
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case nil:
			return
		case *widget.Label:
			texts = append(texts, v.Text)
			return
		case *canvas.Text:
			texts = append(texts, v.Text)
			return
		case *widget.Button:
			texts = append(texts, v.Text)
			buttons = append(buttons, v)
			return
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
			return
		case fyne.Widget:
			for _, c := range test.TempWidgetRenderer(t, v).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return strings.Join(texts, "\n"), buttons
}

func button(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	_, bs := screenText(t, o)
	for _, b := range bs {
		if b.Text == text {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}

func ctrl(key fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
}

func TestShortcutsReachTheSections(t *testing.T) {
	u := newScreensUI(t)
	c := u.win.Canvas().(fyne.Shortcutable)
	for i, key := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5} {
		c.TypedShortcut(ctrl(key))
		if u.current != i {
			t.Errorf("Ctrl+%s: section %d, want %d", key, u.current, i)
		}
	}
	// F5 goes back to Yesterday to fetch.
	u.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF5})
	if u.current != 0 {
		t.Errorf("F5: section %d, want Yesterday", u.current)
	}
	u.goTo(2)
	c.TypedShortcut(ctrl(fyne.KeyR))
	if u.current != 0 {
		t.Errorf("Ctrl+R: section %d, want Yesterday", u.current)
	}
	menu := u.win.MainMenu()
	if menu == nil || len(menu.Items) != 3 || len(menu.Items[2].Items) != 1 {
		t.Fatalf("main menu = %+v, want File, Go to and Help with About", menu)
	}
}

func TestWindowSizeIsRemembered(t *testing.T) {
	u := newScreensUI(t)
	u.win.Resize(fyne.NewSize(900, 640))
	u.saveWindowPlace()
	p := u.app.Preferences()
	if w, h := p.Float(prefWidth), p.Float(prefHeight); w != 900 || h != 640 {
		t.Fatalf("saved %vx%v, want 900x640", w, h)
	}
	w := u.app.NewWindow("next start")
	defer w.Close()
	next := &ui{app: u.app, win: w, path: u.path + "-other"}
	next.setUpDesktop()
	if s := w.Canvas().Size(); s.Width != 900 || s.Height != 640 {
		t.Errorf("the next window is %vx%v, want 900x640", s.Width, s.Height)
	}
	if l := next.screens().listener; l != nil {
		l.Close()
	}
}

func TestAboutShowsVersionAndBuild(t *testing.T) {
	test.NewTempApp(t)
	text, _ := screenText(t, aboutContent(fyne.AppMetadata{Name: "Bankbro", Version: "0.1.0", Build: 7}))
	for _, want := range []string{"Bankbro", "0.1.0", "7", runtime.Version()} {
		if !strings.Contains(text, want) {
			t.Errorf("About does not show %q:\n%s", want, text)
		}
	}
	u := newScreensUI(t)
	u.showAbout()
	shootWindow(t, "9-about-headless", u.win)
}

func TestSecondStartOnTheSameLedger(t *testing.T) {
	u := newScreensUI(t)
	var out bytes.Buffer
	if !ForwardToRunning(u.app, Options{LedgerPath: u.path}, &out) {
		t.Fatal("a second start did not find the first window")
	}
	if !strings.Contains(out.String(), "already open") {
		t.Errorf("said %q", out.String())
	}
	// Were the first window not to answer, the second still may not open
	// the ledger for writing: it says why instead.
	second := newUI(u.app, Options{LedgerPath: u.path, Today: scrToday})
	defer func() {
		if l := second.screens().listener; l != nil {
			l.Close()
		}
	}()
	if second.ledger != nil {
		t.Fatal("the second window opened the ledger too")
	}
	text, _ := screenText(t, second.win.Content())
	if !strings.Contains(text, "Bankbro is already open with this company file") && !strings.Contains(text, "Bankbro er allerede åpen med denne firmafilen") {
		t.Errorf("second window shows:\n%s", text)
	}
	// Closing the first window frees the company file.
	u.win.Close()
	if err := instance.Signal(u.path); err == nil {
		t.Errorf("the closed window still answers")
	}
	if ForwardToRunning(u.app, Options{LedgerPath: u.path}, &out) {
		t.Errorf("ForwardToRunning after the first window closed")
	}
}

// The menu's items that need the company's books are greyed out until the
// books are open: on the welcome page they would do nothing.
func TestMenuNeedsTheBooksOpen(t *testing.T) {
	a := test.NewTempApp(t)
	u := newUI(a, Options{LedgerPath: filepath.Join(t.TempDir(), "company.bankbro"), Today: scrToday})
	items := func(u *ui) map[string]bool {
		disabled := map[string]bool{}
		for _, m := range u.win.MainMenu().Items {
			for _, it := range m.Items {
				disabled[it.Label] = it.Disabled
			}
		}
		return disabled
	}
	want := []string{lang.L("Fetch now"), lang.L("Back up now"), lang.L("Yesterday"), lang.L("Settings")}
	welcome := items(u)
	for _, label := range want {
		if !welcome[label] {
			t.Errorf("welcome page: %q is usable (disabled: %v)", label, welcome)
		}
	}
	if welcome[lang.L("About Bankbro")] {
		t.Error("welcome page: About is greyed out")
	}
	open := items(newScreensUI(t))
	for _, label := range append(want, lang.L("About Bankbro")) {
		if open[label] {
			t.Errorf("books open: %q is greyed out", label)
		}
	}
}
