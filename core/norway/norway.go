// Package norway validates and formats the numbers of Norwegian business life:
// bank account numbers (kontonummer), KID payment references, organisation
// numbers and national identity numbers (fødselsnummer).
package norway

import (
	"errors"
	"fmt"
	"strings"
)

// Errors that callers may test for with errors.Is.
var (
	ErrLength   = errors.New("wrong number of digits")
	ErrDigits   = errors.New("only digits are allowed")
	ErrChecksum = errors.New("the control digit does not match")
)

// digits strips the separators people use (spaces, dots) and checks that
// what is left is n digits (or between min and max).
func digits(s string, min, max int) (string, error) {
	s = strings.NewReplacer(" ", "", ".", "", "\u00a0", "").Replace(strings.TrimSpace(s))
	for _, c := range s {
		if c < '0' || c > '9' {
			if c == '-' && min != max { // KID may end in '-' for MOD11 remainder 10
				continue
			}
			return "", ErrDigits
		}
	}
	if len(s) < min || len(s) > max {
		return "", ErrLength
	}
	return s, nil
}

// mod11 returns the MOD11 control digit of s with the given weights applied
// from the right-most digit of s leftwards; ok is false when the remainder
// makes the number invalid (control digit 10).
func mod11(s string, weights []int) (digit int, ok bool) {
	sum := 0
	for i := 0; i < len(s); i++ {
		w := weights[(len(s)-1-i)%len(weights)]
		sum += int(s[i]-'0') * w
	}
	switch r := 11 - sum%11; r {
	case 11:
		return 0, true
	case 10:
		return 10, false
	default:
		return r, true
	}
}

var weights2to7 = []int{2, 3, 4, 5, 6, 7}

// AccountNumber is an 11-digit Norwegian bank account number.
type AccountNumber string

// ParseAccountNumber reads an account number as people write it
// ("1503.20.80119", "1503 20 80119", "15032080119") and checks its MOD11
// control digit.
func ParseAccountNumber(s string) (AccountNumber, error) {
	d, err := digits(s, 11, 11)
	if err != nil {
		return "", fmt.Errorf("account number %q: %w", s, err)
	}
	if c, ok := mod11(d[:10], weights2to7); !ok || c != int(d[10]-'0') {
		return "", fmt.Errorf("account number %q: %w", s, ErrChecksum)
	}
	return AccountNumber(d), nil
}

// AccountNumberControl returns the control digit for the first ten digits of
// an account number; ok is false when no valid number starts with them.
func AccountNumberControl(first10 string) (digit byte, ok bool) {
	if d, err := digits(first10, 10, 10); err != nil || d != first10 {
		return 0, false
	}
	c, ok := mod11(first10, weights2to7)
	return byte('0' + c), ok
}

// String formats the number as 1503.20.80119.
func (a AccountNumber) String() string { return FormatAccountNumber(string(a)) }

// FormatAccountNumber formats an 11-digit account number as 1503.20.80119;
// anything else is returned as it is.
func FormatAccountNumber(s string) string {
	if len(s) != 11 {
		return s
	}
	return s[:4] + "." + s[4:6] + "." + s[6:]
}

// FormatOrgNumber formats a 9-digit organisation number as Brønnøysund
// writes it, 921 573 405; anything else is returned as it is.
func FormatOrgNumber(s string) string {
	if len(s) != 9 {
		return s
	}
	return s[:3] + " " + s[3:6] + " " + s[6:]
}

// ValidKID checks a KID payment reference: 2 to 25 digits whose last digit is
// a MOD10 (Luhn) or MOD11 control digit ('-' stands for 10 in MOD11).
func ValidKID(s string) error {
	d, err := digits(s, 2, 25)
	if err != nil {
		return fmt.Errorf("KID %q: %w", s, err)
	}
	if strings.Contains(d[:len(d)-1], "-") {
		return fmt.Errorf("KID %q: %w", s, ErrDigits)
	}
	body, last := d[:len(d)-1], d[len(d)-1]
	if last != '-' && KIDMod10(body) == last {
		return nil
	}
	if KIDMod11(body) == last {
		return nil
	}
	return fmt.Errorf("KID %q: %w", s, ErrChecksum)
}

// KIDMod10 returns the Luhn (MOD10) control digit for the KID body s.
func KIDMod10(s string) byte {
	sum := 0
	for i := 0; i < len(s); i++ {
		n := int(s[len(s)-1-i] - '0')
		if i%2 == 0 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return byte('0' + (10-sum%10)%10)
}

// KIDMod11 returns the MOD11 control digit for the KID body s, '-' for 10.
func KIDMod11(s string) byte {
	c, ok := mod11(s, weights2to7)
	if !ok {
		return '-'
	}
	return byte('0' + c)
}

// ValidOrgNumber checks a 9-digit organisation number (weights 3,2,7,6,5,4,3,2).
func ValidOrgNumber(s string) error {
	_, err := OrgNumber(s)
	return err
}

// OrgNumber returns the nine digits of an organisation number as people
// write it ("921 573 405"), or why it is none (ErrLength, ErrDigits,
// ErrChecksum).
func OrgNumber(s string) (string, error) {
	d, err := digits(s, 9, 9)
	if err != nil {
		return "", fmt.Errorf("organisation number %q: %w", s, err)
	}
	c, ok := mod11(d[:8], []int{2, 3, 4, 5, 6, 7}) // right to left: 2,3,4,5,6,7,2,3 = 3,2,7,6,5,4,3,2 left to right
	if !ok || c != int(d[8]-'0') {
		return "", fmt.Errorf("organisation number %q: %w", s, ErrChecksum)
	}
	return d, nil
}

// ValidNationalID checks an 11-digit national identity number (fødselsnummer):
// a possible date of birth, and both MOD11 control digits. D-numbers (day+40)
// and synthetic test numbers (month+40 from the Tax Administration, month+80
// as in Norwegian test data) are accepted.
func ValidNationalID(s string) error {
	d, err := digits(s, 11, 11)
	if err != nil {
		return fmt.Errorf("national identity number: %w", err)
	}
	day := int(d[0]-'0')*10 + int(d[1]-'0')
	month := int(d[2]-'0')*10 + int(d[3]-'0')
	if day > 40 {
		day -= 40
	}
	if month > 80 {
		month -= 80
	} else if month > 40 {
		month -= 40
	}
	if day < 1 || day > 31 || month < 1 || month > 12 {
		return fmt.Errorf("national identity number: %w", errors.New("not a possible date of birth"))
	}
	k1, ok1 := mod11(d[:9], []int{2, 5, 4, 9, 8, 1, 6, 7, 3})
	k2, ok2 := mod11(d[:10], weights2to7)
	if !ok1 || !ok2 || k1 != int(d[9]-'0') || k2 != int(d[10]-'0') {
		return fmt.Errorf("national identity number: %w", ErrChecksum)
	}
	return nil
}

// CardMerchant returns the shop of a card purchase as Norwegian banks
// write it in a bank line's text, "*4521 24.11 NOK 349.00 REMA 1000
// SOLSIDEN Kurs: 1.0000" (card, day of purchase, currency, amount, shop,
// exchange rate), or "" when text is not such a purchase. Such lines come
// without a counterparty, and the shop is what the owner looks for, and
// what finds the account used for it last time.
func CardMerchant(text string) string {
	rest, ok := strings.CutPrefix(text, "*")
	if !ok {
		return ""
	}
	fields := strings.SplitN(rest, " ", 5)
	if len(fields) < 5 {
		return ""
	}
	card, day, currency, amount := fields[0], fields[1], fields[2], fields[3]
	if len(card) != 4 || !allDigits(card) {
		return ""
	}
	if len(day) != 5 || day[2] != '.' || !allDigits(day[:2]) || !allDigits(day[3:]) {
		return ""
	}
	if len(currency) != 3 || !isLetters(currency) {
		return ""
	}
	whole, cents, ok := strings.Cut(amount, ".")
	if !ok || whole == "" || !allDigits(whole) || len(cents) != 2 || !allDigits(cents) {
		return ""
	}
	shop := fields[4]
	if i := strings.Index(shop, " Kurs: "); i >= 0 {
		shop = shop[:i]
	}
	// The ledger reads the shop in SQL the same way (its view
	// bank_line_parties, migration 6): change both or neither.
	return strings.Trim(shop, " ")
}

// LineParty is who a bank line was with: its counterparty, or for a card
// purchase, which comes without one, the shop in its text (CardMerchant).
// The ledger finds the account used last time by it, and the window shows
// it where the counterparty goes.
func LineParty(counterparty, text string) string {
	if counterparty != "" {
		return counterparty
	}
	return CardMerchant(text)
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func isLetters(s string) bool {
	for _, c := range s {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
