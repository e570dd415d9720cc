package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// Problem types of the demo bank; the type URI ends in these names.
const (
	ProblemIntegrationNotActivated = "integration-not-activated"
	ProblemSubscriptionRequired    = "subscription-required"
)

// maxRangeDays is the widest startDate..endDate span the API serves.
const maxRangeDays = 366

// problem writes RFC 7807 problem details.
func problem(w http.ResponseWriter, r *http.Request, status int, typ, title, detail string, errs map[string][]string) {
	var trace [8]byte
	_, _ = rand.Read(trace[:])
	body := map[string]any{
		"type":    "http://" + r.Host + "/problems/" + typ,
		"title":   title,
		"status":  status,
		"detail":  detail,
		"traceId": hex.EncodeToString(trace[:]),
	}
	if len(errs) > 0 {
		body["errors"] = errs
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// apiHandler serves {api}/api/v2 behind the fault injection.
func (b *Bank) apiHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/Accounts", b.api("accounts", false, b.listAccounts))
	mux.HandleFunc("GET /api/v2/Accounts/{accountId}", b.api("accounts", false, b.getAccount))
	mux.HandleFunc("GET /api/v2/Transactions/archive/{accountId}", b.api("transactions", false, b.transactions(false)))
	mux.HandleFunc("GET /api/v2/Transactions/{accountId}", b.api("transactions", false, b.transactions(true)))
	mux.HandleFunc("POST /api/v2/Payments", b.api("payments", true, b.createPayment))
	mux.HandleFunc("GET /api/v2/Payments/{accountId}", b.api("payments", true, b.listPayments))
	mux.HandleFunc("GET /api/v2/Payments/{accountId}/{paymentId}", b.api("payments", true, b.getPayment))
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		problem(w, r, http.StatusNotFound, "not-found", "Not found", "There is no such API address: "+r.URL.Path, nil)
	})
	return b.withFaults(mux)
}

// api checks the token, the integration agreement and the scope before h.
func (b *Bank) api(scope string, payments bool, h func(http.ResponseWriter, *http.Request, *accessToken)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := b.authenticate(r)
		if tok == nil {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			problem(w, r, http.StatusUnauthorized, "invalid-token", "Unauthorized",
				"The access token is missing, unknown or expired.", nil)
			return
		}
		b.mu.Lock()
		b.advance()
		state := b.integration
		b.mu.Unlock()
		switch {
		case state == IntegrationNone:
			problem(w, r, http.StatusForbidden, ProblemIntegrationNotActivated, "The integration is not activated",
				"The company has not turned on the Bankbro integration. Log in to the online bank at http://"+r.Host+
					"/nettbank, open the menu, Integrations, New integration, choose Bankbro and a subscription.", nil)
			return
		case payments && state == IntegrationBasis:
			problem(w, r, http.StatusForbidden, ProblemSubscriptionRequired, "The subscription does not include payments",
				"The company's Bankbro subscription is Basis (accounts and transactions). Payments need Pluss: change it in the online bank at http://"+
					r.Host+"/nettbank under Integrations.", nil)
			return
		case !slices.Contains(strings.Fields(tok.scope), scope):
			w.Header().Set("WWW-Authenticate", `Bearer error="insufficient_scope", scope="`+scope+`"`)
			problem(w, r, http.StatusForbidden, "insufficient-scope", "Insufficient scope",
				"The login did not ask for the scope "+scope+".", nil)
			return
		}
		h(w, r, tok)
	}
}

// accountJSON is an Account of bank-api.md §2.
type accountJSON struct {
	AccountID       string       `json:"accountId"`
	AccountNumber   string       `json:"accountNumber"`
	OwnerCustomerID string       `json:"ownerCustomerId"`
	Name            string       `json:"name"`
	AccountType     string       `json:"accountType"`
	Available       money.Amount `json:"available"`
	Balance         money.Amount `json:"balance"`
	CreditLimit     money.Amount `json:"creditLimit"`
}

// accountJSON describes a with its balances now. Callers hold mu.
func (b *Bank) accountJSON(a *account) accountJSON {
	today := dayOf(b.currentToday())
	bal := b.balanceAt(a, today)
	avail := bal
	for _, t := range b.c.generate(a, today, true, nil) {
		if t.Amount < 0 {
			avail += t.Amount
		}
	}
	return accountJSON{AccountID: a.id, AccountNumber: a.number, OwnerCustomerID: b.c.orgNr,
		Name: a.name, AccountType: a.typ, Available: avail, Balance: bal}
}

type listJSON[T any] struct {
	AvailableItems int `json:"availableItems"`
	Items          []T `json:"items"`
}

func (b *Bank) listAccounts(w http.ResponseWriter, r *http.Request, tok *accessToken) {
	out := listJSON[accountJSON]{Items: []accountJSON{}}
	b.mu.Lock()
	for _, a := range b.mandate(tok.nationalID) {
		out.Items = append(out.Items, b.accountJSON(a))
	}
	b.mu.Unlock()
	out.AvailableItems = len(out.Items)
	writeJSON(w, http.StatusOK, out)
}

// accountFor finds accountId among the accounts tok's person may administer;
// others are reported as not found, so the API does not tell what exists.
func (b *Bank) accountFor(w http.ResponseWriter, r *http.Request, tok *accessToken, id string) *account {
	a := b.c.byID(id)
	if a == nil || !slices.Contains(b.mandate(tok.nationalID), a) {
		problem(w, r, http.StatusNotFound, "account-not-found", "Account not found",
			"No account with id "+id+" that you may administer.", nil)
		return nil
	}
	return a
}

func (b *Bank) getAccount(w http.ResponseWriter, r *http.Request, tok *accessToken) {
	a := b.accountFor(w, r, tok, r.PathValue("accountId"))
	if a == nil {
		return
	}
	b.mu.Lock()
	j := b.accountJSON(a)
	b.mu.Unlock()
	writeJSON(w, http.StatusOK, j)
}

// rangeQuery holds the validated paging parameters of §3.
type rangeQuery struct {
	from, to      int
	index, length int
}

func badRequest(w http.ResponseWriter, r *http.Request, field, msg string) {
	problem(w, r, http.StatusBadRequest, "invalid-request", "Invalid request", field+": "+msg,
		map[string][]string{field: {msg}})
}

// parseRange reads startDate, endDate, index and length; on error it has answered.
func parseRange(w http.ResponseWriter, r *http.Request, today civil.Date) (rangeQuery, bool) {
	q := r.URL.Query()
	var rq rangeQuery
	end := today
	if s := q.Get("endDate"); s != "" {
		d, err := civil.Parse(s)
		if err != nil {
			badRequest(w, r, "endDate", "must be a date YYYY-MM-DD")
			return rq, false
		}
		end = d
	}
	start := end.AddDays(-30)
	if s := q.Get("startDate"); s != "" {
		d, err := civil.Parse(s)
		if err != nil {
			badRequest(w, r, "startDate", "must be a date YYYY-MM-DD")
			return rq, false
		}
		start = d
	}
	switch {
	case start.After(end):
		badRequest(w, r, "startDate", "must not be after endDate")
		return rq, false
	case end.After(today.AddDays(1)):
		badRequest(w, r, "endDate", "must not be later than tomorrow ("+today.AddDays(1).String()+")")
		return rq, false
	case end.DaysSince(start) > maxRangeDays:
		badRequest(w, r, "startDate", fmt.Sprintf("the range may span at most %d days", maxRangeDays))
		return rq, false
	}
	rq.from, rq.to = dayOf(start), dayOf(end)
	rq.index, rq.length = 0, 100
	if s, ok := q["index"]; ok {
		n, err := strconv.Atoi(s[0])
		if err != nil || n < 0 {
			badRequest(w, r, "index", "must be a whole number ≥ 0")
			return rq, false
		}
		rq.index = n
	}
	if s, ok := q["length"]; ok {
		n, err := strconv.Atoi(s[0])
		if err != nil || n < 1 || n > 1000 {
			badRequest(w, r, "length", "must be a whole number from 1 to 1000")
			return rq, false
		}
		rq.length = n
	}
	return rq, true
}

func (b *Bank) transactions(withReservations bool) func(http.ResponseWriter, *http.Request, *accessToken) {
	return func(w http.ResponseWriter, r *http.Request, tok *accessToken) {
		a := b.accountFor(w, r, tok, r.PathValue("accountId"))
		if a == nil {
			return
		}
		b.mu.Lock()
		today := b.currentToday()
		b.mu.Unlock()
		rq, ok := parseRange(w, r, today)
		if !ok {
			return
		}
		b.mu.Lock()
		v := b.view(a, rq.from, rq.to, withReservations)
		b.mu.Unlock()
		items := v.page(rq.index, rq.length)
		buf := make([]byte, 0, 64+len(items)*520)
		buf = append(buf, `{"availableItems":`...)
		buf = strconv.AppendInt(buf, int64(v.total), 10)
		buf = append(buf, `,"items":[`...)
		for i := range items {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendTransaction(buf, &items[i])
		}
		buf = append(buf, "]}\n"...)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(buf)))
		_, _ = w.Write(buf)
	}
}

// appendTransaction writes t as the Transaction JSON of §3, by hand: a year
// of lines must be served fast, and amounts are written from øre, exactly.
func appendTransaction(buf []byte, t *Transaction) []byte {
	buf = append(buf, '{')
	if !t.IsReservation {
		buf = append(buf, `"transactionId":`...)
		buf = appendString(buf, t.TransactionID)
		buf = append(buf, ',')
	}
	buf = append(buf, `"accountingDate":`...)
	buf = appendDate(buf, t.AccountingDate)
	buf = append(buf, `,"interestDate":`...)
	buf = appendDate(buf, t.InterestDate)
	buf = append(buf, `,"amount":`...)
	buf = appendAmount(buf, t.Amount)
	buf = append(buf, `,"text":`...)
	buf = appendString(buf, t.Text)
	buf = append(buf, `,"transactionType":`...)
	buf = appendString(buf, t.TransactionType)
	buf = append(buf, `,"transactionTypeCode":`...)
	buf = strconv.AppendInt(buf, int64(t.TransactionTypeCode), 10)
	buf = append(buf, `,"transactionTypeText":`...)
	buf = appendString(buf, t.TransactionTypeText)
	buf = append(buf, `,"isReservation":`...)
	buf = strconv.AppendBool(buf, t.IsReservation)
	buf = append(buf, `,"source":`...)
	if t.IsReservation {
		buf = append(buf, `"AccountStatement"`...)
	} else {
		buf = append(buf, `"Archive"`...)
	}
	buf = append(buf, `,"otherAccountNumber":`...)
	buf = appendOptString(buf, t.OtherAccountNumber)
	buf = append(buf, `,"otherAccountNumberSpecified":`...)
	buf = strconv.AppendBool(buf, t.OtherAccountNumber != "")
	detail := t.KID != "" || t.ReceiverName != "" || t.PayerName != "" || t.NumericReference != 0
	buf = append(buf, `,"transactionDetail":`...)
	if detail {
		buf = append(buf, `{"cid":`...)
		buf = appendOptString(buf, t.KID)
		buf = append(buf, `,"receiverName":`...)
		buf = appendOptString(buf, t.ReceiverName)
		buf = append(buf, `,"payerName":`...)
		buf = appendOptString(buf, t.PayerName)
		buf = append(buf, `,"numericReference":`...)
		if t.NumericReference != 0 {
			buf = strconv.AppendInt(buf, t.NumericReference, 10)
		} else {
			buf = append(buf, "null"...)
		}
		buf = append(buf, `,"registrationDate":`...)
		buf = appendDate(buf, t.RegistrationDate)
		buf = append(buf, '}')
	} else {
		buf = append(buf, "null"...)
	}
	buf = append(buf, `,"transactionDetailSpecified":`...)
	buf = strconv.AppendBool(buf, detail)
	buf = append(buf, `,"reference":`...)
	buf = appendOptString(buf, t.Reference)
	return append(buf, '}')
}

// appendAmount writes øre as a JSON number with two decimals: -1250.50.
func appendAmount(buf []byte, a money.Amount) []byte {
	u := uint64(a)
	if a < 0 {
		buf = append(buf, '-')
		u = uint64(-(a + 1)) + 1
	}
	buf = strconv.AppendUint(buf, u/100, 10)
	f := u % 100
	return append(buf, '.', byte('0'+f/10), byte('0'+f%10))
}

func appendDate(buf []byte, d civil.Date) []byte {
	buf = append(buf, '"')
	buf = appendPadded(buf, d.Year, 4)
	buf = append(buf, '-')
	buf = appendPadded(buf, int(d.Month), 2)
	buf = append(buf, '-')
	buf = appendPadded(buf, d.Day, 2)
	return append(buf, "T00:00:00\""...)
}

func appendPadded(buf []byte, n, width int) []byte {
	var tmp [8]byte
	i := len(tmp)
	for w := 0; w < width || n > 0; w++ {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
	}
	return append(buf, tmp[i:]...)
}

func appendOptString(buf []byte, s string) []byte {
	if s == "" {
		return append(buf, "null"...)
	}
	return appendString(buf, s)
}

// appendString writes s as a JSON string.
func appendString(buf []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, `\ufffd`...)
		} else if r == '\u2028' || r == '\u2029' {
			buf = append(buf, `\u202`...)
			buf = append(buf, hexDigits[r&0xf])
		} else {
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}

func (b *Bank) createPayment(w http.ResponseWriter, r *http.Request, tok *accessToken) {
	var req paymentRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	if err := dec.Decode(&req); err != nil {
		badRequest(w, r, "body", "must be a JSON payment: "+err.Error())
		return
	}
	a := b.accountFor(w, r, tok, req.AccountID)
	if a == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if p := b.byRef[strings.TrimSpace(req.Reference)]; p != nil {
		writeJSON(w, http.StatusCreated, p.json()) // idempotent: the same reference is the same payment
		return
	}
	p, errs := b.validatePayment(req, b.currentToday())
	if len(errs) > 0 {
		fields := make([]string, 0, len(errs))
		for f := range errs {
			fields = append(fields, f)
		}
		slices.Sort(fields)
		problem(w, r, http.StatusBadRequest, "invalid-payment", "The payment is not valid",
			"Check "+strings.Join(fields, ", ")+".", errs)
		return
	}
	p.acct = a
	p.id = b.paymentID(p.reference)
	p.status = StatusPendingApproval
	p.details = "Venter på signering med BankID i banken"
	b.payments = append(b.payments, &p)
	b.byRef[p.reference] = &p
	b.byID[p.id] = &p
	writeJSON(w, http.StatusCreated, p.json())
}

func (b *Bank) listPayments(w http.ResponseWriter, r *http.Request, tok *accessToken) {
	a := b.accountFor(w, r, tok, r.PathValue("accountId"))
	if a == nil {
		return
	}
	out := listJSON[paymentJSON]{Items: []paymentJSON{}}
	b.mu.Lock()
	for _, p := range b.payments {
		if p.acct == a {
			out.Items = append(out.Items, p.json())
		}
	}
	b.mu.Unlock()
	out.AvailableItems = len(out.Items)
	writeJSON(w, http.StatusOK, out)
}

func (b *Bank) getPayment(w http.ResponseWriter, r *http.Request, tok *accessToken) {
	a := b.accountFor(w, r, tok, r.PathValue("accountId"))
	if a == nil {
		return
	}
	b.mu.Lock()
	p := b.byID[r.PathValue("paymentId")]
	var j paymentJSON
	if p != nil && p.acct == a {
		j = p.json()
	}
	b.mu.Unlock()
	if j.PaymentID == "" {
		problem(w, r, http.StatusNotFound, "payment-not-found", "Payment not found",
			"No payment "+r.PathValue("paymentId")+" on this account.", nil)
		return
	}
	writeJSON(w, http.StatusOK, j)
}
