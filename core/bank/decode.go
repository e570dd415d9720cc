package bank

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// page is the list envelope of the API.
type page struct {
	AvailableItems *int              `json:"availableItems"`
	Items          []json.RawMessage `json:"items"`
}

// parsePage reads {"availableItems": n, "items": [...]}; an answer without
// the list is an error, not an empty list.
func parsePage(b []byte) (page, error) {
	var raw struct {
		AvailableItems *int               `json:"availableItems"`
		Items          *[]json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return page{}, fmt.Errorf("the bank's answer is not a list: %w", err)
	}
	if raw.Items == nil {
		return page{}, errors.New("the bank's answer has no list of items")
	}
	if raw.AvailableItems != nil && *raw.AvailableItems < 0 {
		return page{}, fmt.Errorf("the bank's availableItems %d is not a count", *raw.AvailableItems)
	}
	return page{AvailableItems: raw.AvailableItems, Items: *raw.Items}, nil
}

// amount reads an exact JSON number; a string, null or more than two
// decimals is an error.
func amount(raw json.RawMessage) (money.Amount, error) {
	s := string(bytes.TrimSpace(raw))
	switch {
	case s == "" || s == "null":
		return 0, errors.New("the amount is missing")
	case s[0] == '"':
		return 0, fmt.Errorf("the amount %s is text, not a number", s)
	}
	a, err := money.ParseJSON(s)
	if err != nil {
		return 0, fmt.Errorf("the amount %s is not an exact sum in kroner and øre", s)
	}
	return a, nil
}

// optAmount is amount, with a missing or null field read as zero.
func optAmount(raw json.RawMessage) (money.Amount, error) {
	if s := string(bytes.TrimSpace(raw)); s == "" || s == "null" {
		return 0, nil
	}
	return amount(raw)
}

// bankDate is a date as the bank writes it: "2026-11-25T00:00:00" (Oslo
// local), "2026-11-25", or a timestamp with a zone, taken in Oslo.
type bankDate civil.Date

// UnmarshalJSON reads the bank's date forms; null and "" are the zero date.
func (d *bankDate) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = bankDate{}
		return nil
	}
	s, ok := plainString(b)
	if !ok {
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("the date %s is not text", b)
		}
	}
	if s == "" {
		*d = bankDate{}
		return nil
	}
	if len(s) > 19 { // has a zone: 2026-11-24T23:00:00Z or …+01:00
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			*d = bankDate(civil.Of(t))
			return nil
		}
	}
	v, err := civil.Parse(s)
	if err != nil {
		return err
	}
	*d = bankDate(v)
	return nil
}

// plainString returns the text of a JSON string of printable ASCII without
// escapes, the way the bank writes dates, so a date is not decoded a second
// time; ok is false for anything else (json.Unmarshal reads that).
func plainString(b []byte) (s string, ok bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	for _, c := range b[1 : len(b)-1] {
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return "", false
		}
	}
	return string(b[1 : len(b)-1]), true
}

// optInt reads a JSON integer that may be null, missing, or (leniently) a
// string of digits.
type optInt int64

// UnmarshalJSON reads a whole number; null is zero.
func (n *optInt) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if s == "null" || s == `""` {
		*n = 0
		return nil
	}
	if len(s) > 1 && s[0] == '"' {
		s = s[1 : len(s)-1]
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%s is not a whole number", b)
	}
	*n = optInt(v)
	return nil
}
