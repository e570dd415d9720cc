// Package chromium starts Debian's headless Chromium for the real-browser
// tests (the demo bank's login page, and core/login end to end).
//
// Without Chromium a test skips, unless BANKBRO_REQUIRE_BROWSER=1 (as in
// CI) turns the skip into a failure.
package chromium

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Required reports whether a missing or broken browser fails the test.
func Required() bool { return os.Getenv("BANKBRO_REQUIRE_BROWSER") == "1" }

func path(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if Required() {
		t.Fatal("chromium not found and BANKBRO_REQUIRE_BROWSER=1")
	}
	t.Skip("chromium not found; install it (apt-get install chromium) to run the real-browser test")
	return ""
}

// Start starts a headless Chromium with a fresh profile, closed when the
// test ends, and returns the context to drive it with chromedp.
func Start(t testing.TB) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1000, 800),
		// The flags this closed machine needs: no sandbox as root, no GPU,
		// and no background connections that would be refused.
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	// A generous guard against a hung browser on a busy machine, not a speed assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	if err := chromedp.Do(bctx); err != nil { // start it now, before any login clock runs
		if Required() {
			t.Fatalf("start chromium: %v", err)
		}
		t.Skipf("chromium does not start here: %v", err)
	}
	return bctx
}
