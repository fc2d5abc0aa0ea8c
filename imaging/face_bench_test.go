package imaging

import (
	"image"
	"testing"
)

// BenchmarkDetect800 measures Detect on pigo's sample enlarged to 640×800
// (an "800 px copy", as DetectScaled makes), pupils included.
func BenchmarkDetect800(b *testing.B) {
	img := pigoSample(b)
	big := RenderRegion(img, img.Rect, 640, 800)
	d := testDetector(b)
	if len(d.Detect(big)) == 0 {
		b.Fatal("no face on the 800 px sample")
	}
	b.ReportAllocs()
	for b.Loop() {
		d.Detect(big)
	}
}

// BenchmarkDetectScaled12MP measures DetectScaled from a 3000×4000 image
// (the reduction to 800 px included).
func BenchmarkDetectScaled12MP(b *testing.B) {
	img := pigoSample(b)
	big := RenderRegion(img, img.Rect, 3000, 4000)
	d := testDetector(b)
	b.ReportAllocs()
	for b.Loop() {
		d.DetectScaled(big, DefaultDetectSide)
	}
}

// BenchmarkCropFace measures a rolled 256 px crop.
func BenchmarkCropFace(b *testing.B) {
	img := pigoSample(b)
	f := Face{Rect: image.Rect(80, 100, 240, 260), Angle: 0.1}
	for b.Loop() {
		CropFace(img, f, 256, 0.3)
	}
}
