package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/money"
	"bankbro/core/norway"
)

type accountOut struct {
	AccountID       string      `json:"accountId"`
	AccountNumber   string      `json:"accountNumber"`
	OwnerCustomerID string      `json:"ownerCustomerId"`
	Name            string      `json:"name"`
	AccountType     string      `json:"accountType"`
	Available       json.Number `json:"available"`
	Balance         json.Number `json:"balance"`
	CreditLimit     json.Number `json:"creditLimit"`
}

type txOut struct {
	TransactionID       *string     `json:"transactionId"`
	AccountingDate      string      `json:"accountingDate"`
	InterestDate        string      `json:"interestDate"`
	Amount              json.Number `json:"amount"`
	Text                string      `json:"text"`
	TransactionType     string      `json:"transactionType"`
	TransactionTypeCode int         `json:"transactionTypeCode"`
	TransactionTypeText string      `json:"transactionTypeText"`
	IsReservation       bool        `json:"isReservation"`
	Source              string      `json:"source"`
	OtherAccountNumber  *string     `json:"otherAccountNumber"`
	TransactionDetail   *struct {
		CID          *string `json:"cid"`
		ReceiverName *string `json:"receiverName"`
	} `json:"transactionDetail"`
	Reference *string `json:"reference"`
}

func decodeJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %.200s: %v", b, err)
	}
}

func listAccountsAs(t *testing.T, s *Server, token string) []accountOut {
	t.Helper()
	st, _, b := call(t, "GET", s.URL+"/api/v2/Accounts", token, nil)
	if st != http.StatusOK {
		t.Fatalf("Accounts = %d %s", st, b)
	}
	var out struct {
		AvailableItems int          `json:"availableItems"`
		Items          []accountOut `json:"items"`
	}
	decodeJSON(t, b, &out)
	if out.AvailableItems != len(out.Items) {
		t.Errorf("availableItems %d, items %d", out.AvailableItems, len(out.Items))
	}
	return out.Items
}

func TestMandates(t *testing.T) {
	s := startBank(t, Options{})
	tests := []struct {
		user      string
		wantNames []string
	}{
		{ManagerID, []string{"Driftskonto", "Lønnskonto", "Skattetrekkskonto", "Sparekonto", "Depositumskonto husleie"}},
		{BookkeeperID, []string{"Driftskonto", "Lønnskonto"}},
		{NoMandateID, nil},
	}
	var all []accountOut
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			tok := login(t, s, tt.user).AccessToken
			items := listAccountsAs(t, s, tok)
			var names []string
			for _, a := range items {
				names = append(names, a.Name)
				if _, err := norway.ParseAccountNumber(a.AccountNumber); err != nil {
					t.Errorf("account number %s: %v", a.AccountNumber, err)
				}
				if norway.ValidOrgNumber(a.OwnerCustomerID) != nil {
					t.Errorf("ownerCustomerId %s is no organisation number", a.OwnerCustomerID)
				}
				bal, err := money.ParseJSON(a.Balance.String())
				if err != nil {
					t.Errorf("balance %s: %v", a.Balance, err)
				}
				want, _ := s.Bank.BalanceAt(a.AccountNumber, testToday)
				if bal != want {
					t.Errorf("%s balance %s, BalanceAt(today) %s", a.Name, bal, want)
				}
			}
			if fmt.Sprint(names) != fmt.Sprint(tt.wantNames) {
				t.Errorf("accounts = %v, want %v", names, tt.wantNames)
			}
			if got := s.Bank.AccountsFor(tt.user); len(got) != len(tt.wantNames) {
				t.Errorf("AccountsFor = %d accounts, want %d", len(got), len(tt.wantNames))
			}
			if tt.user == ManagerID {
				all = items
			}
		})
	}
	// The bookkeeper cannot see the savings account, not even by id.
	tok := login(t, s, BookkeeperID).AccessToken
	for _, a := range all {
		st, h, b := call(t, "GET", s.URL+"/api/v2/Accounts/"+a.AccountID, tok, nil)
		want := http.StatusNotFound
		if a.Name == "Driftskonto" || a.Name == "Lønnskonto" {
			want = http.StatusOK
		}
		if st != want {
			t.Errorf("bookkeeper GET %s = %d, want %d", a.Name, st, want)
		}
		if st == http.StatusNotFound {
			decodeProblem(t, h, b)
		}
		st, _, _ = call(t, "GET", s.URL+"/api/v2/Transactions/archive/"+a.AccountID, tok, nil)
		if st != want {
			t.Errorf("bookkeeper transactions of %s = %d, want %d", a.Name, st, want)
		}
	}
}

func TestUnauthorized(t *testing.T) {
	s := startBank(t, Options{})
	acct := s.Bank.AccountsFor(ManagerID)[0].AccountID
	for _, tok := range []string{"", "made-up-token"} {
		for _, path := range []string{"/api/v2/Accounts", "/api/v2/Accounts/" + acct, "/api/v2/Transactions/archive/" + acct,
			"/api/v2/Transactions/" + acct, "/api/v2/Payments/" + acct} {
			st, h, b := call(t, "GET", s.URL+path, tok, nil)
			if st != http.StatusUnauthorized || h.Get("WWW-Authenticate") != `Bearer error="invalid_token"` {
				t.Errorf("GET %s token %q = %d %q, want 401 with WWW-Authenticate", path, tok, st, h.Get("WWW-Authenticate"))
				continue
			}
			if p := decodeProblem(t, h, b); p.Status != 401 {
				t.Errorf("problem status %d", p.Status)
			}
		}
	}
}

// fetchAll pages through a range with the given page length.
func fetchAll(t *testing.T, s *Server, tok, kind, acct string, from, to civil.Date, length int) ([]txOut, int) {
	t.Helper()
	var all []txOut
	avail := -1
	for index := 0; ; index += length {
		u := fmt.Sprintf("%s/api/v2/Transactions/%s%s?startDate=%s&endDate=%s&index=%d&length=%d", s.URL, kind, acct, from, to, index, length)
		st, _, b := call(t, "GET", u, tok, nil)
		if st != http.StatusOK {
			t.Fatalf("GET %s = %d %s", u, st, b)
		}
		var page struct {
			AvailableItems int     `json:"availableItems"`
			Items          []txOut `json:"items"`
		}
		decodeJSON(t, b, &page)
		if avail >= 0 && page.AvailableItems != avail {
			t.Fatalf("availableItems changed from %d to %d", avail, page.AvailableItems)
		}
		avail = page.AvailableItems
		all = append(all, page.Items...)
		if len(page.Items) < length {
			break
		}
	}
	return all, avail
}

func TestArchivePaging(t *testing.T) {
	s := startBank(t, Options{})
	tok := login(t, s, ManagerID).AccessToken
	op := s.Bank.AccountsFor(ManagerID)[0]
	from, to := testToday.AddDays(-366), testToday
	all, avail := fetchAll(t, s, tok, "archive/", op.AccountID, from, to, 1000)
	if len(all) != avail || avail < 3000 {
		t.Fatalf("got %d lines, availableItems %d; want them equal and a busy year (≥ 3000)", len(all), avail)
	}
	again, _ := fetchAll(t, s, tok, "archive/", op.AccountID, from, to, 337)
	if len(again) != len(all) {
		t.Fatalf("paging by 337 gave %d lines, by 1000 %d", len(again), len(all))
	}
	want, err := s.Bank.ArchiveFor(op.AccountNumber, from, to)
	if err != nil || len(want) != len(all) {
		t.Fatalf("ArchiveFor = %d lines, %v; API gave %d", len(want), err, len(all))
	}
	seen := map[string]bool{}
	codes := map[int]int{}
	var sum money.Amount
	perDay := map[string]int{}
	for i, tx := range all {
		if tx.TransactionID == nil || *tx.TransactionID == "" || seen[*tx.TransactionID] {
			t.Fatalf("line %d: missing or repeated transactionId", i)
		}
		seen[*tx.TransactionID] = true
		if *again[i].TransactionID != *tx.TransactionID || want[i].TransactionID != *tx.TransactionID {
			t.Fatalf("line %d differs between pagings: %s / %s / %s", i, *tx.TransactionID, *again[i].TransactionID, want[i].TransactionID)
		}
		if i > 0 {
			p := all[i-1]
			if p.AccountingDate > tx.AccountingDate || (p.AccountingDate == tx.AccountingDate && *p.TransactionID > *tx.TransactionID) {
				t.Fatalf("line %d out of order", i)
			}
		}
		if tx.IsReservation || tx.Source != "Archive" {
			t.Errorf("line %d: archive line isReservation=%v source=%q", i, tx.IsReservation, tx.Source)
		}
		if !strings.HasSuffix(tx.AccountingDate, "T00:00:00") {
			t.Errorf("accountingDate %q", tx.AccountingDate)
		}
		a, err := money.ParseJSON(tx.Amount.String())
		if err != nil {
			t.Fatalf("amount %s: %v", tx.Amount, err)
		}
		if a != want[i].Amount {
			t.Fatalf("line %d amount %s, ArchiveFor %s", i, a, want[i].Amount)
		}
		sum += a
		codes[tx.TransactionTypeCode]++
		perDay[tx.AccountingDate[:10]]++
		if tx.TransactionTypeCode == codeGiroKID || tx.TransactionTypeCode == codeIncoming {
			if tx.TransactionDetail == nil || tx.TransactionDetail.CID == nil || norway.ValidKID(*tx.TransactionDetail.CID) != nil {
				t.Errorf("line %d: KID line without a valid KID", i)
			}
		}
		if tx.TransactionTypeCode == codeFee || tx.TransactionTypeCode == codeFeeGebyr {
			if !strings.Contains(tx.Text, "Gebyr") && !strings.Contains(tx.Text, "Pris") {
				t.Errorf("fee text %q", tx.Text)
			}
		}
	}
	for _, c := range []int{codeSalary, codeTax, codeFee, codeFeeGebyr, codeGiroKID, codeVipps, codeCard, codeCardOnline, codeInterest} {
		if c == codeSalary {
			continue // salaries are paid from the salary account
		}
		if codes[c] == 0 {
			t.Errorf("a year of the operating account has no line with type %d", c)
		}
	}
	// Balances: the balance at the start plus the year's lines is the balance at the end.
	b0, _ := s.Bank.BalanceAt(op.AccountNumber, from.AddDays(-1))
	b1, _ := s.Bank.BalanceAt(op.AccountNumber, to)
	if b0+sum != b1 {
		t.Errorf("balance %s + lines %s = %s, want %s", b0, sum, b0+sum, b1)
	}
	// Every business day has 5–40 lines; yesterday has lines.
	for n := dayOf(from); n < dayOf(testToday); n++ {
		if isBusinessDay(n) {
			if c := perDay[dateOf(n).String()]; c < 5 || c > 40 {
				t.Errorf("%s: %d lines, want 5–40", dateOf(n), c)
			}
		}
	}
	if perDay[testToday.AddDays(-1).String()] == 0 {
		t.Errorf("yesterday has no lines")
	}
}

func TestOtherAccounts(t *testing.T) {
	s := startBank(t, Options{})
	tok := login(t, s, ManagerID).AccessToken
	from, to := testToday.AddDays(-366), testToday
	for _, a := range s.Bank.AccountsFor(ManagerID) {
		lines, _ := fetchAll(t, s, tok, "archive/", a.AccountID, from, to, 1000)
		codes := map[int]bool{}
		for _, l := range lines {
			codes[l.TransactionTypeCode] = true
		}
		switch a.Name {
		case "Lønnskonto":
			if !codes[codeSalary] {
				t.Errorf("salary account has no salaries (13)")
			}
		case "Skattetrekkskonto":
			if !codes[codeTax] || !codes[codeTransfer] {
				t.Errorf("tax account lacks withheld tax in or tax (16) out: %v", codes)
			}
		case "Sparekonto":
			if !codes[codeInterest] {
				t.Errorf("savings account has no interest (752)")
			}
		}
		for n := dayOf(from); n <= dayOf(to); n += 30 {
			if b, _ := s.Bank.BalanceAt(a.AccountNumber, dateOf(n)); b < 0 {
				t.Errorf("%s is overdrawn on %s: %s", a.Name, dateOf(n), b)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	s1 := startBank(t, Options{Seed: 7})
	s2 := startBank(t, Options{Seed: 7, Today: testToday.AddDays(40)})
	s3 := startBank(t, Options{Seed: 8})
	a1 := s1.Bank.AccountsFor(ManagerID)
	a2 := s2.Bank.AccountsFor(ManagerID)
	a3 := s3.Bank.AccountsFor(ManagerID)
	if fmt.Sprint(a1) != fmt.Sprint(a2) {
		t.Fatalf("same seed, different accounts: %v / %v", a1, a2)
	}
	if fmt.Sprint(a1) == fmt.Sprint(a3) {
		t.Errorf("different seeds gave the same accounts")
	}
	from, to := civil.MustParse("2025-03-01"), civil.MustParse("2025-03-31")
	x, _ := s1.Bank.ArchiveFor(a1[0].AccountNumber, from, to)
	y, _ := s2.Bank.ArchiveFor(a2[0].AccountNumber, from, to)
	if fmt.Sprint(x) != fmt.Sprint(y) {
		t.Errorf("same seed and range, different lines")
	}
	b1, _ := s1.Bank.BalanceAt(a1[0].AccountNumber, to)
	b2, _ := s2.Bank.BalanceAt(a2[0].AccountNumber, to)
	if b1 != b2 {
		t.Errorf("same seed, balance on %s %s vs %s", to, b1, b2)
	}
	if old, _ := s1.Bank.ArchiveFor(a1[0].AccountNumber, testToday.AddDays(-2*365-10), testToday.AddDays(-2*365)); len(old) == 0 {
		t.Errorf("no history two years back")
	}
}

func TestRangeRules(t *testing.T) {
	s := startBank(t, Options{})
	tok := login(t, s, ManagerID).AccessToken
	acct := s.Bank.AccountsFor(ManagerID)[0].AccountID
	tests := []struct {
		query string
		want  int
	}{
		{"startDate=2025-11-24&endDate=2026-11-25", http.StatusOK},                   // 366 days
		{"startDate=2025-11-23&endDate=2026-11-25", http.StatusBadRequest},           // 367 days
		{"startDate=2026-11-20&endDate=2026-11-26", http.StatusOK},                   // tomorrow
		{"startDate=2026-11-20&endDate=2026-11-27", http.StatusBadRequest},           // after tomorrow
		{"startDate=2026-11-25&endDate=2026-11-24", http.StatusBadRequest},           // start after end
		{"startDate=2026-11-01", http.StatusOK},                                      // end defaults to today
		{"", http.StatusOK},                                                          // defaults
		{"startDate=25.11.2026", http.StatusBadRequest},                              // not ISO
		{"startDate=2026-11-01&endDate=2026-13-01", http.StatusBadRequest},           // no such date
		{"startDate=2026-11-01&index=-1", http.StatusBadRequest},                     // negative index
		{"startDate=2026-11-01&index=x", http.StatusBadRequest},                      // not a number
		{"startDate=2026-11-01&length=0", http.StatusBadRequest},                     // too short
		{"startDate=2026-11-01&length=1001", http.StatusBadRequest},                  // too long
		{"startDate=2026-11-01&length=1000&index=100000", http.StatusOK},             // past the end: empty
		{"startDate=2026-11-01T00:00:00&endDate=2026-11-25T00:00:00", http.StatusOK}, // the bank's own date form
	}
	for _, tt := range tests {
		for _, kind := range []string{"archive/", ""} {
			t.Run(kind+tt.query, func(t *testing.T) {
				st, h, b := call(t, "GET", s.URL+"/api/v2/Transactions/"+kind+acct+"?"+tt.query, tok, nil)
				if st != tt.want {
					t.Fatalf("got %d %s, want %d", st, b, tt.want)
				}
				if st == http.StatusBadRequest {
					if p := decodeProblem(t, h, b); p.Status != 400 || p.Detail == "" {
						t.Errorf("problem %+v", p)
					}
				}
			})
		}
	}
	// Default length is 100.
	st, _, b := call(t, "GET", s.URL+"/api/v2/Transactions/archive/"+acct+"?startDate=2026-06-01&endDate=2026-11-25", tok, nil)
	var page struct {
		AvailableItems int     `json:"availableItems"`
		Items          []txOut `json:"items"`
	}
	decodeJSON(t, b, &page)
	if st != http.StatusOK || len(page.Items) != 100 || page.AvailableItems <= 100 {
		t.Errorf("default page: %d, %d items of %d, want 100 of more", st, len(page.Items), page.AvailableItems)
	}
	// Unknown account.
	st, h, b := call(t, "GET", s.URL+"/api/v2/Transactions/archive/NOPE", tok, nil)
	if st != http.StatusNotFound {
		t.Errorf("unknown account: %d", st)
	} else {
		decodeProblem(t, h, b)
	}
}

func TestReservations(t *testing.T) {
	s := startBank(t, Options{})
	tok := login(t, s, ManagerID).AccessToken
	acct := s.Bank.AccountsFor(ManagerID)[0].AccountID
	q := url.Values{"startDate": {"2026-11-20"}, "endDate": {"2026-11-25"}}
	archive, _ := fetchAll(t, s, tok, "archive/", acct, civil.MustParse("2026-11-20"), testToday, 1000)
	withRes, _ := fetchAll(t, s, tok, "", acct, civil.MustParse("2026-11-20"), testToday, 1000)
	_ = q
	res := 0
	for i, tx := range withRes {
		if i < len(archive) {
			if *tx.TransactionID != *archive[i].TransactionID {
				t.Fatalf("booked line %d differs", i)
			}
			continue
		}
		res++
		if !tx.IsReservation || tx.TransactionID != nil || !strings.HasPrefix(tx.AccountingDate, "2026-11-25") {
			t.Errorf("reservation %d: isReservation=%v id=%v date=%s", i, tx.IsReservation, tx.TransactionID, tx.AccountingDate)
		}
	}
	if res == 0 {
		t.Errorf("no reservations for today")
	}
	for _, tx := range archive {
		if strings.HasPrefix(tx.AccountingDate, "2026-11-25") {
			t.Errorf("archive holds an unbooked line of today: %+v", tx)
		}
	}
}

func TestAmountJSON(t *testing.T) {
	tests := []struct {
		in   money.Amount
		want string
	}{
		{0, "0.00"}, {-125050, "-1250.50"}, {5, "0.05"}, {-5, "-0.05"}, {12500050, "125000.50"},
		{-9223372036854775808, "-92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := string(appendAmount(nil, tt.in)); got != tt.want {
			t.Errorf("appendAmount(%d) = %s, want %s", int64(tt.in), got, tt.want)
		}
	}
	var v struct{ S string }
	if err := json.Unmarshal([]byte(`{"S":`+string(appendString(nil, "a\"b\\c\n\x01<ø>\u2028"))+`}`), &v); err != nil || v.S != "a\"b\\c\n\x01<ø>\u2028" {
		t.Errorf("appendString round trip = %q, %v", v.S, err)
	}
}

// A busy shop (Options.Busy) has about Busy times the card and Vipps
// lines on business days, with balances that still add up, and leaves the
// café of the same seed as it was.
func TestBusy(t *testing.T) {
	cafe, err := New(Options{Seed: 3, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	busy, err := New(Options{Seed: 3, Today: testToday, Busy: 10})
	if err != nil {
		t.Fatal(err)
	}
	op := cafe.AccountsFor(ManagerID)[0]
	from, to := testToday.AddDays(-60), testToday.AddDays(-1)
	few, _ := cafe.ArchiveFor(op.AccountNumber, from, to)
	many, err := busy.ArchiveFor(op.AccountNumber, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(many) < 8*len(few) {
		t.Errorf("busy shop: %d lines in 60 days, the café %d; want about 10 times as many", len(many), len(few))
	}
	var sum money.Amount
	for _, l := range many {
		sum += l.Amount
	}
	b0, _ := busy.BalanceAt(op.AccountNumber, from.AddDays(-1))
	b1, _ := busy.BalanceAt(op.AccountNumber, to)
	if b0+sum != b1 {
		t.Errorf("busy shop: balance %s + lines %s = %s, want %s", b0, sum, b0+sum, b1)
	}
	again, _ := New(Options{Seed: 3, Today: testToday})
	if same, _ := again.ArchiveFor(op.AccountNumber, from, to); fmt.Sprint(same) != fmt.Sprint(few) {
		t.Errorf("the café changed after a busy shop of the same seed was made")
	}
}
