// Package bank is the client for the bank's API (bank-api.md §2–§4):
// accounts, archive transactions, transactions with reservations and
// payments, with paging, date-range splitting, retries and problem details
// turned into sentences a person can act on.
//
// Amounts are parsed exactly from the JSON text into money.Amount; dates are
// Oslo dates (civil.Date).
package bank

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Client talks to one bank's API. It is safe for concurrent use.
type Client struct {
	base      string
	hc        *http.Client
	retry     RetryPolicy
	sleep     func(ctx context.Context, d time.Duration) error
	now       func() time.Time
	jitter    func(max time.Duration) time.Duration
	attemptTO time.Duration
	pageSize  int
}

// RetryPolicy bounds the retries of one request.
type RetryPolicy struct {
	// MaxAttempts is the most tries per request, the first included.
	MaxAttempts int
	// BaseDelay is the wait before the second try; it doubles with each
	// further try (with random jitter), up to MaxDelay.
	BaseDelay time.Duration
	// MaxDelay caps one wait.
	MaxDelay time.Duration
	// MaxTotal caps the time spent on one request, waits included.
	MaxTotal time.Duration
}

// DefaultRetry is the policy of a new Client.
var DefaultRetry = RetryPolicy{MaxAttempts: 6, BaseDelay: 500 * time.Millisecond, MaxDelay: 20 * time.Second, MaxTotal: 2 * time.Minute}

// Option changes a Client made by New.
type Option func(*Client)

// WithRetry sets the retry policy; zero fields keep their default.
func WithRetry(p RetryPolicy) Option {
	return func(c *Client) {
		if p.MaxAttempts > 0 {
			c.retry.MaxAttempts = p.MaxAttempts
		}
		if p.BaseDelay > 0 {
			c.retry.BaseDelay = p.BaseDelay
		}
		if p.MaxDelay > 0 {
			c.retry.MaxDelay = p.MaxDelay
		}
		if p.MaxTotal > 0 {
			c.retry.MaxTotal = p.MaxTotal
		}
	}
}

// WithSleep replaces the wait between tries (tests use it to not wait, or
// to record the waits). sleep must return early with ctx's error when ctx ends.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) { c.sleep = sleep }
}

// WithClock replaces the clock used to bound the total time of a request
// and to read Retry-After dates.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// WithAttemptTimeout bounds one try (request and reading the whole answer);
// default 30 s.
func WithAttemptTimeout(d time.Duration) Option { return func(c *Client) { c.attemptTO = d } }

// WithPageSize sets how many transactions are asked for per page (1–1000,
// default 1000).
func WithPageSize(n int) Option {
	return func(c *Client) {
		if n >= 1 && n <= MaxPageSize {
			c.pageSize = n
		}
	}
}

// MaxPageSize is the largest page the API serves.
const MaxPageSize = 1000

// New returns a client for the API at apiBase ({api} in bank-api.md). hc
// must add the bearer token (login.Session.Client does).
func New(apiBase string, hc *http.Client, opts ...Option) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	c := &Client{
		base:      strings.TrimRight(apiBase, "/"),
		hc:        hc,
		retry:     DefaultRetry,
		sleep:     sleepCtx,
		now:       time.Now,
		jitter:    func(max time.Duration) time.Duration { return rand.N(max + 1) },
		attemptTO: 30 * time.Second,
		pageSize:  MaxPageSize,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retryable is a failed try that another try may cure.
type retryable struct {
	err        error
	retryAfter time.Duration // the bank's Retry-After, if it gave one
}

// Error is the text of the failed try.
func (r *retryable) Error() string { return r.err.Error() }

// Unwrap returns the failed try's error.
func (r *retryable) Unwrap() error { return r.err }

// do sends one API request, retrying as the policy allows, and returns the
// body of a 2xx JSON answer. body, if not nil, is sent as JSON.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body []byte) ([]byte, error) {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	start := c.now()
	var last error
	for attempt := 1; ; attempt++ {
		b, err := c.try(ctx, method, u, body)
		if err == nil {
			return b, nil
		}
		var r *retryable
		if !errors.As(err, &r) {
			return nil, err
		}
		last = r.err
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w (%w)", ctx.Err(), last)
		}
		if attempt >= c.retry.MaxAttempts {
			return nil, fmt.Errorf("the bank did not answer properly after %d tries; try again later: %w", attempt, last)
		}
		wait := c.backoff(attempt)
		if r.retryAfter > wait {
			wait = r.retryAfter
		}
		if c.now().Add(wait).Sub(start) > c.retry.MaxTotal {
			return nil, fmt.Errorf("the bank did not answer properly within %v (%d tries); try again later: %w", c.retry.MaxTotal, attempt, last)
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("%w (%w)", err, last)
		}
	}
}

// backoff is the wait after the given failed try: exponential with jitter
// in its upper half, so many clients do not come back in step.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.retry.BaseDelay
	for i := 1; i < attempt && d < c.retry.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, c.retry.MaxDelay)
	return d/2 + c.jitter(d/2)
}

// try makes one attempt. Errors worth another try come back as *retryable.
func (c *Client) try(ctx context.Context, method, u string, body []byte) ([]byte, error) {
	actx, cancel := context.WithTimeout(ctx, c.attemptTO)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(actx, method, u, rd)
	if err != nil {
		return nil, fmt.Errorf("the bank address %q is not usable: %w", c.base, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, transportError(ctx, err)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	resp.Body.Close()
	if err != nil {
		return nil, transportError(ctx, err)
	}

	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
		if err := checkJSON(resp, b); err != nil {
			return nil, err
		}
		return b, nil
	case s == http.StatusTooManyRequests || s == http.StatusRequestTimeout,
		s >= 500 && s != http.StatusNotImplemented && s != http.StatusHTTPVersionNotSupported:
		// Too many requests, a timeout and 5xx are the bank's trouble, and
		// may pass (DESIGN.md: retry 429 and 5xx). Sending a payment again
		// is safe: the bank answers a repeated reference with the payment it
		// already has.
		return nil, &retryable{err: problemFrom(resp, b), retryAfter: c.retryAfter(resp.Header.Get("Retry-After"))}
	default:
		return nil, problemFrom(resp, b)
	}
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func (c *Client) retryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(c.now()); d > 0 {
			return d
		}
	}
	return 0
}

// transportError sorts a failed round trip: timeouts and cut connections
// are worth another try, the rest (no such host, refused TLS, a login that
// must be renewed) are not.
func transportError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ne net.Error
	var temp interface{ Temporary() bool }
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return &retryable{err: &troubleError{TroubleNoAnswer, fmt.Errorf("the bank took too long to answer: %w", err)}}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNABORTED),
		errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNREFUSED):
		return &retryable{err: &troubleError{TroubleNoAnswer, fmt.Errorf("the connection to the bank was cut: %w", err)}}
	case errors.As(err, &temp) && temp.Temporary():
		return &retryable{err: &troubleError{TroubleNoAnswer, err}}
	}
	return &troubleError{TroubleUnreachable, fmt.Errorf("could not reach the bank: %w", err)}
}

// checkJSON refuses a 2xx answer that is not JSON (a web page from a
// proxy or a wrong address) or that is a problem document.
func checkJSON(resp *http.Response, b []byte) error {
	ct := resp.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	switch {
	case mt == "application/problem+json":
		p := problemFrom(resp, b)
		return p
	case mt == "text/html" || bytes.HasPrefix(bytes.TrimSpace(b), []byte("<")):
		return &troubleError{TroubleBadAnswer, fmt.Errorf("the bank's address answered with a web page instead of data; check the bank address in the settings (%s)", resp.Request.URL.Redacted())}
	case len(bytes.TrimSpace(b)) == 0:
		return &retryable{err: &troubleError{TroubleBadAnswer, errors.New("the bank sent an empty answer")}}
	case !json.Valid(b):
		// A connection cut after the headers leaves JSON without its end.
		return &retryable{err: &troubleError{TroubleBadAnswer, errors.New("the bank's answer was cut off or is not valid JSON")}}
	}
	return nil
}
