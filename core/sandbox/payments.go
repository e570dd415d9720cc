package sandbox

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"unicode/utf8"

	"bankbro/core/civil"
	"bankbro/core/money"
	"bankbro/core/norway"
)

// Payment statuses (bank-api.md §4).
const (
	StatusPendingApproval = "PendingApproval"
	StatusScheduled       = "Scheduled"
	StatusWaiting         = "Waiting"
	StatusProcessed       = "Processed"
	StatusRejected        = "Rejected"
	StatusCancelled       = "Cancelled"
)

// waitingDays is how many business days a payment without funds is retried.
const waitingDays = 3

type payment struct {
	id          string
	acct        *account
	recipient   string
	beneficiary string
	amount      money.Amount
	due         civil.Date
	kid, text   string
	reference   string
	status      string
	// details is the statusDetails, in bokmål: the bank is Norwegian, and
	// its API negotiates no language.
	details string
	tries   int // business-day retries while Waiting
	lastTry int
}

// paymentJSON is a payment as the API shows it.
type paymentJSON struct {
	PaymentID              string       `json:"paymentId"`
	AccountID              string       `json:"accountId"`
	RecipientAccountNumber string       `json:"recipientAccountNumber"`
	BeneficiaryName        string       `json:"beneficiaryName"`
	Amount                 money.Amount `json:"amount"`
	DueDate                civil.Date   `json:"dueDate"`
	KID                    *string      `json:"kid"`
	Text                   *string      `json:"text"`
	Reference              string       `json:"reference"`
	Status                 string       `json:"status"`
	StatusDetails          string       `json:"statusDetails"`
}

func (p *payment) json() paymentJSON {
	j := paymentJSON{PaymentID: p.id, AccountID: p.acct.id, RecipientAccountNumber: p.recipient,
		BeneficiaryName: p.beneficiary, Amount: p.amount, DueDate: p.due, Reference: p.reference,
		Status: p.status, StatusDetails: p.details}
	if p.kid != "" {
		j.KID = &p.kid
	}
	if p.text != "" {
		j.Text = &p.text
	}
	return j
}

// paymentRequest is the body of POST /api/v2/Payments. Amount stays text
// until money.ParseJSON reads it exactly.
type paymentRequest struct {
	AccountID              string          `json:"accountId"`
	RecipientAccountNumber string          `json:"recipientAccountNumber"`
	BeneficiaryName        string          `json:"beneficiaryName"`
	Amount                 jsonNumberField `json:"amount"`
	DueDate                string          `json:"dueDate"`
	KID                    *string         `json:"kid"`
	Text                   *string         `json:"text"`
	Reference              string          `json:"reference"`
}

// jsonNumberField keeps a JSON number's text; strings are refused by validation.
type jsonNumberField struct {
	text  string
	valid bool
}

// UnmarshalJSON keeps the raw text of a number.
func (f *jsonNumberField) UnmarshalJSON(b []byte) error {
	s := string(b)
	f.text = s
	f.valid = s != "null" && len(s) > 0 && s[0] != '"'
	return nil
}

// validatePayment checks a request against §4; it returns field → problem.
func (b *Bank) validatePayment(req paymentRequest, today civil.Date) (payment, map[string][]string) {
	errs := map[string][]string{}
	add := func(field, msg string) { errs[field] = append(errs[field], msg) }
	p := payment{beneficiary: strings.TrimSpace(req.BeneficiaryName), reference: strings.TrimSpace(req.Reference)}
	if n, err := norway.ParseAccountNumber(req.RecipientAccountNumber); err != nil || string(n) != req.RecipientAccountNumber {
		add("recipientAccountNumber", "must be an 11-digit account number with a valid MOD11 control digit")
	} else {
		p.recipient = string(n)
	}
	if p.beneficiary == "" || utf8.RuneCountInString(p.beneficiary) > 70 {
		add("beneficiaryName", "required, at most 70 characters")
	}
	if !req.Amount.valid {
		add("amount", "required, a JSON number")
	} else if a, err := money.ParseJSON(req.Amount.text); err != nil {
		add("amount", "at most two decimals")
	} else if a <= 0 {
		add("amount", "must be greater than zero")
	} else {
		p.amount = a
	}
	if d, err := civil.Parse(req.DueDate); err != nil || len(req.DueDate) != 10 {
		add("dueDate", "required, YYYY-MM-DD")
	} else if d.Before(today) {
		add("dueDate", "must not be before today ("+today.String()+")")
	} else {
		p.due = d
	}
	hasKID := req.KID != nil && *req.KID != ""
	hasText := req.Text != nil && *req.Text != ""
	switch {
	case hasKID && hasText:
		add("kid", "give either kid or text, not both")
	case !hasKID && !hasText:
		add("kid", "give either kid or text")
	case hasKID:
		if err := norway.ValidKID(*req.KID); err != nil || strings.ContainsAny(*req.KID, " .") {
			add("kid", "must be 2–25 digits with a valid MOD10 or MOD11 control digit")
		} else {
			p.kid = *req.KID
		}
	default:
		if utf8.RuneCountInString(*req.Text) > 140 {
			add("text", "at most 140 characters")
		} else {
			p.text = *req.Text
		}
	}
	if p.reference == "" || len(p.reference) > 64 {
		add("reference", "required, at most 64 characters")
	}
	return p, errs
}

// paymentID derives a stable id from the reference.
func (b *Bank) paymentID(reference string) string {
	h := fnv.New64a()
	h.Write([]byte(reference))
	v := hashParts(b.c.seed, 10, h.Sum64())
	return strings.ToUpper(fmt.Sprintf("%016x%016x", v, mix64(v)))
}

// advance processes payments for every day the clock has moved past since
// the last call. Callers hold mu.
func (b *Bank) advance() {
	today := dayOf(b.currentToday())
	if today < b.processed {
		b.processed = today - 1 // the clock went back: later days may be walked again
	}
	for n := b.processed + 1; n <= today; n++ {
		b.processDay(n)
	}
	b.processed = today
}

// processDay runs the bank's payment batch of day n.
func (b *Bank) processDay(n int) {
	for _, p := range b.payments {
		switch {
		case p.status == StatusScheduled && dayOf(p.due) <= n:
			b.tryPay(p, n)
		case p.status == StatusWaiting && n > p.lastTry && isBusinessDay(n):
			b.tryPay(p, n)
		}
	}
}

// tryPay pays p on day n if the account has the funds; otherwise it waits,
// and after waitingDays business days it is cancelled.
func (b *Bank) tryPay(p *payment, n int) {
	p.lastTry = n
	if b.balanceAt(p.acct, n) >= p.amount {
		b.book(p, n)
		return
	}
	if p.status == StatusScheduled {
		p.status = StatusWaiting
		p.details = fmt.Sprintf("Manglende dekning %s; prøves igjen i %d virkedager", dateOf(n).Norwegian(), waitingDays)
		return
	}
	p.tries++
	if p.tries >= waitingDays {
		p.status = StatusCancelled
		p.details = fmt.Sprintf("Manglende dekning i %d virkedager; kansellert %s", waitingDays, dateOf(n).Norwegian())
	}
}

// book executes p on day n: the archive gets its line, with the reference.
func (b *Bank) book(p *payment, n int) {
	h := hashParts(b.c.seed, 11, uint64(len(p.id)))
	for _, c := range []byte(p.id) {
		h = mix64(h ^ uint64(c))
	}
	t := Transaction{
		TransactionID:      fmt.Sprintf("%016x%016x", h, mix64(h)),
		AccountingDate:     dateOf(n),
		InterestDate:       dateOf(n),
		RegistrationDate:   dateOf(n),
		Amount:             -p.amount,
		Text:               "Til " + p.beneficiary,
		OtherAccountNumber: p.recipient,
		KID:                p.kid,
		ReceiverName:       p.beneficiary,
		Reference:          p.reference,
		NumericReference:   int64(h%900_000_000) + 100_000_000,
	}
	if p.kid != "" {
		t.TransactionType, t.TransactionTypeCode, t.TransactionTypeText = "Giro m/KID", codeGiroKID, "GIRO"
	} else {
		t.Text += ": " + p.text
		t.TransactionType, t.TransactionTypeCode, t.TransactionTypeText = "Nettgiro", 203, "NETTGIRO"
	}
	lines := append(b.paid[p.acct.idx], t)
	slices.SortFunc(lines, func(x, y Transaction) int {
		if c := x.AccountingDate.Compare(y.AccountingDate); c != 0 {
			return c
		}
		return strings.Compare(x.TransactionID, y.TransactionID)
	})
	b.paid[p.acct.idx] = lines
	if b.paidSum[p.acct.idx] == nil {
		b.paidSum[p.acct.idx] = map[int]money.Amount{}
	}
	b.paidSum[p.acct.idx][n] -= p.amount
	p.status = StatusProcessed
	p.details = "Betalt " + dateOf(n).Norwegian()
}

// approvePayments signs the listed payments for nationalID; it returns how
// many moved to Scheduled. Callers hold mu.
func (b *Bank) approvePayments(nationalID string, ids []string) int {
	allowed := b.mandate(nationalID)
	today := dayOf(b.currentToday())
	count := 0
	for _, id := range ids {
		p := b.byID[id]
		if p == nil || p.status != StatusPendingApproval || !slices.Contains(allowed, p.acct) {
			continue
		}
		p.status = StatusScheduled
		p.details = "Signert med BankID; forfaller " + p.due.Norwegian()
		count++
		if dayOf(p.due) <= today {
			b.tryPay(p, today)
		}
	}
	return count
}
