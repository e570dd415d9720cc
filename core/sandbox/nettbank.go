package sandbox

import (
	"crypto/subtle"
	"html/template"
	"net/http"

	"bankbro/core/norway"
)

const sessionCookie = "nettbank_session"

var nettbankPages = template.Must(template.Must(pages.Clone()).Funcs(template.FuncMap{
	"managerOnly": func(l language) string { return l.phrase(managerOnlyText) },
}).Parse(`
{{define "nb-head"}}{{template "head" .}}
<div class="layout">
<nav class="menu" aria-label="{{.T "Meny" "Menu"}}">
<a href="/nettbank" {{if eq .Nettbank.Tab "accounts"}}class="on" aria-current="page"{{end}}>{{.T "Kontoer" "Accounts"}}</a>
<a href="/nettbank/integrations" {{if eq .Nettbank.Tab "integrations"}}class="on" aria-current="page"{{end}}>{{.T "Integrasjoner" "Integrations"}}</a>
</nav>
<main class="content">
{{if .Nettbank.Notice}}<p class="notice" role="status" id="notice">{{.Nettbank.Notice}}</p>{{end}}
{{if .Error}}<p class="error" role="alert">{{.Error}}</p>{{end}}
{{end}}
{{define "nb-foot"}}</main></div></body></html>{{end}}

{{define "nb-accounts"}}{{template "nb-head" .}}
<h1>{{.Nettbank.Company}}</h1>
<p class="muted">{{.T "Organisasjonsnummer" "Organisation number"}} {{.Nettbank.OrgNr}} · {{.Nettbank.Today}}</p>
{{if .Nettbank.Accounts}}
<table><thead><tr><th>{{.T "Konto" "Account"}}</th><th>{{.T "Kontonummer" "Number"}}</th><th class="num">{{.T "Saldo" "Balance"}}</th></tr></thead><tbody>
{{range .Nettbank.Accounts}}<tr><td>{{.Name}}</td><td>{{acct .Number}}</td><td class="num">{{.Balance}}</td></tr>{{end}}
</tbody></table>
{{else}}<p class="notice" id="no-accounts">{{.T "Du har ikke fullmakt til noen av bedriftens kontoer." "You have no mandate for any of the company's accounts."}}</p>{{end}}
{{template "nb-foot" .}}{{end}}

{{define "nb-integrations"}}{{template "nb-head" .}}
<h1>{{.T "Integrasjoner" "Integrations"}}</h1>
<p>{{.T "Med en integrasjon kan et regnskapssystem lese bedriftens kontoer og sende betalinger til signering, rett fra banken." "Integrations let accounting systems read the company's accounts and send payments for signing, straight from the bank."}}</p>
{{if eq .Nettbank.State "none"}}
<p class="muted" id="state">{{.T "Ingen aktive integrasjoner." "No active integrations."}}</p>
{{else}}
<table id="active"><thead><tr><th>{{.T "Integrasjon" "Integration"}}</th><th>{{.T "Abonnement" "Subscription"}}</th><th>{{.T "Aktiv siden" "Active since"}}</th><th></th></tr></thead><tbody>
<tr><td><strong>Bankbro</strong></td><td><span class="tag" id="state">{{.Nettbank.StateName}}</span> {{.Nettbank.StateText}}</td><td>{{.Nettbank.Since}}</td>
<td>{{if .Nettbank.CanChange}}<form method="post" action="/nettbank/integrations/end"><input type="hidden" name="csrf" value="{{.Nettbank.CSRF}}"><button type="submit" class="danger" id="end">{{.T "Avslutt integrasjon" "End integration"}}</button></form>{{end}}</td></tr>
</tbody></table>
{{end}}
{{if .Nettbank.CanChange}}<p>{{if eq .Nettbank.State "none"}}<a class="button primary" href="/nettbank/integrations/new" id="new">{{.T "Ny integrasjon" "New integration"}}</a>{{else}}<a class="button secondary" href="/nettbank/integrations/new/bankbro" id="change">{{.T "Endre abonnement" "Change subscription"}}</a> <a class="button secondary" href="/nettbank/integrations/new" id="new">{{.T "Ny integrasjon" "New integration"}}</a>{{end}}</p>
{{else}}<p class="notice" id="manager-only">{{managerOnly .Lang}}</p>{{end}}
{{template "nb-foot" .}}{{end}}

{{define "nb-new"}}{{template "nb-head" .}}
<h1>{{.T "Ny integrasjon" "New integration"}}</h1>
<p>{{.T "Velg systemet bedriften vil koble til." "Choose the system the company wants to connect."}}</p>
<a class="option" href="/nettbank/integrations/new/bankbro" id="bankbro"><strong>Bankbro</strong><br><span class="muted">{{.T "Regnskap for småbedrifter: daglig import av transaksjoner, bankavstemming og betalinger." "Bookkeeping for small businesses: daily import of transactions, bank reconciliation and payments."}}</span></a>
{{template "nb-foot" .}}{{end}}

{{define "nb-subscription"}}{{template "nb-head" .}}
<h1>{{.T "Bankbro: velg abonnement" "Bankbro: choose a subscription"}}</h1>
<form method="get" action="/nettbank/integrations/new/bankbro/confirm">
<label class="option"><input type="radio" name="subscription" value="basis" id="basis" {{if eq .Nettbank.State "basis"}}checked{{end}} required><strong>Basis</strong> – {{.T "kontoer og transaksjoner (avstemming). 0 kr/mnd." "accounts and transactions (reconciliation). 0 kr/month."}}</label>
<label class="option"><input type="radio" name="subscription" value="pluss" id="pluss" {{if ne .Nettbank.State "basis"}}checked{{end}}><strong>Pluss</strong> – {{.T "avstemming og betalinger fra Bankbro, signert her med BankID. 49 kr/mnd." "reconciliation and payments from Bankbro, signed here with BankID. 49 kr/month."}}</label>
<div class="actions"><button type="submit" class="primary" id="next">{{.T "Neste" "Next"}}</button><a class="button secondary" href="/nettbank/integrations">{{.T "Avbryt" "Cancel"}}</a></div>
</form>
{{template "nb-foot" .}}{{end}}

{{define "nb-confirm"}}{{template "nb-head" .}}
<h1>{{.T "Bekreft integrasjonen" "Confirm the integration"}}</h1>
<table><tbody>
<tr><th>{{.T "Bedrift" "Company"}}</th><td>{{.Nettbank.Company}}</td></tr>
<tr><th>{{.T "Integrasjon" "Integration"}}</th><td>Bankbro</td></tr>
<tr><th>{{.T "Abonnement" "Subscription"}}</th><td id="chosen">{{.Nettbank.ChosenName}} – {{.Nettbank.ChosenText}}</td></tr>
<tr><th>{{.T "Kontoer" "Accounts"}}</th><td>{{.T "Alle bedriftens kontoer; hver person ser fortsatt bare kontoene de har fullmakt til." "All the company's accounts; each person still sees only the accounts they have a mandate for."}}</td></tr>
</tbody></table>
<form method="post" action="/nettbank/integrations/activate">
<input type="hidden" name="csrf" value="{{.Nettbank.CSRF}}"><input type="hidden" name="subscription" value="{{.Nettbank.Chosen}}">
<div class="actions"><button type="submit" class="primary" id="confirm" autofocus>{{.T "Bekreft" "Confirm"}}</button><a class="button secondary" href="/nettbank/integrations">{{.T "Avbryt" "Cancel"}}</a></div>
</form>
{{template "nb-foot" .}}{{end}}
`))

// nettbankData is the online bank's part of pageData.
type nettbankData struct {
	Tab, Notice, Company, OrgNr, Today string
	Accounts                           []nbAccount
	State, StateName, StateText, Since string
	Chosen, ChosenName, ChosenText     string
	CanChange                          bool
	CSRF                               string
}

type nbAccount struct{ Name, Number, Balance string }

// subscription is one the online bank offers: its name, and what it covers.
type subscription struct {
	name   string
	covers phrase
}

var subscriptions = map[string]subscription{
	IntegrationBasis: {"Basis", phrase{"kontoer og transaksjoner", "accounts and transactions"}},
	IntegrationPluss: {"Pluss", phrase{"kontoer, transaksjoner og betalinger", "accounts, transactions and payments"}},
}

var (
	managerOnlyText = phrase{"Bare daglig leder kan inngå integrasjonsavtaler for bedriften.",
		"Only the daily manager can sign integration agreements for the company."}
	chooseSubscriptionText = phrase{"Velg et abonnement.", "Choose a subscription."}
)

// nbSession returns the logged-in online-bank session, or nil.
func (b *Bank) nbSession(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.sessions[c.Value]
	if s == nil || b.now().After(s.expires) {
		delete(b.sessions, c.Value)
		return nil
	}
	s.expires = b.now().Add(sessionTTL)
	return s
}

func (b *Bank) nettbankHandler() http.Handler {
	mux := http.NewServeMux()
	page := func(tmpl, tab string, fill func(*nettbankData, *http.Request) string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			s := b.nbSession(r)
			if s == nil {
				b.startLogin(w, r, reqNettbank, nil)
				return
			}
			b.renderNettbank(w, r, s, tmpl, tab, fill)
		}
	}
	mux.HandleFunc("GET /nettbank", page("nb-accounts", "accounts", nil))
	mux.HandleFunc("GET /nettbank/{$}", page("nb-accounts", "accounts", nil))
	mux.HandleFunc("GET /nettbank/integrations", page("nb-integrations", "integrations", func(nd *nettbankData, r *http.Request) string {
		l := pageLanguage(r)
		switch r.URL.Query().Get("done") {
		case "activated":
			nd.Notice = l.T("Bankbro er nå aktiv med abonnementet "+nd.StateName+". Du kan koble til i Bankbro-appen.",
				"Bankbro is now active with the "+nd.StateName+" subscription. You can connect it in the Bankbro app.")
		case "ended":
			nd.Notice = l.T("Bankbro-integrasjonen er avsluttet. Bankbro kan ikke lenger lese kontoene.",
				"The Bankbro integration has ended. Bankbro can no longer read the accounts.")
		}
		return ""
	}))
	mux.HandleFunc("GET /nettbank/integrations/new", page("nb-new", "integrations", managerOnly))
	mux.HandleFunc("GET /nettbank/integrations/new/bankbro", page("nb-subscription", "integrations", managerOnly))
	mux.HandleFunc("GET /nettbank/integrations/new/bankbro/confirm", page("nb-confirm", "integrations", func(nd *nettbankData, r *http.Request) string {
		if msg := managerOnly(nd, r); msg != "" {
			return msg
		}
		l := pageLanguage(r)
		sub := r.URL.Query().Get("subscription")
		offer, ok := subscriptions[sub]
		if !ok {
			return l.phrase(chooseSubscriptionText)
		}
		nd.Chosen, nd.ChosenName, nd.ChosenText = sub, offer.name, l.phrase(offer.covers)
		return ""
	}))
	mux.HandleFunc("POST /nettbank/integrations/activate", b.nbPost(func(r *http.Request) (string, string) {
		sub := r.PostForm.Get("subscription")
		if _, ok := subscriptions[sub]; !ok {
			return "", pageLanguage(r).phrase(chooseSubscriptionText)
		}
		b.mu.Lock()
		b.setIntegration(sub)
		b.mu.Unlock()
		return "/nettbank/integrations?done=activated", ""
	}))
	mux.HandleFunc("POST /nettbank/integrations/end", b.nbPost(func(r *http.Request) (string, string) {
		b.mu.Lock()
		b.setIntegration(IntegrationNone)
		b.mu.Unlock()
		return "/nettbank/integrations?done=ended", ""
	}))
	mux.HandleFunc("GET /nettbank/logout", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(sessionCookie); err == nil {
			b.mu.Lock()
			delete(b.sessions, c.Value)
			b.mu.Unlock()
		}
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/nettbank", MaxAge: -1})
		l := pageLanguage(r)
		b.messagePage(w, r, http.StatusOK, l.T("Logget ut", "Logged out"), l.T("Du har logget ut av nettbanken.", "You have logged out of the online bank."), "/nettbank")
	})
	return mux
}

// managerOnly refuses agreement pages to anyone but the daily manager.
func managerOnly(nd *nettbankData, r *http.Request) string {
	if !nd.CanChange {
		return pageLanguage(r).phrase(managerOnlyText)
	}
	return ""
}

// renderNettbank fills the page data for session s and renders tmpl.
func (b *Bank) renderNettbank(w http.ResponseWriter, r *http.Request, s *session, tmpl, tab string, fill func(*nettbankData, *http.Request) string) {
	u, _ := findUser(s.nationalID)
	l := pageLanguage(r)
	b.mu.Lock()
	b.advance()
	today := b.currentToday()
	nd := &nettbankData{Tab: tab, Company: CompanyName, OrgNr: norway.FormatAccountNumber(b.c.orgNr),
		Today: today.Norwegian(), State: b.integration, CSRF: s.csrf, CanChange: u.id == ManagerID}
	if sub, ok := subscriptions[b.integration]; ok {
		nd.StateName, nd.StateText, nd.Since = sub.name, "("+l.phrase(sub.covers)+")", b.integSince.Norwegian()
	}
	for _, a := range b.mandate(s.nationalID) {
		nd.Accounts = append(nd.Accounts, nbAccount{Name: a.name, Number: a.number, Balance: b.balanceAt(a, dayOf(today)).Kr()})
	}
	b.mu.Unlock()
	nd.OrgNr = norway.FormatOrgNumber(b.c.orgNr)
	d := newPage(l, tmpl, l.T("Nettbank", "Online bank"))
	d.User, d.Nettbank = u.name+" ("+l.phrase(u.role)+")", nd
	if fill != nil {
		if msg := fill(nd, r); msg != "" {
			d.Error = msg
			if tmpl != "nb-integrations" {
				d.Page, tmpl = "nb-integrations", "nb-integrations"
				nd.Tab = "integrations"
			}
		}
	}
	render(w, http.StatusOK, nettbankPages, tmpl, d)
}

// nbPost handles a state-changing form: session and CSRF token first, then
// act, then redirect (303) so a reload does not repeat it.
func (b *Bank) nbPost(act func(*http.Request) (redirect, errMsg string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := b.nbSession(r)
		if s == nil {
			b.startLogin(w, r, reqNettbank, nil)
			return
		}
		if err := r.ParseForm(); err != nil || subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(s.csrf)) != 1 {
			l := pageLanguage(r)
			b.errorPage(w, r, http.StatusForbidden, l.T("Skjemaet har utløpt", "The form has expired"),
				l.T("Åpne siden på nytt og gjør det en gang til.", "Open the page again and repeat what you did."))
			return
		}
		if s.nationalID != ManagerID {
			b.renderNettbank(w, r, s, "nb-integrations", "integrations", managerOnly)
			return
		}
		to, msg := act(r)
		if msg != "" {
			b.renderNettbank(w, r, s, "nb-integrations", "integrations", func(*nettbankData, *http.Request) string { return msg })
			return
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
	}
}
