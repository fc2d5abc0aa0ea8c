package imaging

import (
	"image"
	"image/color"
	"testing"
)

func TestRenderRegion(t *testing.T) {
	src := photoLike(300, 200, 3)
	t.Run("identity", func(t *testing.T) {
		got := RenderRegion(src, src.Rect, 300, 200)
		if string(got.Pix) != string(src.Pix) {
			t.Error("same-size render is not a copy")
		}
	})
	t.Run("sub-region 1:1", func(t *testing.T) {
		r := image.Rect(50, 40, 150, 90)
		got := RenderRegion(src, r, 100, 50)
		for y := 0; y < 50; y++ {
			for x := 0; x < 100; x++ {
				if got.RGBAAt(x, y) != src.RGBAAt(50+x, 40+y) {
					t.Fatalf("pixel (%d,%d) differs", x, y)
				}
			}
		}
	})
	t.Run("reduction averages", func(t *testing.T) {
		got := RenderRegion(src, src.Rect, 100, 50)
		want := scaleImage(src, 100, 50)
		if meanAbsDiff(t, got, want) != 0 {
			t.Error("reduction differs from the area scaler")
		}
	})
	t.Run("enlargement is smooth", func(t *testing.T) {
		// A 2×1 region enlarged 8×: a ramp between the two pixels.
		m := image.NewRGBA(image.Rect(0, 0, 2, 1))
		m.SetRGBA(0, 0, color.RGBA{0, 0, 0, 255})
		m.SetRGBA(1, 0, color.RGBA{240, 240, 240, 255})
		got := RenderRegion(m, m.Rect, 16, 8)
		prev := -1
		for x := 0; x < 16; x++ {
			v := int(got.RGBAAt(x, 4).R)
			if v < prev {
				t.Fatalf("not monotonic at x=%d: %d after %d", x, v, prev)
			}
			prev = v
		}
		if got.RGBAAt(0, 0).R != 0 || got.RGBAAt(15, 7).R != 240 || got.RGBAAt(7, 3).R == 0 || got.RGBAAt(7, 3).R == 240 {
			t.Errorf("ramp ends/middle wrong: %v %v %v", got.RGBAAt(0, 0), got.RGBAAt(15, 7), got.RGBAAt(7, 3))
		}
	})
	t.Run("clamped to bounds", func(t *testing.T) {
		got := RenderRegion(src, image.Rect(-100, -100, 50, 40), 50, 40)
		want := RenderRegion(src, image.Rect(0, 0, 50, 40), 50, 40)
		if string(got.Pix) != string(want.Pix) {
			t.Error("region outside bounds not clamped")
		}
		// A reversed rectangle is canonicalised.
		got = RenderRegion(src, image.Rect(50, 40, 0, 0), 50, 40)
		if string(got.Pix) != string(want.Pix) {
			t.Error("reversed region not canonicalised")
		}
	})
	t.Run("sub-image source", func(t *testing.T) {
		sub := src.SubImage(image.Rect(100, 100, 200, 200)).(*image.RGBA)
		got := RenderRegion(sub, image.Rect(0, 0, 90, 90), 10, 10)
		if got.Rect != image.Rect(0, 0, 10, 10) || got.RGBAAt(0, 0).A != 0 {
			t.Errorf("region outside a sub-image: %v %v", got.Rect, got.RGBAAt(0, 0))
		}
		got = RenderRegion(sub, image.Rect(150, 150, 160, 160), 10, 10)
		if got.RGBAAt(3, 3) != src.RGBAAt(153, 153) {
			t.Error("sub-image coordinates not honoured")
		}
	})
	for name, tc := range map[string]struct {
		src    *image.RGBA
		r      image.Rectangle
		w, h   int
		bounds image.Rectangle
	}{
		"outside":    {src, image.Rect(400, 400, 500, 500), 20, 10, image.Rect(0, 0, 20, 10)},
		"empty":      {src, image.Rectangle{}, 20, 10, image.Rect(0, 0, 20, 10)},
		"zero size":  {src, src.Rect, 0, 10, image.Rect(0, 0, 0, 10)},
		"negative":   {src, src.Rect, -5, -5, image.Rectangle{}},
		"nil source": {nil, image.Rect(0, 0, 5, 5), 4, 4, image.Rect(0, 0, 4, 4)},
	} {
		t.Run(name, func(t *testing.T) {
			got := RenderRegion(tc.src, tc.r, tc.w, tc.h)
			if got.Rect != tc.bounds {
				t.Fatalf("bounds %v, want %v", got.Rect, tc.bounds)
			}
			for _, v := range got.Pix {
				if v != 0 {
					t.Fatal("expected a transparent image")
				}
			}
		})
	}
}
