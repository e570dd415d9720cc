package gui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/civil"
	"bankbro/core/login"
	"bankbro/core/money"
	banksync "bankbro/core/sync"
)

// bankLinesSnapshot is what the ledger holds of an account's bank lines.
type bankLinesSnapshot struct {
	count int
	sum   money.Amount
	today int
}

func snapshotBankLines(t *testing.T, u *ui) map[int64]bankLinesSnapshot {
	t.Helper()
	accounts, err := u.ledger.BankAccounts(u.ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]bankLinesSnapshot{}
	for _, a := range accounts {
		n, err := u.ledger.CountBankTransactions(u.ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := u.ledger.BankSum(u.ctx, a.ID, civil.MustParse("2000-01-01"), u.today().AddDays(1))
		if err != nil {
			t.Fatal(err)
		}
		today, err := u.ledger.BankTransactions(u.ctx, a.ID, u.today(), u.today().AddDays(1))
		if err != nil {
			t.Fatal(err)
		}
		out[a.ID] = bankLinesSnapshot{n, sum, len(today)}
	}
	return out
}

// TestBankShowsTodaysReservations: for each account the Bank screen shows
// above its booked lines what the demo bank has reserved today, with the
// count and sum sync.Pending reads, nothing for an account without any, and
// the ledger's bank lines stay as they were.
func TestBankShowsTodaysReservations(t *testing.T) {
	u, _ := newWizardUI(t, "")
	connectDemo(t, u)
	before := snapshotBankLines(t, u)
	client, err := u.bank.Client(u.ctx)
	if err != nil {
		t.Fatal(err)
	}

	u.login = agreementLogin{u}
	obj := u.bankScreen()
	v := u.screens().bank
	v.bg.Wait()
	w := screenWindow(t, obj)

	with, without := 0, 0
	for i, a := range v.accounts {
		v.picker.SetSelectedIndex(i)
		v.bg.Wait()
		want, err := banksync.Pending(u.ctx, client, a.BankID, u.today())
		if err != nil {
			t.Fatal(err)
		}
		p := v.pending
		if len(want) == 0 {
			without++
			if len(p.box.Objects) != 0 || p.summary != "" {
				t.Errorf("%s has no reservations today, but the band shows %q", a.Name, p.summary)
			}
			continue
		}
		with++
		var sum money.Amount
		for _, r := range want {
			sum += r.Amount
		}
		wantSummary := fmt.Sprintf(lang.L("Today, not yet booked: %s, %s"),
			counted(len(want), "1 reservation", "%d reservations"), sum.Kr())
		if len(p.box.Objects) != 1 || p.box.Objects[0] != p.band || !p.band.Visible() {
			t.Fatalf("%s has %d reservations today, but the band is not shown", a.Name, len(want))
		}
		if p.item.Title != wantSummary {
			t.Errorf("%s: band = %q, want %q", a.Name, p.item.Title, wantSummary)
		}
		// Opened, it lists each one: date, text, amount.
		p.band.Open(0)
		if !p.item.Open || len(p.rows.Objects) != len(want) {
			t.Fatalf("%s: the opened band lists %d reservations, want %d", a.Name, len(p.rows.Objects), len(want))
		}
		for j, r := range want {
			cells := p.rows.Objects[j].(*fyne.Container).Objects
			date, text, amount := cells[0].(*widget.Label).Text, cells[1].(*widget.Label).Text, cells[2].(*widget.Label).Text
			if date != u.today().Norwegian() || !strings.Contains(text, r.Text) || amount != r.Amount.String() {
				t.Errorf("%s reservation %d shows %q %q %q, want %s %q %s", a.Name, j, date, text, amount,
					u.today().Norwegian(), r.Text, r.Amount)
			}
		}
		if with == 1 {
			obj.Refresh() // the window lays out again when the band grows; the test canvas does not
			shootWindow(t, "bank-reservations", w)
		}
	}
	t.Logf("%d accounts with reservations today, %d without", with, without)
	if with == 0 || without == 0 {
		t.Errorf("%d accounts with reservations today and %d without; the test wants both", with, without)
	}
	if after := snapshotBankLines(t, u); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the ledger's bank lines changed: before %v, after %v", before, after)
	}
}

// pendingLogin stands in for a bank integration that cannot give a client.
type pendingLogin struct {
	scrLogin
	err error
}

func (p pendingLogin) Client(ctx context.Context) (banksync.Bank, error) { return nil, p.err }

// TestBankReservationsStayQuiet: an expired login shows nothing on the
// Bank screen (the morning screen asks for it); a bank out of reach gets a
// quiet note, not an error.
func TestBankReservationsStayQuiet(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		note string
	}{
		{"login expired", fmt.Errorf("resume: %w", login.ErrLoginRequired), ""},
		{"bank out of reach", errors.New("dial tcp 127.0.0.1:1: connection refused"),
			lang.L("Today's reservations could not be read from the bank.")},
	} {
		t.Run(c.name, func(t *testing.T) {
			u := newScreensUI(t)
			u.login = pendingLogin{err: c.err}
			u.bankScreen()
			v := u.screens().bank
			v.bg.Wait()
			p := v.pending
			note := ""
			if len(p.box.Objects) == 1 && p.box.Objects[0] == p.note {
				note = p.note.Text
			} else if len(p.box.Objects) != 0 {
				t.Fatalf("the band shows %d objects, want at most the note", len(p.box.Objects))
			}
			if note != c.note || (note != "" && p.note.Importance != widget.LowImportance) {
				t.Errorf("note = %q (importance %v), want %q, quiet", note, p.note.Importance, c.note)
			}
			if v.lines() != 504 {
				t.Errorf("the booked lines = %d, want 504 whatever the bank says", v.lines())
			}
		})
	}
}
