package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
)

// TestFirstCaseDecodesEachPaneOnce: the plan stored when the first case
// after launch was fetched (before any evidence was laid out) gives the
// licence's front, back and selfie the boxes of the panes they get, so
// the load's decodes are shown as they are, without a second decode.
func TestFirstCaseDecodesEachPaneOnce(t *testing.T) {
	for _, size := range []fyne.Size{laptop, fyne.NewSize(1600, 1000), fyne.NewSize(900, 1200)} {
		h := newHarness(t, Options{Env: eval.Demo})
		h.win.Resize(size)
		h.open(simulator.HappyID)
		panes := h.panesWithImages()
		if len(panes) != 3 {
			t.Fatalf("%v: %d panes with images", size, len(panes))
		}
		for _, p := range panes {
			w, hh := h.paneBox(p)
			if pw, ph := h.planBox(p.entry); pw != w || ph != hh {
				t.Errorf("%v: %s planned for %d×%d, its pane is %d×%d", size, roleTitle(p.role), pw, ph, w, hh)
			}
		}
	}
}
