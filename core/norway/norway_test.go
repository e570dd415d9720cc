package norway

import (
	"errors"
	"testing"
)

func TestAccountNumber(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"15032080119", nil},   // the example in the bank API contract
		{"1503.20.80119", nil}, // as printed
		{"1503 20 80119", nil}, // as typed
		{"86011117947", nil},   // the example account in Norwegian bank documentation
		{"97104133219", nil},   // the contract's plan example
		{"15032080118", ErrChecksum},
		{"1503208011", ErrLength},
		{"150320801190", ErrLength},
		{"1503208011x", ErrDigits},
		{"", ErrLength},
	}
	for _, tt := range tests {
		_, err := ParseAccountNumber(tt.in)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("ParseAccountNumber(%q) error = %v, want %v", tt.in, err, tt.want)
		}
	}
	if got := AccountNumber("15032080119").String(); got != "1503.20.80119" {
		t.Errorf("String() = %q", got)
	}
	if c, ok := AccountNumberControl("1503208011"); !ok || c != '9' {
		t.Errorf("AccountNumberControl = %c, %v; want 9", c, ok)
	}
}

func TestKID(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"0000123456782", true}, // the contract's example, MOD10
		{"79927398713", true},   // the classic Luhn example
		{"12345674", true},      // MOD10
		{"0000123456783", false},
		{"79927398710", false},
		{"1", false},
		{"12345678901234567890123456", false}, // 26 digits
		{"12a4", false},
		{"1-2", false},
	}
	for _, tt := range tests {
		if err := ValidKID(tt.in); (err == nil) != tt.ok {
			t.Errorf("ValidKID(%q) = %v, want ok=%v", tt.in, err, tt.ok)
		}
	}
	// Every body gets a valid MOD10 and MOD11 KID from its control digits.
	for _, body := range []string{"1", "12345", "000012345678", "9999999999"} {
		if err := ValidKID(body + string(KIDMod10(body))); err != nil {
			t.Errorf("MOD10 KID for %s: %v", body, err)
		}
		if err := ValidKID(body + string(KIDMod11(body))); err != nil {
			t.Errorf("MOD11 KID for %s: %v", body, err)
		}
	}
	// A body whose MOD11 remainder is 10 ends in '-'.
	found := false
	for n := 10; n < 200 && !found; n++ {
		body := []byte{byte('0' + n/100), byte('0' + n/10%10), byte('0' + n%10)}
		if KIDMod11(string(body)) == '-' {
			found = true
			if err := ValidKID(string(body) + "-"); err != nil {
				t.Errorf("KID %s-: %v", body, err)
			}
		}
	}
	if !found {
		t.Fatal("no body with MOD11 remainder 10 found")
	}
}

func TestOrgNumber(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"974760673", true}, // Brønnøysundregistrene
		{"923609016", true}, // Equinor ASA
		{"974 760 673", true},
		{"974760674", false},
		{"97476067", false},
	}
	for _, tt := range tests {
		if err := ValidOrgNumber(tt.in); (err == nil) != tt.ok {
			t.Errorf("ValidOrgNumber(%q) = %v, want ok=%v", tt.in, err, tt.ok)
		}
	}
	// OrgNumber gives the digits as stored, and says why a number is none.
	for _, tt := range []struct {
		in, want string
		err      error
	}{
		{"974 760 673", "974760673", nil},
		{" 974.760.673\u00a0", "974760673", nil},
		{"974760674", "", ErrChecksum},
		{"97476067", "", ErrLength},
		{"97476067x", "", ErrDigits},
	} {
		got, err := OrgNumber(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
			t.Errorf("OrgNumber(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestNationalID(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"15887510188", true}, // demo bank users: synthetic, month+80
		{"03899210041", true},
		{"22818810001", true},
		{"01010750160", true}, // an ordinary number (1 January 1907)
		{"41010750146", false},
		{"15887510187", false}, // second control digit wrong
		{"15887510198", false}, // first control digit wrong
		{"32017512345", false}, // no 32nd day
		{"1588751018", false},
	}
	for _, tt := range tests {
		if err := ValidNationalID(tt.in); (err == nil) != tt.ok {
			t.Errorf("ValidNationalID(%q) = %v, want ok=%v", tt.in, err, tt.ok)
		}
	}
}

func FuzzAccountNumber(f *testing.F) {
	for _, s := range []string{"15032080119", "1503.20.80119", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAccountNumber(s)
		if err != nil {
			return
		}
		// A valid number formats and parses back to itself.
		b, err := ParseAccountNumber(a.String())
		if err != nil || a != b {
			t.Fatalf("%q → %q → %q, %v", s, a, b, err)
		}
	})
}

func FuzzKID(f *testing.F) {
	for _, s := range []string{"0000123456782", "12-", "1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = ValidKID(s) // must not panic
	})
}

func FuzzNationalID(f *testing.F) {
	for _, s := range []string{"15887510188", "", "00000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = ValidNationalID(s)
		_ = ValidOrgNumber(s)
	})
}

func TestCardMerchant(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"*4521 24.11 NOK 349.00 REMA 1000 SOLSIDEN Kurs: 1.0000", "REMA 1000 SOLSIDEN"},
		{"*7160 02.01 NOK 129.00 MICROSOFT*365 Kurs: 1.0000", "MICROSOFT*365"},
		{"*0042 31.12 EUR 12.50 AMAZON.DE Kurs: 11.8520", "AMAZON.DE"},
		{"*4521 24.11 NOK 1328.42 JULA SOLSIDEN", "JULA SOLSIDEN"},
		{"*4521 24.11 NOK 3.00 Kurs: Kurs: 1.0000", "Kurs:"},
		{"*4521 24.11 NOK 3.00  REMA  Kurs: 1.0000", "REMA"},
		{"Vipps oppgjør 548976", ""},
		{"Faktura Fjellbønna Kafferisteri", ""},
		{"*4521 24.11 NOK 349.00", ""},          // no shop
		{"*452 24.11 NOK 349.00 REMA", ""},      // card number too short
		{"*4521 24-11 NOK 349.00 REMA", ""},     // not a day
		{"*4521 24.11 nok 349.00 REMA", ""},     // not a currency code
		{"*4521 24.11 NOK 349,00 REMA", ""},     // not the bank's amount
		{"*4521 24.11 NOK 349.0 REMA", ""},      // one decimal
		{"4521 24.11 NOK 349.00 REMA 1000", ""}, // no star
		{"", ""},
	} {
		if got := CardMerchant(c.text); got != c.want {
			t.Errorf("CardMerchant(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestLineParty(t *testing.T) {
	card := "*4521 24.11 NOK 349.00 REMA 1000 SOLSIDEN Kurs: 1.0000"
	for _, c := range []struct{ counterparty, text, want string }{
		{"Vipps MobilePay AS", "Vipps oppgjør 548976", "Vipps MobilePay AS"},
		{"Rema Eiendom AS", card, "Rema Eiendom AS"},
		{"", card, "REMA 1000 SOLSIDEN"},
		{"", "Overføring", ""},
	} {
		if got := LineParty(c.counterparty, c.text); got != c.want {
			t.Errorf("LineParty(%q, %q) = %q, want %q", c.counterparty, c.text, got, c.want)
		}
	}
}

func TestFormatOrgNumber(t *testing.T) {
	for in, want := range map[string]string{"921573405": "921 573 405", "12345": "12345", "": ""} {
		if got := FormatOrgNumber(in); got != want {
			t.Errorf("FormatOrgNumber(%q) = %q, want %q", in, got, want)
		}
	}
}
