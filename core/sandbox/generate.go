package sandbox

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"bankbro/core/civil"
	"bankbro/core/money"
)

// Transaction is one line on an account as the bank holds it.
type Transaction struct {
	TransactionID       string // empty for a reservation
	AccountingDate      civil.Date
	InterestDate        civil.Date
	Amount              money.Amount // negative for money out
	Text                string
	TransactionType     string
	TransactionTypeCode int
	TransactionTypeText string
	OtherAccountNumber  string
	KID                 string // transactionDetail.cid
	ReceiverName        string
	PayerName           string
	NumericReference    int64
	RegistrationDate    civil.Date
	Reference           string // the end-to-end reference of a payment made through the API
	IsReservation       bool
}

// Transaction type codes (bank-api.md §3).
const (
	codeSalary     = 13
	codeTax        = 16
	codeFee        = 53
	codeTransfer   = 200
	codeIncoming   = 230
	codeFeeGebyr   = 312
	codeGiroKID    = 161
	codeVipps      = 561
	codeCard       = 709
	codeCardOnline = 710
	codeInterest   = 752
	codeTerminal   = 714
)

var monthNames = [...]string{"", "januar", "februar", "mars", "april", "mai", "juni", "juli",
	"august", "september", "oktober", "november", "desember"}

// merchant is a shop the company's card is used at.
type merchant struct {
	name   string
	lo, hi int64 // kroner
	online bool
}

var merchants = []merchant{
	{"REMA 1000 SOLSIDEN", 80, 900, false},
	{"KIWI 512 BRYGGA", 60, 700, false},
	{"MENY TORGET", 150, 1400, false},
	{"COOP EXTRA SENTRUM", 90, 800, false},
	{"BAMA STORKJOKKEN", 400, 3200, false},
	{"ASKO STORHUSHOLDNING", 600, 4800, false},
	{"CLAS OHLSON TORGET", 99, 1200, false},
	{"JULA SOLSIDEN", 120, 1500, false},
	{"BILTEMA HAVNA", 90, 1100, false},
	{"CIRCLE K BRYGGA", 200, 900, false},
	{"APOTEK 1 TORGET", 60, 400, false},
	{"NORLI SENTRUM", 150, 600, false},
	{"POSTEN SOLSIDEN", 40, 300, false},
	{"ELKJOP HAVNA", 300, 6000, false},
	{"IKEA BUSINESS", 200, 3500, false},
	{"GOOGLE *WORKSPACE", 138, 138, true},
	{"SPOTIFY BUSINESS", 199, 199, true},
	{"MICROSOFT*365", 129, 129, true},
	{"CANVA* PRO", 120, 120, true},
}

// counterparty is a customer or supplier that pays or is paid with KID.
type counterparty struct {
	name   string
	lo, hi int64 // kroner
}

var customers = []counterparty{
	{"Nordvik Regnskap AS", 1_800, 9_500},
	{"Havnelageret Eventbyrå AS", 4_000, 18_000},
	{"Bryggen Arkitekter AS", 1_200, 7_500},
	{"Fjordgløtt Barnehage SA", 900, 4_200},
	{"Solsiden Advokatfirma DA", 2_500, 12_000},
	{"Kulturhuset Brygga", 3_000, 16_000},
}

var suppliers = []counterparty{
	{"Fjellbønna Kafferisteri AS", 3_500, 14_000},
	{"Meieriet Nord SA", 1_800, 7_200},
	{"Bakeriet på Hjørnet AS", 2_200, 8_500},
	{"Grossisten Øst AS", 2_500, 11_000},
	{"Renhold Solsiden AS", 1_900, 4_800},
	{"Emballasje Norge AS", 900, 4_500},
}

// dayGen accumulates one account's lines for one day.
type dayGen struct {
	c    *company
	a    *account
	n    int
	date civil.Date
	r    rng
	seq  uint64
	out  []Transaction
}

// add appends a line with a stable id derived from (seed, account, day, sequence).
func (g *dayGen) add(t Transaction) {
	g.seq++
	g.addSeq(t, g.seq)
}

func (g *dayGen) addSeq(t Transaction, seq uint64) {
	var raw [16]byte
	h := hashParts(g.c.seed, 9, uint64(g.a.idx), uint64(g.n), seq)
	h2 := mix64(h)
	for k := range 8 {
		raw[k] = byte(h >> (56 - 8*k))
		raw[8+k] = byte(h2 >> (56 - 8*k))
	}
	t.TransactionID = hex.EncodeToString(raw[:])
	t.AccountingDate = g.date
	if t.InterestDate.IsZero() {
		t.InterestDate = g.date
	}
	if t.RegistrationDate.IsZero() {
		t.RegistrationDate = g.date
	}
	g.out = append(g.out, t)
}

func (g *dayGen) amount(loKr, hiKr int64) money.Amount {
	return money.Amount(g.r.between(loKr*100, hiKr*100))
}

// kid makes a MOD10 KID from a customer number and a fresh invoice number.
func (g *dayGen) kid(customer int) string {
	var b [10]byte
	appendPadded(b[:0], 1000+customer*37, 4)
	appendPadded(b[4:4], g.r.intn(1_000_000), 6)
	return kidMod10(string(b[:]))
}

func (g *dayGen) numRef() int64 { return int64(g.r.between(100_000_000, 999_999_999)) }

// payroll is one month's salaries.
type payroll struct {
	net      []money.Amount // per employee
	netTotal money.Amount
	withheld money.Amount
	gross    money.Amount
}

func (c *company) payroll(y int, m time.Month) payroll {
	d := civil.New(y, m, 1)
	var p payroll
	for i, e := range c.employees {
		r := rng{hashParts(c.seed, 4, uint64(d.Year), uint64(d.Month), uint64(i))}
		gross := e.gross * 100
		if e.gross < 30_000 { // part-timers are paid by the hour
			gross = gross * int64(80+r.intn(41)) / 100
		}
		withheld := gross * int64(26+r.intn(3)) / 100 / 100 * 100 // whole kroner
		net := gross - withheld
		p.net = append(p.net, money.Amount(net))
		p.netTotal += money.Amount(net)
		p.withheld += money.Amount(withheld)
		p.gross += money.Amount(gross)
	}
	return p
}

// withheld is the tax withheld from the salaries of a month.
func (c *company) withheld(y int, m time.Month) money.Amount { return c.payroll(y, m).withheld }

// salaryDay is the day salaries are paid: the 20th, or the business day before.
func salaryDay(y int, m time.Month) int { return bizOnOrBefore(monthDay(y, m, 20)) }

// taxDay is the day withheld tax and employer's contribution are paid (odd months).
func taxDay(y int, m time.Month) int { return bizOnOrAfter(monthDay(y, m, 15)) }

// vatDay is the day VAT is paid (even months).
func vatDay(y int, m time.Month) int { return bizOnOrAfter(monthDay(y, m, 10)) }

// generate returns the lines of account a on day n, ordered by transactionId.
// withSweep=false leaves out the month-end transfer to savings, which is
// itself computed from the month's other lines.
func (c *company) generate(a *account, n int, withSweep bool, out []Transaction) []Transaction {
	if n < c.founded {
		return out
	}
	g := dayGen{c: c, a: a, n: n, date: dateOf(n), out: out,
		r: rng{hashParts(c.seed, 5, uint64(a.idx), uint64(n))}}
	start := len(out)
	switch a.kind {
	case kindOperating:
		c.genOperating(&g, withSweep)
	case kindSalary:
		c.genSalary(&g)
	case kindTax:
		c.genTax(&g)
	case kindSavings:
		c.genSavings(&g)
	case kindDeposit:
		if g.date.Month == time.December && g.date.Day == 31 {
			g.add(Transaction{Amount: money.Kroner(3_465) + money.Amount(g.r.between(0, 9_999)),
				Text: fmt.Sprintf("Kreditrente %d", g.date.Year), TransactionType: "Renter",
				TransactionTypeCode: codeInterest, TransactionTypeText: "RENTER"})
		}
	}
	sortByID(g.out[start:])
	return g.out
}

func (c *company) genOperating(g *dayGen, withSweep bool) {
	d, n := g.date, g.n
	biz := isBusinessDay(n)
	// Vipps settles every day, weekends included.
	vipps := g.amount(1_500, 4_000)
	if !biz {
		vipps = vipps * 8 / 5
	}
	g.add(Transaction{Amount: vipps, Text: fmt.Sprintf("Vipps oppgjør %d", 548100+g.r.intn(900)),
		TransactionType: "Vipps", TransactionTypeCode: codeVipps, TransactionTypeText: "VIPPS",
		PayerName: "Vipps MobilePay AS", NumericReference: g.numRef()})
	if !biz {
		if g.date.Weekday() == time.Saturday {
			for range g.r.intn(3) {
				g.cardPurchase()
			}
		}
		return
	}
	// The card terminal settles the business days' and the closed days' sales before them.
	closed := 0
	for k := n - 1; !isBusinessDay(k); k-- {
		closed++
	}
	term := g.amount(9_000, 16_000)
	term += term * money.Amount(closed) * 3 / 5
	g.add(Transaction{Amount: term, Text: "Oppgjør bankterminal 8812034",
		TransactionType: "Kortoppgjør", TransactionTypeCode: codeTerminal, TransactionTypeText: "OPPGJØR",
		PayerName: "Nets Branch Norway", NumericReference: g.numRef()})
	for range 3 + g.r.intn(10) {
		g.cardPurchase()
	}
	for range (g.c.busy - 1) * (3 + g.r.intn(10)) {
		g.cardPurchase()
		g.vippsSale()
	}
	// Catering invoices paid by customers with KID.
	for range g.r.intn(3) {
		i := g.r.intn(len(customers))
		cu := customers[i]
		g.add(Transaction{Amount: g.amount(cu.lo, cu.hi), Text: "Innbetaling fra " + cu.name,
			TransactionType: "Innbetaling m/KID", TransactionTypeCode: codeIncoming, TransactionTypeText: "INNBETALING",
			OtherAccountNumber: c.counterpart[i], KID: g.kid(i + 1),
			PayerName: cu.name, NumericReference: g.numRef()})
	}
	giros := 0
	switch p := g.r.intn(100); {
	case p < 25:
	case p < 70:
		giros = 1
	case p < 95:
		giros = 2
	default:
		giros = 3
	}
	for range giros {
		i := g.r.intn(len(suppliers))
		s := suppliers[i]
		g.giro(s.name, g.amount(s.lo, s.hi)*3/4, "Faktura "+s.name, 20+i)
	}
	if first := bizOnOrAfter(monthDay(d.Year, d.Month, 1)); n == first {
		g.giro("Solsiden Eiendom AS", money.Kroner(38_500), "Husleie "+monthNames[d.Month], 50)
		g.giro("Nordlys Energi AS", g.amount(6_000, 12_500), "Strøm "+monthNames[d.Month], 51)
		g.giro("Trygghet Forsikring AS", money.Kroner(3_240), "Forsikring "+monthNames[d.Month], 52)
		giros += 3
		g.add(Transaction{Amount: -money.Kroner(125), Text: "Pris kontohold " + monthNames[d.Month],
			TransactionType: "Pris", TransactionTypeCode: codeFee, TransactionTypeText: "PRIS"})
		g.add(Transaction{Amount: -money.Kroner(99), Text: "Pris nettbank bedrift",
			TransactionType: "Pris", TransactionTypeCode: codeFee, TransactionTypeText: "PRIS"})
	}
	if giros > 0 {
		g.add(Transaction{Amount: -money.Amount(giros * 250), Text: fmt.Sprintf("Gebyr %d betalinger", giros),
			TransactionType: "Gebyr", TransactionTypeCode: codeFeeGebyr, TransactionTypeText: "GEBYR"})
	}
	if n == salaryDay(d.Year, d.Month) {
		p := c.payroll(d.Year, d.Month)
		g.add(Transaction{Amount: -p.netTotal, Text: "Overføring til Lønnskonto lønn " + monthNames[d.Month],
			TransactionType: "Overføring", TransactionTypeCode: codeTransfer, TransactionTypeText: "OVF",
			OtherAccountNumber: c.byKind(kindSalary).number})
		g.add(Transaction{Amount: -p.withheld, Text: "Skattetrekk " + monthNames[d.Month],
			TransactionType: "Overføring", TransactionTypeCode: codeTransfer, TransactionTypeText: "OVF",
			OtherAccountNumber: c.byKind(kindTax).number})
	}
	if d.Month%2 == 1 && n == taxDay(d.Year, d.Month) {
		gross := c.payroll(d.Year, d.Month-2).gross + c.payroll(d.Year, d.Month-1).gross
		aga := gross * 141 / 1000 / 100 * 100
		g.tax("Arbeidsgiveravgift "+term2(d), aga)
	}
	if d.Month%2 == 0 && n == vatDay(d.Year, d.Month) {
		g.tax("Merverdiavgift "+term2(d), g.amount(95_000, 150_000))
	}
	if d.Month%3 == 0 && n == lastBizDayOfMonth(d.Year, d.Month) {
		g.add(Transaction{Amount: g.amount(180, 520), Text: "Kreditrente kvartal",
			TransactionType: "Renter", TransactionTypeCode: codeInterest, TransactionTypeText: "RENTER"})
	}
	if withSweep && n == lastBizDayOfMonth(d.Year, d.Month) {
		if s := c.sweep(d.Year, d.Month); s != 0 {
			t := Transaction{Amount: -s, Text: "Overføring til Sparekonto", TransactionType: "Overføring",
				TransactionTypeCode: codeTransfer, TransactionTypeText: "OVF",
				OtherAccountNumber: c.byKind(kindSavings).number}
			if s < 0 {
				t.Text = "Overføring fra Sparekonto"
			}
			g.addSeq(t, 1000)
		}
	}
}

// term2 names the two-month tax term that ended before d: "3. termin 2026".
func term2(d civil.Date) string {
	m := int(d.Month) - 1
	y := d.Year
	if m < 1 {
		m += 12
		y--
	}
	return fmt.Sprintf("%d. termin %d", (m+1)/2, y)
}

func (g *dayGen) cardPurchase() {
	m := merchants[g.r.intn(len(merchants))]
	amt := g.amount(m.lo, m.hi)
	if m.lo == m.hi {
		amt = money.Kroner(m.lo)
	}
	bought := g.date.AddDays(-g.r.intn(3))
	code, typ, txt := codeCard, "Varekjøp", "VARER"
	if m.online {
		code, typ, txt = codeCardOnline, "Visa", "VISA VARE"
	}
	g.add(Transaction{Amount: -amt,
		Text:            cardText(g.c.card, bought, amt, m.name),
		TransactionType: typ, TransactionTypeCode: code, TransactionTypeText: txt,
		RegistrationDate: bought, InterestDate: bought})
}

// vippsSale is one customer's Vipps payment (a busy shop's, see Options.Busy).
func (g *dayGen) vippsSale() {
	g.add(Transaction{Amount: g.amount(60, 900), Text: fmt.Sprintf("Vipps *%d", 40_000_000+g.r.intn(60_000_000)),
		TransactionType: "Vipps", TransactionTypeCode: codeVipps, TransactionTypeText: "VIPPS",
		PayerName: "Vipps MobilePay AS"})
}

// giro pays a supplier's invoice with KID.
func (g *dayGen) giro(receiver string, amt money.Amount, text string, who int) {
	g.add(Transaction{Amount: -amt, Text: text, TransactionType: "Giro m/KID",
		TransactionTypeCode: codeGiroKID, TransactionTypeText: "GIRO",
		OtherAccountNumber: g.c.counterpart[who],
		KID:                g.kid(who), ReceiverName: receiver, NumericReference: g.numRef(),
		RegistrationDate: g.date.AddDays(-1)})
}

// tax pays the Tax Administration.
func (g *dayGen) tax(text string, amt money.Amount) {
	g.add(Transaction{Amount: -amt, Text: text, TransactionType: "Skatt",
		TransactionTypeCode: codeTax, TransactionTypeText: "SKATT",
		OtherAccountNumber: g.c.taxAccount,
		KID:                kidMod10(g.c.orgNr + fmt.Sprintf("%04d", g.date.Year%10000)), ReceiverName: "Skatteetaten",
		NumericReference: g.numRef()})
}

func (c *company) genSalary(g *dayGen) {
	d, n := g.date, g.n
	if n == salaryDay(d.Year, d.Month) {
		p := c.payroll(d.Year, d.Month)
		g.add(Transaction{Amount: p.netTotal, Text: "Overføring fra Driftskonto lønn " + monthNames[d.Month],
			TransactionType: "Overføring", TransactionTypeCode: codeTransfer, TransactionTypeText: "OVF",
			OtherAccountNumber: c.byKind(kindOperating).number})
		for i, e := range c.employees {
			g.add(Transaction{Amount: -p.net[i], Text: "Lønn " + monthNames[d.Month] + " " + e.name,
				TransactionType: "Lønn", TransactionTypeCode: codeSalary, TransactionTypeText: "LØNN",
				OtherAccountNumber: e.account, ReceiverName: e.name, NumericReference: g.numRef()})
		}
	}
	if n == bizOnOrAfter(monthDay(d.Year, d.Month, 1)) {
		g.add(Transaction{Amount: -money.Kroner(49), Text: "Pris kontohold " + monthNames[d.Month],
			TransactionType: "Pris", TransactionTypeCode: codeFee, TransactionTypeText: "PRIS"})
	}
}

func (c *company) genTax(g *dayGen) {
	d, n := g.date, g.n
	if n == salaryDay(d.Year, d.Month) {
		g.add(Transaction{Amount: c.withheld(d.Year, d.Month), Text: "Skattetrekk " + monthNames[d.Month],
			TransactionType: "Overføring", TransactionTypeCode: codeTransfer, TransactionTypeText: "OVF",
			OtherAccountNumber: c.byKind(kindOperating).number})
	}
	if d.Month%2 == 1 && n == taxDay(d.Year, d.Month) {
		g.tax("Forskuddstrekk "+term2(d), c.withheld(d.Year, d.Month-2)+c.withheld(d.Year, d.Month-1))
	}
}

func (c *company) genSavings(g *dayGen) {
	d, n := g.date, g.n
	if n == lastBizDayOfMonth(d.Year, d.Month) {
		if s := c.sweep(d.Year, d.Month); s != 0 {
			t := Transaction{Amount: s, Text: "Overføring fra Driftskonto", TransactionType: "Overføring",
				TransactionTypeCode: codeTransfer, TransactionTypeText: "OVF",
				OtherAccountNumber: c.byKind(kindOperating).number}
			if s < 0 {
				t.Text = "Overføring til Driftskonto"
			}
			g.add(t)
		}
	}
	if d.AddDays(1).Day == 1 {
		g.add(Transaction{Amount: g.amount(7_200, 8_400), Text: "Kreditrente " + monthNames[d.Month],
			TransactionType: "Renter", TransactionTypeCode: codeInterest, TransactionTypeText: "RENTER"})
	}
}

// sweepMemo caches month-end sweeps: computing one generates the whole month.
var sweepMemo sync.Map // sweepKey -> money.Amount

type sweepKey struct {
	seed  int64
	month int
}

// sweep is what moves from the operating account to savings at the end of
// a month: the month's net result on the operating account, rounded to
// thousands, so the operating balance stays near its level year after year.
func (c *company) sweep(y int, m time.Month) money.Amount {
	key := sweepKey{c.seed, y*12 + int(m)}
	if v, ok := sweepMemo.Load(key); ok {
		return v.(money.Amount)
	}
	op := c.byKind(kindOperating)
	from := lastBizDayOfMonth(y, m-1) + 1
	to := lastBizDayOfMonth(y, m)
	var sum money.Amount
	var buf []Transaction
	for n := from; n <= to; n++ {
		buf = c.generate(op, n, false, buf[:0])
		for _, t := range buf {
			sum += t.Amount
		}
	}
	const thousand = 100_000
	s := (sum + thousand/2*sign(sum)) / thousand * thousand
	sweepMemo.Store(key, s)
	return s
}

func sign(a money.Amount) money.Amount {
	if a < 0 {
		return -1
	}
	return 1
}

// cardText writes the bank's card purchase text: "*4521 24.11 NOK 349.00 REMA 1000 SOLSIDEN Kurs: 1.0000".
func cardText(card int, bought civil.Date, amt money.Amount, merchant string) string {
	b := make([]byte, 0, 64)
	b = append(b, '*')
	b = appendPadded(b, card, 4)
	b = append(b, ' ')
	b = appendPadded(b, bought.Day, 2)
	b = append(b, '.')
	b = appendPadded(b, int(bought.Month), 2)
	b = append(b, " NOK "...)
	b = appendAmount(b, amt.Abs())
	b = append(b, ' ')
	b = append(b, merchant...)
	b = append(b, " Kurs: 1.0000"...)
	return string(b)
}

// sortByID orders a day's lines by transactionId, moving each large struct once.
func sortByID(lines []Transaction) {
	if len(lines) < 2 {
		return
	}
	idx := make([]int, len(lines))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return strings.Compare(lines[a].TransactionID, lines[b].TransactionID) })
	sorted := make([]Transaction, len(lines))
	for i, j := range idx {
		sorted[i] = lines[j]
	}
	copy(lines, sorted)
}
