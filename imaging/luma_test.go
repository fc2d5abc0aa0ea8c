package imaging

import (
	"encoding/binary"
	"errors"
	"image"
	"math"
	"testing"
)

// lumaDiff is the mean absolute difference between g and the luma of rgba
// area-averaged to g's size (both in stored orientation).
func lumaDiff(t *testing.T, g *image.Gray, rgba *image.RGBA) float64 {
	t.Helper()
	ref := Luma(scaleImage(rgba, g.Rect.Dx(), g.Rect.Dy()))
	var sum float64
	for y := range g.Rect.Dy() {
		for x := range g.Rect.Dx() {
			sum += math.Abs(float64(g.GrayAt(x, y).Y) - float64(ref.GrayAt(x, y).Y))
		}
	}
	return sum / float64(g.Rect.Dx()*g.Rect.Dy())
}

func TestDecodeLuma(t *testing.T) {
	src := photoLike(1600, 1200, 7)
	jpg := encodeJPEG(t, src, 92)
	turned := withJPEGExif(jpg, exifTIFF(6, binary.BigEndian))
	png := encodePNG(t, testCard(800, 500))
	for _, tc := range []struct {
		name         string
		data         []byte
		maxSide      int
		wantW, wantH int
		ref          *image.RGBA
	}{
		{"full size", jpg, 0, 1600, 1200, src},
		{"DCT 1/2 fits 1024", jpg, 1024, 800, 600, src},
		{"DCT 1/4 fits 500", jpg, 500, 400, 300, src},
		{"exact side", jpg, 800, 800, 600, src},
		// Stored orientation: EXIF 6 does not turn the luma.
		{"not turned", turned, 1024, 800, 600, src},
		{"png", png, 400, 400, 250, testCard(800, 500)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := DecodeLuma(tc.data, tc.maxSide, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if g.Rect.Dx() != tc.wantW || g.Rect.Dy() != tc.wantH {
				t.Fatalf("luma is %v, want %d×%d", g.Rect.Size(), tc.wantW, tc.wantH)
			}
			if d := lumaDiff(t, g, tc.ref); d > 4 {
				t.Errorf("luma differs from the image's by %.2f on average (limit 4)", d)
			}
		})
	}
}

// TestDecodeLumaGoMatchesBackend: the pure-Go path (compiled into every
// build) gives the same size and nearly the same luma as the backend.
func TestDecodeLumaGoMatchesBackend(t *testing.T) {
	src := photoLike(1200, 900, 3)
	jpg := encodeJPEG(t, src, 90)
	h, err := probeLimited(jpg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, side := range []int{0, 700, 300} {
		tw, th := h.Width, h.Height
		if side > 0 {
			tw, th = fitSize(h.Width, h.Height, side, side)
		}
		a, err := decodeJPEGLuma(jpg, &h, tw, th)
		if err != nil {
			t.Fatal(err)
		}
		b, err := decodeJPEGLumaGo(jpg, &h, tw, th)
		if err != nil {
			t.Fatal(err)
		}
		if a.Rect.Dx() > tw || a.Rect.Dy() > th || b.Rect.Dx() > tw || b.Rect.Dy() > th {
			t.Fatalf("side %d: %v and %v exceed %d×%d", side, a.Rect.Size(), b.Rect.Size(), tw, th)
		}
		if a.Rect.Size() == b.Rect.Size() {
			if d := lumaDiff(t, a, toRGBA(b)); d > 3 {
				t.Errorf("side %d: backends differ by %.2f", side, d)
			}
		}
		if d := lumaDiff(t, b, src); d > 4 {
			t.Errorf("side %d: Go luma differs from the image's by %.2f", side, d)
		}
	}
}

func TestDecodeLumaBadInput(t *testing.T) {
	jpg := encodeJPEG(t, photoLike(640, 480, 1), 90)
	for _, tc := range []struct {
		name string
		data []byte
		o    Options
		want error
	}{
		{"empty", nil, Options{}, ErrUnsupported},
		{"truncated", jpg[:len(jpg)/2], Options{}, ErrCorrupt},
		{"over the pixel limit", jpg, Options{MaxPixels: 640*480 - 1}, ErrTooLarge},
		{"huge header", jpegHeader(0xC0, 8, 60000, 60000, 3), Options{}, ErrTooLarge},
		{"arithmetic", readTestdata(t, "arithmetic.jpg"), Options{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := DecodeLuma(tc.data, 512, tc.o)
			if tc.want == nil {
				// TurboJPEG decodes arithmetic coding; pure Go refuses it.
				if err != nil && !errors.Is(err, ErrUnsupported) {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) || g != nil {
				t.Fatalf("DecodeLuma = %v, %v; want %v", g, err, tc.want)
			}
		})
	}
}

func TestShrinkGray(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 6, 4))
	for i := range g.Pix {
		g.Pix[i] = uint8(10 * i)
	}
	if got := shrinkGray(g, 6, 4); got != g {
		t.Error("an image that fits was copied")
	}
	s := shrinkGray(g, 3, 2) // factor 2
	if s.Rect.Dx() != 3 || s.Rect.Dy() != 2 {
		t.Fatalf("size %v", s.Rect.Size())
	}
	// Top-left 2×2 block: 0, 10, 60, 70 → 35.
	if v := s.GrayAt(0, 0).Y; v != 35 {
		t.Errorf("first block averages to %d, want 35", v)
	}
}

func TestLuma(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 2, 1))
	copy(img.Pix, []uint8{255, 0, 0, 255, 255, 255, 255, 255})
	g := Luma(img)
	if g.Pix[0] != 76 || g.Pix[1] != 255 {
		t.Errorf("gray %v", g.Pix)
	}
	if Luma(g) != g {
		t.Error("a gray image is copied")
	}
	n := Luma(image.NewNRGBA(image.Rect(0, 0, 3, 3)))
	if n.Rect.Dx() != 3 {
		t.Errorf("NRGBA: %v", n.Rect)
	}
}
