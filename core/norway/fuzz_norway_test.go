package norway

import (
	"strings"
	"testing"
)

// FuzzAccountNumberControl checks the MOD11 control digit on arbitrary ten
// digits: the number it completes is valid, and any one digit changed or
// two neighbours swapped makes it invalid (what MOD11 is for).
func FuzzAccountNumberControl(f *testing.F) {
	for _, s := range []string{"1503208011", "9710413321", "0000000000", "1234567890", "9999999999"} {
		f.Add(s, uint8(3), uint8(7))
	}
	f.Fuzz(func(t *testing.T, first10 string, pos, delta uint8) {
		d, ok := AccountNumberControl(first10)
		if !ok {
			return
		}
		n := first10 + string(d)
		if _, err := ParseAccountNumber(n); err != nil {
			t.Fatalf("%q with its control digit %c is refused: %v", first10, d, err)
		}
		b := []byte(n)
		i := int(pos) % 11
		b[i] = '0' + (b[i]-'0'+1+delta%9)%10
		if _, err := ParseAccountNumber(string(b)); err == nil {
			t.Fatalf("%s with digit %d changed (%s) is accepted", n, i, b)
		}
		b = []byte(n)
		j := int(pos) % 10
		if b[j] != b[j+1] {
			b[j], b[j+1] = b[j+1], b[j]
			if _, err := ParseAccountNumber(string(b)); err == nil {
				t.Fatalf("%s with digits %d and %d swapped (%s) is accepted", n, j, j+1, b)
			}
		}
	})
}

// FuzzKIDControl completes arbitrary digits with a MOD10 and a MOD11
// control digit: both KIDs are valid, and a changed last digit is not.
func FuzzKIDControl(f *testing.F) {
	for _, s := range []string{"000012345678", "1", "99999999999999999999999", "0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if len(body) < 1 || len(body) > 24 {
			return
		}
		for _, c := range []byte(body) {
			if c < '0' || c > '9' {
				_ = ValidKID(body) // must not panic
				return
			}
		}
		if d := KIDMod10(body); d != 0 {
			if err := ValidKID(body + string(d)); err != nil {
				t.Fatalf("KID %s%c (MOD10) refused: %v", body, d, err)
			}
		}
		if d := KIDMod11(body); d != 0 {
			if err := ValidKID(body + string(d)); err != nil {
				t.Fatalf("KID %s%c (MOD11) refused: %v", body, d, err)
			}
		}
	})
}

// FuzzOrgNumber must never panic, and an accepted number is 9 digits once
// the separators people type (spaces, dots) are left out.
func FuzzOrgNumber(f *testing.F) {
	for _, s := range []string{"974760673", "974760672", "", "97476067３", "abcdefghi"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidOrgNumber(s) == nil {
			s = strings.NewReplacer(" ", "", ".", "", "\u00a0", "").Replace(strings.TrimSpace(s))
			if len(s) != 9 {
				t.Fatalf("org number %q accepted, not 9 digits", s)
			}
			for _, c := range []byte(s) {
				if c < '0' || c > '9' {
					t.Fatalf("org number %q accepted with a non-digit", s)
				}
			}
		}
	})
}
