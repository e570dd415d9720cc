package bank

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// Transaction is a line on a bank account: booked (from the archive, with a
// stable ID) or a reservation (IsReservation, no ID).
type Transaction struct {
	ID                 string
	AccountingDate     civil.Date
	InterestDate       civil.Date
	Amount             money.Amount // negative for money out
	Text               string
	Type               string // e.g. "Giro m/KID"
	TypeCode           int    // e.g. 161
	TypeText           string // e.g. "GIRO"
	IsReservation      bool
	Source             string
	OtherAccountNumber string
	KID                string
	ReceiverName       string
	PayerName          string
	NumericReference   int64
	Reference          string // the end-to-end reference of a payment sent from Bankbro
}

type rawTransaction struct {
	TransactionID       string          `json:"transactionId"`
	AccountingDate      bankDate        `json:"accountingDate"`
	InterestDate        bankDate        `json:"interestDate"`
	Amount              json.RawMessage `json:"amount"`
	Text                string          `json:"text"`
	TransactionType     string          `json:"transactionType"`
	TransactionTypeCode optInt          `json:"transactionTypeCode"`
	TransactionTypeText string          `json:"transactionTypeText"`
	IsReservation       bool            `json:"isReservation"`
	Source              string          `json:"source"`
	OtherAccountNumber  string          `json:"otherAccountNumber"`
	TransactionDetail   *struct {
		CID              string `json:"cid"`
		ReceiverName     string `json:"receiverName"`
		PayerName        string `json:"payerName"`
		NumericReference optInt `json:"numericReference"`
	} `json:"transactionDetail"`
	Reference string `json:"reference"`
}

// MaxRangeDays is the most days (both ends included) one request may span;
// longer ranges are split.
const MaxRangeDays = 366

// TransactionError is a transaction the client refused; it names the
// account and the transaction.
type TransactionError struct {
	AccountID     string
	TransactionID string // empty for a reservation or an unreadable line
	Err           error
}

// Error names the account and the transaction, then the problem.
func (e *TransactionError) Error() string {
	id := e.TransactionID
	if id == "" {
		id = "(without id)"
	}
	return fmt.Sprintf("account %s, transaction %s: %v", e.AccountID, id, e.Err)
}

// Unwrap returns the problem with the transaction.
func (e *TransactionError) Unwrap() error { return e.Err }

func parseTransaction(accountID string, b []byte, archive bool) (Transaction, error) {
	var r rawTransaction
	if err := json.Unmarshal(b, &r); err != nil {
		var id struct {
			TransactionID any `json:"transactionId"`
		}
		json.Unmarshal(b, &id)
		tid, _ := id.TransactionID.(string)
		return Transaction{}, &TransactionError{AccountID: accountID, TransactionID: tid, Err: fmt.Errorf("the bank's line cannot be read: %w", err)}
	}
	return r.transaction(accountID, archive)
}

// transaction checks a decoded line and turns it into a Transaction.
func (r *rawTransaction) transaction(accountID string, archive bool) (Transaction, error) {
	fail := func(err error) (Transaction, error) {
		return Transaction{}, &TransactionError{AccountID: accountID, TransactionID: r.TransactionID, Err: err}
	}
	amt, err := amount(r.Amount)
	if err != nil {
		return fail(err)
	}
	if r.TransactionID == "" && (archive || !r.IsReservation) {
		return fail(errors.New("a booked transaction without transactionId"))
	}
	if r.AccountingDate == (bankDate{}) && !r.IsReservation {
		return fail(errors.New("no accountingDate"))
	}
	t := Transaction{
		ID:                 r.TransactionID,
		AccountingDate:     civil.Date(r.AccountingDate),
		InterestDate:       civil.Date(r.InterestDate),
		Amount:             amt,
		Text:               r.Text,
		Type:               r.TransactionType,
		TypeCode:           int(r.TransactionTypeCode),
		TypeText:           r.TransactionTypeText,
		IsReservation:      r.IsReservation,
		Source:             r.Source,
		OtherAccountNumber: r.OtherAccountNumber,
		Reference:          r.Reference,
	}
	if d := r.TransactionDetail; d != nil {
		t.KID, t.ReceiverName, t.PayerName, t.NumericReference = d.CID, d.ReceiverName, d.PayerName, int64(d.NumericReference)
	}
	return t, nil
}

// parseTransactionPage reads a page of transactions in one pass over the
// body. It returns the page's availableItems and its lines in order, up to
// the first line that cannot be taken, whose error comes back as itemErr.
// A page that does not decode as a whole (one line has a field of the
// wrong kind, or the body is no page) is read again line by line, the slow
// way, only to name the first problem as precisely as parsePage and
// parseTransaction do.
func parseTransactionPage(accountID string, b []byte, archive bool) (available *int, txs []Transaction, itemErr, err error) {
	var raw struct {
		AvailableItems *int              `json:"availableItems"`
		Items          *[]rawTransaction `json:"items"`
	}
	if json.Unmarshal(b, &raw) != nil || raw.Items == nil || (raw.AvailableItems != nil && *raw.AvailableItems < 0) {
		return parseTransactionPageSlowly(accountID, b, archive)
	}
	txs = make([]Transaction, 0, len(*raw.Items))
	for i := range *raw.Items {
		t, err := (*raw.Items)[i].transaction(accountID, archive)
		if err != nil {
			return raw.AvailableItems, txs, err, nil
		}
		txs = append(txs, t)
	}
	return raw.AvailableItems, txs, nil, nil
}

// parseTransactionPageSlowly is parseTransactionPage decoding each line on
// its own, so an error names the line it is in.
func parseTransactionPageSlowly(accountID string, b []byte, archive bool) (available *int, txs []Transaction, itemErr, err error) {
	p, err := parsePage(b)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, raw := range p.Items {
		t, err := parseTransaction(accountID, raw, archive)
		if err != nil {
			return p.AvailableItems, txs, err, nil
		}
		txs = append(txs, t)
	}
	return p.AvailableItems, txs, nil, nil
}

// Archive returns every booked transaction of the account from `from`
// through `to` (both included, Oslo dates), in the bank's order
// (accounting date, then transaction id). It pages through the whole range
// and splits ranges longer than MaxRangeDays. An answer that repeats a
// transaction, or holds an amount that is not exact, is an error; nothing
// is returned then.
func (c *Client) Archive(ctx context.Context, accountID string, from, to civil.Date) ([]Transaction, error) {
	txs, err := c.list(ctx, "/api/v2/Transactions/archive/", accountID, from, to, true)
	if err != nil {
		return nil, fmt.Errorf("read booked transactions of account %s from %s to %s: %w", accountID, from, to, err)
	}
	return txs, nil
}

// Transactions is Archive plus today's reservations (IsReservation, no ID).
// Reservations are for showing, never for the ledger.
func (c *Client) Transactions(ctx context.Context, accountID string, from, to civil.Date) ([]Transaction, error) {
	txs, err := c.list(ctx, "/api/v2/Transactions/", accountID, from, to, false)
	if err != nil {
		return nil, fmt.Errorf("read transactions of account %s from %s to %s: %w", accountID, from, to, err)
	}
	return txs, nil
}

func (c *Client) list(ctx context.Context, prefix, accountID string, from, to civil.Date, archive bool) ([]Transaction, error) {
	switch {
	case accountID == "":
		return nil, errors.New("no account id given")
	case from.IsZero() || to.IsZero():
		return nil, errors.New("the date range has no start or no end")
	case to.Before(from):
		return nil, errors.New("the end date is before the start date")
	}
	var all []Transaction
	seen := map[string]bool{}
	for start := from; !start.After(to); start = start.AddDays(MaxRangeDays) {
		end := start.AddDays(MaxRangeDays - 1)
		if end.After(to) {
			end = to
		}
		for index := 0; ; {
			q := url.Values{
				"startDate": {start.String()},
				"endDate":   {end.String()},
				"index":     {strconv.Itoa(index)},
				"length":    {strconv.Itoa(c.pageSize)},
			}
			b, err := c.do(ctx, "GET", prefix+url.PathEscape(accountID), q, nil)
			if err != nil {
				return nil, err
			}
			available, txs, itemErr, err := parseTransactionPage(accountID, b, archive)
			if err != nil {
				return nil, err
			}
			if available == nil {
				return nil, errors.New("the bank's answer does not say how many transactions there are (availableItems)")
			}
			for _, t := range txs {
				if t.ID != "" {
					if seen[t.ID] {
						return nil, &TransactionError{AccountID: accountID, TransactionID: t.ID, Err: errors.New("the bank sent this transaction twice; nothing was read, try again")}
					}
					seen[t.ID] = true
				}
				all = append(all, t)
			}
			if itemErr != nil {
				return nil, itemErr
			}
			index += len(txs)
			if index >= *available {
				break
			}
			if len(txs) == 0 {
				return nil, fmt.Errorf("the bank said there are %d transactions from %s to %s but sent only %d", *available, start, end, index)
			}
		}
	}
	return all, nil
}
