package bank

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// sleeps records the waits a client asked for, without waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

func newTestClient(t *testing.T, h http.Handler, opts ...Option) (*Client, *sleeps) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	sl := &sleeps{}
	opts = append([]Option{WithSleep(sl.sleep), WithRetry(RetryPolicy{MaxAttempts: 5, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond})}, opts...)
	return New(srv.URL, srv.Client(), opts...), sl
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func writeProblem(w http.ResponseWriter, status int, typ, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"type":%q,"title":%q,"status":%d,"detail":%q,"traceId":"trace-1"}`, typ, http.StatusText(status), status, detail)
}

const txJSON = `{"transactionId":%q,"accountingDate":"2026-11-25T00:00:00","interestDate":"2026-11-25T00:00:00","amount":%s,
 "text":"Husleie november","transactionType":"Giro m/KID","transactionTypeCode":161,"transactionTypeText":"GIRO",
 "isReservation":false,"source":"Archive","otherAccountNumber":"15032080119","otherAccountNumberSpecified":true,
 "transactionDetail":{"cid":"0000123456782","receiverName":"Gårdeier AS","payerName":null,"numericReference":998877,"registrationDate":"2026-11-24T00:00:00"},
 "transactionDetailSpecified":true,"reference":"BB-000042"}`

func TestTransactionFields(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"availableItems":1,"items":[`+fmt.Sprintf(txJSON, "7d1c", "-1250.0")+`]}`)
	}))
	got, err := c.Archive(context.Background(), "ACC1", civil.MustParse("2026-11-25"), civil.MustParse("2026-11-25"))
	if err != nil {
		t.Fatal(err)
	}
	want := Transaction{
		ID: "7d1c", AccountingDate: civil.MustParse("2026-11-25"), InterestDate: civil.MustParse("2026-11-25"),
		Amount: -125000, Text: "Husleie november", Type: "Giro m/KID", TypeCode: 161, TypeText: "GIRO",
		Source: "Archive", OtherAccountNumber: "15032080119", KID: "0000123456782", ReceiverName: "Gårdeier AS",
		NumericReference: 998877, Reference: "BB-000042",
	}
	if len(got) != 1 || got[0] != want {
		t.Errorf("Archive() = %+v, want [%+v]", got, want)
	}
}

func TestInexactAmountsRefused(t *testing.T) {
	tests := []struct {
		name, amount, want string
	}{
		{"three decimals", "1250.505", "1250.505"},
		{"string", `"12.5"`, "text, not a number"},
		{"exponent", "1.25e3", "1.25e3"},
		{"null", "null", "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"availableItems":2,"items":[`+fmt.Sprintf(txJSON, "ok-1", "10.00")+","+fmt.Sprintf(txJSON, "bad-7", tt.amount)+`]}`)
			}))
			got, err := c.Archive(context.Background(), "ACC-42", civil.MustParse("2026-11-01"), civil.MustParse("2026-11-30"))
			if err == nil {
				t.Fatalf("Archive() = %d transactions, want an error", len(got))
			}
			var te *TransactionError
			if !errors.As(err, &te) || te.AccountID != "ACC-42" || te.TransactionID != "bad-7" {
				t.Errorf("error %v: got TransactionError %+v, want account ACC-42 and transaction bad-7", err, te)
			}
			for _, s := range []string{"ACC-42", "bad-7", tt.want} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if got != nil {
				t.Errorf("got %d transactions along with the error, want none", len(got))
			}
		})
	}
}

func TestAccountAmountsRefused(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"availableItems":1,"items":[{"accountId":"A1","accountNumber":"97104133219","name":"Drift","accountType":"Bedriftskonto","available":"125000.5","balance":1.0,"creditLimit":0.0}]}`)
	}))
	_, err := c.Accounts(context.Background())
	if err == nil || !strings.Contains(err.Error(), "97104133219") || !strings.Contains(err.Error(), "available") {
		t.Errorf("Accounts() error = %v, want one naming account 97104133219 and the field available", err)
	}
}

func TestAccounts(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v2/Accounts":
			writeJSON(w, 200, `{"availableItems":1,"items":[{"accountId":"A1","accountNumber":"97104133219","ownerCustomerId":"C9","name":"Driftskonto","accountType":"Bedriftskonto","available":125000.5,"balance":120431.75,"creditLimit":0.0}]}`)
		case "/api/v2/Accounts/A1":
			writeJSON(w, 200, `{"accountId":"A1","accountNumber":"97104133219","ownerCustomerId":"C9","name":"Driftskonto","accountType":"Bedriftskonto","available":125000.5,"balance":120431.75,"creditLimit":0.0}`)
		default:
			writeProblem(w, 404, "about:blank", "no such account")
		}
	}))
	want := Account{ID: "A1", Number: "97104133219", OwnerCustomerID: "C9", Name: "Driftskonto", Type: "Bedriftskonto", Available: 12500050, Balance: 12043175}
	got, err := c.Accounts(context.Background())
	if err != nil || len(got) != 1 || got[0] != want {
		t.Errorf("Accounts() = %+v, %v; want [%+v]", got, err, want)
	}
	one, err := c.Account(context.Background(), "A1")
	if err != nil || one != want {
		t.Errorf("Account(A1) = %+v, %v; want %+v", one, err, want)
	}
	if _, err := c.Account(context.Background(), "nope"); !IsNotFound(err) {
		t.Errorf("Account(nope) error = %v, want a 404 problem", err)
	}
}

// fakeArchive serves n transactions a day, checking the request rules of
// bank-api.md §3, and records the ranges asked for.
type fakeArchive struct {
	perDay int
	mu     sync.Mutex
	ranges [][2]civil.Date
	dupe   bool
	t      *testing.T
}

func (f *fakeArchive) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, err1 := civil.Parse(q.Get("startDate"))
	to, err2 := civil.Parse(q.Get("endDate"))
	var index, length int
	_, err3 := fmt.Sscan(q.Get("index"), &index)
	_, err4 := fmt.Sscan(q.Get("length"), &length)
	if err := errors.Join(err1, err2, err3, err4); err != nil || to.DaysSince(from) > 365 || to.Before(from) || length < 1 || length > 1000 || index < 0 {
		f.t.Errorf("bad request %s", r.URL.RawQuery)
		writeProblem(w, 400, "about:blank", "bad range")
		return
	}
	f.mu.Lock()
	if index == 0 {
		f.ranges = append(f.ranges, [2]civil.Date{from, to})
	}
	f.mu.Unlock()
	var all []string
	for d := from; !d.After(to); d = d.AddDays(1) {
		for i := 0; i < f.perDay; i++ {
			id := fmt.Sprintf("%s-%02d", d, i)
			if f.dupe && len(all) == 3 {
				id = fmt.Sprintf("%s-%02d", d, i-1)
			}
			all = append(all, fmt.Sprintf(`{"transactionId":%q,"accountingDate":"%sT00:00:00","interestDate":"%sT00:00:00","amount":-%d.25,"text":"t","isReservation":false}`, id, d, d, i+1))
		}
	}
	end := min(index+length, len(all))
	page := all[min(index, len(all)):end]
	writeJSON(w, 200, fmt.Sprintf(`{"availableItems":%d,"items":[%s]}`, len(all), strings.Join(page, ",")))
}

func TestArchivePagingAndSplitting(t *testing.T) {
	tests := []struct {
		name       string
		from, to   string
		perDay     int
		pageSize   int
		wantRanges int
	}{
		{"one day, one page", "2026-03-02", "2026-03-02", 3, 0, 1},
		{"paged", "2026-03-01", "2026-03-31", 3, 10, 1},
		{"exactly 366 days", "2024-01-01", "2024-12-31", 1, 0, 1},
		{"367 days split", "2024-01-01", "2025-01-01", 1, 0, 2},
		{"three years, 1000 a page", "2023-01-01", "2025-12-31", 2, 0, 3},
		{"empty", "2026-03-01", "2026-03-31", 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeArchive{perDay: tt.perDay, t: t}
			var opts []Option
			if tt.pageSize > 0 {
				opts = append(opts, WithPageSize(tt.pageSize))
			}
			c, _ := newTestClient(t, f, opts...)
			from, to := civil.MustParse(tt.from), civil.MustParse(tt.to)
			got, err := c.Archive(context.Background(), "A1", from, to)
			if err != nil {
				t.Fatal(err)
			}
			days := to.DaysSince(from) + 1
			if len(got) != days*tt.perDay {
				t.Errorf("got %d transactions, want %d", len(got), days*tt.perDay)
			}
			i := 0
			for d := from; !d.After(to); d = d.AddDays(1) {
				for k := 0; k < tt.perDay; k++ {
					want := fmt.Sprintf("%s-%02d", d, k)
					if i < len(got) && (got[i].ID != want || got[i].AccountingDate != d || got[i].Amount != -money.Amount(100*(k+1)+25)) {
						t.Fatalf("transaction %d = %+v, want id %s on %s", i, got[i], want, d)
					}
					i++
				}
			}
			if len(f.ranges) != tt.wantRanges {
				t.Errorf("asked for %d ranges (%v), want %d", len(f.ranges), f.ranges, tt.wantRanges)
			}
			// The ranges cover from..to without gaps or overlap.
			next := from
			for _, r := range f.ranges {
				if r[0] != next {
					t.Errorf("range %v starts at %s, want %s", r, r[0], next)
				}
				next = r[1].AddDays(1)
			}
			if next != to.AddDays(1) {
				t.Errorf("ranges end at %s, want %s", next.AddDays(-1), to)
			}
		})
	}
}

func TestArchiveDuplicateRefused(t *testing.T) {
	c, _ := newTestClient(t, &fakeArchive{perDay: 5, dupe: true, t: t})
	got, err := c.Archive(context.Background(), "A1", civil.MustParse("2026-03-02"), civil.MustParse("2026-03-02"))
	var te *TransactionError
	if !errors.As(err, &te) || te.TransactionID != "2026-03-02-02" || !strings.Contains(err.Error(), "twice") {
		t.Errorf("Archive() = %d, %v; want an error about transaction 2026-03-02-02 sent twice", len(got), err)
	}
}

func TestArchiveRejectsBadRequests(t *testing.T) {
	var calls atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	tests := []struct {
		name     string
		id       string
		from, to civil.Date
	}{
		{"no account", "", civil.MustParse("2026-01-01"), civil.MustParse("2026-01-02")},
		{"reversed", "A1", civil.MustParse("2026-01-02"), civil.MustParse("2026-01-01")},
		{"no start", "A1", civil.Date{}, civil.MustParse("2026-01-01")},
	}
	for _, tt := range tests {
		if _, err := c.Archive(context.Background(), tt.id, tt.from, tt.to); err == nil {
			t.Errorf("%s: Archive() error = nil, want one", tt.name)
		}
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("the bank was called %d times, want 0", n)
	}
}

func TestTransactionsWithReservations(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v2/Transactions/A1" {
			t.Errorf("path %s, want /api/v2/Transactions/A1", r.URL.Path)
		}
		writeJSON(w, 200, `{"availableItems":2,"items":[`+fmt.Sprintf(txJSON, "b1", "-5.5")+`,
		{"accountingDate":"2026-11-26T00:00:00","amount":-99.9,"text":"REMA 1000","isReservation":true,"source":"AccountStatement"}]}`)
	}))
	got, err := c.Transactions(context.Background(), "A1", civil.MustParse("2026-11-25"), civil.MustParse("2026-11-26"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].ID != "" || !got[1].IsReservation || got[1].Amount != -9990 {
		t.Errorf("Transactions() = %+v, want a booked line and a reservation of -99,90", got)
	}
}

func TestNotDataRefused(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		want        string
	}{
		{"html page", "text/html; charset=utf-8", "<html><body>Logg inn</body></html>", "web page"},
		{"html as json", "application/json", "<!doctype html><p>hi</p>", "web page"},
		{"no items", "application/json", `{"availableItems":0}`, "no list"},
		{"null items", "application/json", `{"availableItems":0,"items":null}`, "no list"},
		{"error body", "application/json", `{"error":"server_error"}`, "no list"},
		{"problem with 200", "application/problem+json", `{"type":"x/integration-not-activated","status":403,"detail":"Slå på"}`, "not turned on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				io.WriteString(w, tt.body)
			}))
			got, err := c.Accounts(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Accounts() = %v, %v; want an error containing %q", got, err, tt.want)
			}
		})
	}
}

func TestProblemDetails(t *testing.T) {
	tests := []struct {
		status        int
		typ           string
		notActivated  bool
		subscription  bool
		unauthorized  bool
		wantInMessage string
	}{
		{403, "https://bank.example/problems/integration-not-activated", true, false, false, "The Bankbro integration is not turned on in your online bank"},
		{403, "https://bank.example/problems/subscription-required", false, true, false, "subscription"},
		{401, "", false, false, true, "Log in to the bank again"},
		{403, "about:blank", false, false, false, "mandate"},
		{404, "about:blank", false, false, false, "does not know"},
		{400, "about:blank", false, false, false, "refused"},
		{501, "about:blank", false, false, false, "trouble"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status, tt.typ), func(t *testing.T) {
			var calls atomic.Int32
			c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				if tt.status == 401 {
					w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
					w.WriteHeader(401)
					return
				}
				writeProblem(w, tt.status, tt.typ, "Gå til Integrasjoner i nettbanken.")
			}))
			_, err := c.Accounts(context.Background())
			if got := IsIntegrationNotActivated(err); got != tt.notActivated {
				t.Errorf("IsIntegrationNotActivated = %v, want %v", got, tt.notActivated)
			}
			if got := IsSubscriptionRequired(err); got != tt.subscription {
				t.Errorf("IsSubscriptionRequired = %v, want %v", got, tt.subscription)
			}
			if got := IsUnauthorized(err); got != tt.unauthorized {
				t.Errorf("IsUnauthorized = %v, want %v", got, tt.unauthorized)
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantInMessage) {
				t.Errorf("error = %v, want it to contain %q", err, tt.wantInMessage)
			}
			if tt.status != 401 && !strings.Contains(err.Error(), "trace-1") {
				t.Errorf("error = %v, want the trace id", err)
			}
			if n := calls.Load(); n != 1 {
				t.Errorf("%d calls for a %d, want 1 (no retry)", n, tt.status)
			}
		})
	}
}

// flaky fails the first n requests in the given way, then serves ok.
func flaky(n int32, fail func(w http.ResponseWriter, r *http.Request), ok http.HandlerFunc) (http.Handler, *atomic.Int32) {
	var calls atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			fail(w, r)
			return
		}
		ok(w, r)
	}), &calls
}

// cut sends the headers and half a body, then drops the connection.
func cut(withLength bool) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		body := `{"availableItems":1,"items":[{"accountId":"A1","accountNumber":"97104133219","balance":1.0}]}`
		hj, _ := w.(http.Hijacker)
		conn, buf, err := hj.Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
		if withLength {
			fmt.Fprintf(buf, "Content-Length: %d\r\n", len(body))
		} else {
			buf.WriteString("Connection: close\r\n")
		}
		buf.WriteString("\r\n" + body[:len(body)/2])
		buf.Flush()
	}
}

func TestRetries(t *testing.T) {
	accounts := func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"availableItems":1,"items":[{"accountId":"A1","accountNumber":"97104133219","balance":1.0}]}`)
	}
	date := time.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		name      string
		fails     int32
		fail      func(w http.ResponseWriter, r *http.Request)
		wantCalls int32
		wantErr   string
		minWait   time.Duration // the longest wait must be at least this
	}{
		{"503 twice", 2, func(w http.ResponseWriter, r *http.Request) { writeProblem(w, 503, "about:blank", "busy") }, 3, "", 0},
		{"502 then 504", 2, func() func(w http.ResponseWriter, r *http.Request) {
			var n atomic.Int32
			return func(w http.ResponseWriter, r *http.Request) { w.WriteHeader([]int{502, 504}[n.Add(1)%2]) }
		}(), 3, "", 0},
		{"429 with seconds", 1, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "7")
			writeProblem(w, 429, "about:blank", "slow down")
		}, 2, "", 7 * time.Second},
		{"429 with a date", 1, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", date)
			w.WriteHeader(429)
		}, 2, "", 20 * time.Second},
		{"cut with length", 2, cut(true), 3, "", 0},
		{"cut without length", 2, cut(false), 3, "", 0},
		{"always 503", 100, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }, 5, "after 5 tries", 0},
		{"400 not retried", 100, func(w http.ResponseWriter, r *http.Request) { writeProblem(w, 400, "about:blank", "bad") }, 1, "refused", 0},
		{"404 not retried", 100, func(w http.ResponseWriter, r *http.Request) { writeProblem(w, 404, "about:blank", "gone") }, 1, "does not know", 0},
		{"500 twice", 2, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }, 3, "", 0},
		{"501 not retried", 100, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(501) }, 1, "trouble", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, calls := flaky(tt.fails, tt.fail, accounts)
			c, sl := newTestClient(t, h, WithRetry(RetryPolicy{MaxTotal: time.Hour}))
			got, err := c.Accounts(context.Background())
			if tt.wantErr == "" && (err != nil || len(got) != 1) {
				t.Errorf("Accounts() = %v, %v; want one account", got, err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Accounts() error = %v, want one containing %q", err, tt.wantErr)
			}
			if n := calls.Load(); n != tt.wantCalls {
				t.Errorf("%d calls, want %d", n, tt.wantCalls)
			}
			waits := sl.all()
			if len(waits) != int(tt.wantCalls)-1 {
				t.Errorf("%d waits, want %d", len(waits), tt.wantCalls-1)
			}
			var longest time.Duration
			for _, d := range waits {
				longest = max(longest, d)
			}
			if longest < tt.minWait {
				t.Errorf("longest wait %v, want at least %v (Retry-After)", longest, tt.minWait)
			}
		})
	}
}

func TestBackoffGrowsWithinBounds(t *testing.T) {
	c := New("http://127.0.0.1:1", nil, WithRetry(RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}))
	for attempt, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 5: time.Second, 30: time.Second} {
		for range 50 {
			if d := c.backoff(attempt); d < want/2 || d > want {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v]", attempt, d, want/2, want)
			}
		}
	}
}

func TestRetryStopsAtTotalTime(t *testing.T) {
	// A fake clock that moves a minute per wait: the third wait would pass
	// the 2 minute budget.
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(429)
	}))
	defer srv.Close()
	c := New(srv.URL, srv.Client(), WithClock(clock), WithRetry(RetryPolicy{MaxAttempts: 100, BaseDelay: time.Millisecond, MaxTotal: 2 * time.Minute}),
		WithSleep(func(ctx context.Context, d time.Duration) error { mu.Lock(); now = now.Add(d); mu.Unlock(); return nil }))
	_, err := c.Accounts(context.Background())
	if err == nil || !strings.Contains(err.Error(), "within 2m0s") {
		t.Errorf("error = %v, want one saying the bank did not answer within 2m0s", err)
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("%d calls, want 3", n)
	}
}

func TestContextCancelStopsRetries(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 2 {
			cancel()
		}
		w.WriteHeader(503)
	}), WithRetry(RetryPolicy{MaxAttempts: 100}))
	_, err := c.Accounts(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
}

func TestAttemptTimeoutRetried(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			select { // hang until the client gives up on this try
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		writeJSON(w, 200, `{"availableItems":0,"items":[]}`)
	})
	defer close(release)
	c, _ := newTestClient(t, h, WithAttemptTimeout(50*time.Millisecond))
	got, err := c.Accounts(context.Background())
	if err != nil || len(got) != 0 || calls.Load() != 2 {
		t.Errorf("Accounts() = %v, %v after %d calls; want an empty list after 2", got, err, calls.Load())
	}
}

func TestCreatePayment(t *testing.T) {
	var bodies []map[string]any
	var mu sync.Mutex
	h, calls := flaky(2, func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		json.NewDecoder(r.Body).Decode(&m)
		mu.Lock()
		bodies = append(bodies, m)
		mu.Unlock()
		if len(bodies) == 1 {
			w.WriteHeader(503)
			return
		}
		cut(true)(w, r)
	}, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.URL.Path != "/api/v2/Payments" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s (%s), want POST /api/v2/Payments as JSON", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		}
		raw, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(raw), `"amount":1250.00`) || !strings.Contains(string(raw), `"text":null`) || !strings.Contains(string(raw), `"dueDate":"2026-11-30"`) {
			t.Errorf("body %s, want amount 1250.00 as a number, text null and dueDate 2026-11-30", raw)
		}
		writeJSON(w, 201, `{"paymentId":"P1","accountId":"A1","recipientAccountNumber":"15032080119","beneficiaryName":"Gårdeier AS","amount":1250.0,"dueDate":"2026-11-30","kid":"0000123456782","text":null,"reference":"BB-000042","status":"PendingApproval","statusDetails":null}`)
	})
	c, _ := newTestClient(t, h)
	req := PaymentRequest{AccountID: "A1", RecipientAccountNumber: "15032080119", BeneficiaryName: "Gårdeier AS", Amount: money.Kroner(1250), DueDate: civil.MustParse("2026-11-30"), KID: "0000123456782", Reference: "BB-000042"}
	got, err := c.CreatePayment(context.Background(), req)
	want := Payment{ID: "P1", AccountID: "A1", RecipientAccountNumber: "15032080119", BeneficiaryName: "Gårdeier AS", Amount: 125000, DueDate: civil.MustParse("2026-11-30"), KID: "0000123456782", Reference: "BB-000042", Status: StatusPendingApproval}
	if err != nil || got != want {
		t.Errorf("CreatePayment() = %+v, %v; want %+v", got, err, want)
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("%d calls, want 3 (a POST with a reference is retried)", n)
	}
	for i, b := range bodies {
		if b["reference"] != "BB-000042" {
			t.Errorf("try %d sent reference %v, want BB-000042 every time", i+1, b["reference"])
		}
	}

	bad := []struct {
		name string
		edit func(*PaymentRequest)
	}{
		{"no reference", func(p *PaymentRequest) { p.Reference = "" }},
		{"kid and text", func(p *PaymentRequest) { p.Text = "husleie" }},
		{"neither kid nor text", func(p *PaymentRequest) { p.KID = "" }},
		{"zero amount", func(p *PaymentRequest) { p.Amount = 0 }},
		{"long text", func(p *PaymentRequest) { p.KID, p.Text = "", strings.Repeat("x", 141) }},
	}
	for _, tt := range bad {
		r := req
		tt.edit(&r)
		if _, err := c.CreatePayment(context.Background(), r); err == nil {
			t.Errorf("%s: CreatePayment() error = nil, want one", tt.name)
		}
	}
	if n := calls.Load(); n != 3 {
		t.Errorf("invalid payments reached the bank: %d calls, want 3", n)
	}
}

func TestPayments(t *testing.T) {
	const p1 = `{"paymentId":"P1","accountId":"A1","recipientAccountNumber":"15032080119","beneficiaryName":"X","amount":10.5,"dueDate":"2026-11-30T00:00:00","kid":null,"text":"hei","reference":"BB-1","status":"Processed","statusDetails":"ok"}`
	for _, body := range []string{`{"availableItems":1,"items":[` + p1 + `]}`, `[` + p1 + `]`} {
		c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/api/v2/Payments/A1/P1" {
				writeJSON(w, 200, p1)
				return
			}
			writeJSON(w, 200, body)
		}))
		got, err := c.Payments(context.Background(), "A1")
		if err != nil || len(got) != 1 || got[0].Amount != 1050 || got[0].Status != StatusProcessed || !got[0].Status.Final() || got[0].Text != "hei" {
			t.Errorf("Payments() = %+v, %v", got, err)
		}
		one, err := c.Payment(context.Background(), "A1", "P1")
		if err != nil || one.ID != "P1" || one.DueDate != civil.MustParse("2026-11-30") {
			t.Errorf("Payment() = %+v, %v", one, err)
		}
	}
}

// TroubleOf sorts what went wrong for a window that says it in its own
// language: through the retries and the wrapping of callers.
func TestTroubleOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    http.HandlerFunc
		want Trouble
	}{
		{"always 503", func(w http.ResponseWriter, r *http.Request) { writeProblem(w, 503, "about:blank", "busy") }, TroubleBusy},
		{"always 429", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(429) }, TroubleBusy},
		{"a web page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html>Login</html>")
		}, TroubleBadAnswer},
		{"broken JSON", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"items": [`) }, TroubleBadAnswer},
		{"no mandate", func(w http.ResponseWriter, r *http.Request) { writeProblem(w, 403, "about:blank", "no") }, TroubleMandate},
		{"not found", func(w http.ResponseWriter, r *http.Request) { writeProblem(w, 404, "about:blank", "gone") }, TroubleNotFound},
		{"refused", func(w http.ResponseWriter, r *http.Request) { writeProblem(w, 400, "about:blank", "bad") }, TroubleRefused},
		{"unprocessable", func(w http.ResponseWriter, r *http.Request) { writeProblem(w, 422, "about:blank", "due date") }, TroubleRefused},
		{"request timeout", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(408) }, TroubleNoAnswer},
		{"a teapot", func(w http.ResponseWriter, r *http.Request) { writeProblem(w, 418, "about:blank", "no") }, TroubleOther},
		{"not activated", func(w http.ResponseWriter, r *http.Request) {
			writeProblem(w, 403, "https://bank.example/problems/integration-not-activated", "turn it on")
		}, TroubleIntegration},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newTestClient(t, tc.h)
			_, err := c.Accounts(context.Background())
			if got := TroubleOf(fmt.Errorf("account 1234.56.78903: %w", err)); got != tc.want {
				t.Errorf("TroubleOf(%v) = %d, want %d", err, got, tc.want)
			}
		})
	}
	// No bank at the address: nothing answers.
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close()
	c := New(addr, http.DefaultClient, WithSleep((&sleeps{}).sleep), WithRetry(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond}))
	if _, err := c.Accounts(context.Background()); TroubleOf(err) != TroubleNoAnswer && TroubleOf(err) != TroubleUnreachable {
		t.Errorf("a closed address: TroubleOf(%v) = %d, want no answer or unreachable", err, TroubleOf(err))
	}
	c = New("http://bank.invalid", http.DefaultClient, WithSleep((&sleeps{}).sleep))
	if _, err := c.Accounts(context.Background()); TroubleOf(err) != TroubleUnreachable {
		t.Errorf("a name that does not resolve: TroubleOf(%v) = %d, want unreachable", err, TroubleOf(err))
	}
	if TroubleOf(nil) != TroubleNone || TroubleOf(errors.New("disk full")) != TroubleNone {
		t.Error("an error not about the bank has a trouble")
	}
}
