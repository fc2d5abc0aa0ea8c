package ui

import (
	"testing"
	"time"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
)

// fakeAfter is a hand-driven clock for pdfWarmup: it holds what was
// scheduled until the test fires it.
type fakeAfter struct{ pending []func() }

func (f *fakeAfter) after(d time.Duration, fn func()) {
	if d != pdfWarmDelay {
		panic("unexpected delay")
	}
	f.pending = append(f.pending, fn)
}

// fire runs everything scheduled so far; it reports how many there were.
func (f *fakeAfter) fire() int {
	p := f.pending
	f.pending = nil
	for _, fn := range p {
		fn()
	}
	return len(p)
}

func closedCh(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestPDFWarmupPolicy(t *testing.T) {
	var clock fakeAfter
	starts := 0
	fetching := false
	w := &pdfWarmup{start: func() { starts++ }, after: clock.after, fetching: func() bool { return fetching }}

	// Not armed (tests, the CLI): a finished decode starts nothing.
	w.decodeBegins()
	w.decodeEnds()
	if starts != 0 || len(clock.pending) != 0 {
		t.Fatal("started before being armed")
	}

	w.arm()
	w.arm() // once
	if starts != 0 || len(clock.pending) != 1 {
		t.Fatalf("arm: %d starts, %d timers", starts, len(clock.pending))
	}
	// A fetch in flight: check again later.
	fetching = true
	clock.fire()
	if starts != 0 || len(clock.pending) != 1 {
		t.Fatalf("during a fetch: %d starts, %d timers", starts, len(clock.pending))
	}
	// The pane decode: still not, and idle is open until it ends.
	fetching = false
	w.decodeBegins()
	w.decodeBegins()
	idle := w.idle()
	clock.fire()
	if starts != 0 || len(clock.pending) != 1 || closedCh(idle) {
		t.Fatalf("during a decode: %d starts, %d timers, idle %v", starts, len(clock.pending), closedCh(idle))
	}
	w.decodeEnds()
	if starts != 0 || closedCh(idle) {
		t.Fatal("started while a decode is still running")
	}
	w.decodeEnds() // the last decode starts the engine at once
	if starts != 1 || !closedCh(idle) || !closedCh(w.idle()) {
		t.Fatalf("after the decodes: %d starts, idle %v", starts, closedCh(idle))
	}
	clock.fire() // the pending check finds it started
	w.decodeBegins()
	w.decodeEnds()
	w.arm()
	if starts != 1 || len(clock.pending) != 0 {
		t.Fatalf("started %d times, %d timers left", starts, len(clock.pending))
	}
}

func TestPDFWarmupIdleWindowAndNoEngine(t *testing.T) {
	var clock fakeAfter
	starts := 0
	w := &pdfWarmup{start: func() { starts++ }, after: clock.after, fetching: func() bool { return false }}
	w.arm()
	if clock.fire() != 1 || starts != 1 {
		t.Fatalf("idle window: %d starts", starts)
	}
	none := &pdfWarmup{after: clock.after}
	none.arm()
	none.decodeBegins()
	none.decodeEnds()
	if len(clock.pending) != 0 {
		t.Error("a window without engine scheduled a start")
	}
}

// TestPDFWarmupWaitsForThePaneDecode opens the happy case in an armed
// window whose timer never fires: the engine starts exactly when the pane
// decode ended, with every pane image shown and no decode running.
func TestPDFWarmupWaitsForThePaneDecode(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	var clock fakeAfter
	starts := 0
	warm := h.pdfWarmup()
	warm.after = clock.after
	warm.start = func() {
		starts++
		if warm.decoding != 0 || h.r.sess.Case() == nil {
			t.Error("the engine started while the case was being decoded")
		}
		for _, p := range h.panesWithImages() {
			if p.display == nil {
				t.Errorf("the engine started before the %s pane was decoded", roleTitle(p.role))
			}
		}
	}
	warm.arm()
	h.open(simulator.HappyID)
	h.idle()
	if starts != 1 {
		t.Fatalf("engine started %d times after the first case", starts)
	}
}
