package sync

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/sandbox"
)

// alterFunc rewrites one archive answer; see badBank.alter.
type alterFunc = func(w http.ResponseWriter, r *http.Request, status int, h http.Header, body []byte) (int, []byte, bool)

// itemsAlter rewrites the items of every archive page with edit.
func itemsAlter(t *testing.T, edit func(items []map[string]any) []map[string]any) alterFunc {
	return func(_ http.ResponseWriter, _ *http.Request, status int, _ http.Header, body []byte) (int, []byte, bool) {
		if status != http.StatusOK {
			return status, body, true
		}
		return status, editItems(t, body, edit), true
	}
}

// bodyAlter answers every archive request with status, content type and body.
func bodyAlter(status int, contentType, body string) alterFunc {
	return func(_ http.ResponseWriter, _ *http.Request, _ int, h http.Header, _ []byte) (int, []byte, bool) {
		h.Set("Content-Type", contentType)
		return status, []byte(body), true
	}
}

// TestMisbehavingBank runs the morning import over HTTP, with the real bank
// client, against a demo bank whose archive answers for the first account
// are altered. Each time the import must fail for that account only, say
// why in words, leave every stored line as it was (a checksum of the
// bank_transactions rows read from the file) and the account's last day
// read where it was, record the failure in the account's run, and import
// the other account as usual; once the bank behaves, the account catches up.
func TestMisbehavingBank(t *testing.T) {
	firstTx := func(items []map[string]any) map[string]any {
		if len(items) == 0 {
			t.Fatal("the demo bank sent an empty page; the case proves nothing")
		}
		return items[0]
	}
	cases := []struct {
		name string
		// overlap makes the second run read again days already stored.
		overlap bool
		alter   func(t *testing.T, storedID string) alterFunc
		want    string
	}{
		{"amount changed between two reads", true, func(t *testing.T, _ string) alterFunc {
			return itemsAlter(t, func(items []map[string]any) []map[string]any {
				tx := firstTx(items)
				a, _ := tx["amount"].(json.Number)
				n, _ := strconv.ParseFloat(string(a), 64)
				tx["amount"] = json.Number(strconv.FormatFloat(n+1000, 'f', 2, 64))
				return items
			})
		}, "the bank now sends"},
		{"transaction disappeared between two reads", true, func(t *testing.T, _ string) alterFunc {
			return itemsAlter(t, func(items []map[string]any) []map[string]any {
				firstTx(items)
				return items[1:]
			})
		}, "no longer sends it"},
		{"stored transaction moved to another day", true, func(t *testing.T, _ string) alterFunc {
			return itemsAlter(t, func(items []map[string]any) []map[string]any {
				// The first stored line of the range, dated to the last day
				// asked for: still inside the range, but not where it was.
				tx := firstTx(items)
				tx["accountingDate"] = items[len(items)-1]["accountingDate"]
				return items
			})
		}, "the bank now sends"},
		{"stored transaction sent again on a later day", false, func(t *testing.T, storedID string) alterFunc {
			return itemsAlter(t, func(items []map[string]any) []map[string]any {
				firstTx(items)["transactionId"] = storedID
				return items
			})
		}, "differently from when they were stored"},
		{"transactionId twice in one page", false, func(t *testing.T, _ string) alterFunc {
			return itemsAlter(t, func(items []map[string]any) []map[string]any {
				return append(items, firstTx(items))
			})
		}, "twice"},
		{"date outside the range asked for", false, func(t *testing.T, _ string) alterFunc {
			return itemsAlter(t, func(items []map[string]any) []map[string]any {
				firstTx(items)["accountingDate"] = "2025-12-31T00:00:00"
				return items
			})
		}, "outside the days asked for"},
		{"answer cut mid-body", false, func(t *testing.T, _ string) alterFunc {
			return func(w http.ResponseWriter, _ *http.Request, status int, h http.Header, body []byte) (int, []byte, bool) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				w.WriteHeader(status)
				w.Write(body[:len(body)/2])
				w.(http.Flusher).Flush()
				panic(http.ErrAbortHandler) // the connection is cut here
			}
		}, "cut"},
		{"HTML where JSON was expected", false, func(t *testing.T, _ string) alterFunc {
			return bodyAlter(http.StatusOK, "text/html; charset=utf-8", "<!doctype html><html><body><h1>Login</h1></body></html>")
		}, "web page instead of data"},
		{"HTML sent as JSON", false, func(t *testing.T, _ string) alterFunc {
			return bodyAlter(http.StatusOK, "application/json", "<html><body>Gateway</body></html>")
		}, "web page instead of data"},
		{"200 with an error body", false, func(t *testing.T, _ string) alterFunc {
			return bodyAlter(http.StatusOK, "application/json", `{"error":"server_error","message":"The archive is being rebuilt"}`)
		}, "no list of items"},
		{"200 with problem details", false, func(t *testing.T, _ string) alterFunc {
			return bodyAlter(http.StatusOK, "application/problem+json",
				`{"type":"about:blank","title":"Internal error","status":500,"detail":"The archive is being rebuilt"}`)
		}, "The archive is being rebuilt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			startDate := civil.MustParse("2026-03-02") // a Monday
			day1 := civil.MustParse("2026-03-10")
			day2 := day1.AddDays(3)
			bb := startBadBank(t, day1)
			c := bb.client(t, sandbox.ManagerID)
			path := filepath.Join(t.TempDir(), "company.bankbro")
			l, accts := demoLedger(t, path, c, 2, startDate)
			defer l.Close()
			if _, err := Run(ctx, l, c, Options{Today: day1}); err != nil {
				t.Fatalf("the first, honest run: %v", err)
			}
			bb.Bank.SetToday(day2)
			if tc.overlap {
				// "Fetch again from a week back": the next run reads days
				// whose lines are stored.
				if err := l.Update(ctx, func(tx *ledger.Tx) error {
					for _, a := range accts {
						if err := tx.ResetReadThrough(a.ID, day1.AddDays(-6)); err != nil {
							return err
						}
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			bad, good := accts[0], accts[1]
			before, _ := l.BankAccount(ctx, bad.ID)
			sumBad, nBad := tableSum(t, path, bad.ID)
			maxID := maxRowID(t, path)
			sumOld := rowsUpTo(t, path, maxID)
			if nBad == 0 {
				t.Fatal("the first run stored nothing; the case proves nothing")
			}

			stored, err := l.BankTransactions(ctx, bad.ID, startDate, day1)
			if err != nil || len(stored) == 0 {
				t.Fatalf("no stored line to alter: %v", err)
			}
			bb.set(bad.BankID, tc.alter(t, stored[0].TransactionID))
			res, err := Run(ctx, l, c, Options{Today: day2})
			if err == nil {
				t.Fatalf("the run succeeded against a bank that %s", tc.name)
			}
			if len(res.Accounts) != 2 {
				t.Fatalf("%d account results, want 2", len(res.Accounts))
			}
			if e := res.Accounts[0].Err; e == nil || !strings.Contains(e.Error(), tc.want) {
				t.Errorf("the misbehaving account's error is %v, want words with %q", e, tc.want)
			} else {
				t.Logf("reported: %v", e)
			}
			if !strings.Contains(err.Error(), bad.Formatted()) {
				t.Errorf("the run's error %q does not name the account %s", err, bad.Formatted())
			}
			if s, n := tableSum(t, path, bad.ID); s != sumBad || n != nBad {
				t.Errorf("the misbehaving account's stored lines changed: %d rows before, %d after", nBad, n)
			}
			if s := rowsUpTo(t, path, maxID); s != sumOld {
				t.Errorf("lines stored before the run changed")
			}
			after, _ := l.BankAccount(ctx, bad.ID)
			if after.ReadThrough != before.ReadThrough {
				t.Errorf("the misbehaving account's last day read moved from %s to %s", before.ReadThrough, after.ReadThrough)
			}
			runs, err := l.SyncRuns(ctx, bad.ID, 1)
			if err != nil || len(runs) != 1 || !strings.Contains(runs[0].Err, tc.want) {
				t.Errorf("the account's last run record = %+v, %v; want its error on file", runs, err)
			}
			// The other account is imported as usual.
			if g := res.Accounts[1]; g.Err != nil || g.Through != day2.AddDays(-1) {
				t.Errorf("the other account: err %v, through %s; want it read through %s", g.Err, g.Through, day2.AddDays(-1))
			}
			checkAccountEqualsBank(t, l, bb.Bank, good, startDate, day2.AddDays(-1))

			// The bank behaves again: the account catches up, nothing twice.
			bb.set("", nil)
			if _, err := Run(ctx, l, c, Options{Today: day2}); err != nil {
				t.Fatalf("the run once the bank behaves: %v", err)
			}
			for _, a := range accts {
				checkAccountEqualsBank(t, l, bb.Bank, a, startDate, day2.AddDays(-1))
			}
		})
	}
}

// checkAccountEqualsBank wants the account's stored lines dated in
// [from, through] to be the bank's archive for those days: the same ids
// with the same dates and amounts, none twice.
func checkAccountEqualsBank(t *testing.T, l *ledger.Ledger, b *sandbox.Bank, a ledger.BankAccount, from, through civil.Date) {
	t.Helper()
	ctx := context.Background()
	want, err := b.ArchiveFor(a.Number, from, through)
	if err != nil {
		t.Fatal(err)
	}
	got, err := l.BankTransactions(ctx, a.ID, from, through.AddDays(400))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("%s: the ledger holds %d lines, the bank %d", a.Number, len(got), len(want))
	}
	byID := map[string]ledger.BankTransaction{}
	for _, g := range got {
		if _, dup := byID[g.TransactionID]; dup {
			t.Errorf("%s: %s stored twice", a.Number, g.TransactionID)
		}
		byID[g.TransactionID] = g
	}
	for _, w := range want {
		if g, ok := byID[w.TransactionID]; !ok || g.Amount != w.Amount || g.AccountingDate != w.AccountingDate {
			t.Errorf("%s: bank line %s %s %s, ledger %+v", a.Number, w.TransactionID, w.AccountingDate, w.Amount, g)
		}
	}
}

// TestAccountLeftMandate imports with a login whose mandate no longer
// covers two of the ledger's accounts (the bookkeeper may administer the
// operating and salary accounts only): those two fail with a message, keep
// what they stored, and the other two are imported.
func TestAccountLeftMandate(t *testing.T) {
	ctx := context.Background()
	startDate := civil.MustParse("2026-03-02")
	day1 := civil.MustParse("2026-03-10")
	bb := startBadBank(t, day1)
	manager := bb.client(t, sandbox.ManagerID)
	path := filepath.Join(t.TempDir(), "company.bankbro")
	l, accts := demoLedger(t, path, manager, 4, startDate)
	defer l.Close()
	if _, err := Run(ctx, l, manager, Options{Today: day1}); err != nil {
		t.Fatal(err)
	}
	day2 := day1.AddDays(2)
	bb.Bank.SetToday(day2)
	allowed := map[string]bool{}
	for _, a := range bb.Bank.AccountsFor(sandbox.BookkeeperID) {
		allowed[a.AccountID] = true
	}
	sums := map[int64]string{}
	for _, a := range accts {
		sums[a.ID], _ = tableSum(t, path, a.ID)
	}
	bookkeeper := bb.client(t, sandbox.BookkeeperID)
	res, err := Run(ctx, l, bookkeeper, Options{Today: day2})
	if err == nil {
		t.Fatal("the run succeeded for accounts outside the login's mandate")
	}
	outside := 0
	for i, a := range accts {
		ar := res.Accounts[i]
		s, _ := tableSum(t, path, a.ID)
		if allowed[a.BankID] {
			if ar.Err != nil || ar.Through != day2.AddDays(-1) {
				t.Errorf("%s (in the mandate): err %v, through %s", a.Number, ar.Err, ar.Through)
			}
			checkAccountEqualsBank(t, l, bb.Bank, a, startDate, day2.AddDays(-1))
			continue
		}
		outside++
		if ar.Err == nil {
			t.Errorf("%s (outside the mandate) was imported", a.Number)
			continue
		}
		t.Logf("%s: %v", a.Number, ar.Err)
		if s != sums[a.ID] {
			t.Errorf("%s: stored lines changed", a.Number)
		}
		if fresh, _ := l.BankAccount(ctx, a.ID); fresh.ReadThrough != day1.AddDays(-1) {
			t.Errorf("%s: last day read moved to %s", a.Number, fresh.ReadThrough)
		}
	}
	if outside == 0 {
		t.Fatal("every account is in the bookkeeper's mandate; the test proves nothing")
	}
}
