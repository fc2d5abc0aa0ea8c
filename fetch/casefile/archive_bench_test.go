package casefile

import (
	"testing"

	"docvreview/fetch/simulator"
)

// BenchmarkReadArchive opens the simulator's driver's-license case (three
// phone-size JPEGs and two PDFs): inflate, hash and classify every entry.
func BenchmarkReadArchive(b *testing.B) {
	data := simulator.CaseZIP(simulator.HappyID)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		entries, _, err := ReadArchive(data, Limits{})
		if err != nil || len(entries) != 5 {
			b.Fatalf("%d entries, %v", len(entries), err)
		}
	}
}
