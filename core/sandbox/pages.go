package sandbox

import (
	"bytes"
	"html/template"
	"log"
	"net/http"
	"strings"
)

// The bank's pages: plain HTML and inline CSS, no external resources, usable
// with the keyboard alone. Every page names itself in <meta name="sandbox-page">
// so TestBrowser knows where it is.

const pageCSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;background:#eef2f5;color:#1c2b33}
a{color:#0a5e6d}
.top{background:#0a5e6d;color:#fff;padding:14px 24px;display:flex;align-items:center;gap:12px}
.top .logo{width:32px;height:32px;border-radius:50%;background:#fff;color:#0a5e6d;display:inline-flex;align-items:center;justify-content:center;font-weight:700}
.top .name{font-size:20px;font-weight:600;letter-spacing:.2px}
.top .demo{font-size:12px;background:#f4b942;color:#3b2a00;border-radius:10px;padding:1px 8px;margin-left:4px;font-weight:600}
.top .who{margin-left:auto;font-size:14px}
.top .who a{color:#fff}
.card{max-width:460px;margin:24px auto;background:#fff;border-radius:14px;box-shadow:0 2px 14px rgba(20,40,60,.12);padding:24px 32px}
.wide{max-width:820px}
.bankid{display:inline-block;background:#39134c;color:#fff;font-weight:700;border-radius:6px;padding:2px 10px;font-size:14px;letter-spacing:.5px}
h1{font-size:24px;margin:12px 0 6px}
h2{font-size:18px;margin:20px 0 8px}
.client{background:#f3f7f8;border-left:4px solid #0a5e6d;padding:10px 12px;margin:14px 0 18px;border-radius:4px}
label{display:block;font-weight:600;margin:14px 0 4px}
input[type=text],input[type=password]{width:100%;font-size:18px;padding:10px 12px;border:1px solid #9fb2bc;border-radius:8px;letter-spacing:1px}
input:focus,button:focus,a:focus{outline:3px solid #f4b942;outline-offset:2px}
.actions{display:flex;gap:12px;margin-top:22px}
button,.button{font:inherit;font-weight:600;border-radius:8px;padding:10px 20px;border:1px solid #0a5e6d;cursor:pointer;text-decoration:none;display:inline-block}
.primary{background:#0a5e6d;color:#fff}
.secondary{background:#fff;color:#0a5e6d}
.danger{background:#fff;color:#a3262a;border-color:#a3262a}
.error{background:#fdecec;color:#8c1c1f;border:1px solid #f0b4b4;border-radius:8px;padding:10px 12px}
.notice{background:#e8f5ec;color:#1d5b2c;border:1px solid #b6dfc1;border-radius:8px;padding:10px 12px}
.hint{margin-top:20px;font-size:14px;color:#4c5d66;border-top:1px solid #e1e8ec;padding-top:14px}
.hint p{margin:0 0 6px}
.hint ul{list-style:none;margin:0 0 6px;padding:0;display:flex;gap:6px}
.hint li{flex:1}
.hint button{width:100%;font-size:13px;line-height:1.3;padding:4px 6px;border-color:#9fb2bc;background:#f7fafb;color:#1c2b33;font-weight:600;font-variant-numeric:tabular-nums}
.hint button small{display:block;font-weight:400;color:#4c5d66}
code{background:#f1f4f6;padding:1px 5px;border-radius:4px}
table{width:100%;border-collapse:collapse;margin:10px 0}
th,td{text-align:left;padding:8px 6px;border-bottom:1px solid #e1e8ec;font-size:15px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.layout{display:flex;max-width:1000px;margin:28px auto;gap:24px;padding:0 16px}
nav.menu{width:200px;flex:none}
nav.menu a{display:block;padding:10px 14px;border-radius:8px;text-decoration:none;color:#1c2b33;font-weight:500}
nav.menu a.on{background:#0a5e6d;color:#fff}
.content{flex:1;background:#fff;border-radius:14px;box-shadow:0 2px 14px rgba(20,40,60,.12);padding:24px 28px}
.option{display:block;border:1px solid #c9d6dc;border-radius:10px;padding:14px 16px;margin:10px 0;text-decoration:none;color:inherit;font-weight:400}
.option:hover{border-color:#0a5e6d}
.option input{margin-right:10px}
.muted{color:#5b6b74;font-size:14px}
.tag{display:inline-block;background:#e3f0f2;color:#0a5e6d;border-radius:10px;padding:0 8px;font-size:13px;font-weight:600}
`

var pages = template.Must(template.New("pages").Funcs(template.FuncMap{
	"acct": func(s string) string {
		if len(s) != 11 {
			return s
		}
		return s[:4] + "." + s[4:6] + "." + s[6:]
	},
}).Parse(`
{{define "head"}}<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="sandbox-page" content="{{.Page}}"><title>{{.Title}}</title><style>` + pageCSS + `</style></head><body>
<header class="top"><span class="logo" aria-hidden="true">S</span><span class="name">Sbanken</span><span class="demo">demo</span>{{if .User}}<span class="who">{{.User}} · <a href="/nettbank/logout">{{.T "Logg ut" "Log out"}}</a></span>{{end}}</header>
{{end}}

{{define "login"}}{{template "head" .}}
<main class="card">
<span class="bankid">BankID</span>
<h1>{{.Heading}}</h1>
<p class="client">{{.Purpose}}</p>
{{if .Error}}<p class="error" role="alert" id="error">{{.Error}}</p>{{end}}
<form method="post" action="/identityserver/connect/authorize/login" autocomplete="off">
<input type="hidden" name="request_id" value="{{.RequestID}}">
<label for="national_id">{{.T "Fødselsnummer" "National identity number"}}</label>
<input type="text" id="national_id" name="national_id" inputmode="numeric" maxlength="11" value="{{.NationalID}}" placeholder="{{.T "11 siffer" "11 digits"}}" autofocus required>
<label for="otp">{{.T "Engangskode" "One-time code"}}</label>
<input type="password" id="otp" name="otp" inputmode="numeric" maxlength="6" placeholder="{{.T "6 siffer" "6 digits"}}" required>
<div class="actions"><button type="submit" name="action" value="approve" class="primary" id="approve">{{.T "Godkjenn" "Approve"}}</button>
<button type="submit" name="action" value="cancel" class="secondary" id="cancel" formnovalidate>{{.T "Avbryt" "Cancel"}}</button></div>
</form>
<div class="hint"><p>{{.T "Dette er en demobank: ingen ekte penger og ingen ekte BankID. Testbrukere, klikk for å fylle inn:" "This is a demo bank: no real money, no real BankID. Test users, click to fill in:"}}</p>
<ul>{{range .DemoUsers}}
<li><button type="button" class="fill" data-id="{{.ID}}">{{.ID}}<small>{{.Role}}</small></button></li>{{end}}</ul>
<p>{{.T "Engangskode" "One-time code"}} <code>` + DemoOTP + `</code>.</p></div>
</main>
<script>
document.querySelectorAll("button.fill").forEach(function(b){b.addEventListener("click",function(){
document.getElementById("national_id").value=b.dataset.id;var o=document.getElementById("otp");o.value="` + DemoOTP + `";
var e=document.getElementById("error");if(e){e.remove();}document.getElementById("approve").focus();});});
</script>
</body></html>{{end}}

{{define "message"}}{{template "head" .}}
<main class="card">
<h1>{{.Heading}}</h1>
<p class="{{if .IsError}}error{{else}}notice{{end}}" role="{{if .IsError}}alert{{else}}status{{end}}">{{.Message}}</p>
{{if .Link}}<p><a class="button secondary" href="{{.Link}}">{{.T "Tilbake" "Back"}}</a></p>{{end}}
</main></body></html>{{end}}

{{define "approve"}}{{template "head" .}}
<main class="card wide">
<span class="bankid">BankID</span>
<h1>{{.Heading}}</h1>
<p>{{.T "Innlogget som" "Logged in as"}} {{.UserName}}. {{.T "Bankbro har sendt disse betalingene. Godkjenn dem, så blir de betalt på forfallsdatoen." "Bankbro sent these payments; approve them to have them paid on their due date."}}</p>
{{if .Payments}}
<table><thead><tr><th>{{.T "Fra konto" "From"}}</th><th>{{.T "Til konto" "To"}}</th><th>{{.T "Mottaker" "Name"}}</th><th>{{.T "KID / melding" "KID / message"}}</th><th>{{.T "Forfall" "Due"}}</th><th class="num">{{.T "Beløp" "Amount"}}</th></tr></thead><tbody>
{{range .Payments}}<tr><td>{{acct .From}}</td><td>{{acct .To}}</td><td>{{.Name}}</td><td>{{.Ref}}</td><td>{{.Due}}</td><td class="num">{{.Amount}}</td></tr>
{{end}}</tbody></table>
<form method="post" action="/payments/approve">
<input type="hidden" name="request_id" value="{{.RequestID}}">
<div class="actions"><button type="submit" name="action" value="approve" class="primary" id="approve" autofocus>{{.Approve}}</button>
<button type="submit" name="action" value="cancel" class="secondary" id="cancel">{{.T "Avbryt" "Cancel"}}</button></div>
</form>
{{else}}<p class="notice">{{.T "Det er ingenting å signere: betalingene er allerede signert, eller du kan ikke signere for kontoen de skal belastes." "There is nothing to sign: the payments are already signed, or you may not sign for their account."}}</p>{{end}}
</main></body></html>{{end}}
`))

// pageData is what every page template gets.
type pageData struct {
	Lang                          language
	Page, Title, Heading, Purpose string
	User, UserName                string
	Error, NationalID, RequestID  string
	Message, Link                 string
	IsError                       bool
	DemoUsers                     []demoUser
	Payments                      []approveRow
	Approve                       string // the approve button of the payment list
	Nettbank                      any
}

// T picks the page's wording: {{.T "bokmål" "English"}}.
func (d pageData) T(nb, en string) string { return d.Lang.T(nb, en) }

// newPage starts the data of page in l, titled title – BankName.
func newPage(l language, page, title string) pageData {
	return pageData{Lang: l, Page: page, Title: title + " – " + BankName}
}

// demoUser is a test user the login page offers to fill in.
type demoUser struct{ ID, Role string }

type approveRow struct {
	From, To, Name, Ref, Due, Amount string
}

// render writes page name of set with the security headers: nothing
// external may load, and no site may frame the login.
func render(w http.ResponseWriter, status int, set *template.Template, name string, d pageData) {
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, name, d); err != nil {
		log.Printf("sandbox: page %s: %v", name, err)
		http.Error(w, "page error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(d.Lang))
	h.Set("Vary", "Accept-Language")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

func (b *Bank) loginPage(w http.ResponseWriter, r *http.Request, req *authRequest, errMsg, nationalID string) {
	l := pageLanguage(r)
	d := newPage(l, "login", "BankID")
	d.RequestID, d.Error, d.NationalID = req.id, errMsg, nationalID
	switch req.kind {
	case reqOAuth:
		d.Heading = l.T("Logg inn for å koble til Bankbro", "Log in to connect Bankbro")
		d.Purpose = l.T("Bankbro ber om tilgang til: ", "Bankbro asks for access to: ") + scopeText(l, req.scope)
	case reqApprove:
		d.Heading = l.T("Signer betalinger", "Sign payments")
		d.Purpose = l.T("Bankbro ber deg signere betalinger. Logg inn for å se dem.", "Bankbro asks you to sign payments. Log in to see them.")
	default:
		d.Heading = l.T("Logg inn i nettbanken", "Log in to the online bank")
		d.Purpose = l.T("Nettbank for bedrift: ", "Online bank for businesses: ") + CompanyName
	}
	for _, u := range users {
		d.DemoUsers = append(d.DemoUsers, demoUser{ID: u.id, Role: l.phrase(u.role)})
	}
	if errMsg != "" {
		d.Page = "login-error"
	}
	render(w, http.StatusOK, pages, "login", d)
}

// scopeNames say what a scope gives access to; offline_access goes unsaid.
var scopeNames = map[string]phrase{
	"accounts":     {"kontoer", "accounts"},
	"transactions": {"transaksjoner", "transactions"},
	"payments":     {"betalinger", "payments"},
}

// scopeText says in words what the scopes give access to.
func scopeText(l language, scope string) string {
	var parts []string
	for _, s := range strings.Fields(scope) {
		if name, ok := scopeNames[s]; ok {
			parts = append(parts, l.phrase(name))
		}
	}
	if len(parts) == 0 {
		return l.T("varig innlogging", "staying logged in")
	}
	return strings.Join(parts, ", ")
}

func (b *Bank) errorPage(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	d := newPage(pageLanguage(r), "error", heading)
	d.Heading, d.Message, d.IsError = heading, msg, true
	render(w, status, pages, "message", d)
}

func (b *Bank) messagePage(w http.ResponseWriter, r *http.Request, status int, heading, msg, link string) {
	d := newPage(pageLanguage(r), "message", heading)
	d.Heading, d.Message, d.Link = heading, msg, link
	render(w, status, pages, "message", d)
}
