package payments

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
)

var testToday = civil.MustParse("2026-11-16")

// Account numbers with valid MOD11 control digits.
const (
	acctRemit    = "12345678903" // active, remittance on
	acctNoRemit  = "12345678911" // active, remittance off
	acctInactive = "12345678938" // remittance on, not active
	acctStranger = "12345678946" // not the company's
)

// validationLedger is a ledger with three bank accounts for the rules above.
func validationLedger(t *testing.T) *ledger.Ledger {
	t.Helper()
	ctx := context.Background()
	l, err := ledger.Create(ctx, filepath.Join(t.TempDir(), "company.bankbro"),
		ledger.Company{Name: "Solsiden Kaffebar AS", OrgNumber: "974760673", ConversionDate: civil.MustParse("2026-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	err = l.Update(ctx, func(tx *ledger.Tx) error {
		for _, b := range []ledger.BankAccount{
			{BankID: "A", Number: acctRemit, Name: "Drift", GLAccount: 1920, Remittance: true, Active: true},
			{BankID: "B", Number: acctNoRemit, Name: "Lønn", GLAccount: 1921, Active: true},
			{BankID: "C", Number: acctInactive, Name: "Gammel", GLAccount: 1922, Remittance: true},
		} {
			if _, err := tx.SaveBankAccount(b); err != nil {
				return err
			}
		}
		return tx.SaveAccount(ledger.Account{Number: 6999, Name: "Closed expense", Type: ledger.Expense, Active: false})
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func validDraft() Draft {
	return Draft{FromAccount: acctRemit, To: "1503.20.80119", Name: "Gårdeier AS", Amount: money.Kroner(1250),
		Due: testToday, KID: "0000123456782"}
}

func TestValidate(t *testing.T) {
	l := validationLedger(t)
	tests := []struct {
		name  string
		edit  func(*Draft)
		field string
		value string
		msg   string
	}{
		{"valid with KID", func(d *Draft) {}, "", "", ""},
		{"valid with message", func(d *Draft) { d.KID, d.Message = "", "Husleie november" }, "", "", ""},
		{"valid MOD11 KID", func(d *Draft) { d.KID = "1234560" }, "", "", ""},
		{"valid due later", func(d *Draft) { d.Due = testToday.AddDays(30) }, "", "", ""},
		{"valid from typed with dots", func(d *Draft) { d.FromAccount = "1234.56.78903" }, "", "", ""},
		{"valid expense account", func(d *Draft) { d.DebitAccount = 6300 }, "", "", ""},
		{"from missing", func(d *Draft) { d.FromAccount = "" }, FieldFrom, "", MsgRequiredFrom},
		{"from bad control digit", func(d *Draft) { d.FromAccount = "12345678904" }, FieldFrom, "12345678904", MsgAccountChecksum},
		{"from not the company's", func(d *Draft) { d.FromAccount = acctStranger }, FieldFrom, acctStranger, MsgNotCompanyAccount},
		{"from without remittance", func(d *Draft) { d.FromAccount = acctNoRemit }, FieldFrom, acctNoRemit, MsgNoRemittance},
		{"from inactive", func(d *Draft) { d.FromAccount = acctInactive }, FieldFrom, acctInactive, MsgAccountInactive},
		{"to missing", func(d *Draft) { d.To = " " }, FieldTo, "", MsgRequiredTo},
		{"to bad control digit", func(d *Draft) { d.To = "1503.20.80118" }, FieldTo, "1503.20.80118", MsgAccountChecksum},
		{"to too short", func(d *Draft) { d.To = "1503208011" }, FieldTo, "1503208011", MsgAccountLength},
		{"to letters", func(d *Draft) { d.To = "1503208011X" }, FieldTo, "1503208011X", MsgAccountDigits},
		{"name missing", func(d *Draft) { d.Name = "  " }, FieldName, "", MsgRequiredName},
		{"name too long", func(d *Draft) { d.Name = strings.Repeat("å", 71) }, FieldName, strings.Repeat("å", 71), MsgNameTooLong},
		{"amount zero", func(d *Draft) { d.Amount = 0 }, FieldAmount, "0,00", MsgAmountNotPositive},
		{"amount negative", func(d *Draft) { d.Amount = -100 }, FieldAmount, "-1,00", MsgAmountNotPositive},
		{"due missing", func(d *Draft) { d.Due = civil.Date{} }, FieldDue, "", MsgRequiredDue},
		{"due yesterday", func(d *Draft) { d.Due = testToday.AddDays(-1) }, FieldDue, "2026-11-15", MsgDueInPast},
		{"neither KID nor message", func(d *Draft) { d.KID = "" }, FieldKID, "", MsgKIDOrMessage},
		{"KID and message", func(d *Draft) { d.Message = "hei" }, FieldKID, "0000123456782", MsgKIDAndMessage},
		{"KID bad control digit", func(d *Draft) { d.KID = "0000123456783" }, FieldKID, "0000123456783", MsgKIDChecksum},
		{"KID too short", func(d *Draft) { d.KID = "5" }, FieldKID, "5", MsgKIDLength},
		{"KID letters", func(d *Draft) { d.KID = "12A4" }, FieldKID, "12A4", MsgKIDDigits},
		{"message too long", func(d *Draft) { d.KID, d.Message = "", strings.Repeat("x", 141) }, FieldMessage, strings.Repeat("x", 141), MsgMessageTooLong},
		{"debit not in chart", func(d *Draft) { d.DebitAccount = 2401 }, FieldDebitAccount, "2401", MsgDebitNotInChart},
		{"debit inactive", func(d *Draft) { d.DebitAccount = 6999 }, FieldDebitAccount, "6999", MsgDebitInactive},
		{"debit is the bank's own", func(d *Draft) { d.DebitAccount = 1920 }, FieldDebitAccount, "1920", MsgDebitIsBank},
		// To another of the company's accounts: a transfer, which debits
		// that account's GL account (chosen when none is).
		{"transfer to the company's own account", func(d *Draft) { d.To = acctNoRemit }, "", "", ""},
		{"transfer debiting its GL account", func(d *Draft) { d.To, d.DebitAccount = acctNoRemit, 1921 }, "", "", ""},
		{"transfer debiting suppliers", func(d *Draft) { d.To, d.DebitAccount = acctNoRemit, 2400 }, FieldDebitAccount, "2400", MsgDebitNotOwn},
		{"transfer to an inactive account of the company", func(d *Draft) { d.To, d.DebitAccount = acctInactive, 6300 }, FieldDebitAccount, "6300", MsgDebitNotOwn},
		{"to the account paid from", func(d *Draft) { d.To = "1234.56.78903" }, FieldTo, "1234.56.78903", MsgToIsFrom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := validDraft()
			tt.edit(&d)
			got := d.Validate(context.Background(), l, testToday)
			if tt.field == "" {
				if len(got) != 0 {
					t.Fatalf("Validate(%+v) = %v, want no errors", d, got)
				}
				return
			}
			want := FieldError{Field: tt.field, Value: tt.value, Message: tt.msg}
			if len(got) != 1 || got[0] != want {
				t.Fatalf("Validate(%+v) = %#v, want just %#v", d, got, want)
			}
			if e, ok := got.For(tt.field); !ok || e != want {
				t.Errorf("For(%q) = %v, %v; want %v", tt.field, e, ok, want)
			}
		})
	}
}

func TestValidateWithoutLedgerAndAllAtOnce(t *testing.T) {
	// Without a ledger the account rules that need it are left out.
	d := validDraft()
	d.FromAccount = acctStranger
	if got := d.Validate(context.Background(), nil, testToday); len(got) != 0 {
		t.Errorf("Validate without a ledger = %v, want no errors", got)
	}
	// An empty form names every required field, in the form's order.
	got := Draft{}.Validate(context.Background(), nil, testToday)
	var fields []string
	for _, e := range got {
		fields = append(fields, e.Field)
	}
	want := []string{FieldFrom, FieldTo, FieldName, FieldAmount, FieldDue, FieldKID}
	if strings.Join(fields, ",") != strings.Join(want, ",") {
		t.Errorf("empty draft: fields %v, want %v", fields, want)
	}
}

func TestFieldErrorSentences(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{FieldError{Field: FieldTo, Value: "1503.20.80118", Message: MsgAccountChecksum},
			`to account "1503.20.80118": has a wrong control digit (MOD11)`},
		{FieldError{Field: FieldName, Message: MsgRequiredName}, `recipient name: give the recipient's name`},
		{FieldErrors{{Field: FieldAmount, Value: "0,00", Message: MsgAmountNotPositive}, {Field: FieldKID, Message: MsgKIDOrMessage}},
			`the payment is not valid: amount "0,00": must be more than zero; KID: give either a KID or a message`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestParseAmountAndDue(t *testing.T) {
	// A third decimal is said as such, not as no amount at all.
	amounts := []struct {
		in   string
		want money.Amount
		ok   bool
		msg  string
	}{
		{"1250,00", 125000, true, ""},
		{"1 250,5", 125050, true, ""},
		{"12,345", 0, false, MsgAmountTooPrecise},
		{"1250,005", 0, false, MsgAmountTooPrecise},
		{"tolv", 0, false, MsgAmountUnreadable},
	}
	for _, tt := range amounts {
		got, err := ParseAmount(tt.in)
		var fe FieldError
		switch {
		case tt.ok && (err != nil || got != tt.want):
			t.Errorf("ParseAmount(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		case !tt.ok && (!errors.As(err, &fe) || fe.Field != FieldAmount || fe.Value != tt.in || fe.Message != tt.msg):
			t.Errorf("ParseAmount(%q) error = %v, want a FieldError naming the amount and the text, saying %q", tt.in, err, tt.msg)
		}
	}
	dates := []struct {
		in   string
		want string
	}{
		{"2026-11-30", "2026-11-30"},
		{"30.11.2026", "2026-11-30"},
		{"30/11", ""},
	}
	for _, tt := range dates {
		got, err := ParseDue(tt.in)
		var fe FieldError
		switch {
		case tt.want != "" && (err != nil || got.String() != tt.want):
			t.Errorf("ParseDue(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		case tt.want == "" && (!errors.As(err, &fe) || fe.Field != FieldDue || fe.Value != tt.in):
			t.Errorf("ParseDue(%q) error = %v, want a FieldError naming the due date and the text", tt.in, err)
		}
	}
}

func TestCreateApproveCancel(t *testing.T) {
	ctx := context.Background()
	l := validationLedger(t)
	bad := validDraft()
	bad.To = "1503.20.80118"
	_, err := Create(ctx, l, bad, testToday)
	var fes FieldErrors
	if !errors.As(err, &fes) || len(fes) != 1 || fes[0].Field != FieldTo {
		t.Fatalf("Create(invalid) error = %v, want FieldErrors naming %s", err, FieldTo)
	}

	d := validDraft()
	d.KID = "0000 1234 5678 2"
	p, err := Create(ctx, l, d, testToday)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != StatusDraft || p.To != "15032080119" || p.KID != "0000123456782" || p.DebitAccount != DefaultDebitAccount ||
		p.FromAccount != acctRemit || !strings.HasPrefix(p.Reference, "BB-") {
		t.Errorf("Create = %+v, want a normalized draft with a BB- reference", p)
	}
	if _, err := Send(ctx, l, nil, p.ID); !errors.Is(err, ErrWrongStatus) {
		t.Errorf("Send(draft) error = %v, want ErrWrongStatus", err)
	}
	if p, err = Approve(ctx, l, p.ID); err != nil || p.Status != StatusApproved {
		t.Fatalf("Approve = %v, %v; want approved", p.Status, err)
	}
	if p, err = Approve(ctx, l, p.ID); err != nil || p.Status != StatusApproved {
		t.Errorf("Approve again = %v, %v; want approved, no error", p.Status, err)
	}
	if p, err = Cancel(ctx, l, p.ID); err != nil || p.Status != StatusCancelled {
		t.Fatalf("Cancel = %v, %v; want cancelled", p.Status, err)
	}
	if _, err := Approve(ctx, l, p.ID); !errors.Is(err, ErrWrongStatus) {
		t.Errorf("Approve(cancelled) error = %v, want ErrWrongStatus", err)
	}
	hist, err := History(ctx, l, p.ID)
	if err != nil || len(hist) != 3 || hist[0].Status != StatusDraft || hist[1].Status != StatusApproved || hist[2].Status != StatusCancelled {
		t.Errorf("History = %+v, %v; want draft, approved, cancelled", hist, err)
	}
}

func TestStatusTextAndApproveURL(t *testing.T) {
	want := map[Status]string{
		StatusPendingApproval: "awaiting signing in the bank",
		StatusScheduled:       "scheduled",
		StatusWaiting:         "waiting for funds",
		StatusProcessed:       "paid",
		StatusRejected:        "rejected",
		StatusCancelled:       "cancelled",
		StatusDraft:           "draft",
	}
	for s, w := range want {
		if got := StatusText(s); got != w {
			t.Errorf("StatusText(%s) = %q, want %q", s, got, w)
		}
	}
	for _, s := range Statuses {
		if StatusText(s) == "" {
			t.Errorf("StatusText(%s) is empty", s)
		}
	}
	got := ApproveURL("http://127.0.0.1:5000/", "P1", "P2")
	if w := "http://127.0.0.1:5000/payments/approve?paymentIds=P1%2CP2"; got != w {
		t.Errorf("ApproveURL = %q, want %q", got, w)
	}
}

// Similar finds a payment that would pay the same thing twice: the same
// invoice (KID) to the same account and amount, on any day; or the same
// message on the same due date. What was cancelled does not count, nor
// another amount, account, KID or day.
func TestSimilar(t *testing.T) {
	ctx := context.Background()
	l := validationLedger(t)
	create := func(d Draft) Payment {
		t.Helper()
		p, err := Create(ctx, l, d, testToday)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	withKID := validDraft()
	withKID.KID, withKID.Message = "0000 1234 5678 2", ""
	kid := create(withKID)
	withMessage := validDraft()
	withMessage.KID, withMessage.Message = "", "Faktura 2231"
	msg := create(withMessage)
	gone := validDraft()
	gone.KID, gone.Message, gone.Amount = "", "Faktura 9", money.Kroner(77)
	if _, err := Cancel(ctx, l, create(gone).ID); err != nil {
		t.Fatal(err)
	}

	later := withKID
	later.Due = withKID.Due.AddDays(14)
	otherAmount := withKID
	otherAmount.Amount++
	otherAccount := withKID
	otherAccount.To = "97104133219"
	otherKID := withKID
	otherKID.KID = "0000123456781"
	otherDay := withMessage
	otherDay.Due = withMessage.Due.AddDays(1)
	spaced := withMessage
	spaced.Message = "  Faktura 2231 "
	for _, c := range []struct {
		name string
		d    Draft
		want []int64
	}{
		{"the same invoice", withKID, []int64{kid.ID}},
		{"the same invoice due later", later, []int64{kid.ID}},
		{"another amount", otherAmount, nil},
		{"another account", otherAccount, nil},
		{"another KID", otherKID, nil},
		{"the same message and day", spaced, []int64{msg.ID}},
		{"the same message another day", otherDay, nil},
		{"like a cancelled one", gone, nil},
	} {
		got, err := Similar(ctx, l, c.d)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, p := range got {
			ids = append(ids, p.ID)
		}
		if !slices.Equal(ids, c.want) {
			t.Errorf("%s: Similar = %v, want %v", c.name, ids, c.want)
		}
	}
}

// A payment debits suppliers unless told otherwise, and a transfer to
// another of the company's accounts that account's GL account.
func TestWithDefaults(t *testing.T) {
	l := validationLedger(t)
	ctx := context.Background()
	for _, c := range []struct {
		to    string
		debit int
		want  int
	}{
		{"1503.20.80119", 0, DefaultDebitAccount},
		{"1503.20.80119", 6300, 6300},
		{acctNoRemit, 0, 1921},
		{"1234.56.78911", 0, 1921},
		{acctInactive, 0, 1922},
		{acctNoRemit, 2400, 2400}, // told otherwise: Validate says what is wrong
	} {
		d := validDraft()
		d.To, d.DebitAccount = c.to, c.debit
		if got := d.WithDefaults(ctx, l); got.DebitAccount != c.want || got.To != digitsOnly(c.to) {
			t.Errorf("to %s, debit %d: WithDefaults debits %d (to %s), want %d", c.to, c.debit, got.DebitAccount, got.To, c.want)
		}
	}
}
