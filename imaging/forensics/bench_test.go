package forensics

import (
	"context"
	"testing"

	"docvreview/imaging"
	"docvreview/imaging/barcode"
)

// BenchmarkAnalyzeBack12MP is the whole check of a 12 MP licence back
// from its JPEG bytes: header, quality, EXIF flags (with the 1/8 decode),
// and the barcode (a half-size decode, luminance, zxing-cpp).
func BenchmarkAnalyzeBack12MP(b *testing.B) {
	if !barcode.Available() {
		b.Skip(barcode.ErrUnavailable)
	}
	back := backJPEG(b, 4032, 3024, backAAMVA, 6)
	for b.Loop() {
		r, err := Analyze(context.Background(), back, RoleBack, nil)
		if err != nil || r.Barcode == nil {
			b.Fatalf("%+v %v", r.Barcode, err)
		}
	}
}

// BenchmarkAnalyzeFront12MP is the check of a 12 MP image that is not a
// back (no barcode): header, quality and EXIF flags.
func BenchmarkAnalyzeFront12MP(b *testing.B) {
	front := withEXIF(encJPEG(b, scene(4032, 3024, 0), 90), cameraEXIF(1, "", encJPEG(b, shrinkRGBA(scene(640, 480, 0), 160, 120), 70), false))
	for b.Loop() {
		if _, err := Analyze(context.Background(), front, "front", nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkELA12MP recompresses a 12 MP image and builds its ELA image.
func BenchmarkELA12MP(b *testing.B) {
	img, _, err := imaging.DecodeFull(encJPEG(b, scene(4032, 3024, 0), 90), imaging.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ELA(img, DefaultELAQuality, DefaultELAGain); err != nil {
			b.Fatal(err)
		}
	}
}
