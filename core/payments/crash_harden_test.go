//go:build unix

package payments

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"bankbro/core/bank"
	"bankbro/core/internal/childtest"
	"bankbro/core/ledger"
	"bankbro/core/login"
	"bankbro/core/money"
	"bankbro/core/sandbox"
)

// The environment that turns TestHelperSendChild into a sending process.
const (
	envSendChild = "BANKBRO_SEND_CHILD"
	envSendBank  = "BANKBRO_SEND_BANK"
	envSendDB    = "BANKBRO_SEND_DB"
	envSendIDs   = "BANKBRO_SEND_IDS"
)

// TestHelperSendChild is not a test: run by TestSendKilled as a child
// process, it logs in and sends the approved payments given, announcing
// each, until it is killed.
func TestHelperSendChild(t *testing.T) {
	if os.Getenv(envSendChild) != "1" {
		t.Skip("only runs as the child process of TestSendKilled")
	}
	ctx := context.Background()
	l, err := ledger.Open(ctx, os.Getenv(envSendDB))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	url := os.Getenv(envSendBank)
	sess, err := login.Login(ctx, login.Config{AuthURL: url, ClientID: sandbox.ClientID,
		Browser: &sandbox.TestBrowser{NationalID: sandbox.ManagerID, OTP: sandbox.DemoOTP}})
	if err != nil {
		t.Fatal(err)
	}
	c := bank.New(url, sess.Client(ctx), bank.WithSleep(noWait))
	for _, s := range strings.Split(os.Getenv(envSendIDs), ",") {
		id, _ := strconv.ParseInt(s, 10, 64)
		os.Stdout.WriteString("sending\n")
		if _, err := Send(ctx, l, answering{c}, id); err != nil {
			t.Fatal(err)
		}
	}
	os.Stdout.WriteString("done\n")
}

// answering says "answered" when the bank has answered a payment, just
// before the answer is stored.
type answering struct{ Bank }

func (a answering) CreatePayment(ctx context.Context, req bank.PaymentRequest) (bank.Payment, error) {
	p, err := a.Bank.CreatePayment(ctx, req)
	os.Stdout.WriteString("answered\n")
	return p, err
}

// TestSendKilled kills a process sending payments with SIGKILL at random
// moments (the bank answers slowly, so kills land while the bank is being
// asked, after it has answered, and while the answer is stored), 12 times,
// then sends what is left in this process. The bank must hold exactly one
// payment per reference, and the ledger must record each payment as sent
// once, with its bank id and one voucher.
func TestSendKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 12 processes")
	}
	ctx := context.Background()
	d := newDemo(t)
	d.srv.Bank.SetFaults(sandbox.Faults{Latency: 3 * time.Millisecond})
	var ids []string
	var refs []string
	for i := range 12 {
		p := d.createAndApprove(t, d.draft(money.Kroner(int64(100+i)), demoToday.AddDays(3)))
		ids = append(ids, strconv.FormatInt(p.ID, 10))
		refs = append(refs, p.Reference)
	}
	path := d.l.Path()
	d.l.Close() // the children open it

	seed := uint64(time.Now().UnixNano())
	rnd := rand.New(rand.NewPCG(seed, 4))
	t.Logf("random seed %d", seed)
	killed := 0
	for i := range 12 {
		child := childtest.Start(t, "TestHelperSendChild", envSendChild+"=1", envSendBank+"="+d.srv.URL,
			envSendDB+"="+path, envSendIDs+"="+strings.Join(ids, ","))
		// Half the kills come at any moment of a send (the bank is slow);
		// the others within a millisecond of the bank's answer, while it
		// is stored: a store written in more than one transaction is
		// caught between them.
		line, wait := "sending", 8000
		if i%2 == 1 {
			line, wait = "answered", 1000
		}
		for n := 1 + rnd.IntN(3); n > 0 && child.WaitFor(line); n-- {
		}
		time.Sleep(time.Duration(rnd.IntN(wait)) * time.Microsecond)
		if end := child.Kill(); end.Killed {
			killed++
		} else if end.Err != nil {
			t.Fatalf("attempt %d: the child failed: %v", i, child.Cmd.ProcessState)
		}
	}
	if killed == 0 {
		t.Logf("no child was killed while sending this time; the kills prove nothing")
	}

	l, err := ledger.Open(ctx, path)
	if err != nil {
		t.Fatalf("the ledger does not open after the kills: %v", err)
	}
	defer l.Close()
	for _, s := range ids {
		id, _ := strconv.ParseInt(s, 10, 64)
		if _, err := Send(ctx, l, d.client, id); err != nil {
			t.Fatalf("send payment %d after the kills: %v", id, err)
		}
	}
	for i, s := range ids {
		id, _ := strconv.ParseInt(s, 10, 64)
		p, err := l.Payment(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if n := d.bankCount(t, refs[i]); n != 1 {
			t.Errorf("the bank holds %d payments with reference %s, want 1", n, refs[i])
		}
		if p.BankPaymentID == "" || p.Voucher == 0 {
			t.Errorf("payment %s: bank id %q, voucher %d; want it recorded as sent and posted", p.Reference, p.BankPaymentID, p.Voucher)
		}
	}
	if n := paymentVouchers(t, path); n != len(ids) {
		t.Errorf("%d payment vouchers in the ledger, want %d (one per payment)", n, len(ids))
	}
	t.Logf("%d children killed; %d payments at the bank once each, posted once each", killed, len(ids))
}

// paymentVouchers counts the vouchers that post payments, read straight
// from the file.
func paymentVouchers(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM vouchers WHERE source = 'payment'`).Scan(&n); err != nil {
		t.Fatal(fmt.Errorf("count the payment vouchers: %w", err))
	}
	return n
}
