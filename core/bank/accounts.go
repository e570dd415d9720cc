package bank

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"bankbro/core/money"
)

// Account is a bank account the logged-in person may administer.
type Account struct {
	ID              string
	Number          string // 11 digits
	OwnerCustomerID string
	Name            string
	Type            string
	Available       money.Amount
	Balance         money.Amount // booked balance now
	CreditLimit     money.Amount
}

type rawAccount struct {
	AccountID       string          `json:"accountId"`
	AccountNumber   string          `json:"accountNumber"`
	OwnerCustomerID string          `json:"ownerCustomerId"`
	Name            string          `json:"name"`
	AccountType     string          `json:"accountType"`
	Available       json.RawMessage `json:"available"`
	Balance         json.RawMessage `json:"balance"`
	CreditLimit     json.RawMessage `json:"creditLimit"`
}

func parseAccount(b []byte) (Account, error) {
	var r rawAccount
	if err := json.Unmarshal(b, &r); err != nil {
		return Account{}, fmt.Errorf("an account in the bank's answer cannot be read: %w", err)
	}
	name := r.AccountNumber
	if name == "" {
		name = r.AccountID
	}
	if r.AccountID == "" {
		return Account{}, fmt.Errorf("account %s in the bank's answer has no accountId", name)
	}
	a := Account{ID: r.AccountID, Number: r.AccountNumber, OwnerCustomerID: r.OwnerCustomerID, Name: r.Name, Type: r.AccountType}
	var err error
	if a.Available, err = optAmount(r.Available); err != nil {
		return Account{}, fmt.Errorf("account %s: available: %w", name, err)
	}
	if a.Balance, err = amount(r.Balance); err != nil {
		return Account{}, fmt.Errorf("account %s: balance: %w", name, err)
	}
	if a.CreditLimit, err = optAmount(r.CreditLimit); err != nil {
		return Account{}, fmt.Errorf("account %s: creditLimit: %w", name, err)
	}
	return a, nil
}

// Accounts lists the accounts the logged-in person may administer (their
// mandate); the list may be empty.
func (c *Client) Accounts(ctx context.Context) ([]Account, error) {
	b, err := c.do(ctx, "GET", "/api/v2/Accounts", nil, nil)
	if err != nil {
		return nil, fmt.Errorf("list bank accounts: %w", err)
	}
	p, err := parsePage(b)
	if err != nil {
		return nil, fmt.Errorf("list bank accounts: %w", err)
	}
	accounts := make([]Account, 0, len(p.Items))
	for _, raw := range p.Items {
		a, err := parseAccount(raw)
		if err != nil {
			return nil, fmt.Errorf("list bank accounts: %w", err)
		}
		accounts = append(accounts, a)
	}
	return accounts, nil
}

// Account fetches one account by the bank's account id.
func (c *Client) Account(ctx context.Context, id string) (Account, error) {
	if id == "" {
		return Account{}, errors.New("fetch bank account: no account id given")
	}
	b, err := c.do(ctx, "GET", "/api/v2/Accounts/"+url.PathEscape(id), nil, nil)
	if err != nil {
		return Account{}, fmt.Errorf("fetch bank account %s: %w", id, err)
	}
	a, err := parseAccount(b)
	if err != nil {
		return Account{}, fmt.Errorf("fetch bank account %s: %w", id, err)
	}
	return a, nil
}
