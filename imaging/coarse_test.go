package imaging

import (
	"encoding/binary"
	"image"
	"testing"
)

func TestCoarseSize(t *testing.T) {
	for _, tc := range []struct{ w, h, dw, dh, ww, wh int }{
		{4032, 3024, 1280, 960, 1008, 756},   // 1/4: 1/2 is 2016 wide
		{4032, 3024, 4032, 3024, 4032, 3024}, // fits whole
		{4000, 3000, 1008, 756, 1000, 750},   // 1/4
		{3024, 4032, 960, 1280, 756, 1008},
		{99, 99, 10, 10, 10, 10}, // not even 1/8 (13×13) fits: exact
		{1001, 1001, 501, 501, 501, 501},
	} {
		gw, gh := coarseSize(tc.w, tc.h, tc.dw, tc.dh)
		if gw != tc.ww || gh != tc.wh {
			t.Errorf("coarseSize(%d×%d in %d×%d) = %d×%d, want %d×%d", tc.w, tc.h, tc.dw, tc.dh, gw, gh, tc.ww, tc.wh)
		}
	}
}

// TestDecodeCoarse: a coarse decode is a power-of-two fraction of the
// image within the box, upright, and looks like the exact one.
func TestDecodeCoarse(t *testing.T) {
	src := photoLike(1600, 1200, 5)
	jpg := withJPEGExif(encodeJPEG(t, src, 92), exifTIFF(6, binary.BigEndian))
	d, err := DecodeForDisplay(jpg, 700, 700, Options{Coarse: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Image.Rect.Size(); got != image.Pt(300, 400) {
		t.Fatalf("coarse decode is %v, want 300×400 (1/4, turned)", got)
	}
	exact, err := DecodeForDisplay(jpg, 300, 400, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := meanAbsDiff(t, d.Image, exact.Image); diff > 3 {
		t.Errorf("coarse and exact decodes differ by %.2f", diff)
	}
}
