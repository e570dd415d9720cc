package sandbox

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

func TestChooseLanguage(t *testing.T) {
	tests := []struct {
		header string
		want   language
	}{
		{"", bokmal},
		{"nb", bokmal},
		{"no", bokmal},
		{"nn", bokmal},
		{"nb-NO,nb;q=0.9,en;q=0.8", bokmal},
		{"nn-NO,en-US;q=0.9", bokmal},
		{"en", english},
		{"en-GB", english},
		{"EN-us", english},
		{"en-US,en;q=0.9,nb;q=0.5", english},
		{"nb;q=0.5, en;q=0.8", english}, // the weights rank, not the order
		{"en;q=0.5, nb", bokmal},        // no q is 1
		{"en, nb", english},             // equal weights: the first listed
		{"nb, en", bokmal},
		{"en;q=0.7, no;q=0.7", english},
		{"no;q=0.7, en-US;q=0.7", bokmal},
		{"en;q=0, nb;q=0.1", bokmal}, // q=0: not acceptable
		{"en;q=0", bokmal},
		{"nb;q=0, en;q=0.1", english},
		{"de", bokmal}, // anything else: the bank's own language
		{"de, fr;q=0.8", bokmal},
		{"*", bokmal},
		{"de, en;q=0.5", english}, // English and no Norwegian at all
		{"fr, nb;q=0.3, en;q=0.2", bokmal},
		{" en-US ; q=0.9 , nb ; Q=0.8", english}, // spaces and a capital Q
		{"en;q=0.900, nb;q=0.899", english},      // three decimals
		{"en;q=1.0, nb", english},
		{"en;q=2, nb;q=0.1", bokmal}, // malformed weights drop their tag
		{"en;q=0.5000, nb;q=0.1", bokmal},
		{"en;q=abc, nb;q=0.1", bokmal},
		{"en;q=-1", bokmal},
		{"en;q=NaN", bokmal},
		{"en;q=1e-1, nb;q=0.01", bokmal},
		{"en;q=0., nb;q=0.1", bokmal}, // "0." is a qvalue: 0
		{"english, nb;q=0.1", bokmal}, // not an English tag
		{"en-US;level=1;q=0.4, nb;q=0.3", english},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got := chooseLanguage(tt.header); got != tt.want {
				t.Errorf("chooseLanguage(%q) = %s, want %s", tt.header, got, tt.want)
			}
		})
	}
	// A header sent on two lines counts as one list.
	r, _ := http.NewRequest("GET", "/", nil)
	r.Header.Add("Accept-Language", "nb;q=0.5")
	r.Header.Add("Accept-Language", "en;q=0.9")
	if got := pageLanguage(r); got != english {
		t.Errorf("two Accept-Language lines: %s, want en", got)
	}
}

// acceptLanguage is a transport that sends its value as Accept-Language
// ("" sends none, as Go's client does).
type acceptLanguage string

func (a acceptLanguage) RoundTrip(r *http.Request) (*http.Response, error) {
	if a != "" {
		r = r.Clone(r.Context())
		r.Header.Set("Accept-Language", string(a))
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestPagesInTheBrowsersLanguage fetches the login and signing pages as
// browsers with three language settings, over real HTTP: each page is in
// bokmål unless the browser prefers English, and the login and the signing
// work either way.
func TestPagesInTheBrowsersLanguage(t *testing.T) {
	s := startBank(t, Options{})
	tok := login(t, s, ManagerID).AccessToken
	op := s.Bank.AccountsFor(ManagerID)[0]
	type words struct{ login, wrong, sign, approve, signed []string }
	nb := words{
		login:   []string{"Logg inn for å koble til Bankbro", "Bankbro ber om tilgang til: kontoer, transaksjoner, betalinger", "Fødselsnummer", "Engangskode", "Godkjenn", "Avbryt", "demobank", "daglig leder"},
		wrong:   []string{"Feil fødselsnummer eller engangskode."},
		sign:    []string{"Signer betalinger", "Bankbro ber deg signere betalinger."},
		approve: []string{"Innlogget som Ingrid Solberg", "Mottaker", "Godkjenn 1 betaling"},
		signed:  []string{"Betalinger signert", "1 betaling signert med BankID."},
	}
	en := words{
		login:   []string{"Log in to connect Bankbro", "Bankbro asks for access to: accounts, transactions, payments", "National identity number", "One-time code", "Approve", "Cancel", "demo bank", "daily manager"},
		wrong:   []string{"Wrong national identity number or one-time code."},
		sign:    []string{"Sign payments", "Bankbro asks you to sign payments."},
		approve: []string{"Logged in as Ingrid Solberg", "Name", "Approve 1 payment"},
		signed:  []string{"Payments signed", "1 payment signed with BankID."},
	}
	tests := []struct {
		header string
		want   language
		words  words
	}{
		{"", bokmal, nb},
		{"nb-NO,nb;q=0.9,en;q=0.8", bokmal, nb},
		{"en-US,en;q=0.9,nb;q=0.5", english, en},
	}
	for i, tt := range tests {
		t.Run("Accept-Language "+tt.header, func(t *testing.T) {
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Transport: acceptLanguage(tt.header), Jar: jar}
			page := func(name, method, u string, form url.Values, want ...string) string {
				t.Helper()
				var resp *http.Response
				var err error
				if method == "POST" {
					resp, err = c.PostForm(u, form)
				} else {
					resp, err = c.Get(u)
				}
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				body, err := readBody(resp)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if got := resp.Header.Get("Vary"); !strings.Contains(got, "Accept-Language") {
					t.Errorf("%s: Vary %q, want Accept-Language named: the page depends on it", name, got)
				}
				if got := resp.Header.Get("Content-Language"); got != string(tt.want) {
					t.Errorf("%s: Content-Language %q, want %s", name, got, tt.want)
				}
				if !strings.Contains(body, `<html lang="`+string(tt.want)+`">`) {
					t.Errorf("%s: not <html lang=%q>: %s", name, tt.want, firstLine(body))
				}
				for _, w := range want {
					if !strings.Contains(body, w) {
						t.Errorf("%s lacks %q", name, w)
					}
				}
				return body
			}

			// The login page, a wrong code, then the whole login.
			cb := newCallback(t)
			login := page("the login page", "GET", authorizeURL(s.URL, cb.uri(), nil), nil, tt.words.login...)
			page("a wrong code", "POST", s.URL+"/identityserver/connect/authorize/login", url.Values{
				"request_id": {submatch(requestIDRe, login)}, "national_id": {ManagerID}, "otp": {"000000"}, "action": {"approve"}},
				tt.words.wrong...)
			if err := (&TestBrowser{Client: c}).Open(authorizeURL(s.URL, cb.uri(), nil)); err != nil {
				t.Fatalf("login: %v", err)
			}
			if q := cb.last(t); q.Get("code") == "" {
				t.Errorf("callback %v, want a code", q)
			}

			// Signing a payment: the login, the list, the receipt.
			ref := "BB-LANG-" + string(rune('A'+i))
			_, p, b := createPayment(t, s, tok, paymentBody(op.AccountID, "100.00", "2026-11-27", "null", "Språk", ref))
			if p.PaymentID == "" {
				t.Fatalf("create: %s", b)
			}
			sign := page("the signing login", "GET", s.URL+"/payments/approve?paymentIds="+p.PaymentID, nil, tt.words.sign...)
			list := page("the payment list", "POST", s.URL+"/identityserver/connect/authorize/login", url.Values{
				"request_id": {submatch(requestIDRe, sign)}, "national_id": {ManagerID}, "otp": {DemoOTP}, "action": {"approve"}},
				tt.words.approve...)
			page("the receipt", "POST", s.URL+"/payments/approve", url.Values{
				"request_id": {submatch(requestIDRe, list)}, "action": {"approve"}}, tt.words.signed...)
			// The API has no language: the bank's statusDetails are bokmål.
			got := getPayment(t, s, tok, op.AccountID, p.PaymentID)
			if want := "Signert med BankID; forfaller 27.11.2026"; got.Status != StatusScheduled || got.StatusDetails != want {
				t.Errorf("after signing: %s %q, want %s %q", got.Status, got.StatusDetails, StatusScheduled, want)
			}
		})
	}
}
