package eval

import "testing"

// BenchmarkParseEvaluation parses a full evaluation summary.
func BenchmarkParseEvaluation(b *testing.B) {
	data := []byte(fullEvaluation)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseEvaluation(data); err != nil {
			b.Fatal(err)
		}
	}
}
