package reconcile

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"bankbro/core/civil"
	"bankbro/core/ledger"
	"bankbro/core/money"
)

// FuzzWriteCSV writes a report whose account name, bank line text and
// posting text are arbitrary, reads it back with encoding/csv and ';', and
// wants every field back as written: a text with ; " or a line break must
// not split, join or shift a row. (A spreadsheet, like encoding/csv, reads
// CR LF inside a quoted field as LF, so that is the one change allowed.)
func FuzzWriteCSV(f *testing.F) {
	for _, s := range [][3]string{
		{"Driftskonto", "Husleie november", "Husleie"},
		{"a;b", `Sa "hei"`, "line\nbreak"},
		{"", "\r\n", "\"\";;\n"},
		{" leading space", "trailing ", "\t"},
		{"=SUM(A1:A9)", "ÆØÅ æøå", "\x00\xff"},
		{"\\.", ";", "\""},
	} {
		f.Add(s[0], s[1], s[2], int64(-125050))
	}
	f.Fuzz(func(t *testing.T, name, lineText, postingText string, amount int64) {
		if amount == -1<<63 {
			return // no bank sends it: its magnitude has no int64
		}
		day := civil.MustParse("2026-11-25")
		a := money.Amount(amount)
		r := Report{From: day.AddDays(-1), To: day, Accounts: []AccountReport{{
			BankAccount:  ledger.BankAccount{Number: "15032080119", Name: name, GLAccount: 1920},
			Date:         day,
			BankKnown:    true,
			BankBalance:  a,
			OpenLines:    1,
			OpenPostings: 1,
			Days:         []Day{{Date: day, BankKnown: true, Bank: a}},
		}}}
		items := itemList{
			{ID: 7, Date: day, Amount: a, Text: lineText},
			{Posting: true, ID: 9, Date: day, Amount: -a, Text: postingText},
		}
		var buf bytes.Buffer
		if err := r.WriteCSV(context.Background(), items, &buf); err != nil {
			t.Fatalf("WriteCSV: %v", err)
		}
		rd := csv.NewReader(&buf)
		rd.Comma = ';'
		rd.FieldsPerRecord = -1
		recs, err := rd.ReadAll()
		if err != nil {
			t.Fatalf("the CSV does not read back: %v\n%s", err, buf.String())
		}
		want := func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
		// header, account, header, bank line, posting, header, day
		if len(recs) != 7 {
			t.Fatalf("read back %d rows, want 7: %q", len(recs), recs)
		}
		widths := []int{12, 12, 6, 6, 6, 5, 5}
		for i, rec := range recs {
			if len(rec) != widths[i] {
				t.Fatalf("row %d has %d fields, want %d: %q", i, len(rec), widths[i], rec)
			}
		}
		amt := strings.Replace(a.JSON(), ".", ",", 1)
		checks := []struct{ what, got, want string }{
			{"account name", recs[1][1], want(name)},
			{"bank balance", recs[1][4], amt},
			{"bank line text", recs[3][5], want(lineText)},
			{"bank line amount", recs[3][4], amt},
			{"posting text", recs[4][5], want(postingText)},
			{"posting amount", recs[4][4], strings.Replace((-a).JSON(), ".", ",", 1)},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Fatalf("%s: wrote %q, read back %q", c.what, c.want, c.got)
			}
		}
		back, err := money.ParseJSON(strings.Replace(recs[3][4], ",", ".", 1))
		if err != nil || back != a {
			t.Fatalf("amount %d written as %q reads back as %d, %v", a, recs[3][4], back, err)
		}
	})
}

// itemList hands over the open items it holds, whatever the account and
// day: the fuzz test's report is written without a ledger.
type itemList []ledger.OpenItem

func (l itemList) EachOpenItemAt(_ context.Context, _ int64, _ int, _, _ civil.Date, fn func(ledger.OpenItem) error) error {
	for _, it := range l {
		if err := fn(it); err != nil {
			return err
		}
	}
	return nil
}
