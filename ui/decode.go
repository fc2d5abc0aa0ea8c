package ui

import (
	"math"
	"time"

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

// decodeBox is the pane's image area in physical pixels.
func (r *review) decodeBox() (w, h int) {
	area := r.evidence.area()
	scale := r.win.Canvas().Scale()
	w = int(math.Round(float64(area.Width * scale)))
	h = int(math.Round(float64(area.Height * scale)))
	if w < 16 || h < 16 {
		return fallbackBox, fallbackBox
	}
	return w, h
}

// decodePanes decodes the images of panes at the current pane size, off
// the Fyne goroutine, and swaps each into its pane as it finishes.
func (r *review) decodePanes(panes []*imagePane) {
	ref := r.sess.cur
	if ref == nil || len(panes) == 0 || !ref.acquire() {
		return
	}
	w, h := r.decodeBox()
	ctx, gen := r.sess.ctx, r.sess.gen
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
		defer ref.release()
		imaging.DecodeAll(ctx, sources, w, h, imaging.Options{}, func(res imaging.Result) {
			r.opts.Do(func() {
				p := panes[res.Key]
				if gen != r.sess.gen || p.seq != seqs[res.Key] {
					return
				}
				p.setDecoded(res.Display, res.Err, r.win.Canvas().Scale())
				r.evidence.decoded++
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
	if r.sess.cur == nil {
		return
	}
	w, h := r.decodeBox()
	var stale []*imagePane
	for _, p := range r.evidence.panes {
		p.updateCaption(r.win.Canvas().Scale())
		if p.display == nil || p.entry == nil {
			continue
		}
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
