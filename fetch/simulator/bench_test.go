package simulator

import (
	"testing"
)

// BenchmarkLicenseImages measures generating the three license captures
// concurrently, as licenseImages does once per process.
func BenchmarkLicenseImages(b *testing.B) {
	for b.Loop() {
		generateInTurn(
			func() ([]byte, error) { return makeFront(0) },
			makeBack,
			func() ([]byte, error) { return makeSelfie(0) },
		)
	}
}

// BenchmarkFront measures one capture: drawing, camera look and encoding.
func BenchmarkFront(b *testing.B) {
	for b.Loop() {
		if _, err := makeFront(0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPDF measures one reviewer note.
func BenchmarkPDF(b *testing.B) {
	for b.Loop() {
		makePDF(pdfDocument{title: "t", pages: []pdfPage{{heading: "h", lines: []string{"a:  b"}}}})
	}
}
