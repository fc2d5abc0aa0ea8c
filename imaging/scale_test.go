package imaging

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"
)

// checkerboard is a w×h gray image of 1-pixel black and white squares.
func checkerboard(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if (x+y)%2 == 0 {
				g.Pix[y*g.Stride+x] = 255
			}
		}
	}
	return g
}

// verticalLines is a w×h gray image of alternating 1-pixel columns.
func verticalLines(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x += 2 {
			g.Pix[y*g.Stride+x] = 255
		}
	}
	return g
}

// grayStats returns the mean and standard deviation of the red channel.
func grayStats(m *image.RGBA) (mean, sd float64) {
	var s, s2 float64
	n := 0
	for i := 0; i < len(m.Pix); i += 4 {
		v := float64(m.Pix[i])
		s += v
		s2 += v * v
		n++
	}
	mean = s / float64(n)
	return mean, math.Sqrt(max(0, s2/float64(n)-mean*mean))
}

// pointSample is the naive nearest-neighbour reduction the area filter
// replaces; the test shows the pattern aliases with it.
func pointSample(src *image.Gray, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := src.GrayAt(x*sw/w, y*sh/h).Y
			dst.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	return dst
}

// TestAreaAverageNoAliasing: 1-pixel patterns reduce to flat mid-gray.
// A box filter whose footprint spans r source pixels can be off by at most
// about 127.5/r (a footprint holding one more white than black column),
// while point sampling picks pure black or white (sd ≈ 127).
func TestAreaAverageNoAliasing(t *testing.T) {
	const sw, sh = 600, 450
	sources := map[string]*image.Gray{
		"checkerboard":   checkerboard(sw, sh),
		"vertical lines": verticalLines(sw, sh),
	}
	variants := map[string]map[string]image.Image{}
	for name, src := range sources {
		variants[name] = map[string]image.Image{"gray": src, "rgba": toRGBA(src), "ycbcr": grayAsYCbCr(src)}
	}
	for name, src := range sources {
		for _, size := range [][2]int{{59, 44}, {192, 144}, {199, 149}, {300, 225}, {384, 288}} {
			w, h := size[0], size[1]
			t.Run(fmt.Sprintf("%s/%dx%d", name, w, h), func(t *testing.T) {
				_, pointSD := grayStats(pointSample(src, w, h))
				bound := min(127.5*float64(w)/sw+1, pointSD/3)
				for kind, m := range variants[name] {
					mean, sd := grayStats(scaleImage(m, w, h))
					if math.Abs(mean-127.5) > 1.5 || sd > bound {
						t.Errorf("%s: mean %.2f sd %.2f, want ≈127.5 with sd ≤ %.1f (point sampling: sd %.1f)", kind, mean, sd, bound, pointSD)
					}
				}
			})
		}
	}
	// The measure itself sees aliasing.
	if _, sd := grayStats(pointSample(checkerboard(sw, sh), 199, 149)); sd < 100 {
		t.Fatalf("point-sampled checkerboard sd %.1f: the aliasing measure is blind", sd)
	}
}

// grayAsYCbCr wraps a gray image as 4:2:0 YCbCr with neutral chroma.
func grayAsYCbCr(g *image.Gray) *image.YCbCr {
	y := image.NewYCbCr(g.Rect, image.YCbCrSubsampleRatio420)
	copy(y.Y, g.Pix)
	for i := range y.Cb {
		y.Cb[i], y.Cr[i] = 128, 128
	}
	return y
}

func TestDisplayNoAliasingThroughDecoders(t *testing.T) {
	src := checkerboard(800, 600)
	for name, data := range map[string][]byte{
		"png":       encodePNG(t, src),
		"gray jpeg": encodeJPEG(t, src, 100),
	} {
		t.Run(name, func(t *testing.T) {
			d, err := DecodeForDisplay(data, 225, 225, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if d.Image.Rect.Dx() != 225 || d.Image.Rect.Dy() != 169 {
				t.Fatalf("size %v", d.Image.Rect)
			}
			mean, sd := grayStats(d.Image)
			if math.Abs(mean-127.5) > 3 || sd > 3 {
				t.Errorf("mean %.2f sd %.2f, want ≈127.5 and flat", mean, sd)
			}
		})
	}
}

func TestScaleExactness(t *testing.T) {
	// A uniform colour stays exactly that colour at any reduction.
	src := image.NewRGBA(image.Rect(0, 0, 397, 231))
	for i := 0; i < len(src.Pix); i += 4 {
		copy(src.Pix[i:], []byte{201, 17, 99, 255})
	}
	for _, s := range [][2]int{{1, 1}, {3, 2}, {200, 100}, {397, 231}, {396, 1}} {
		got := scaleImage(src, s[0], s[1])
		for i := 0; i < len(got.Pix); i += 4 {
			if string(got.Pix[i:i+4]) != "\xc9\x11\x63\xff" {
				t.Fatalf("%v: pixel %v", s, got.Pix[i:i+4])
			}
		}
	}
	// Exact 2× reduction is the mean of each 2×2 block.
	g := image.NewGray(image.Rect(0, 0, 4, 2))
	copy(g.Pix, []byte{0, 100, 10, 20, 200, 100, 30, 40})
	got := scaleImage(g, 2, 1)
	if got.Pix[0] != 100 || got.Pix[4] != 25 {
		t.Errorf("2×2 means = %d, %d; want 100, 25", got.Pix[0], got.Pix[4])
	}
	// Fractional footprint: 3 → 2 weights the middle pixel half to each.
	g = image.NewGray(image.Rect(0, 0, 3, 1))
	copy(g.Pix, []byte{0, 90, 180})
	got = scaleImage(g, 2, 1)
	if got.Pix[0] != 30 || got.Pix[4] != 150 {
		t.Errorf("3→2 = %d, %d; want 30, 150", got.Pix[0], got.Pix[4])
	}
}

func TestScaleChromaPlanes(t *testing.T) {
	// 4:2:0 YCbCr with distinct colours in each half: area-averaged
	// display matches converting then averaging.
	for _, ratio := range []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio444,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	} {
		m := image.NewYCbCr(image.Rect(0, 0, 301, 203), ratio)
		for y := 0; y < 203; y++ {
			for x := 0; x < 301; x++ {
				m.Y[m.YOffset(x, y)] = uint8((x * 255) / 300)
				c := m.COffset(x, y)
				if x < 150 {
					m.Cb[c], m.Cr[c] = 90, 200
				} else {
					m.Cb[c], m.Cr[c] = 200, 60
				}
			}
		}
		want := scaleImage(toRGBA(m), 100, 67)
		got := scaleImage(m, 100, 67)
		if mad := meanAbsDiff(t, got, want); mad > 1.5 {
			t.Errorf("%v: planar scale differs from RGBA scale by %.2f", ratio, mad)
		}
	}
}

// TestScaleNoFullSizeTemporaries: reducing a 3 MP YCbCr image allocates
// about the output and a few rows, not a full-size RGBA copy (12 MB).
func TestScaleNoFullSizeTemporaries(t *testing.T) {
	m := image.NewYCbCr(image.Rect(0, 0, 2000, 1500), image.YCbCrSubsampleRatio420)
	var out *image.RGBA
	alloc := allocDuring(func() { out = scaleImage(m, 600, 450) })
	outBytes := uint64(len(out.Pix))
	if alloc > outBytes+1<<20 {
		t.Errorf("allocated %d bytes for a %d-byte output", alloc, outBytes)
	}
	g := image.NewGray(image.Rect(0, 0, 2000, 1500))
	alloc = allocDuring(func() { out = scaleImage(g, 600, 450) })
	if alloc > outBytes+1<<20 {
		t.Errorf("gray: allocated %d bytes for a %d-byte output", alloc, outBytes)
	}
}

func TestBilinearEnlarge(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 2, 1))
	copy(g.Pix, []byte{0, 200})
	got := scaleImage(g, 4, 1)
	// Centres at source x = -0.25, 0.25, 0.75, 1.25 → 0, 50, 150, 200.
	want := []uint8{0, 50, 150, 200}
	for i, w := range want {
		if got.Pix[4*i] != w {
			t.Errorf("pixel %d = %d, want %d", i, got.Pix[4*i], w)
		}
	}
}

// TestScaleOpaqueAndTranslucentPathsAgree: opaque RGBA is filtered as packed
// RGB; one translucent pixel switches to the 4-channel path. Both agree.
func TestScaleOpaqueAndTranslucentPathsAgree(t *testing.T) {
	opaque := photoLike(301, 203, 11)
	translucent := cloneRGBA(opaque)
	translucent.Pix[3] = 254 // premultiplied: colour ≤ alpha still holds
	for _, size := range [][2]int{{100, 67}, {301, 203}, {640, 480}, {97, 300}} {
		a := scaleImage(opaque, size[0], size[1])
		b := scaleImage(translucent, size[0], size[1])
		if mad := meanAbsDiff(t, a, b); mad > 0.05 {
			t.Errorf("%v: paths differ by %.3f", size, mad)
		}
		if a.Pix[3] != 255 || !a.Opaque() {
			t.Errorf("%v: opaque source gave alpha %d", size, a.Pix[3])
		}
	}
	// Uniform half-transparent red stays exactly that.
	m := image.NewRGBA(image.Rect(0, 0, 50, 30))
	for i := 0; i < len(m.Pix); i += 4 {
		copy(m.Pix[i:], []byte{100, 0, 0, 128})
	}
	got := scaleImage(m, 7, 3)
	for i := 0; i < len(got.Pix); i += 4 {
		if string(got.Pix[i:i+4]) != "\x64\x00\x00\x80" {
			t.Fatalf("pixel %v", got.Pix[i:i+4])
		}
	}
}
