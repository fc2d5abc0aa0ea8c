package imaging

import (
	"image"
	"image/color"
	"testing"
)

func TestAdjust(t *testing.T) {
	src := photoLike(64, 48, 4)
	if Adjust(src, Adjustments{}) != src {
		t.Error("zero adjustments should return the image itself")
	}
	px := func(m *image.RGBA) color.RGBA { return m.RGBAAt(10, 10) }
	orig := px(src)
	for name, tc := range map[string]struct {
		a     Adjustments
		check func(c color.RGBA) bool
	}{
		"brightness +1 is white": {Adjustments{Brightness: 1}, func(c color.RGBA) bool { return c == color.RGBA{255, 255, 255, 255} }},
		"brightness -1 is black": {Adjustments{Brightness: -1}, func(c color.RGBA) bool { return c == color.RGBA{0, 0, 0, 255} }},
		"contrast -1 is gray": {Adjustments{Contrast: -1}, func(c color.RGBA) bool {
			return colorNear(c, color.RGBA{128, 128, 128, 255}, 1)
		}},
		"brightness out of range clamps": {Adjustments{Brightness: 7}, func(c color.RGBA) bool { return c.R == 255 }},
		"grayscale": {Adjustments{Grayscale: true}, func(c color.RGBA) bool {
			return c.R == c.G && c.G == c.B && c.R != orig.R
		}},
		"invert": {Adjustments{Invert: true}, func(c color.RGBA) bool {
			return c == color.RGBA{255 - orig.R, 255 - orig.G, 255 - orig.B, 255}
		}},
		"contrast up spreads": {Adjustments{Contrast: 0.5}, func(c color.RGBA) bool {
			d := func(v uint8) int { return max(int(v)-128, 128-int(v)) }
			return d(c.R) >= d(orig.R) && d(c.B) >= d(orig.B)
		}},
	} {
		t.Run(name, func(t *testing.T) {
			got := Adjust(src, tc.a)
			if got == src || got.Rect != src.Rect {
				t.Fatal("Adjust must return a new image of the same size")
			}
			if c := px(got); !tc.check(c) {
				t.Errorf("pixel %v (was %v)", c, orig)
			}
			if px(src) != orig {
				t.Error("source modified")
			}
		})
	}
	// Invert twice restores the image; alpha and transparency are kept.
	a := image.NewRGBA(image.Rect(0, 0, 3, 1))
	copy(a.Pix, []byte{10, 20, 30, 255, 50, 0, 25, 100, 0, 0, 0, 0})
	twice := Adjust(Adjust(a, Adjustments{Invert: true}), Adjustments{Invert: true})
	if string(twice.Pix) != string(a.Pix) {
		t.Errorf("invert twice = %v, want %v", twice.Pix, a.Pix)
	}
	inv := Adjust(a, Adjustments{Invert: true})
	if inv.Pix[7] != 100 || inv.Pix[4] > inv.Pix[7] || inv.Pix[11] != 0 {
		t.Errorf("translucent pixels: %v", inv.Pix)
	}
	// Large images take the parallel path and agree with the serial one.
	big := photoLike(800, 600, 5)
	adj := Adjustments{Brightness: 0.1, Contrast: 0.3, Grayscale: true}
	whole := Adjust(big, adj)
	part := Adjust(big.SubImage(image.Rect(0, 0, 40, 30)).(*image.RGBA), adj)
	for y := 0; y < 30; y++ {
		for x := 0; x < 40; x++ {
			if whole.RGBAAt(x, y) != part.RGBAAt(x, y) {
				t.Fatalf("parallel and serial differ at (%d,%d)", x, y)
			}
		}
	}
}
