package sync

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/login"
	"bankbro/core/sandbox"

	_ "modernc.org/sqlite" // to read the ledger file's raw rows
)

// badBank is the demo bank behind a middleware that can alter the answers
// of the transaction archive for one account: the misbehaving bank.
type badBank struct {
	srv  *httptest.Server
	Bank *sandbox.Bank

	mu gosync.Mutex
	// account is the bank's accountId whose archive answers are altered.
	account string
	// alter rewrites an archive answer (status, header, body); it may also
	// write the answer itself and return ok=false.
	alter func(w http.ResponseWriter, r *http.Request, status int, h http.Header, body []byte) (int, []byte, bool)
}

// startBadBank serves the demo bank through the altering middleware on a
// loopback port.
func startBadBank(t testing.TB, today civil.Date) *badBank {
	t.Helper()
	b, err := sandbox.New(sandbox.Options{Seed: demoSeed, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	bb := &badBank{Bank: b}
	inner := b.Handler()
	bb.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bb.mu.Lock()
		alter, acct := bb.alter, bb.account
		bb.mu.Unlock()
		if alter == nil || !strings.HasPrefix(r.URL.Path, "/api/v2/Transactions/archive/"+acct) {
			inner.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		inner.ServeHTTP(rec, r)
		status, body, ok := alter(w, r, rec.Code, rec.Header(), rec.Body.Bytes())
		if !ok {
			return
		}
		for k, v := range rec.Header() {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(status)
		w.Write(body)
	}))
	t.Cleanup(bb.srv.Close)
	return bb
}

// set makes the archive answers for account go through alter (nil: as the bank sends them).
func (bb *badBank) set(account string, alter func(w http.ResponseWriter, r *http.Request, status int, h http.Header, body []byte) (int, []byte, bool)) {
	bb.mu.Lock()
	bb.account, bb.alter = account, alter
	bb.mu.Unlock()
}

// client logs in as who through the real BankID flow of the demo bank and
// returns an API client that gives up after two tries without waiting.
func (bb *badBank) client(t testing.TB, who string) *bank.Client {
	t.Helper()
	ctx := context.Background()
	sess, err := login.Login(ctx, login.Config{AuthURL: bb.srv.URL, ClientID: sandbox.ClientID,
		Browser: &sandbox.TestBrowser{NationalID: who, OTP: sandbox.DemoOTP}})
	if err != nil {
		t.Fatalf("log in at the demo bank: %v", err)
	}
	return bank.New(bb.srv.URL, sess.Client(ctx),
		bank.WithRetry(bank.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}),
		bank.WithSleep(func(ctx context.Context, _ time.Duration) error { return ctx.Err() }))
}

// editItems decodes an archive page, lets edit change its items, and
// encodes it again, numbers kept as the bank wrote them.
func editItems(t testing.TB, body []byte, edit func(items []map[string]any) []map[string]any) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var page struct {
		AvailableItems int              `json:"availableItems"`
		Items          []map[string]any `json:"items"`
	}
	if err := dec.Decode(&page); err != nil {
		t.Errorf("the demo bank's page does not decode: %v", err)
		return body
	}
	page.Items = edit(page.Items)
	page.AvailableItems = len(page.Items)
	out, err := json.Marshal(page)
	if err != nil {
		t.Errorf("encode the altered page: %v", err)
	}
	return out
}

// tableSum is a checksum of every row of bank_transactions read straight
// from the ledger file, and the number of rows, for the rows of the bank
// account given (0: all).
func tableSum(t testing.TB, path string, bankAccount int64) (string, int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT id, bank_account, transaction_id, accounting_date, coalesce(interest_date, ''), amount,
		text, type_code, type_text, other_account, kid, counterparty, reference, coalesce(sync_run, 0), imported_at
		FROM bank_transactions WHERE ?1 = 0 OR bank_account = ?1 ORDER BY id`, bankAccount)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	h := sha256.New()
	n := 0
	for rows.Next() {
		var cols [15]any
		ptrs := make([]any, len(cols))
		for i := range cols {
			ptrs[i] = &cols[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%v\x00", cols)
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil)), n
}

// rowsUpTo is the checksum of the rows with id ≤ maxID: what was stored
// before a run.
func rowsUpTo(t testing.TB, path string, maxID int64) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var s string
	err = db.QueryRow(`SELECT coalesce(group_concat(id || '|' || bank_account || '|' || transaction_id || '|' || accounting_date || '|' ||
		amount || '|' || text || '|' || kid || '|' || coalesce(sync_run, 0), ';'), '') FROM (SELECT * FROM bank_transactions WHERE id <= ? ORDER BY id)`, maxID).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// maxRowID is the highest bank_transactions id stored.
func maxRowID(t testing.TB, path string) int64 {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var id int64
	if err := db.QueryRow(`SELECT coalesce(max(id), 0) FROM bank_transactions`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
