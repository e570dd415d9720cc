package money

import (
	"errors"
	"math"
	"testing"
)

func TestParseJSON(t *testing.T) {
	tests := []struct {
		in   string
		want Amount
		ok   bool
	}{
		{"-1250", -125000, true},
		{"1250.5", 125050, true},
		{"1250.50", 125050, true},
		{"0", 0, true},
		{"-0.01", -1, true},
		{"0.1", 10, true},
		{"92233720368547758.07", math.MaxInt64, true},
		{"92233720368547758.08", 0, false},
		{"1250.505", 0, false},
		{"1.25e3", 0, false},
		{"1E2", 0, false},
		{"NaN", 0, false},
		{"\"12\"", 0, false},
		{"", 0, false},
		{"-", 0, false},
		{"12.", 0, false},
		{".5", 0, false},
		{"1 250", 0, false},
		{"1,5", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseJSON(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseJSON(%q) = %d, %v; want %d, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	if _, err := ParseJSON("1.234"); !errors.Is(err, ErrNotExact) {
		t.Errorf("ParseJSON(1.234) error = %v, want ErrNotExact", err)
	}
}

func TestParseTyped(t *testing.T) {
	tests := []struct {
		in   string
		want Amount
		ok   bool
	}{
		{"1 250,50", 125050, true},
		{"1\u00a0250,50", 125050, true},
		{"1250,5", 125050, true},
		{"-12", -1200, true},
		{"1.250,50", 125050, true},
		{"12.50", 1250, true},
		{"1.250", 125000, true},
		{"kr 99", 9900, true},
		{"99 kr", 9900, true},
		{"100,-", 10000, true},
		{"\u22125,00", -500, true},
		{"1,234", 0, false},
		{"abc", 0, false},
		{"", 0, false},
		{"1,2,3", 0, false},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("Parse(%q) = %d, %v; want %d, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		in   Amount
		str  string
		json string
	}{
		{125050, "1\u00a0250,50", "1250.50"},
		{-125000, "-1\u00a0250,00", "-1250.00"},
		{5, "0,05", "0.05"},
		{-5, "-0,05", "-0.05"},
		{100000000, "1\u00a0000\u00a0000,00", "1000000.00"},
		{math.MinInt64, "-92\u00a0233\u00a0720\u00a0368\u00a0547\u00a0758,08", "-92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.str {
			t.Errorf("(%d).String() = %q, want %q", tt.in, got, tt.str)
		}
		if got := tt.in.JSON(); got != tt.json {
			t.Errorf("(%d).JSON() = %q, want %q", tt.in, got, tt.json)
		}
	}
	if got := Amount(-125000).Kr(); got != "-1\u00a0250,00\u00a0kr" {
		t.Errorf("Kr() = %q", got)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	var a Amount
	if err := a.UnmarshalJSON([]byte("-1250.5")); err != nil || a != -125050 {
		t.Fatalf("UnmarshalJSON = %d, %v", a, err)
	}
	if err := a.UnmarshalJSON([]byte(`"12"`)); err == nil {
		t.Errorf("a JSON string was accepted as an amount")
	}
}

func FuzzParseFormat(f *testing.F) {
	for _, s := range []int64{0, 1, -1, 125050, -125000, math.MaxInt64, math.MinInt64 + 1} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		a := Amount(n)
		if n == math.MinInt64 {
			return // its absolute value has no int64; not an amount a bank can send
		}
		got, err := Parse(a.String())
		if err != nil || got != a {
			t.Fatalf("Parse(String(%d)) = %d, %v", n, got, err)
		}
		got, err = ParseJSON(a.JSON())
		if err != nil || got != a {
			t.Fatalf("ParseJSON(JSON(%d)) = %d, %v", n, got, err)
		}
	})
}

func FuzzParseJSONText(f *testing.F) {
	for _, s := range []string{"-1250", "1250.5", "1e3", "0.001", "NaN", "92233720368547758.07"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseJSON(s)
		if err != nil {
			return
		}
		// Whatever is accepted must come back to an equal number.
		back, err := ParseJSON(a.JSON())
		if err != nil || back != a {
			t.Fatalf("ParseJSON(%q) = %d, but its JSON %q reads back as %d, %v", s, a, a.JSON(), back, err)
		}
	})
}

func TestDigits(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1\u00a0000"}, {980361, "980\u00a0361"},
		{-12500, "-12\u00a0500"}, {math.MinInt64, "-9\u00a0223\u00a0372\u00a0036\u00a0854\u00a0775\u00a0808"},
	} {
		if got := Digits(c.n); got != c.want {
			t.Errorf("Digits(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
