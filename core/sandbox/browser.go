package sandbox

import (
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
)

// TestBrowser is a scripted browser for tests and demos. Open GETs the
// address (an authorize address, /payments/approve or /nettbank), fills in
// the BankID form with NationalID and OTP and submits Action ("approve" by
// default, or "cancel"). After an OAuth login it follows the bank's 302 to
// the loopback redirect URI with a GET, as a real browser would; on
// /payments/approve it logs in and then approves every listed payment.
type TestBrowser struct {
	NationalID string // default ManagerID
	OTP        string // default DemoOTP
	Action     string // "approve" (default) or "cancel"
	Client     *http.Client
}

// ErrLoginRefused is returned when the bank shows its login page again with an error.
var ErrLoginRefused = errors.New("the bank refused the login")

var (
	metaPageRe  = regexp.MustCompile(`<meta name="sandbox-page" content="([^"]*)">`)
	requestIDRe = regexp.MustCompile(`name="request_id" value="([^"]*)"`)
	errorRe     = regexp.MustCompile(`(?s)<p class="error"[^>]*>(.*?)</p>`)
)

// Open logs in at rawURL and completes what the page asks for.
func (tb *TestBrowser) Open(rawURL string) error {
	client := tb.client()
	page, body, _, err := get(client, rawURL)
	if err != nil {
		return err
	}
	if page != "login" {
		return fmt.Errorf("open %s: expected the BankID page, got %q: %s", rawURL, page, pageError(body))
	}
	base, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("open %s: %w", rawURL, err)
	}
	form := url.Values{
		"request_id":  {submatch(requestIDRe, body)},
		"national_id": {or(tb.NationalID, ManagerID)},
		"otp":         {or(tb.OTP, DemoOTP)},
		"action":      {or(tb.Action, "approve")},
	}
	loginURL := base.ResolveReference(&url.URL{Path: "/identityserver/connect/authorize/login"}).String()
	resp, err := client.PostForm(loginURL, form)
	if err != nil {
		return fmt.Errorf("submit the BankID form: %w", err)
	}
	body, err = readBody(resp)
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusFound || resp.StatusCode == http.StatusSeeOther {
		loc, err := resp.Location()
		if err != nil {
			return fmt.Errorf("the bank's redirect: %w", err)
		}
		// The redirect to the app's loopback listener, or into the online bank.
		_, body, status, err := get(client, loc.String())
		if err != nil {
			return fmt.Errorf("follow the redirect to %s://%s%s: %w", loc.Scheme, loc.Host, loc.Path, err)
		}
		if status >= 400 {
			return fmt.Errorf("the redirect target %s://%s%s answered %d: %s", loc.Scheme, loc.Host, loc.Path, status, firstLine(body))
		}
		return nil
	}
	switch page := submatch(metaPageRe, body); page {
	case "login-error":
		return fmt.Errorf("%w: %s", ErrLoginRefused, pageError(body))
	case "approve-list":
		if !strings.Contains(body, `id="approve"`) {
			return errors.New("signing: the bank lists no payments that this person can sign")
		}
		approveURL := base.ResolveReference(&url.URL{Path: "/payments/approve"}).String()
		resp, err := client.PostForm(approveURL, url.Values{
			"request_id": {submatch(requestIDRe, body)}, "action": {"approve"}})
		if err != nil {
			return fmt.Errorf("approve the payments: %w", err)
		}
		body, err := readBody(resp)
		if err != nil {
			return err
		}
		if p := submatch(metaPageRe, body); p != "approved" {
			return fmt.Errorf("approve the payments: the bank answered %q: %s", p, pageError(body))
		}
		return nil
	case "message", "approved":
		return nil
	default:
		return fmt.Errorf("after the BankID form the bank answered %d %q: %s", resp.StatusCode, page, pageError(body))
	}
}

func (tb *TestBrowser) client() *http.Client {
	c := &http.Client{}
	if tb.Client != nil {
		cc := *tb.Client
		c = &cc
	}
	if c.Jar == nil {
		c.Jar, _ = cookiejar.New(nil)
	}
	// Redirects are followed by hand so the one to the app's listener is seen.
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// get fetches a page, following bank-internal redirects (303) by hand.
func get(c *http.Client, u string) (page, body string, status int, err error) {
	for range 5 {
		resp, err := c.Get(u)
		if err != nil {
			return "", "", 0, err
		}
		body, err := readBody(resp)
		if err != nil {
			return "", "", 0, err
		}
		if resp.StatusCode == http.StatusSeeOther {
			loc, err := resp.Location()
			if err != nil {
				return "", "", 0, err
			}
			u = loc.String()
			continue
		}
		return submatch(metaPageRe, body), body, resp.StatusCode, nil
	}
	return "", "", 0, errors.New("too many redirects")
}

func readBody(resp *http.Response) (string, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("read %s: %w", resp.Request.URL.Path, err)
	}
	return string(b), nil
}

func submatch(re *regexp.Regexp, s string) string {
	if m := re.FindStringSubmatch(s); m != nil {
		return html.UnescapeString(m[1])
	}
	return ""
}

func pageError(body string) string {
	if m := submatch(errorRe, body); m != "" {
		return m
	}
	return firstLine(body)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
