package ui

import (
	"math"

	"time"

	"fyne.io/fyne/v2"

	"docvreview/imaging"
)

// redecodeDelay is how long a resize must settle before the panes are
// decoded again at the new size.
const redecodeDelay = 250 * time.Millisecond

// redecodeRatio is how much the shown scale must change (relative) before a
// pane is decoded again.
const redecodeRatio = 0.2

// fallbackBox is the decode box (physical pixels) used before the panes
// have been laid out.
const fallbackBox = 1024

// resizeDebounce delays re-decoding until a resize settles.
type resizeDebounce struct {
	timer *time.Timer
}

func (d *resizeDebounce) stop() {
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
}

// decodeBox is a box (physical pixels) that holds any pane's image area
// whatever the arrangement: the whole evidence area.
func (r *review) decodeBox() (w, h int) {
	return r.physicalBox(r.evidence.grid.Size())
}

// paneBox is the pane's image area in physical pixels.
func (r *review) paneBox(p *imagePane) (w, h int) {
	return r.physicalBox(p.areaSize)
}

// physicalBox is area in physical pixels (fallbackBox before layout).
func (r *review) physicalBox(area fyne.Size) (w, h int) {
	scale := r.win.Canvas().Scale()
	w = int(math.Round(float64(area.Width * scale)))
	h = int(math.Round(float64(area.Height * scale)))
	if w < 16 || h < 16 {
		return fallbackBox, fallbackBox
	}
	return w, h
}

// decodePanes decodes the images of panes, each at its pane's size, off
// the Fyne goroutine, and swaps each into its pane as it finishes. Panes
// of the same size are decoded together (in parallel).
func (r *review) decodePanes(panes []*imagePane) {
	type box struct{ w, h int }
	groups := map[box][]*imagePane{}
	var order []box
	for _, p := range panes {
		w, h := r.paneBox(p)
		b := box{w, h}
		if groups[b] == nil {
			order = append(order, b)
		}
		groups[b] = append(groups[b], p)
	}
	for _, b := range order {
		r.decodePanesAt(groups[b], b.w, b.h)
	}
}

// decodePanesAt decodes the images of panes to fit w×h.
func (r *review) decodePanesAt(panes []*imagePane, w, h int) {
	ref := r.sess.Case()
	if ref == nil || len(panes) == 0 || !ref.Acquire() {
		return
	}
	ctx, gen := r.sess.Context(), r.sess.Gen()
	sources := make([]imaging.Source, len(panes))
	seqs := make([]int, len(panes))
	for i, p := range panes {
		p.seq++
		seqs[i] = p.seq
		sources[i] = imaging.Source{Key: i, Data: p.entry.Data}
		p.boxW, p.boxH = w, h
	}
	r.pdfWarm.decodeBegins()
	r.background(func() {
		defer r.opts.Do(r.pdfWarm.decodeEnds)
		defer ref.Release()
		imaging.DecodeAll(ctx, sources, w, h, imaging.Options{}, func(res imaging.Result) {
			r.opts.Do(func() {
				p := panes[res.Key]
				if gen != r.sess.Gen() || p.seq != seqs[res.Key] {
					return
				}
				p.setDecoded(res.Display, res.Err, r.win.Canvas().Scale())
				r.evidence.decoded++
				r.afterPaneDecoded()
			})
		})
	})
}

// scheduleRedecode runs redecode once the pane size has been stable for
// redecodeDelay.
func (r *review) scheduleRedecode() {
	r.resize.stop()
	r.resize.timer = time.AfterFunc(redecodeDelay, func() { r.opts.Do(r.redecode) })
}

// redecode decodes again the panes whose size changed meaningfully, and
// refreshes every caption's shown size.
func (r *review) redecode() {
	r.resize.timer = nil
	if r.sess.Case() == nil {
		return
	}
	var stale []*imagePane
	for _, p := range r.evidence.panes {
		p.updateCaption(r.win.Canvas().Scale())
		if p.display == nil || p.entry == nil {
			continue
		}
		w, h := r.paneBox(p)
		if needsRedecode(p.display.Info, p.boxW, p.boxH, w, h) {
			stale = append(stale, p)
		}
	}
	r.decodePanes(stale)
}

// needsRedecode reports whether an image decoded to fit oldW×oldH should
// be decoded again for newW×newH: when its fitted scale (never above 1)
// changes by more than redecodeRatio.
func needsRedecode(info imaging.Info, oldW, oldH, newW, newH int) bool {
	ow, oh := info.OrientedSize()
	if ow <= 0 || oh <= 0 || oldW <= 0 || oldH <= 0 {
		return true
	}
	before := fitScale(ow, oh, oldW, oldH)
	after := fitScale(ow, oh, newW, newH)
	return math.Abs(after-before)/before > redecodeRatio
}

// fitScale is the scale that fits w×h into boxW×boxH, never above 1.
func fitScale(w, h, boxW, boxH int) float64 {
	s := math.Min(float64(boxW)/float64(w), float64(boxH)/float64(h))
	return math.Min(s, 1)
}
