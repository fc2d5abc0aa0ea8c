package simulator

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"image/png"
	"testing"
)

func TestGeneratedJPEGs(t *testing.T) {
	lic, pass, re := licenseImages(), passportImage(), recaptureImages()
	t.Logf("license front+back+selfie generated in %v at scale %v: %d, %d, %d bytes",
		lic.took, renderScale, len(lic.front), len(lic.back), len(lic.selfie))
	landscapeW, landscapeH := scaled(photoW, renderScale), scaled(photoH, renderScale)
	cases := []struct {
		name        string
		b           []byte
		w, h        int // stored size
		orientation uint32
		bigEndian   bool
	}{
		{"front", lic.front, landscapeW, landscapeH, 1, false},
		{"back", lic.back, landscapeW, landscapeH, 1, false},
		{"selfie", lic.selfie, landscapeW, landscapeH, 6, true},
		{"passport", pass, landscapeW, landscapeH, 1, false},
		{"front first capture", re.front1, landscapeW, landscapeH, 1, false},
		{"selfie first capture", re.selfie1, landscapeH, landscapeW, 1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(tc.b))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Width != tc.w || cfg.Height != tc.h {
				t.Errorf("size %d×%d, want %d×%d", cfg.Width, cfg.Height, tc.w, tc.h)
			}
			img, err := jpeg.Decode(bytes.NewReader(tc.b))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if img.Bounds().Dx() != tc.w || img.Bounds().Dy() != tc.h {
				t.Errorf("decoded %v", img.Bounds())
			}
			// 1.5–4 MB for 12.2 MP is 0.12–0.33 bytes per pixel.
			if bpp := float64(len(tc.b)) / float64(tc.w*tc.h); bpp < 0.12 || bpp > 0.33 {
				t.Errorf("%d bytes = %.3f bytes/pixel: not phone-like", len(tc.b), bpp)
			}
			tiff, err := firstSegmentEXIF(tc.b)
			if err != nil {
				t.Fatal(err)
			}
			p, err := parseEXIF(tiff)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.num(p.ifd0, tagOrientation); got != tc.orientation {
				t.Errorf("Orientation %d, want %d", got, tc.orientation)
			}
			if (p.order == binary.BigEndian) != tc.bigEndian {
				t.Errorf("byte order %v", p.order)
			}
			if int(p.num(p.exif, tagPixelXDimension)) != tc.w || int(p.num(p.exif, tagPixelYDimension)) != tc.h {
				t.Errorf("EXIF pixel size %d×%d", p.num(p.exif, tagPixelXDimension), p.num(p.exif, tagPixelYDimension))
			}
		})
	}
}

func TestFullSizeJPEGBytes(t *testing.T) {
	lic := licenseImages()
	for name, b := range map[string][]byte{"front": lic.front, "back": lic.back, "selfie": lic.selfie, "passport": passportImage()} {
		if n := len(b); n < 1500000 || n > 4000000 {
			t.Errorf("%s: %d bytes, want 1.5–4 MB", name, n)
		}
	}
}

// meanRGB averages the 7×7 block of img around (x, y).
func meanRGB(img image.Image, x, y int) (r, g, b float64) {
	n := 0.0
	for dy := -3; dy <= 3; dy++ {
		for dx := -3; dx <= 3; dx++ {
			cr, cg, cb, _ := img.At(x+dx, y+dy).RGBA()
			r, g, b = r+float64(cr>>8), g+float64(cg>>8), b+float64(cb>>8)
			n++
		}
	}
	return r / n, g / n, b / n
}

func TestSelfieUprightAfterOrientation6(t *testing.T) {
	img, err := jpeg.Decode(bytes.NewReader(licenseImages().selfie))
	if err != nil {
		t.Fatal(err)
	}
	sw, sh := img.Bounds().Dx(), img.Bounds().Dy()
	if sw <= sh {
		t.Fatalf("stored %d×%d: want landscape", sw, sh)
	}
	// Orientation 6 displays the stored image turned 90° clockwise, so the
	// upright picture is sh wide and sw tall, and upright (x, y) is stored
	// at (y, sh-1-x).
	k := renderScale
	at := func(x, y float64) (r, g, b float64) {
		ux, uy := int(x*k), int(y*k)
		return meanRGB(img, uy, sh-1-ux)
	}
	// Design coordinates of the upright selfie (3024×4032): face centre
	// (1512, 1693), half-width 560, half-height 739.
	const cx, cy, rx, ry = 1512.0, 1693.0, 560.0, 739.0
	checks := []struct {
		name string
		x, y float64
		ok   func(r, g, b float64) bool
	}{
		{"wall at the top", cx, 200, func(r, g, b float64) bool { return r > 150 && g > 150 && b > 150 }},
		{"hair above the face", cx, cy - 1.03*ry, func(r, g, b float64) bool { return r < 100 && g < 80 && b < 70 }},
		{"skin on the forehead", cx, cy - 0.4*ry, func(r, g, b float64) bool { return r > 150 && r > g+15 && g > b }},
		{"dark pupil, left eye", cx - 0.37*rx, cy - 0.1*ry, func(r, g, b float64) bool { return r < 90 }},
		{"blue shirt at the bottom", cx - 900, 3800, func(r, g, b float64) bool { return b > r+40 }},
		{"wall at the bottom corner", 50, 3950, func(r, g, b float64) bool { return r > 100 && b < r+30 }},
	}
	for _, c := range checks {
		if r, g, b := at(c.x, c.y); !c.ok(r, g, b) {
			t.Errorf("%s: upright (%v, %v) is rgb(%.0f, %.0f, %.0f)", c.name, c.x, c.y, r, g, b)
		}
	}
	// Read without applying the orientation, the hair is on the left.
	if r, _, _ := meanRGB(img, int((cy-1.03*ry)*k), sh/2); r > 100 {
		t.Errorf("stored image: no hair left of centre (r=%.0f)", r)
	}
}

func TestRotateCCW(t *testing.T) {
	// Upright 3×2: pixel values 1…6 row by row.
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := 0; i < 6; i++ {
		src.Pix[i*4] = uint8(i + 1)
	}
	got := rotateCCW(src)
	if got.Rect.Dx() != 2 || got.Rect.Dy() != 3 {
		t.Fatalf("rotated size %v", got.Rect)
	}
	// Turned 90° counter-clockwise: the right column becomes the top row.
	want := [][]uint8{{3, 6}, {2, 5}, {1, 4}}
	for y, row := range want {
		for x, v := range row {
			if p := got.Pix[got.PixOffset(x, y)]; p != v {
				t.Errorf("(%d,%d) = %d, want %d", x, y, p, v)
			}
		}
	}
}

// rotateCCW works in place on any shape: checked against a plain copy.
func TestRotateCCWInPlace(t *testing.T) {
	for _, size := range [][2]int{{1, 1}, {1, 5}, {5, 1}, {4, 4}, {7, 3}, {64, 37}, {3, 129}} {
		w, h := size[0], size[1]
		src := image.NewRGBA(image.Rect(0, 0, w, h))
		for i := range src.Pix {
			src.Pix[i] = uint8(i*31 + i/7)
		}
		want := image.NewRGBA(image.Rect(0, 0, h, w))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				copy(want.Pix[want.PixOffset(y, w-1-x):][:4], src.Pix[src.PixOffset(x, y):][:4])
			}
		}
		buf := &src.Pix[0]
		got := rotateCCW(src)
		if got.Rect != want.Rect || !bytes.Equal(got.Pix, want.Pix) {
			t.Errorf("%d×%d: rotated pixels differ", w, h)
		}
		if &got.Pix[0] != buf {
			t.Errorf("%d×%d: not rotated in place", w, h)
		}
	}
}

func TestDrawingDeterministic(t *testing.T) {
	a, b := drawLicenseFront(0.05, specimenFront), drawLicenseFront(0.05, specimenFront)
	if !bytes.Equal(a.Pix, b.Pix) {
		t.Error("license front differs between two draws")
	}
	p1, err1 := makeBarcodePNG()
	p2, err2 := makeBarcodePNG()
	if err1 != nil || err2 != nil || !bytes.Equal(p1, p2) {
		t.Errorf("barcode PNG not deterministic (%v, %v)", err1, err2)
	}
}

func TestBarcodePNG(t *testing.T) {
	b := recaptureImages().barcode
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != scaled(barcodePNGW, renderScale) || h != scaled(barcodePNGH, renderScale) {
		t.Errorf("size %d×%d", w, h)
	}
	// Both ink and paper are present.
	var dark, light bool
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y += 3 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 3 {
			r, _, _, _ := img.At(x, y).RGBA()
			dark = dark || r < 0x4000
			light = light || r > 0xC000
		}
	}
	if !dark || !light {
		t.Errorf("barcode has dark=%v light=%v", dark, light)
	}
}
