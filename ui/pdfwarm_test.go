package ui

import (
	"testing"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
)

func closedCh(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// TestPDFWarmupStartsOnceWhenArmed: the engine starts when the window
// arms the warm-up (it opens), once; never before (tests, the command
// line), never without an engine.
func TestPDFWarmupStartsOnceWhenArmed(t *testing.T) {
	starts := 0
	w := &pdfWarmup{start: func() { starts++ }}
	w.decodeBegins()
	w.decodeEnds()
	if starts != 0 {
		t.Fatal("started before being armed")
	}
	w.arm()
	w.arm()
	w.decodeBegins()
	w.decodeEnds()
	if starts != 1 {
		t.Fatalf("started %d times, want once", starts)
	}
	none := &pdfWarmup{}
	none.arm() // no engine: nothing to start, no panic
}

// TestPDFWarmupIdle: idle stays open while any pane decode runs, and is
// closed (at once, for a new caller too) when the last one ends.
func TestPDFWarmupIdle(t *testing.T) {
	var w pdfWarmup
	if !closedCh(w.idle()) {
		t.Fatal("idle open with no decode")
	}
	w.decodeBegins()
	w.decodeBegins()
	idle := w.idle()
	w.decodeEnds()
	if closedCh(idle) {
		t.Fatal("idle closed while a decode still runs")
	}
	w.decodeEnds()
	if !closedCh(idle) || !closedCh(w.idle()) {
		t.Fatal("idle still open after the last decode")
	}
}

// TestWindowStartsTheEngineWhenItOpens: an armed window has started the
// engine before any case, and a case does not start it again.
func TestWindowStartsTheEngineWhenItOpens(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	starts := 0
	warm := h.pdfWarmup()
	warm.start = func() { starts++ }
	warm.arm()
	if starts != 1 {
		t.Fatalf("engine started %d times when the window opened", starts)
	}
	h.open(simulator.HappyID)
	if starts != 1 {
		t.Fatalf("engine started %d times after the first case", starts)
	}
}
