package cli

import (
	"context"
	"errors"
	"fmt"

	"bankbro/core/agreement"
	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/norway"
	"bankbro/core/payments"
)

func init() {
	register("pay", "draft, approve and send one payment to the bank for signing", runPay)
	register("payments", "list payments with their status", runPayments)
}

func runPay(ctx context.Context, args []string, env Env) int {
	f := newFlags("pay", "--db FILE --from ACCOUNTNUMBER --to ACCOUNTNUMBER --name NAME --amount 1250,00 --due YYYY-MM-DD (--kid KID | --message TEXT) [--again]", env)
	db := f.String("db", "", "the ledger `FILE`")
	from := f.String("from", "", "the company's account the money leaves, with payments turned on")
	to := f.String("to", "", "the recipient's account number")
	name := f.String("name", "", "the recipient's name")
	amount := f.String("amount", "", "the amount in kroner, as `1250,00`")
	due := f.String("due", "", "the day the bank pays it, `YYYY-MM-DD`")
	kid := f.String("kid", "", "the KID (payment reference)")
	message := f.String("message", "", "a message to the recipient, when there is no KID")
	debit := f.Int("debit-account", 0, "the GL `ACCOUNT` to debit (default 2400 suppliers; to another of the company's accounts, its GL account)")
	again := f.Bool("again", false, "send it even when the same payment is in Bankbro already (a second payment)")
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
	p, err := resumeOrCreate(ctx, l, d, today, *again)
	var fe payments.FieldErrors
	if errors.As(err, &fe) {
		return f.fail(usagef("%v", fe))
	}
	if err != nil {
		return f.fail(err)
	}
	client, err := svc.Client(ctx)
	if err != nil {
		return f.fail(fmt.Errorf("payment %s is approved in Bankbro but not sent: %w", p.Reference, err))
	}
	sent, err := payments.Send(ctx, l, client, p.ID)
	if errors.Is(err, payments.ErrRefused) {
		return f.fail(fmt.Errorf("payment %s is cancelled in Bankbro: %w", p.Reference, err))
	}
	if err != nil { // Send's error says that sending again is safe
		return f.fail(fmt.Errorf("payment %s is approved in Bankbro but not sent (bankbro payments --db FILE --refresh sends it): %w", p.Reference, err))
	}
	p = sent
	fmt.Fprintf(env.Stdout, "%s %s\nSign it in the bank: %s\n", p.Reference, p.StatusText(), payments.ApproveURL(svc.URL(), p.BankPaymentID))
	return 0
}

// resumeOrCreate returns the approved payment to send for d. The same
// command run again after a send failed sends the payment it stored then
// (the same in every field), rather than a second one for the next refresh
// to send as well. Any other payment like d in Bankbro (payments.Similar)
// stops it, unless again; but not one that is approved and unsent, which
// the next refresh sends: with it, --again would pay twice.
func resumeOrCreate(ctx context.Context, l *ledger.Ledger, d payments.Draft, today civil.Date, again bool) (payments.Payment, error) {
	if errs := d.Validate(ctx, l, today); len(errs) > 0 {
		return payments.Payment{}, errs
	}
	same, err := payments.Similar(ctx, l, d)
	if err != nil {
		return payments.Payment{}, err
	}
	n := d.WithDefaults(ctx, l)
	for _, p := range same {
		if !p.Unsent() || p.Status != payments.StatusApproved {
			continue
		}
		if p.FromAccount == n.FromAccount && p.Due == n.Due && p.KID == n.KID && p.Message == n.Message &&
			p.Name == n.Name && p.DebitAccount == n.DebitAccount {
			return p, nil
		}
		return payments.Payment{}, fmt.Errorf("payment %s like this one (%s kr to %s, due %s) is approved and not sent yet: `bankbro payments --db FILE --refresh` sends it; cancel it (bankbro payments --db FILE --cancel %[1]s) to send this one instead",
			p.Reference, p.Amount, p.Name, p.Due.Norwegian())
	}
	if len(same) > 0 && !again {
		p := same[0]
		return payments.Payment{}, fmt.Errorf("the same payment is in Bankbro already: %s to %s, %s kr, due %s, %s; nothing was sent (--again sends another)",
			p.Reference, p.Name, p.Amount, p.Due.Norwegian(), p.StatusText())
	}
	p, err := payments.Create(ctx, l, d, today)
	if err != nil {
		return payments.Payment{}, err
	}
	return payments.Approve(ctx, l, p.ID)
}

func runPayments(ctx context.Context, args []string, env Env) int {
	f := newFlags("payments", "--db FILE [--refresh | --cancel REFERENCE]", env)
	db := f.String("db", "", "the ledger `FILE`")
	refresh := f.Bool("refresh", false, "ask the bank for every open payment's status first")
	cancel := f.String("cancel", "", "cancel the payment with this `REFERENCE`, which the bank does not have (its send failed), so that no refresh sends it")
	f.withToday()
	if code, ok := f.parse(args); !ok {
		return code
	}
	if err := f.required("db"); err != nil {
		return f.fail(err)
	}
	if *refresh && *cancel != "" {
		return f.fail(usagef("--refresh and --cancel: one at a time"))
	}
	today, err := f.Today()
	if err != nil {
		return f.fail(err)
	}
	if *cancel != "" {
		return cancelPayment(ctx, f, *db, *cancel, today)
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
	tw := table(env.Stdout)
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

// cancelPayment is `payments --cancel`: the window's cancel of a payment
// whose send failed (payments.CancelUnsent, which asks the bank first; a
// draft is cancelled without it).
func cancelPayment(ctx context.Context, f *flags, db, reference string, today civil.Date) int {
	l, svc, done, err := f.openBank(ctx, db, agreement.Options{Today: today})
	if err != nil {
		return f.fail(err)
	}
	defer done()
	p, err := payments.ByReference(ctx, l, reference)
	if err != nil {
		return f.fail(err)
	}
	was := p
	p, err = payments.CancelUnsent(ctx, l, func(ctx context.Context) (payments.Bank, error) { return svc.Client(ctx) }, p.ID)
	if errors.Is(err, payments.ErrWrongStatus) { // at the bank: no login was needed to say so
		return f.fail(fmt.Errorf("payment %s is not cancelled: it is %s; stop it in the online bank", reference, was.StatusText()))
	}
	if errors.Is(err, payments.ErrAtBank) {
		return f.fail(fmt.Errorf("payment %s is not cancelled: the bank has it, %s; stop it in the online bank", reference, p.StatusText()))
	}
	if err != nil {
		return f.fail(err)
	}
	fmt.Fprintf(f.env.Stdout, "%s %s\n", p.Reference, p.StatusText())
	return 0
}
