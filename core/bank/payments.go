package bank

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"unicode/utf8"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// PaymentRequest is a payment to send to the bank for signing. Exactly one
// of KID and Text is set. Reference is the app's unique end-to-end reference:
// the bank treats a second request with the same reference as the first,
// which is what makes sending it again safe.
type PaymentRequest struct {
	AccountID              string
	RecipientAccountNumber string
	BeneficiaryName        string
	Amount                 money.Amount
	DueDate                civil.Date
	KID                    string
	Text                   string
	Reference              string
}

// PaymentStatus is where a payment stands in the bank.
type PaymentStatus string

// Payment statuses (bank-api.md §4).
const (
	StatusPendingApproval PaymentStatus = "PendingApproval" // awaits signing in the bank
	StatusScheduled       PaymentStatus = "Scheduled"       // signed, waits for its due date
	StatusWaiting         PaymentStatus = "Waiting"         // insufficient funds; retried for 3 business days
	StatusProcessed       PaymentStatus = "Processed"       // paid
	StatusRejected        PaymentStatus = "Rejected"
	StatusCancelled       PaymentStatus = "Cancelled"
)

// Final reports whether the status will not change any more.
func (s PaymentStatus) Final() bool {
	return s == StatusProcessed || s == StatusRejected || s == StatusCancelled
}

// Payment is a payment as the bank holds it.
type Payment struct {
	ID                     string
	AccountID              string
	RecipientAccountNumber string
	BeneficiaryName        string
	Amount                 money.Amount
	DueDate                civil.Date
	KID                    string
	Text                   string
	Reference              string
	Status                 PaymentStatus
	StatusDetails          string
}

type rawPayment struct {
	PaymentID              string          `json:"paymentId"`
	AccountID              string          `json:"accountId"`
	RecipientAccountNumber string          `json:"recipientAccountNumber"`
	BeneficiaryName        string          `json:"beneficiaryName"`
	Amount                 json.RawMessage `json:"amount"`
	DueDate                bankDate        `json:"dueDate"`
	KID                    *string         `json:"kid"`
	Text                   *string         `json:"text"`
	Reference              string          `json:"reference"`
	Status                 string          `json:"status"`
	StatusDetails          *string         `json:"statusDetails"`
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func parsePayment(b []byte) (Payment, error) {
	var r rawPayment
	if err := json.Unmarshal(b, &r); err != nil {
		return Payment{}, fmt.Errorf("a payment in the bank's answer cannot be read: %w", err)
	}
	if r.PaymentID == "" {
		return Payment{}, fmt.Errorf("payment %s in the bank's answer has no paymentId", r.Reference)
	}
	amt, err := amount(r.Amount)
	if err != nil {
		return Payment{}, fmt.Errorf("payment %s (reference %s): %w", r.PaymentID, r.Reference, err)
	}
	return Payment{
		ID:                     r.PaymentID,
		AccountID:              r.AccountID,
		RecipientAccountNumber: r.RecipientAccountNumber,
		BeneficiaryName:        r.BeneficiaryName,
		Amount:                 amt,
		DueDate:                civil.Date(r.DueDate),
		KID:                    deref(r.KID),
		Text:                   deref(r.Text),
		Reference:              r.Reference,
		Status:                 PaymentStatus(r.Status),
		StatusDetails:          deref(r.StatusDetails),
	}, nil
}

// check catches what would make the request unsafe to send or retry.
func (p PaymentRequest) check() error {
	switch {
	case p.AccountID == "":
		return errors.New("no account to pay from")
	case p.Reference == "":
		return errors.New("the payment has no reference, so it could not be sent again safely")
	case (p.KID == "") == (p.Text == ""):
		return errors.New("a payment needs either a KID or a message, not both and not neither")
	case utf8.RuneCountInString(p.Text) > 140:
		return errors.New("the message is longer than 140 characters")
	case p.Amount <= 0:
		return errors.New("the amount must be more than zero")
	case p.DueDate.IsZero():
		return errors.New("the payment has no due date")
	}
	return nil
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// CreatePayment sends a payment to the bank, where it awaits signing. It is
// retried like any other request: the reference keeps the bank from making
// a second payment.
func (c *Client) CreatePayment(ctx context.Context, req PaymentRequest) (Payment, error) {
	if err := req.check(); err != nil {
		return Payment{}, fmt.Errorf("send payment %s: %w", req.Reference, err)
	}
	body, err := json.Marshal(struct {
		AccountID              string       `json:"accountId"`
		RecipientAccountNumber string       `json:"recipientAccountNumber"`
		BeneficiaryName        string       `json:"beneficiaryName"`
		Amount                 money.Amount `json:"amount"`
		DueDate                civil.Date   `json:"dueDate"`
		KID                    *string      `json:"kid"`
		Text                   *string      `json:"text"`
		Reference              string       `json:"reference"`
	}{req.AccountID, req.RecipientAccountNumber, req.BeneficiaryName, req.Amount, req.DueDate, nullable(req.KID), nullable(req.Text), req.Reference})
	if err != nil {
		return Payment{}, fmt.Errorf("send payment %s: %w", req.Reference, err)
	}
	b, err := c.do(ctx, "POST", "/api/v2/Payments", nil, body)
	if err != nil {
		return Payment{}, fmt.Errorf("send payment %s: %w", req.Reference, err)
	}
	p, err := parsePayment(b)
	if err != nil {
		return Payment{}, fmt.Errorf("send payment %s: %w", req.Reference, err)
	}
	if p.Reference != "" && p.Reference != req.Reference {
		return Payment{}, fmt.Errorf("send payment %s: the bank answered with another payment (reference %s)", req.Reference, p.Reference)
	}
	return p, nil
}

// Payments lists the payments from an account.
func (c *Client) Payments(ctx context.Context, accountID string) ([]Payment, error) {
	if accountID == "" {
		return nil, errors.New("list payments: no account id given")
	}
	b, err := c.do(ctx, "GET", "/api/v2/Payments/"+url.PathEscape(accountID), nil, nil)
	if err != nil {
		return nil, fmt.Errorf("list payments of account %s: %w", accountID, err)
	}
	// The list comes as {"availableItems","items"} like the other lists;
	// a bare array is read too.
	var items []json.RawMessage
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
		if err := json.Unmarshal(t, &items); err != nil {
			return nil, fmt.Errorf("list payments of account %s: the bank's list cannot be read: %w", accountID, err)
		}
	} else {
		p, err := parsePage(b)
		if err != nil {
			return nil, fmt.Errorf("list payments of account %s: %w", accountID, err)
		}
		items = p.Items
	}
	out := make([]Payment, 0, len(items))
	for _, raw := range items {
		p, err := parsePayment(raw)
		if err != nil {
			return nil, fmt.Errorf("list payments of account %s: %w", accountID, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// Payment fetches one payment.
func (c *Client) Payment(ctx context.Context, accountID, paymentID string) (Payment, error) {
	if accountID == "" || paymentID == "" {
		return Payment{}, errors.New("fetch payment: no account id or payment id given")
	}
	b, err := c.do(ctx, "GET", "/api/v2/Payments/"+url.PathEscape(accountID)+"/"+url.PathEscape(paymentID), nil, nil)
	if err != nil {
		return Payment{}, fmt.Errorf("fetch payment %s of account %s: %w", paymentID, accountID, err)
	}
	p, err := parsePayment(b)
	if err != nil {
		return Payment{}, fmt.Errorf("fetch payment %s of account %s: %w", paymentID, accountID, err)
	}
	return p, nil
}
