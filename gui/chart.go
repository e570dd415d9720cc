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
	r.first, r.last = canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder)), canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder))
	r.first.TextSize, r.last.TextSize = theme.CaptionTextSize(), theme.CaptionTextSize()
	return r
}

type chartRenderer struct {
	c     *balanceChart
	frame *canvas.Rectangle
	// min and maxL name the lowest and highest balance, left of the plot
	// at its foot and top (not in it, where they hid the lines' first days).
	min, maxL *canvas.Text
	// first and last name the period's first and last day under the plot.
	first, last *canvas.Text
	// made are the line segments made so far, the first drawn of them
	// drawn (segments); Refresh moves the ones it made before rather than
	// making new ones (two a day, up to two a pixel of width: every layout
	// refreshes, and new ones each time stayed alive in Fyne's caches for
	// a minute).
	made  []*canvas.Line
	drawn int
	size  fyne.Size
}

// segments are the line segments drawn.
func (r *chartRenderer) segments() []*canvas.Line { return r.made[:r.drawn] }

func (r *chartRenderer) Destroy()           {}
func (r *chartRenderer) MinSize() fyne.Size { return fyne.NewSize(300, 160) }
func (r *chartRenderer) Objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, 0, r.drawn+5)
	objs = append(objs, r.frame)
	for _, l := range r.segments() {
		objs = append(objs, l)
	}
	return append(objs, r.min, r.maxL, r.first, r.last)
}
func (r *chartRenderer) Layout(s fyne.Size) { r.size = s; r.Refresh() }

func (r *chartRenderer) Refresh() {
	s := r.size
	r.frame.Move(fyne.Position{})
	r.frame.Resize(s)
	r.drawn = 0
	days := r.c.days
	if len(days) == 0 || s.Width < 10 {
		for _, t := range []*canvas.Text{r.maxL, r.min, r.first, r.last} {
			t.Text = "" // no figures of an earlier report left standing
			t.Refresh()
		}
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
	r.maxL.Text, r.min.Text = hi.String(), lo.String()
	// A column left of the plot for the amounts, right-aligned, and a row
	// under it for the dates.
	axis := r.first.MinSize().Height + 2
	left := max(r.maxL.MinSize().Width, r.min.MinSize().Width) + 8
	pad := float32(8)
	w, h := s.Width-left-2*pad, s.Height-2*pad-axis
	r.maxL.Move(fyne.NewPos(left-4-r.maxL.MinSize().Width, pad-r.maxL.MinSize().Height/2))
	r.min.Move(fyne.NewPos(left-4-r.min.MinSize().Width, pad+h-r.min.MinSize().Height/2))
	r.first.Move(fyne.NewPos(left+4, s.Height-axis))
	r.last.Move(fyne.NewPos(s.Width-r.last.MinSize().Width-4, s.Height-axis))
	for _, t := range []*canvas.Text{r.maxL, r.min, r.first, r.last} {
		t.Refresh()
	}
	r.frame.Move(fyne.NewPos(left, 0))
	r.frame.Resize(fyne.NewSize(s.Width-left, s.Height-axis))
	x := func(i int) float32 {
		if len(days) == 1 {
			return left + pad + w/2
		}
		return left + pad + w*float32(i)/float32(len(days)-1)
	}
	// Money becomes float only here, for pixel positions.
	y := func(a int64) float32 { return pad + h - h*float32(a-int64(lo))/float32(int64(hi)-int64(lo)) }
	segment := func(c color.Color, width float32, from, to fyne.Position) {
		if r.drawn == len(r.made) {
			r.made = append(r.made, canvas.NewLine(c))
		}
		l := r.made[r.drawn]
		l.StrokeColor, l.StrokeWidth, l.Position1, l.Position2 = c, width, from, to
		r.drawn++
	}
	// The bank's line is drawn first and wider, the books' on top of it:
	// where they agree, the bank's shows as an edge around the books'.
	// A period of years has more days than the plot has pixels: see
	// decimate.
	budget := max(2, int(w/2)+1)
	line := func(c color.Color, width float32, value func(i int) (int64, bool)) {
		at := decimate(len(days), budget, value)
		for k := 1; k < len(at); k++ {
			i, j := at[k-1], at[k]
			a, _ := value(i)
			b, _ := value(j)
			segment(c, width, fyne.NewPos(x(i), y(a)), fyne.NewPos(x(j), y(b)))
		}
	}
	line(bankColour, 5, func(i int) (int64, bool) { return int64(days[i].Bank), days[i].BankKnown })
	line(ledgerColour, 2, func(i int) (int64, bool) { return int64(days[i].Ledger), true })
	if n := r.drawn; len(r.made) > 2*n { // a much shorter period lets the rest go
		clear(r.made[n:])
		r.made = r.made[:n:n]
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

// decimate returns which of n days to draw a line through, in order: every
// day it knows (value's ok) when they are at most budget, or else, in
// groups of consecutive days, the first, the lowest, the highest and the
// last of each group (at most budget in all). A day that stands out, the
// one day the books were short, still shows however long the period; every
// few days would step over it.
func decimate(n, budget int, value func(i int) (int64, bool)) []int {
	var out []int
	add := func(i int) {
		if len(out) == 0 || out[len(out)-1] < i {
			out = append(out, i)
		}
	}
	if n <= budget {
		for i := range n {
			if _, ok := value(i); ok {
				add(i)
			}
		}
		return out
	}
	groups := max(1, budget/4)
	for g := range groups {
		first, last, lo, hi := -1, -1, -1, -1
		var loV, hiV int64
		for i := g * n / groups; i < (g+1)*n/groups; i++ {
			v, ok := value(i)
			if !ok {
				continue
			}
			if first < 0 {
				first, lo, hi, loV, hiV = i, i, i, v, v
			}
			last = i
			if v < loV {
				lo, loV = i, v
			}
			if v > hiV {
				hi, hiV = i, v
			}
		}
		if first < 0 {
			continue
		}
		add(first)
		add(min(lo, hi))
		add(max(lo, hi))
		add(last)
	}
	return out
}
