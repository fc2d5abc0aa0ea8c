package ui

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Names of the arrangements evidenceLayout picks from (tests read them).
const (
	arrangeColumns     = "columns"      // all images in one row
	arrangeRows        = "rows"         // all images in one column
	arrangePairBeside  = "pair-beside"  // two stacked beside the third
	arrangePairAbove   = "pair-above"   // two side by side above (or below) the third
	arrangeSideBySide  = "side-by-side" // two images, one row
	arrangeStacked     = "stacked"      // two images, one column
	arrangeSingle      = "single"       // one image
	arrangeEqual       = "equal"        // no case: equal columns
	arrangeFracSteps   = 140            // split positions tried per arrangement
	arrangeFracMin     = 0.15           // the narrowest share a split gives a side
	absentStripPadding = 2              // padding units around an absent pane's message
)

// paneRect is one pane's place in the evidence area.
type paneRect struct {
	pos  fyne.Position
	size fyne.Size
}

// arrangement is a candidate layout of the images that are present: one
// rect per image, in the order given.
type arrangement struct {
	name  string
	rects []paneRect
}

// fittedArea is the area an image of aspect a (width/height) covers when
// it is fitted into a pane of r's size whose bottom chrome units hold the
// title and caption.
func fittedArea(r paneRect, a float64, chrome float32) float64 {
	if a <= 0 || math.IsNaN(a) || math.IsInf(a, 0) {
		a = 1
	}
	w := float64(r.size.Width)
	h := float64(r.size.Height - chrome)
	if w <= 0 || h <= 0 {
		return 0
	}
	fw := math.Min(w, h*a)
	return fw * fw / a
}

// score is the smallest fitted image area of an arrangement (the image
// worst served), then the total as a tie-break.
func (ar arrangement) score(aspects []float64, chrome float32) (least, total float64) {
	least = math.Inf(1)
	for i, r := range ar.rects {
		s := fittedArea(r, aspects[i], chrome)
		least = math.Min(least, s)
		total += s
	}
	return least, total
}

// bestArrangement tries the arrangements of len(aspects) images (1–3) in
// an area of size and returns the one whose worst-served image is largest.
// gap separates panes; chrome is the height of each pane's title and
// caption below its image.
func bestArrangement(aspects []float64, size fyne.Size, gap, chrome float32) arrangement {
	var best arrangement
	bestLeast, bestTotal := -1.0, -1.0
	consider := func(ar arrangement) {
		least, total := ar.score(aspects, chrome)
		if least > bestLeast+1e-6 || (math.Abs(least-bestLeast) <= 1e-6 && total > bestTotal) {
			best, bestLeast, bestTotal = ar, least, total
		}
	}
	for _, c := range candidates(aspects, size, gap, chrome) {
		if !c.split {
			consider(c.at(0.5))
			continue
		}
		for k := 0; k <= arrangeFracSteps; k++ {
			f := arrangeFracMin + (1-2*arrangeFracMin)*float32(k)/arrangeFracSteps
			consider(c.at(f))
		}
	}
	return best
}

// candidate is an arrangement family; split ones take the share f (0–1)
// of the area their first part gets.
type candidate struct {
	split bool
	at    func(f float32) arrangement
}

// candidates lists the arrangement families for the images' aspects.
func candidates(a []float64, size fyne.Size, gap, chrome float32) []candidate {
	W, H := size.Width, size.Height
	switch len(a) {
	case 0:
		return nil
	case 1:
		return []candidate{{at: func(float32) arrangement {
			return arrangement{arrangeSingle, []paneRect{{fyne.NewPos(0, 0), size}}}
		}}}
	case 2:
		return []candidate{
			{split: true, at: func(f float32) arrangement {
				w0 := (W - gap) * f
				return arrangement{arrangeSideBySide, []paneRect{
					{fyne.NewPos(0, 0), fyne.NewSize(w0, H)},
					{fyne.NewPos(w0+gap, 0), fyne.NewSize(W-gap-w0, H)},
				}}
			}},
			{split: true, at: func(f float32) arrangement {
				h0 := (H - gap) * f
				return arrangement{arrangeStacked, []paneRect{
					{fyne.NewPos(0, 0), fyne.NewSize(W, h0)},
					{fyne.NewPos(0, h0+gap), fyne.NewSize(W, H-gap-h0)},
				}}
			}},
		}
	}
	a = a[:3]
	out := []candidate{
		{at: func(float32) arrangement {
			return arrangement{arrangeColumns, rowRects(a, fyne.NewPos(0, 0), size, gap)}
		}},
		{at: func(float32) arrangement {
			return arrangement{arrangeRows, columnRects(a, fyne.NewPos(0, 0), size, gap, chrome)}
		}},
	}
	for single := range 3 {
		var pair []int
		for i := range 3 {
			if i != single {
				pair = append(pair, i)
			}
		}
		pa := []float64{a[pair[0]], a[pair[1]]}
		// The single image keeps its reading position: first when it comes
		// before the pair, else after it.
		first := single < pair[0]
		out = append(out,
			candidate{split: true, at: func(f float32) arrangement {
				pw := (W - gap) * f
				sw := W - gap - pw
				px, sx := float32(0), pw+gap
				if first {
					sx, px = 0, sw+gap
				}
				col := columnRects(pa, fyne.NewPos(px, 0), fyne.NewSize(pw, H), gap, chrome)
				return arrangement{arrangePairBeside, place3(single, pair, col,
					paneRect{fyne.NewPos(sx, 0), fyne.NewSize(sw, H)})}
			}},
			candidate{split: true, at: func(f float32) arrangement {
				ph := (H - gap) * f
				sh := H - gap - ph
				py, sy := float32(0), ph+gap
				if first {
					sy, py = 0, sh+gap
				}
				row := rowRects(pa, fyne.NewPos(0, py), fyne.NewSize(W, ph), gap)
				return arrangement{arrangePairAbove, place3(single, pair, row,
					paneRect{fyne.NewPos(0, sy), fyne.NewSize(W, sh)})}
			}},
		)
	}
	return out
}

// place3 puts the pair's rects and the single rect back in image order.
func place3(single int, pair []int, pairRects []paneRect, s paneRect) []paneRect {
	out := make([]paneRect, 3)
	out[single] = s
	out[pair[0]], out[pair[1]] = pairRects[0], pairRects[1]
	return out
}

// rowRects puts images side by side in one row, each as wide as its aspect
// asks for the same image height.
func rowRects(a []float64, at fyne.Position, size fyne.Size, gap float32) []paneRect {
	sum := 0.0
	for _, x := range a {
		sum += safeAspect(x)
	}
	free := size.Width - gap*float32(len(a)-1)
	out := make([]paneRect, len(a))
	x := at.X
	for i, v := range a {
		w := free * float32(safeAspect(v)/sum)
		out[i] = paneRect{fyne.NewPos(x, at.Y), fyne.NewSize(w, size.Height)}
		x += w + gap
	}
	return out
}

// columnRects stacks images in one column, each as tall as its aspect asks
// for the same image width (plus its chrome).
func columnRects(a []float64, at fyne.Position, size fyne.Size, gap, chrome float32) []paneRect {
	sum := 0.0
	for _, x := range a {
		sum += 1 / safeAspect(x)
	}
	n := float32(len(a))
	free := max(size.Height-gap*(n-1)-chrome*n, 0)
	out := make([]paneRect, len(a))
	y := at.Y
	for i, v := range a {
		h := free*float32(1/safeAspect(v)/sum) + chrome
		out[i] = paneRect{fyne.NewPos(at.X, y), fyne.NewSize(size.Width, h)}
		y += h + gap
	}
	return out
}

func safeAspect(a float64) float64 {
	if a <= 0 || math.IsNaN(a) || math.IsInf(a, 0) {
		return 1
	}
	return a
}

// evidenceLayout places the three panes: the panes that have an image get
// the arrangement that gives the worst-served image the most area for the
// images' aspect ratios; the panes without one (a passport's back) share a
// short strip at the bottom that holds their message. With no case open,
// the panes are equal columns.
type evidenceLayout struct {
	v *evidenceView
}

// Layout implements fyne.Layout.
func (l *evidenceLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	v := l.v
	for _, p := range v.panes {
		if p == nil { // still being built
			return
		}
	}
	gap := theme.Padding()
	var present, absent []*imagePane
	for _, p := range v.panes {
		if p.entry != nil {
			present = append(present, p)
		} else {
			absent = append(absent, p)
		}
	}
	if len(present) == 0 {
		v.arrangement = arrangeEqual
		w := (size.Width - 2*gap) / 3
		for i, p := range v.panes {
			p.Move(fyne.NewPos(float32(i)*(w+gap), 0))
			p.Resize(fyne.NewSize(w, size.Height))
		}
		return
	}
	main := size
	if len(absent) > 0 {
		sh := absentStripHeight(absent[0])
		main.Height = max(size.Height-sh-gap, 0)
		w := (size.Width - gap*float32(len(absent)-1)) / float32(len(absent))
		for i, p := range absent {
			p.Move(fyne.NewPos(float32(i)*(w+gap), main.Height+gap))
			p.Resize(fyne.NewSize(w, sh))
		}
	}
	aspects := make([]float64, len(present))
	for i, p := range present {
		aspects[i] = p.aspect()
	}
	ar := bestArrangement(aspects, main, gap, paneChrome(present[0]))
	v.arrangement = ar.name
	for i, p := range present {
		p.Move(ar.rects[i].pos)
		p.Resize(ar.rects[i].size)
	}
}

// MinSize implements fyne.Layout: small enough for a small screen.
func (l *evidenceLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(3*160+2*theme.Padding(), 240)
}

// paneChrome is the height of a pane's title and caption.
func paneChrome(p *imagePane) float32 {
	return p.title.MinSize().Height + p.caption.MinSize().Height
}

// absentStripHeight fits an absent pane's title and one line of message.
func absentStripHeight(p *imagePane) float32 {
	return paneChrome(p) + p.msg.MinSize().Height + absentStripPadding*theme.Padding()
}
