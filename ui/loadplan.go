package ui

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"docvreview/fetch/casefile"
	"docvreview/imaging"
)

// loadPlan is what a load needs to decode each image at the size of the
// pane it will have: the evidence area the panes will share and the
// panes' chrome, recorded on the Fyne goroutine when a fetch starts
// (storeLoadPlan) and read by the load's decoders (boxFor).
type loadPlan struct {
	area        fyne.Size // logical
	gap, chrome float32   // between panes; a pane's title and caption
	scale       float32   // physical pixels per logical one
}

// The shapes a plan assumes for the panes whose image it has not read: a
// phone's photo of a card (4:3, landscape) and a selfie (3:4, portrait).
const (
	plannedCardShape   = 4.0 / 3.0
	plannedSelfieShape = 3.0 / 4.0
)

// paneRoles are the roles of the evidence panes, in their order.
var paneRoles = [...]casefile.Role{casefile.RoleFront, casefile.RoleBack, casefile.RoleSelfie}

// boxFor is the box (physical pixels) to decode e to: its pane's image
// area in the arrangement evidenceLayout picks for a front, a back and a
// selfie, with e's own shape (read from its header) and the usual shape of
// the others. An image without a pane of its own gets a zero box (it is
// decoded when it is inspected). When the case turns out otherwise (no
// back, other shapes), a pane whose box is off by more than redecodeRatio
// decodes again (applyPredecoded).
func (pl *loadPlan) boxFor(e *casefile.Entry) (w, h int) {
	at := -1
	aspects := []float64{plannedCardShape, plannedCardShape, plannedSelfieShape}
	for i, r := range paneRoles {
		if e.Role == r {
			at = i
		}
	}
	if at < 0 || pl.area.Width < 16 || pl.area.Height < 16 {
		return 0, 0
	}
	if info, err := imaging.Probe(e.Data); err == nil {
		if s := infoShape(info); s > 0 {
			aspects[at] = s
		}
	}
	ar := bestArrangement(aspects, pl.area, pl.gap, pl.chrome)
	size := ar.rects[at].size
	w = int(math.Round(float64(size.Width * pl.scale)))
	h = int(math.Round(float64(max(size.Height-pl.chrome, 0) * pl.scale)))
	if w < 16 || h < 16 {
		return 0, 0
	}
	return w, h
}

// storeLoadPlan records the plan of the loads that start from now on
// (they read it off the Fyne goroutine through planBox): the evidence
// area, or, before the evidence view has been laid out, the centre it
// will fill.
func (r *review) storeLoadPlan() {
	area := r.evidence.grid.Size()
	if area.Width < 16 || area.Height < 16 {
		area = r.center.Size()
	}
	r.loadPlan.Store(&loadPlan{
		area:   area,
		gap:    theme.Padding(),
		chrome: paneChrome(r.evidence.panes[0]),
		scale:  r.win.Canvas().Scale(),
	})
}

// planBox is boxFor of the last plan stored (a zero box before any: the
// panes then decode once they are laid out).
func (r *review) planBox(e *casefile.Entry) (w, h int) {
	pl := r.loadPlan.Load()
	if pl == nil {
		return 0, 0
	}
	return pl.boxFor(e)
}
