package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"bankbro/core/reconcile"
)

var (
	bankColour   = color.NRGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	ledgerColour = color.NRGBA{R: 0xe6, G: 0x7e, B: 0x22, A: 0xff}
)

// balanceChart draws the bank's and the ledger's balance per day, so the day
// a difference starts shows as the day the two lines part.
type balanceChart struct {
	widget.BaseWidget
	days []reconcile.Day
}

func newBalanceChart() *balanceChart {
	c := &balanceChart{}
	c.ExtendBaseWidget(c)
	return c
}

// SetDays shows other days.
func (c *balanceChart) SetDays(days []reconcile.Day) {
	c.days = days
	c.Refresh()
}

func (c *balanceChart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c, frame: canvas.NewRectangle(color.Transparent)}
	r.frame.StrokeColor = theme.Color(theme.ColorNameSeparator)
	r.frame.StrokeWidth = 1
	r.min, r.maxL = canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder)), canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder))
	r.min.TextSize, r.maxL.TextSize = theme.CaptionTextSize(), theme.CaptionTextSize()
	// The amounts stand inside the plot: a patch of the background under
	// each keeps a line from striking them through.
	r.minBg, r.maxBg = canvas.NewRectangle(theme.Color(theme.ColorNameBackground)), canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	r.first, r.last = canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder)), canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder))
	r.first.TextSize, r.last.TextSize = theme.CaptionTextSize(), theme.CaptionTextSize()
	return r
}

type chartRenderer struct {
	c         *balanceChart
	frame     *canvas.Rectangle
	min, maxL *canvas.Text
	// minBg and maxBg lie under min and maxL, over the lines.
	minBg, maxBg *canvas.Rectangle
	// first and last name the period's first and last day under the plot.
	first, last *canvas.Text
	lines       []fyne.CanvasObject
	size        fyne.Size
}

func (r *chartRenderer) Destroy()           {}
func (r *chartRenderer) MinSize() fyne.Size { return fyne.NewSize(300, 160) }
func (r *chartRenderer) Objects() []fyne.CanvasObject {
	objs := append([]fyne.CanvasObject{r.frame}, r.lines...)
	return append(objs, r.minBg, r.maxBg, r.min, r.maxL, r.first, r.last)
}
func (r *chartRenderer) Layout(s fyne.Size) { r.size = s; r.Refresh() }

func (r *chartRenderer) Refresh() {
	s := r.size
	r.frame.Resize(s)
	r.lines = r.lines[:0]
	days := r.c.days
	if len(days) == 0 || s.Width < 10 {
		for _, t := range []*canvas.Text{r.maxL, r.min, r.first, r.last} {
			t.Text = "" // no figures of an earlier report left standing
			t.Refresh()
		}
		r.minBg.Resize(fyne.Size{})
		r.maxBg.Resize(fyne.Size{})
		r.frame.Refresh()
		return
	}
	lo, hi := days[0].Ledger, days[0].Ledger
	for _, d := range days {
		lo, hi = min(lo, d.Ledger), max(hi, d.Ledger)
		if d.BankKnown {
			lo, hi = min(lo, d.Bank), max(hi, d.Bank)
		}
	}
	if hi == lo {
		hi, lo = hi+100, lo-100
	}
	r.first.Text, r.last.Text = days[0].Date.Norwegian(), days[len(days)-1].Date.Norwegian()
	axis := r.first.MinSize().Height + 2 // a row under the plot for the dates
	r.first.Move(fyne.NewPos(4, s.Height-axis))
	r.last.Move(fyne.NewPos(s.Width-r.last.MinSize().Width-4, s.Height-axis))
	r.maxL.Text, r.min.Text = hi.String(), lo.String()
	r.maxL.Move(fyne.NewPos(4, 2))
	r.min.Move(fyne.NewPos(4, s.Height-axis-r.min.MinSize().Height-2))
	for _, p := range []struct {
		bg *canvas.Rectangle
		t  *canvas.Text
	}{{r.minBg, r.min}, {r.maxBg, r.maxL}} {
		p.bg.FillColor = theme.Color(theme.ColorNameBackground) // follows a change of theme
		p.bg.Move(p.t.Position().SubtractXY(2, 0))
		p.bg.Resize(p.t.MinSize().AddWidthHeight(4, 0))
		p.bg.Refresh()
	}
	for _, t := range []*canvas.Text{r.maxL, r.min, r.first, r.last} {
		t.Refresh()
	}
	pad := float32(8)
	w, h := s.Width-2*pad, s.Height-2*pad-axis
	x := func(i int) float32 {
		if len(days) == 1 {
			return pad + w/2
		}
		return pad + w*float32(i)/float32(len(days)-1)
	}
	// Money becomes float only here, for pixel positions.
	y := func(a int64) float32 { return pad + h - h*float32(a-int64(lo))/float32(int64(hi)-int64(lo)) }
	for i := 1; i < len(days); i++ {
		p, d := days[i-1], days[i]
		if p.BankKnown && d.BankKnown {
			l := canvas.NewLine(bankColour)
			l.StrokeWidth = 2
			l.Position1, l.Position2 = fyne.NewPos(x(i-1), y(int64(p.Bank))), fyne.NewPos(x(i), y(int64(d.Bank)))
			r.lines = append(r.lines, l)
		}
		l := canvas.NewLine(ledgerColour)
		l.StrokeWidth = 2
		l.Position1, l.Position2 = fyne.NewPos(x(i-1), y(int64(p.Ledger))), fyne.NewPos(x(i), y(int64(d.Ledger)))
		r.lines = append(r.lines, l)
	}
	r.frame.Refresh()
}

// chartLegend names the chart's two colours.
func chartLegend() fyne.CanvasObject {
	swatch := func(c color.Color) fyne.CanvasObject {
		r := canvas.NewRectangle(c)
		r.SetMinSize(fyne.NewSize(16, 4))
		return container.NewCenter(r)
	}
	return container.NewHBox(swatch(bankColour), widget.NewLabel(lang.L("Balance in the bank")),
		swatch(ledgerColour), widget.NewLabel(lang.L("Balance in the books")))
}
