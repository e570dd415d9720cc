// Package money is amounts in Norwegian kroner, held as whole øre.
//
// Amounts never pass through float64: bank JSON numbers are parsed from their
// text, and what people type is parsed digit by digit.
package money

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Amount is a sum of money in øre (1 krone = 100 øre).
type Amount int64

// Øre per krone.
const perKrone = 100

// NBSP is the thousands separator in Norwegian formatting.
const NBSP = "\u00a0"

// ErrNotExact is returned for numbers that carry more precision than øre.
var ErrNotExact = errors.New("more than two decimals")

// Kroner returns the amount of whole kroner n as an Amount.
func Kroner(n int64) Amount { return Amount(n * perKrone) }

// ParseJSON parses a bank JSON number from its text, exactly: "-1250", "1250.5"
// and "1250.50" are accepted; exponents, more than two decimals, NaN and
// values outside int64 øre are errors.
func ParseJSON(s string) (Amount, error) {
	a, err := parseDecimal(s, '.', "")
	if err != nil {
		return 0, fmt.Errorf("amount %q: %w", s, err)
	}
	return a, nil
}

// Parse reads an amount as people type it in Norway: "1 250,50", "1250,5",
// "-12", "1.250,50" (dot or space as thousands separator), "kr 12" and "12 kr".
// A single dot followed by one or two digits is also read as a decimal point
// ("12.50"), since people paste such numbers.
func Parse(s string) (Amount, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(t, "kr"), "kr"))
	t = strings.TrimSuffix(t, ",-")
	t = strings.NewReplacer(NBSP, "", " ", "", "\u202f", "", "\u2212", "-").Replace(t)
	if !strings.Contains(t, ",") {
		if i := strings.LastIndexByte(t, '.'); i >= 0 && strings.Count(t, ".") == 1 && len(t)-i-1 <= 2 {
			t = t[:i] + "," + t[i+1:]
		}
	}
	a, err := parseDecimal(t, ',', ".")
	if err != nil {
		return 0, fmt.Errorf("%q is not an amount: %w", s, err)
	}
	return a, nil
}

// parseDecimal parses [-]digits[sep digits] with grouping characters allowed
// in the integer part.
func parseDecimal(s string, sep byte, grouping string) (Amount, error) {
	if s == "" {
		return 0, errors.New("empty")
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, string(sep))
	if grouping != "" {
		intPart = strings.ReplaceAll(intPart, grouping, "")
	}
	if intPart == "" || (hasFrac && frac == "") {
		return 0, errors.New("not a number")
	}
	if len(frac) > 2 {
		return 0, ErrNotExact
	}
	var v uint64
	for _, c := range []byte(intPart + frac + strings.Repeat("0", 2-len(frac))) {
		if c < '0' || c > '9' {
			return 0, errors.New("not a number")
		}
		d := uint64(c - '0')
		if v > (math.MaxInt64-d)/10 {
			return 0, errors.New("too large")
		}
		v = v*10 + d
	}
	if neg {
		return -Amount(v), nil
	}
	return Amount(v), nil
}

// JSON returns the amount as a JSON number text with two decimals: -1250.50.
func (a Amount) JSON() string {
	sign, whole, frac := a.parts()
	return fmt.Sprintf("%s%d.%02d", sign, whole, frac)
}

// MarshalJSON writes the amount as an exact JSON number.
func (a Amount) MarshalJSON() ([]byte, error) { return []byte(a.JSON()), nil }

// UnmarshalJSON reads an exact JSON number; strings and inexact numbers are errors.
func (a *Amount) UnmarshalJSON(b []byte) error {
	v, err := ParseJSON(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

func (a Amount) parts() (sign string, whole, frac uint64) {
	u := uint64(a)
	if a < 0 {
		sign, u = "-", uint64(-(a+1))+1 // safe for math.MinInt64
	}
	return sign, u / perKrone, u % perKrone
}

// String formats the amount the Norwegian way: 1 250,50 and -1 250,00, with
// a non-breaking space between thousands.
func (a Amount) String() string {
	sign, whole, frac := a.parts()
	return sign + group(whole) + fmt.Sprintf(",%02d", frac)
}

// Digits formats a whole number the way amounts group their thousands:
// 980 361 and -12 500. For quantities people read (lines, matches), not for
// numbers that name something (accounts, vouchers).
func Digits(n int64) string {
	if n < 0 {
		return "-" + group(uint64(-(n+1))+1) // safe for math.MinInt64
	}
	return group(uint64(n))
}

// group writes n with a non-breaking space between thousands.
func group(n uint64) string {
	digits := strconv.FormatUint(n, 10)
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(NBSP)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Kr formats the amount with the currency: -1 250,00 kr.
func (a Amount) Kr() string { return a.String() + NBSP + "kr" }

// Abs returns the absolute value.
func (a Amount) Abs() Amount {
	if a < 0 {
		return -a
	}
	return a
}
