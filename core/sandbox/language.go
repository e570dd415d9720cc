package sandbox

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// language is the language of a page. The bank is Norwegian: its pages are
// in bokmål, and in English for a browser that prefers English.
type language string

const (
	bokmal  language = "nb"
	english language = "en"
)

// phrase is a person-facing text in both of the bank's languages, for data
// that carries one (a user's role, a subscription).
type phrase struct{ nb, en string }

// T picks the bokmål or the English wording.
func (l language) T(nb, en string) string {
	if l == english {
		return en
	}
	return nb
}

// phrase picks p's wording in l.
func (l language) phrase(p phrase) string { return l.T(p.nb, p.en) }

// count words n things: one when n is 1, else many with n filled in
// ("%d betalinger").
func (l language) count(n int, one, many phrase) string {
	if n == 1 {
		return l.phrase(one)
	}
	return fmt.Sprintf(l.phrase(many), n)
}

// pageLanguage is the language the request's Accept-Language asks for.
func pageLanguage(r *http.Request) language {
	return chooseLanguage(strings.Join(r.Header.Values("Accept-Language"), ","))
}

// chooseLanguage reads an Accept-Language value (RFC 9110 §12.5.4): English
// when an English tag (en, en-US, …) ranks above every Norwegian one (nb, no,
// nn and their regions); bokmål otherwise, also for other languages alone.
// Ranks are the q-values; of equal ones the first listed wins, as browsers
// list the languages in the order the person chose them. q=0 excludes a tag.
func chooseLanguage(header string) language {
	var bestEN, bestNO float64
	var firstEN, firstNO int // where each best weight was first given
	for i, item := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(item, ";")
		q, ok := weight(params)
		if !ok {
			continue
		}
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		switch {
		case primary == "en" && q > bestEN:
			bestEN, firstEN = q, i
		case (primary == "nb" || primary == "no" || primary == "nn") && q > bestNO:
			bestNO, firstNO = q, i
		}
	}
	if bestEN > bestNO || (bestEN > 0 && bestEN == bestNO && firstEN < firstNO) {
		return english
	}
	return bokmal
}

// weight reads the q parameter among a language range's parameters
// ("q=0.8"; without one it is 1). ok is false when it is not a qvalue:
// 0 to 1 with at most three decimals.
func weight(params string) (q float64, ok bool) {
	q = 1
	for p := range strings.SplitSeq(params, ";") {
		name, value, found := strings.Cut(strings.TrimSpace(p), "=")
		if !found || !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil || !qvalueRe.MatchString(value) || v > 1 {
			return 0, false
		}
		q = v
	}
	return q, true
}

var qvalueRe = regexp.MustCompile(`^[01](\.[0-9]{0,3})?$`)
