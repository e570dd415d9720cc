package cli

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"bankbro/core/agreement"
	"bankbro/core/ledger"
	"bankbro/core/norway"
	"bankbro/core/payments"
)

func init() {
	register("pay", "draft, approve and send one payment to the bank for signing", runPay)
	register("payments", "list payments with their status", runPayments)
}

func runPay(ctx context.Context, args []string, env Env) int {
	f := newFlags("pay", "--db FILE --from ACCOUNTNUMBER --to ACCOUNTNUMBER --name NAME --amount 1250,00 --due YYYY-MM-DD (--kid KID | --message TEXT)", env)
	db := f.String("db", "", "the ledger `FILE`")
	from := f.String("from", "", "the company's account the money leaves, with payments turned on")
	to := f.String("to", "", "the recipient's account number")
	name := f.String("name", "", "the recipient's name")
	amount := f.String("amount", "", "the amount in kroner, as `1250,00`")
	due := f.String("due", "", "the day the bank pays it, `YYYY-MM-DD`")
	kid := f.String("kid", "", "the KID (payment reference)")
	message := f.String("message", "", "a message to the recipient, when there is no KID")
	debit := f.Int("debit-account", 0, "the GL `ACCOUNT` to debit (default 2400 suppliers)")
	f.withToday()
	if code, ok := f.parse(args); !ok {
		return code
	}
	if err := f.required("db", "from", "to", "name", "amount", "due"); err != nil {
		return f.fail(err)
	}
	today, err := f.Today()
	if err != nil {
		return f.fail(err)
	}
	d := payments.Draft{FromAccount: *from, To: *to, Name: *name, KID: *kid, Message: *message, DebitAccount: *debit}
	if d.Amount, err = payments.ParseAmount(*amount); err != nil {
		return f.fail(usagef("%v", err))
	}
	if d.Due, err = payments.ParseDue(*due); err != nil {
		return f.fail(usagef("%v", err))
	}
	l, svc, done, err := f.openBank(ctx, *db, agreement.Options{Today: today, Browser: env.Browser})
	if err != nil {
		return f.fail(err)
	}
	defer done()
	p, err := payments.Create(ctx, l, d, today)
	var fe payments.FieldErrors
	if errors.As(err, &fe) {
		return f.fail(usagef("%v", fe))
	}
	if err != nil {
		return f.fail(err)
	}
	if p, err = payments.Approve(ctx, l, p.ID); err != nil {
		return f.fail(err)
	}
	client, err := svc.Client(ctx)
	if err != nil {
		return f.fail(fmt.Errorf("payment %s is approved in Bankbro but not sent: %w", p.Reference, err))
	}
	sent, err := payments.Send(ctx, l, client, p.ID)
	if err != nil { // Send's error says that sending again is safe
		return f.fail(fmt.Errorf("payment %s is approved in Bankbro but not sent (bankbro payments --refresh sends it): %w", p.Reference, err))
	}
	p = sent
	fmt.Fprintf(env.Stdout, "%s %s\nSign it in the bank: %s\n", p.Reference, p.StatusText(), payments.ApproveURL(svc.URL(), p.BankPaymentID))
	return 0
}

func runPayments(ctx context.Context, args []string, env Env) int {
	f := newFlags("payments", "--db FILE [--refresh]", env)
	db := f.String("db", "", "the ledger `FILE`")
	refresh := f.Bool("refresh", false, "ask the bank for every open payment's status first")
	f.withToday()
	if code, ok := f.parse(args); !ok {
		return code
	}
	if err := f.required("db"); err != nil {
		return f.fail(err)
	}
	today, err := f.Today()
	if err != nil {
		return f.fail(err)
	}
	var l *ledger.Ledger
	if *refresh {
		var svc *agreement.Service
		var done func()
		if l, svc, done, err = f.openBank(ctx, *db, agreement.Options{Today: today}); err != nil {
			return f.fail(err)
		}
		defer done()
		client, err := svc.Client(ctx)
		if err != nil {
			return f.fail(err)
		}
		if _, err := payments.Refresh(ctx, l, client); err != nil {
			return f.fail(err)
		}
	} else {
		if l, err = f.openLedger(ctx, *db); err != nil {
			return f.fail(err)
		}
		defer l.Close()
	}
	list, err := payments.List(ctx, l, payments.Filter{})
	if err != nil {
		return f.fail(err)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "REFERENCE\tDUE\tFROM\tTO\tNAME\tAMOUNT\tSTATUS")
	for _, p := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Reference, p.Due.Norwegian(), norway.FormatAccountNumber(p.FromAccount),
			norway.FormatAccountNumber(p.To), p.Name, p.Amount, p.StatusText())
	}
	return boolCode(tw.Flush() == nil)
}

func boolCode(ok bool) int {
	if ok {
		return 0
	}
	return 1
}
