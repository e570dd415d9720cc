package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// The demo bank embedded in the app is a new process at every start. A real
// bank keeps its logins, payments and agreements; so does this one when
// Options.StateFile names a file: it is read at start and written after
// every request that changed something. Without a state file everything
// lives in memory, as the tests want it.

// state is what a demo bank keeps between runs. Access tokens and login
// pages in progress are not kept: they live minutes, and the app refreshes
// its access token when it starts.
type state struct {
	Version     int                   `json:"version"`
	Seed        int64                 `json:"seed"`
	Integration string                `json:"integration"`
	IntegSince  civil.Date            `json:"integrationSince"`
	Processed   int                   `json:"processedDay"`
	Grants      []grantState          `json:"grants"`
	Payments    []paymentState        `json:"payments"`
	Paid        map[int][]Transaction `json:"paid"`
}

type grantState struct {
	ID         string    `json:"id"`
	NationalID string    `json:"nationalId"`
	Scope      string    `json:"scope"`
	Login      time.Time `json:"login"`
	Refresh    string    `json:"refresh"`
	Revoked    bool      `json:"revoked"`
}

type paymentState struct {
	ID          string       `json:"id"`
	Account     int          `json:"account"`
	Recipient   string       `json:"recipient"`
	Beneficiary string       `json:"beneficiary"`
	Amount      money.Amount `json:"amount"`
	Due         civil.Date   `json:"due"`
	KID         string       `json:"kid"`
	Text        string       `json:"text"`
	Reference   string       `json:"reference"`
	Status      string       `json:"status"`
	Details     string       `json:"details"`
	Tries       int          `json:"tries"`
	LastTry     int          `json:"lastTry"`
}

const stateVersion = 1

// snapshot captures the state. Callers hold mu.
func (b *Bank) snapshot() state {
	s := state{Version: stateVersion, Seed: b.seed, Integration: b.integration, IntegSince: b.integSince,
		Processed: b.processed, Paid: b.paid}
	for _, g := range b.grants {
		s.Grants = append(s.Grants, grantState{g.id, g.nationalID, g.scope, g.login, g.refresh, g.revoked})
	}
	for _, p := range b.payments {
		s.Payments = append(s.Payments, paymentState{p.id, p.acct.idx, p.recipient, p.beneficiary, p.amount, p.due,
			p.kid, p.text, p.reference, p.status, p.details, p.tries, p.lastTry})
	}
	return s
}

// restore loads a snapshot into a new bank. Callers hold mu (or own b).
func (b *Bank) restore(s state) error {
	if s.Version != stateVersion || s.Seed != b.seed {
		return fmt.Errorf("the state was written for another demo bank (version %d, seed %d)", s.Version, s.Seed)
	}
	b.integration, b.integSince = s.Integration, s.IntegSince
	if s.Processed > b.processed || b.today.IsZero() {
		b.processed = s.Processed
	}
	for _, g := range s.Grants {
		b.grants[g.ID] = &grant{id: g.ID, nationalID: g.NationalID, scope: g.Scope, login: g.Login, refresh: g.Refresh, revoked: g.Revoked}
		if !g.Revoked && g.Refresh != "" {
			b.refresh[g.Refresh] = g.ID
		}
	}
	for _, ps := range s.Payments {
		if ps.Account < 0 || ps.Account >= len(b.c.accounts) {
			return fmt.Errorf("payment %s names account %d, which this bank does not have", ps.ID, ps.Account)
		}
		p := &payment{id: ps.ID, acct: b.c.accounts[ps.Account], recipient: ps.Recipient, beneficiary: ps.Beneficiary,
			amount: ps.Amount, due: ps.Due, kid: ps.KID, text: ps.Text, reference: ps.Reference, status: ps.Status,
			details: ps.Details, tries: ps.Tries, lastTry: ps.LastTry}
		b.payments = append(b.payments, p)
		b.byID[p.id], b.byRef[p.reference] = p, p
	}
	for idx, lines := range s.Paid {
		b.paid[idx] = lines
		sums := map[int]money.Amount{}
		for _, t := range lines {
			sums[dayOf(t.AccountingDate)] += t.Amount
		}
		b.paidSum[idx] = sums
	}
	return nil
}

// load reads the state file, if there is one.
func (b *Bank) load() error {
	data, err := os.ReadFile(b.stateFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the demo bank's state: %w", err)
	}
	var s state
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("the demo bank's state file %s is damaged: %w", b.stateFile, err)
	}
	if err := b.restore(s); err != nil {
		return fmt.Errorf("the demo bank's state file %s: %w", b.stateFile, err)
	}
	b.saved = data
	return nil
}

// save writes the state when it changed since the last save: to a
// temporary file, then renamed, so a crash leaves the old or the new state.
// The file holds the demo bank's refresh tokens, so only its owner may read it.
func (b *Bank) save() error {
	b.mu.Lock()
	data, err := json.Marshal(b.snapshot())
	if err != nil || bytes.Equal(data, b.saved) {
		b.mu.Unlock()
		return err
	}
	b.saved = data
	b.mu.Unlock()
	tmp, err := os.CreateTemp(filepath.Dir(b.stateFile), ".demobank-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), b.stateFile)
}

// persisting saves the state after every request, when there is a state file.
func (b *Bank) persisting(next http.Handler) http.Handler {
	if b.stateFile == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		b.saveMu.Lock()
		defer b.saveMu.Unlock()
		if err := b.save(); err != nil {
			b.saveErr = err
		}
	})
}

// persist saves the state now, when there is a state file (for changes made
// through Go calls rather than requests).
func (b *Bank) persist() {
	if b.stateFile == "" {
		return
	}
	b.saveMu.Lock()
	defer b.saveMu.Unlock()
	if err := b.save(); err != nil {
		b.saveErr = err
	}
}
