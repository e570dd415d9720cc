package sandbox

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"bankbro/core/sandbox/chromium"
)

// tab opens a new tab in the shared browser.
func tab(t *testing.T, browser context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	return ctx
}

func TestRealBrowserLogin(t *testing.T) {
	s := startBank(t, Options{})
	browser := chromium.Start(t)
	tests := []struct {
		name    string
		actions func(id string) []chromedp.Action[chromedp.Void]
	}{
		{"typed", func(id string) []chromedp.Action[chromedp.Void] {
			return []chromedp.Action[chromedp.Void]{
				chromedp.SendKeys(chromedp.ID("national_id"), id),
				chromedp.SendKeys(chromedp.ID("otp"), DemoOTP),
				chromedp.Click(chromedp.ID("approve")),
			}
		}},
		{"hint and Enter", func(id string) []chromedp.Action[chromedp.Void] {
			return []chromedp.Action[chromedp.Void]{
				chromedp.Click(chromedp.CSS(`button.fill[data-id="` + id + `"]`)),
				chromedp.SendKeys(chromedp.ID("otp"), "\r"),
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tab(t, browser)
			got := make(chan url.Values, 1)
			listener := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select {
				case got <- r.URL.Query():
				default:
				}
				_, _ = w.Write([]byte("<p>Done. Return to Bankbro.</p>"))
			}))
			defer listener.Close()
			redirect := listener.URL + "/callback"
			actions := append([]chromedp.Action[chromedp.Void]{
				chromedp.Navigate(authorizeURL(s.URL, redirect, nil)),
				chromedp.WaitVisible(chromedp.ID("national_id")),
			}, tt.actions(ManagerID)...)
			if err := chromedp.Do(ctx, actions...); err != nil {
				t.Fatalf("browser: %v", err)
			}
			var q url.Values
			select {
			case q = <-got:
			case <-ctx.Done():
				t.Fatal("the loopback listener received no callback")
			}
			if q.Get("state") != testState || q.Get("code") == "" {
				t.Fatalf("callback %v, want code and state", q)
			}
			status, tr := postToken(t, s.URL, url.Values{"grant_type": {"authorization_code"}, "code": {q.Get("code")},
				"redirect_uri": {redirect}, "client_id": {ClientID}, "code_verifier": {testVerifier}})
			if status != http.StatusOK || tr.AccessToken == "" || tr.RefreshToken == "" {
				t.Fatalf("token exchange: %d %+v", status, tr)
			}
			if st, _, _ := call(t, "GET", s.URL+"/api/v2/Accounts", tr.AccessToken, nil); st != http.StatusOK {
				t.Errorf("accounts with the browser's token: %d", st)
			}
		})
	}
	t.Run("wrong code", func(t *testing.T) {
		testRealBrowserWrongCode(t, s, tab(t, browser))
	})
}

func testRealBrowserWrongCode(t *testing.T, s *Server, ctx context.Context) {
	err := chromedp.Do(ctx,
		chromedp.Navigate(authorizeURL(s.URL, "http://127.0.0.1:9/callback", nil)),
		chromedp.WaitVisible(chromedp.ID("national_id")),
		chromedp.SendKeys(chromedp.ID("national_id"), ManagerID),
		chromedp.SendKeys(chromedp.ID("otp"), "000000\r"),
		chromedp.WaitVisible(chromedp.ID("error")),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("error")))
	if err != nil {
		t.Fatalf("read the error: %v", err)
	}
	if msg == "" {
		t.Errorf("no error message shown")
	}
}
