package norway

import (
	"fmt"
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

// FuzzCardMerchant checks that the shop comes back out of any card text
// written the way the bank writes it, and that anything else gives either
// nothing or a part of the text.
func FuzzCardMerchant(f *testing.F) {
	f.Add("REMA 1000 SOLSIDEN", uint16(4521), uint8(24), uint8(11), uint32(34900), "*4521 24.11 NOK 349.00 REMA Kurs: 1.0000")
	f.Add("MICROSOFT*365", uint16(7), uint8(1), uint8(2), uint32(12900), "Vipps oppgjør 548976")
	f.Fuzz(func(t *testing.T, shop string, card uint16, day, month uint8, ore uint32, other string) {
		if got := CardMerchant(other); got != "" && !strings.Contains(other, got) {
			t.Fatalf("CardMerchant(%q) = %q, not a part of the text", other, got)
		}
		shop = strings.TrimSpace(shop)
		if shop == "" || strings.Contains(shop, " Kurs: ") || strings.TrimSpace(shop+" ") != shop {
			return
		}
		text := fmt.Sprintf("*%04d %02d.%02d NOK %d.%02d %s Kurs: 1.0000", card%10000, day%100, month%100, ore/100, ore%100, shop)
		if got := CardMerchant(text); got != shop {
			t.Fatalf("CardMerchant(%q) = %q, want %q", text, got, shop)
		}
	})
}
