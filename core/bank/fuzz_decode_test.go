package bank

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// fuzzBank serves one fuzzed body as the first page of every list; later
// pages are empty, so a client never loops on the same bytes.
type fuzzBank struct {
	mu   sync.Mutex
	body []byte
}

func (f *fuzzBank) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if idx := r.URL.Query().Get("index"); idx != "" && idx != "0" {
		w.Write([]byte(`{"availableItems":0,"items":[]}`))
		return
	}
	f.mu.Lock()
	b := f.body
	f.mu.Unlock()
	w.Write(b)
}

// rawField returns the raw value the standard decoder ends up with for the
// object key name in an object: the last key that matches name (case is
// ignored, as encoding/json does for struct fields), or nil.
func rawField(t *testing.T, obj json.RawMessage, name string) json.RawMessage {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(obj))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var found json.RawMessage
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil
		}
		if strings.EqualFold(key, name) {
			found = v
		}
	}
	return found
}

// exactOre is the oracle for an amount: the JSON number's exact value in
// øre, read with math/big, and whether it is a whole number of øre.
func exactOre(raw json.RawMessage) (*big.Rat, bool) {
	s := string(bytes.TrimSpace(raw))
	if s == "" || s[0] == '"' || s == "null" {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, false
	}
	r.Mul(r, big.NewRat(100, 1))
	return r, r.IsInt()
}

// checkAmount fails when the client's amount differs from the exact value
// of the number the bank sent.
func checkAmount(t *testing.T, what string, got money.Amount, raw json.RawMessage, optional bool) {
	t.Helper()
	if optional && (len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null") {
		if got != 0 {
			t.Fatalf("%s: a missing amount became %d øre", what, got)
		}
		return
	}
	want, ok := exactOre(raw)
	if !ok {
		t.Fatalf("%s: the bank sent %s, which is not an exact sum, and the client took it as %d øre", what, raw, got)
	}
	if want.Cmp(new(big.Rat).SetInt64(int64(got))) != 0 {
		t.Fatalf("%s: the bank sent %s, the client read %d øre, want %s", what, raw, got, want.FloatString(0))
	}
}

// fuzzItems is the list of items the client decodes from a page body, or
// nil when the body is no page.
func fuzzItems(body []byte) []json.RawMessage {
	t := bytes.TrimSpace(body)
	if len(t) > 0 && t[0] == '[' {
		var items []json.RawMessage
		json.Unmarshal(t, &items)
		return items
	}
	p, err := parsePage(body)
	if err != nil {
		return nil
	}
	return p.Items
}

// FuzzBankAnswers feeds arbitrary bytes to the client as the bank's answer
// for accounts, archive transactions, transactions with reservations and
// payments. The client must never panic, and whatever it returns must hold
// exactly the amounts the bank's JSON numbers say.
func FuzzBankAnswers(f *testing.F) {
	tx := strings.ReplaceAll(txJSON, "\n", "")
	for _, s := range []string{
		`{"availableItems":1,"items":[` + strings.Replace(strings.Replace(tx, "%q", `"t1"`, 1), "%s", "-1250.5", 1) + `]}`,
		`{"availableItems":2,"items":[{"transactionId":"a","accountingDate":"2026-11-25","amount":1},{"transactionId":"b","accountingDate":"2026-11-25T00:00:00+01:00","amount":-0.01}]}`,
		`{"availableItems":1,"items":[{"transactionId":"a","accountingDate":"2026-11-25","amount":1e2}]}`,
		`{"availableItems":1,"items":[{"transactionId":"a","accountingDate":"2026-11-25","amount":1.005}]}`,
		`{"availableItems":1,"items":[{"transactionId":"a","accountingDate":"2026-11-25","amount":"12"}]}`,
		`{"availableItems":1,"items":[{"transactionId":"a","accountingDate":"2026-11-25","amount":92233720368547758.08}]}`,
		`{"availableItems":1,"items":[{"transactionId":"a","accountingDate":"2026-11-25","amount":1,"Amount":2,"AMOUNT":3}]}`,
		`{"availableItems":2,"items":[{"transactionId":"a","accountingDate":"2026-11-25","amount":1},{"transactionId":"a","accountingDate":"2026-11-25","amount":1}]}`,
		`{"availableItems":1,"items":[{"isReservation":true,"accountingDate":null,"amount":-99.9}]}`,
		`{"availableItems":1,"items":[{"accountId":"A1","accountNumber":"97104133219","name":"Drift","available":125000.5,"balance":120431.75,"creditLimit":null}]}`,
		`{"availableItems":1,"items":[{"paymentId":"p1","accountId":"A1","amount":1250,"dueDate":"2026-11-30","kid":null,"text":"x","reference":"BB-1","status":"Scheduled"}]}`,
		`[{"paymentId":"p1","amount":0.5}]`,
		`{"availableItems":3,"items":[]}`,
		`{"availableItems":-1,"items":[]}`,
		`{"items":null}`,
		`<html><body>Bad gateway</body></html>`,
		`{"availableItems":1,"items":[{"transactionId":"a","accountingDate":"2026-11-`,
		`{"type":"about:blank","title":"Error","status":500,"detail":"oops"}`,
		``,
		`null`,
	} {
		f.Add([]byte(s))
	}
	fb := &fuzzBank{}
	srv := httptest.NewServer(fb)
	f.Cleanup(srv.Close)
	noSleep := func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	c := New(srv.URL, srv.Client(), WithSleep(noSleep), WithRetry(RetryPolicy{MaxAttempts: 1}))
	from, to := civil.MustParse("2026-11-01"), civil.MustParse("2026-11-30")

	f.Fuzz(func(t *testing.T, body []byte) {
		fb.mu.Lock()
		fb.body = body
		fb.mu.Unlock()
		ctx := context.Background()
		items := fuzzItems(body)
		check := func(what string, n int) {
			if n != len(items) {
				t.Fatalf("%s: the client returned %d items from an answer with %d", what, n, len(items))
			}
		}

		if txs, err := c.Archive(ctx, "A1", from, to); err == nil {
			check("Archive", len(txs))
			for i, tr := range txs {
				if tr.ID == "" || tr.IsReservation || tr.AccountingDate.IsZero() {
					t.Fatalf("Archive returned a line that is not a booked transaction: %+v", tr)
				}
				checkAmount(t, "Archive "+tr.ID, tr.Amount, rawField(t, items[i], "amount"), false)
			}
		}
		if txs, err := c.Transactions(ctx, "A1", from, to); err == nil {
			check("Transactions", len(txs))
			for i, tr := range txs {
				checkAmount(t, "Transactions "+tr.ID, tr.Amount, rawField(t, items[i], "amount"), false)
			}
		}
		if accts, err := c.Accounts(ctx); err == nil {
			check("Accounts", len(accts))
			for i, a := range accts {
				checkAmount(t, "balance of "+a.ID, a.Balance, rawField(t, items[i], "balance"), false)
				checkAmount(t, "available of "+a.ID, a.Available, rawField(t, items[i], "available"), true)
				checkAmount(t, "creditLimit of "+a.ID, a.CreditLimit, rawField(t, items[i], "creditLimit"), true)
			}
		}
		if ps, err := c.Payments(ctx, "A1"); err == nil {
			check("Payments", len(ps))
			for i, p := range ps {
				checkAmount(t, "payment "+p.ID, p.Amount, rawField(t, items[i], "amount"), false)
			}
		}
	})
}
