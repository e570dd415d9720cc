package money

import (
	"math/big"
	"strings"
	"testing"
)

// exact is the oracle: s read as a decimal by math/big, in øre, when it is
// a plain decimal (digits, at most one '.', an optional leading '-').
func exact(s string) (*big.Int, bool) {
	t := strings.TrimPrefix(s, "-")
	if t == "" || strings.ContainsFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' }) || strings.Count(t, ".") > 1 {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, false
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() {
		return nil, false
	}
	return r.Num(), true
}

// FuzzParseJSONExact checks ParseJSON against math/big: what it accepts is
// the number's exact value in øre, and a plain decimal with at most two
// decimals inside int64 øre is never refused.
func FuzzParseJSONExact(f *testing.F) {
	for _, s := range []string{"0", "-0", "-1250", "1250.5", "1250.50", "0.01", "-0.01", "1.005", "1e3", "1E-2",
		"92233720368547758.07", "92233720368547758.08", "-92233720368547758.07", "00012.3", ".5", "5.", "+1", "--1", "1 000", "0x10", "١٢"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseJSON(s)
		want, ok := exact(s)
		if err != nil {
			frac := ""
			if _, f, found := strings.Cut(s, "."); found {
				frac = f
			}
			if ok && want.IsInt64() && len(frac) <= 2 && !strings.HasPrefix(strings.TrimPrefix(s, "-"), ".") && !strings.HasSuffix(s, ".") {
				t.Fatalf("ParseJSON(%q) refused an exact amount (%s øre): %v", s, want, err)
			}
			return
		}
		if !ok {
			if !strings.HasPrefix(s, "+") { // a sign people type; JSON never holds it
				t.Fatalf("ParseJSON(%q) = %d, but it is not a plain decimal", s, a)
			}
			want, ok = exact(s[1:])
			if !ok {
				t.Fatalf("ParseJSON(%q) = %d, but it is not a plain decimal", s, a)
			}
		}
		if want.Cmp(big.NewInt(int64(a))) != 0 {
			t.Fatalf("ParseJSON(%q) = %d øre, want %s", s, a, want)
		}
	})
}

// FuzzParseTyped feeds Parse what people might type. It must never panic;
// what it accepts formats (nb-NO) and parses back to the same amount, and
// its JSON form reads back exactly.
func FuzzParseTyped(f *testing.F) {
	for _, s := range []string{"1 250,50", "1250,5", "-12", "1.250,50", "kr 12", "12 kr", "12.50", "12,-", "\u2212 5",
		"1\u00a0000", "1\u202f000,00", "1.2.3", ",5", "5,", "kr", "-", "12,345", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		if a == -1<<63 {
			t.Fatalf("Parse(%q) gave the one int64 whose magnitude has no int64", s)
		}
		back, err := Parse(a.String())
		if err != nil || back != a {
			t.Fatalf("Parse(%q) = %d; its text %q reads back as %d, %v", s, a, a.String(), back, err)
		}
		back, err = Parse(a.Kr())
		if err != nil || back != a {
			t.Fatalf("Parse(%q) = %d; %q reads back as %d, %v", s, a, a.Kr(), back, err)
		}
		back, err = ParseJSON(a.JSON())
		if err != nil || back != a {
			t.Fatalf("Parse(%q) = %d; JSON %q reads back as %d, %v", s, a, a.JSON(), back, err)
		}
	})
}
