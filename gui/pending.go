package gui

import (
	"context"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/bank"
	"bankbro/core/civil"
	"bankbro/core/money"
	banksync "bankbro/core/sync"
)

// pendingRowsShown is how many reservations the opened band shows before
// it scrolls, so a busy day does not push the booked lines off the screen.
const pendingRowsShown = 6

// pendingBand shows, above an account's booked lines, its reservations of
// today: money on its way that the bank has not booked. They are read from
// the bank, never stored; tomorrow's import reads them once booked.
type pendingBand struct {
	box     *fyne.Container // what the screen holds: the band, the note or nothing
	band    *widget.Accordion
	item    *widget.AccordionItem
	rows    *fyne.Container
	scroll  *container.Scroll
	note    *widget.Label
	summary string // the band's title; "" when none is shown
}

func newPendingBand() *pendingBand {
	p := &pendingBand{rows: container.NewVBox(), note: widget.NewLabel("")}
	p.note.Importance = widget.LowImportance
	p.scroll = container.NewVScroll(p.rows)
	p.item = widget.NewAccordionItem("", p.scroll)
	p.band = widget.NewAccordion(p.item)
	p.box = container.NewVBox()
	return p
}

// clear shows nothing: while another account's reservations are read, and
// when an account has none.
func (p *pendingBand) clear() {
	p.summary = ""
	p.band.CloseAll()
	p.box.Objects = nil
	p.box.Refresh()
}

// show puts what was read on the band. An expired or missing login says
// nothing here (the morning screen asks for it); a bank that cannot be
// reached gets a quiet note, as the booked lines are all there anyway.
func (p *pendingBand) show(res []bank.Transaction, err error) {
	p.clear()
	switch {
	case err != nil && quietPendingError(err):
		return
	case err != nil:
		p.note.SetText(lang.L("Today's reservations could not be read from the bank."))
		p.box.Objects = []fyne.CanvasObject{p.note}
	case len(res) == 0:
		return
	default:
		var sum money.Amount
		rows := make([]fyne.CanvasObject, len(res))
		for i, r := range res {
			sum += r.Amount
			rows[i] = pendingRow(r)
		}
		p.summary = fmt.Sprintf(lang.L("Today, not yet booked: %s, %s"),
			counted(len(res), "1 reservation", "%d reservations"), sum.Kr())
		p.item.Title = p.summary
		p.rows.Objects = rows
		h := rows[0].MinSize().Height
		p.scroll.SetMinSize(fyne.NewSize(0, float32(min(len(rows), pendingRowsShown))*(h+theme.Padding())))
		p.rows.Refresh()
		p.band.Refresh()
		p.box.Objects = []fyne.CanvasObject{p.band}
	}
	p.box.Refresh()
}

// quietPendingError says whether err is one the band keeps to itself: no
// login, an expired one, or a read given up because the screen went away.
func quietPendingError(err error) bool {
	return needsLogin(err) || errors.Is(err, context.Canceled)
}

// pendingRow is one reservation: date, text and amount, in the booked
// lines' columns.
func pendingRow(r bank.Transaction) fyne.CanvasObject {
	date := widget.NewLabel(r.AccountingDate.Norwegian())
	text := widget.NewLabel(withShop(r.Text))
	text.Truncation = fyne.TextTruncateEllipsis
	amount := widget.NewLabel(r.Amount.String())
	amount.Alignment = fyne.TextAlignTrailing
	w := bankColumns
	return container.New(&columns{widths: []float32{w[0].width, w[1].width + w[2].width, w[3].width}}, date, text, amount)
}

// readPending reads the account's reservations of today through the login
// service's bank client. The client it gives (*bank.Client) reads them; a
// stand-in that cannot has none to show.
func readPending(ctx context.Context, svc loginService, accountID string, today civil.Date) ([]bank.Transaction, error) {
	if svc == nil {
		return nil, nil
	}
	client, err := svc.Client(ctx)
	if err != nil {
		return nil, err
	}
	r, ok := client.(banksync.Reservations)
	if !ok {
		return nil, nil
	}
	return banksync.Pending(ctx, r, accountID, today)
}
