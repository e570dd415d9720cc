package login_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bankbro/core/login"
	"bankbro/core/sandbox"

	"github.com/chromedp/chromedp"

	"bankbro/core/sandbox/chromium"
)

// chromiumBrowser is a login.Browser that drives a real headless Chromium:
// it opens the authorize URL, types the demo national id and one-time code,
// and presses Approve; Chromium then follows the bank's redirect to the
// loopback listener by itself.
type chromiumBrowser struct {
	ctx context.Context
	// page holds the text Chromium shows at the end (Bankbro's page).
	page chan string
}

func (b *chromiumBrowser) Open(url string) error {
	err := chromedp.Do(b.ctx,
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.ID("national_id")),
		chromedp.SendKeys(chromedp.ID("national_id"), sandbox.ManagerID),
		chromedp.SendKeys(chromedp.ID("otp"), sandbox.DemoOTP),
		chromedp.Click(chromedp.ID("approve")),
		// Bankbro's own page, served by the loopback listener: its English
		// paragraph is on no page of the bank's, whose login page has a
		// "main h1" too (waiting for that read the login page back when
		// the click's navigation had not begun).
		chromedp.WaitVisible(chromedp.CSS(`main p[lang="en"]`)),
	)
	if err != nil {
		b.page <- ""
		return err
	}
	text, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("main")))
	b.page <- text
	return err
}

func TestRealBrowserLogin(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	srv := startBank(t, sandbox.Options{Seed: 1})

	bctx := chromium.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()

	br := &chromiumBrowser{ctx: bctx, page: make(chan string, 1)}
	cfg := config(srv, br)
	cfg.Store = login.NewFileStore(filepath.Join(t.TempDir(), "company.db.login"))
	s, err := login.Login(ctx, cfg)
	if err != nil {
		t.Fatalf("Login() through Chromium: %v", err)
	}
	if got := accounts(t, srv, s); len(got) < 4 {
		t.Errorf("the manager sees %d accounts after a Chromium login, want at least 4", len(got))
	}
	select {
	case page := <-br.page:
		if !strings.Contains(page, "go back to Bankbro") {
			t.Errorf("Chromium shows %q at the end, want the page telling the person to go back to Bankbro", page)
		}
	case <-ctx.Done():
		t.Errorf("Chromium never showed the final page")
	}
}
