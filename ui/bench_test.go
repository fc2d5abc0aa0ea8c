package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
	"docvreview/imaging"
)

// laptop is the window of a 1280×720 laptop screen.
var laptop = fyne.NewSize(1200, 700)

// BenchmarkEnterToThreeImages measures the window from Enter to the three
// images of the Demo happy case decoded and set on their panes.
func BenchmarkEnterToThreeImages(b *testing.B) {
	h := newHarness(b, Options{Env: eval.Demo})
	h.win.Resize(laptop)
	h.open(simulator.HappyID) // warm the simulator's cache
	b.ResetTimer()
	for range b.N {
		h.open(simulator.HappyID)
		if n := h.imagesShown(); n != 3 {
			b.Fatalf("%d images decoded", n)
		}
	}
	b.StopTimer()
	w, hh := h.decodeBox()
	b.ReportMetric(float64(w), "box-w")
	b.ReportMetric(float64(hh), "box-h")
}

// BenchmarkDecodeThreeImages is the decode alone, at the same box: the
// window's figure above should stay within 1.5× of it.
func BenchmarkDecodeThreeImages(b *testing.B) {
	h := newHarness(b, Options{Env: eval.Demo})
	h.win.Resize(laptop)
	h.open(simulator.HappyID)
	w, hh := h.decodeBox()
	var srcs []imaging.Source
	for i, p := range h.panes() {
		srcs = append(srcs, imaging.Source{Key: i, Data: p.entry.Data})
	}
	b.ResetTimer()
	for range b.N {
		imaging.DecodeAll(context.Background(), srcs, w, hh, imaging.Options{}, func(imaging.Result) {})
	}
}
