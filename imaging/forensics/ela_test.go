package forensics

import (
	"errors"
	"image"
	"testing"

	"docvreview/imaging"
)

// decodeRGBA decodes a JPEG with the imaging package (the decoder the
// window uses, and ELA too).
func decodeRGBA(t *testing.T, b []byte) *image.RGBA {
	t.Helper()
	img, _, err := imaging.DecodeFull(b, imaging.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// meanLevel is the mean ELA level (all three channels) inside r.
func meanLevel(img *image.RGBA, r image.Rectangle) float64 {
	sum, n := 0.0, 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i := img.PixOffset(x, y)
			sum += float64(img.Pix[i]) + float64(img.Pix[i+1]) + float64(img.Pix[i+2])
			n += 3
		}
	}
	return sum / float64(n)
}

// A region pasted from a JPEG of another quality stands out: the picture
// was saved at quality 75, then the same region of a quality-98 JPEG of
// the same scene was pasted in (so that only the compression history
// differs, not the content), and the result saved at 95 as an editor's
// export. At ELA quality 75, the background, already
// quantised at 75, changes little; the pasted region changes much more.
func TestELASplice(t *testing.T) {
	const w, h = 512, 384
	base := decodeRGBA(t, encJPEG(t, scene(w, h, 0), 75))
	donor := decodeRGBA(t, encJPEG(t, scene(w, h, 0), 98))
	region := image.Rect(192, 128, 352, 256)
	for y := region.Min.Y; y < region.Max.Y; y++ {
		copy(base.Pix[base.PixOffset(region.Min.X, y):base.PixOffset(region.Max.X, y)],
			donor.Pix[donor.PixOffset(region.Min.X, y):donor.PixOffset(region.Max.X, y)])
	}
	spliced := decodeRGBA(t, encJPEG(t, base, 95))

	ela, err := ELA(spliced, 75, DefaultELAGain)
	if err != nil {
		t.Fatal(err)
	}
	if ela.Rect != image.Rect(0, 0, w, h) {
		t.Fatalf("ELA size %v", ela.Rect)
	}
	inside := meanLevel(ela, region.Inset(8))
	// The background: everything outside the region and its 8-pixel
	// border (blocks straddling the seam mix both histories).
	outside := 0.0
	for _, r := range []image.Rectangle{
		image.Rect(0, 0, w, region.Min.Y-8), image.Rect(0, region.Max.Y+8, w, h),
		image.Rect(0, region.Min.Y-8, region.Min.X-8, region.Max.Y+8), image.Rect(region.Max.X+8, region.Min.Y-8, w, region.Max.Y+8),
	} {
		outside += meanLevel(ela, r) * float64(r.Dx()*r.Dy())
	}
	outside /= float64(w*h - (region.Dx()+16)*(region.Dy()+16))
	t.Logf("mean ELA level: pasted region %.1f, background %.1f", inside, outside)
	if inside < 2*outside {
		t.Errorf("pasted region %.1f does not stand out from the background %.1f (want at least twice)", inside, outside)
	}
	// Control: the same region of the same picture saved the same way
	// without the paste is not bright: the level comes from the
	// compression history, not from what the region shows.
	clean := decodeRGBA(t, encJPEG(t, decodeRGBA(t, encJPEG(t, scene(w, h, 0), 75)), 95))
	ce, err := ELA(clean, 75, DefaultELAGain)
	if err != nil {
		t.Fatal(err)
	}
	control := meanLevel(ce, region.Inset(8))
	t.Logf("mean ELA level of the region without the paste: %.1f", control)
	if inside < 2*control {
		t.Errorf("pasted region %.1f vs the same region unpasted %.1f (want at least twice)", inside, control)
	}
}

func TestELAInput(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for name, call := range map[string]func() (*image.RGBA, error){
		"nil":         func() (*image.RGBA, error) { return ELA(nil, 90, 20) },
		"empty":       func() (*image.RGBA, error) { return ELA(image.NewRGBA(image.Rect(0, 0, 0, 0)), 90, 20) },
		"quality 0":   func() (*image.RGBA, error) { return ELA(img, 0, 20) },
		"quality 101": func() (*image.RGBA, error) { return ELA(img, 101, 20) },
		"gain 0":      func() (*image.RGBA, error) { return ELA(img, 90, 0) },
	} {
		if out, err := call(); !errors.Is(err, ErrELAInput) || out != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A sub-image keeps its size; the result starts at 0,0.
	big := scene(64, 64, 0)
	sub := big.SubImage(image.Rect(8, 16, 40, 48)).(*image.RGBA)
	out, err := ELA(sub, 90, 10)
	if err != nil || out.Rect != image.Rect(0, 0, 32, 32) {
		t.Fatalf("sub-image: %v %v", out.Rect, err)
	}
	for i := 3; i < len(out.Pix); i += 4 {
		if out.Pix[i] != 255 {
			t.Fatal("not opaque")
		}
	}
}
