// Package sandbox is the demo bank: an authorization server with a
// BankID-style login page, the bank API of bank-api.md (accounts,
// transactions, payments), an online bank where the integration agreement is
// turned on, fault injection and a movable clock. The app embeds it as the
// default bank, `bankbro sandbox-bank` runs it on its own, and every test
// talks to it over real HTTP.
//
// # Data
//
// The bank holds one company, "Kaffebrenneriet Solsiden AS", with five
// accounts: Driftskonto (operating), Lønnskonto (salary), Skattetrekkskonto
// (tax withholding), Sparekonto (savings) and a rent deposit account. Every
// line is generated from a hash of (seed, account, day), so any date range is
// reproducible without storing years of rows; the same seed gives the same
// accounts and lines whatever today is. Balances are anchored on 1 January
// 2026 and derived by adding or subtracting the generated lines, with running
// sums cached per day. History starts on 2 January 2019.
//
// Generated lines of a day are booked from the next day on; on the day itself
// they are reservations (GET /api/v2/Transactions/{accountId} lists them after
// the booked lines, with isReservation true and no transactionId). Payments
// paid through the API are booked on the day they are paid.
//
// # Where the demo bank goes beyond bank-api.md, or makes it precise
//
//   - Range rule: endDate − startDate may be at most 366 days. Without
//     endDate it is today; without startDate it is endDate − 30 days.
//   - Scopes are enforced: accounts, transactions and payments each need
//     their scope (403 insufficient-scope otherwise).
//   - Integration agreement (§6): in state none every API call answers 403 with
//     a problem type ending in /integration-not-activated (ProblemIntegrationNotActivated);
//     in state basis the payment calls answer 403 /subscription-required
//     (ProblemSubscriptionRequired). A missing or bad token is answered 401 first.
//     The online bank at /nettbank turns it on: menu Integrations, New
//     integration, Bankbro, Basis or Pluss, Confirm; "End integration" turns it
//     off. Only the daily manager may sign or end the agreement.
//   - Payments: POST /api/v2/Payments answers 201 with the existing payment when
//     the reference was seen before. GET {base}/payments/approve?paymentIds=a,b
//     shows the BankID form, then the payments the person may sign, with
//     Approve. A payment due today or earlier is paid right when signed.
//     Scheduled payments are paid on their due date if the booked balance
//     covers them, else they go Waiting, are retried each business day, and are
//     Cancelled on the third business day without funds. Rejected is not produced.
//   - Faults (FailRate, Latency, RateLimit, CutAfter) apply to /api/ calls only,
//     not to login or the admin endpoints. Setting them starts counting afresh.
//   - Admin endpoints (loopback only; GET shows, POST changes):
//     /sandbox/faults {"failRate","latencyMs","rateLimit","cutAfter"} (absent
//     fields are kept), /sandbox/clock {"today"}, /sandbox/integration {"state"}.
//   - Language: the pages are in bokmål, or in English when the request's
//     Accept-Language ranks an English tag above every Norwegian one (nb, no,
//     nn); <html lang> and Content-Language say which. The API negotiates no
//     language: statusDetails are bokmål, with dates as 30.11.2026, and
//     problem details stay English.
//   - Every HTML page names itself in <meta name="sandbox-page" content="…">
//     (login, login-error, approve-list, approved, error, message, nb-…), which
//     TestBrowser and other tests may rely on.
package sandbox
