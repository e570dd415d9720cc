package onboarding

import (
	"bytes"
	"encoding/json"
	"testing"

	"bankbro/core/norway"
)

// FuzzReadPlan feeds arbitrary bytes to ReadPlan as a plan file. It must
// never panic; a plan it accepts holds only valid 11-digit account
// numbers, and writing it out and reading it again gives the same plan.
func FuzzReadPlan(f *testing.F) {
	for _, s := range []string{
		`{"accounts":[{"accountNumber":"1503.20.80119","glAccount":1920,"remittance":true,"reconciliation":true}],
		  "feeAccount":7770,"startDate":"2026-01-05","excludeAccountsWithDifference":false,
		  "roles":{"salary":"15032080119","operating":"","taxWithholding":""}}`,
		`{"accounts":[{"accountNumber":"15032080118","glAccount":1920}]}`,
		`{"accounts":[],"feeAccount":-1,"startDate":"2026-02-30"}`,
		`{"acounts":[]}`,
		`{"roles":{"salary":"x"}}`,
		`{"accounts":null,"startDate":null}`,
		`{"feeAccount":1e99}`,
		`{} {}`,
		`[]`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ReadPlan(bytes.NewReader(b))
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ReadPlan(%q) failed without words", b)
			}
			return
		}
		for _, a := range p.Accounts {
			if n, err := norway.ParseAccountNumber(a.AccountNumber); err != nil || string(n) != a.AccountNumber {
				t.Fatalf("ReadPlan(%q) accepted account number %q", b, a.AccountNumber)
			}
		}
		for _, r := range []string{p.Roles.Salary, p.Roles.Operating, p.Roles.TaxWithholding} {
			if r == "" {
				continue
			}
			if n, err := norway.ParseAccountNumber(r); err != nil || string(n) != r {
				t.Fatalf("ReadPlan(%q) accepted role account %q", b, r)
			}
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("an accepted plan cannot be written: %v", err)
		}
		q, err := ReadPlan(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("the plan %s, written from %q, does not read back: %v", out, b, err)
		}
		again, _ := json.Marshal(q)
		if !bytes.Equal(out, again) {
			t.Fatalf("plan round trip: %s became %s", out, again)
		}
	})
}
