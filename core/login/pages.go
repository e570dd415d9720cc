package login

import (
	"html/template"
	"net/http"
)

// page is what the browser shows after the bank sent the person back to Bankbro.
type page struct {
	Title   string
	Heading string
	NB      string // bokmål
	EN      string
	OK      bool
}

var (
	pageSuccess = page{
		Title: "Bankbro: innlogget", Heading: "Du er logget inn", OK: true,
		NB: "Innloggingen i banken er fullført. Du kan lukke denne fanen og gå tilbake til Bankbro.",
		EN: "You are logged in to the bank. You can close this tab and go back to Bankbro.",
	}
	pageCancelled = page{
		Title: "Bankbro: avbrutt", Heading: "Innloggingen ble avbrutt",
		NB: "Du avbrøt innloggingen i banken. Gå tilbake til Bankbro for å prøve igjen.",
		EN: "The login was cancelled in the bank. Go back to Bankbro to try again.",
	}
	pageFailed = page{
		Title: "Bankbro: feil", Heading: "Innloggingen mislyktes",
		NB: "Banken godtok ikke innloggingen. Gå tilbake til Bankbro for å se hva som skjedde og prøve igjen.",
		EN: "The login did not succeed. Go back to Bankbro to see what happened and try again.",
	}
	pageWrongState = page{
		Title: "Bankbro: ukjent innlogging", Heading: "Denne innloggingen kjenner vi ikke",
		NB: "Svaret fra banken hører ikke til innloggingen Bankbro venter på. Bruk vinduet som Bankbro åpnet, eller start innloggingen på nytt i Bankbro.",
		EN: "This answer from the bank does not belong to the login Bankbro is waiting for. Use the window Bankbro opened, or start the login again in Bankbro.",
	}
	pageAlreadyDone = page{
		Title: "Bankbro: allerede mottatt", Heading: "Innloggingen er allerede mottatt",
		NB: "Bankbro har allerede fått svar fra banken. Du kan lukke denne fanen og gå tilbake til Bankbro.",
		EN: "Bankbro already has the bank's answer. You can close this tab and go back to Bankbro.",
	}
)

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6f8;color:#1d2733;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:2rem 2.5rem;max-width:32rem}
h1{font-size:1.4rem;margin:0 0 1rem;color:{{if .OK}}#1a7f37{{else}}#b42318{{end}}}
p{line-height:1.5;margin:.5rem 0}
p[lang=en]{color:#52606d}
</style>
</head>
<body>
<main>
<h1>{{.Heading}}</h1>
<p>{{.NB}}</p>
<p lang="en">{{.EN}}</p>
</main>
</body>
</html>
`))

func writePage(w http.ResponseWriter, status int, p page) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	pageTemplate.Execute(w, p) // the browser may be gone; nothing to do about it
}
