package ui

import (
	"runtime"
	"testing"

	"fyne.io/fyne/v2"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
)

func heapAlloc() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestClosedCaseMemoryIsReleased opens and closes the happy case 20 times
// (6 under -race, where each round is ten times slower: keeping every case
// would still add five cases, 35 MB, against the 4 MiB bound): the heap
// after GC stays within a small bound of the first round.
func TestClosedCaseMemoryIsReleased(t *testing.T) {
	if testing.Short() {
		t.Skip("20 fetches and decodes")
	}
	rounds := 20
	if raceEnabled {
		rounds = 6
	}
	h := newHarness(t, Options{Env: eval.Demo})
	var first uint64
	for i := range rounds {
		h.open(simulator.HappyID)
		if h.r.sess.Case() == nil || h.panes()[0].display == nil {
			t.Fatalf("round %d: case not shown", i)
		}
		h.shortcut(fyne.KeyW)
		h.idle()
		heap := heapAlloc()
		if i == 0 {
			first = heap
		}
		t.Logf("round %2d: heap %6.1f MB", i, float64(heap)/1e6)
		if i == rounds-1 && heap > first+4<<20 {
			t.Errorf("heap grew from %.1f MB to %.1f MB over %d cases", float64(first)/1e6, float64(heap)/1e6, rounds)
		}
	}
}
