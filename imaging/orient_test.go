package imaging

import (
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"testing"
)

// Upright test image: 48×32 with a distinct colour in each corner block.
var (
	cornerTL = color.RGBA{230, 30, 30, 255}
	cornerTR = color.RGBA{30, 200, 40, 255}
	cornerBL = color.RGBA{30, 40, 220, 255}
	cornerBR = color.RGBA{240, 230, 40, 255}
	fill     = color.RGBA{128, 128, 128, 255}
)

const uprightW, uprightH = 48, 32

func uprightImage() *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, uprightW, uprightH))
	draw.Draw(m, m.Rect, &image.Uniform{fill}, image.Point{}, draw.Src)
	b := 16 // block size, a multiple of 8 so JPEG blocks stay flat
	draw.Draw(m, image.Rect(0, 0, b, b), &image.Uniform{cornerTL}, image.Point{}, draw.Src)
	draw.Draw(m, image.Rect(uprightW-b, 0, uprightW, b), &image.Uniform{cornerTR}, image.Point{}, draw.Src)
	draw.Draw(m, image.Rect(0, uprightH-b, b, uprightH), &image.Uniform{cornerBL}, image.Point{}, draw.Src)
	draw.Draw(m, image.Rect(uprightW-b, uprightH-b, uprightW, uprightH), &image.Uniform{cornerBR}, image.Point{}, draw.Src)
	return m
}

// storedFor builds the image a camera stores with EXIF orientation o, from
// the EXIF specification's wording ("0th row is the visual …, 0th column
// is the visual …"), independently of the code under test.
func storedFor(up *image.RGBA, o int) *image.RGBA {
	uw, uh := up.Rect.Dx(), up.Rect.Dy()
	// row, col: which visual side stored row 0 / column 0 lies along.
	sides := map[int][2]string{
		1: {"top", "left"}, 2: {"top", "right"}, 3: {"bottom", "right"}, 4: {"bottom", "left"},
		5: {"left", "top"}, 6: {"right", "top"}, 7: {"right", "bottom"}, 8: {"left", "bottom"},
	}[o]
	sw, sh := uw, uh
	if sides[0] == "left" || sides[0] == "right" {
		sw, sh = uh, uw
	}
	st := image.NewRGBA(image.Rect(0, 0, sw, sh))
	for sy := 0; sy < sh; sy++ {
		for sx := 0; sx < sw; sx++ {
			var ux, uy int
			switch sides[0] { // stored row index sy runs away from this side
			case "top":
				uy = sy
			case "bottom":
				uy = uh - 1 - sy
			case "left":
				ux = sy
			case "right":
				ux = uw - 1 - sy
			}
			switch sides[1] { // stored column index sx runs away from this side
			case "left":
				ux = sx
			case "right":
				ux = uw - 1 - sx
			case "top":
				uy = sx
			case "bottom":
				uy = uh - 1 - sx
			}
			st.SetRGBA(sx, sy, up.RGBAAt(ux, uy))
		}
	}
	return st
}

func checkCorners(t *testing.T, m *image.RGBA, tol int) {
	t.Helper()
	if got := m.Rect.Size(); got != (image.Point{uprightW, uprightH}) && m.Rect.Dx()*uprightH != m.Rect.Dy()*uprightW {
		t.Fatalf("size %v is not upright %d×%d", got, uprightW, uprightH)
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	in := max(1, w/16) // sample inside the corner blocks, away from edges
	for _, c := range []struct {
		name string
		x, y int
		want color.RGBA
	}{
		{"top-left", in, in, cornerTL},
		{"top-right", w - 1 - in, in, cornerTR},
		{"bottom-left", in, h - 1 - in, cornerBL},
		{"bottom-right", w - 1 - in, h - 1 - in, cornerBR},
		{"centre", w / 2, h / 2, fill},
	} {
		if got := rgbaAt(m, c.x, c.y); !colorNear(got, c.want, tol) {
			t.Errorf("%s at (%d,%d) = %v, want %v", c.name, c.x, c.y, got, c.want)
		}
	}
}

func TestOrientationAllEight(t *testing.T) {
	up := uprightImage()
	for o := 1; o <= 8; o++ {
		st := storedFor(up, o)
		for _, bo := range []testByteOrder{binary.BigEndian, binary.LittleEndian} {
			tiff := exifTIFF(uint16(o), bo)
			inputs := map[string][]byte{
				"jpeg": withJPEGExif(encodeJPEG(t, st, 95), tiff),
				"png":  withPNGChunk(encodePNG(t, st), "eXIf", tiff),
			}
			for name, data := range inputs {
				tol := 0
				if name == "jpeg" {
					tol = 12
				}
				t.Run(fmt.Sprintf("%d/%s/%v", o, name, bo), func(t *testing.T) {
					info, err := Probe(data)
					if err != nil {
						t.Fatal(err)
					}
					if info.Orientation != o {
						t.Fatalf("Probe orientation = %d, want %d", info.Orientation, o)
					}
					if w, h := info.OrientedSize(); w != uprightW || h != uprightH {
						t.Fatalf("OrientedSize = %d×%d, want %d×%d", w, h, uprightW, uprightH)
					}
					d, err := DecodeForDisplay(data, 1000, 1000, Options{})
					if err != nil {
						t.Fatal(err)
					}
					if d.Image.Rect != image.Rect(0, 0, uprightW, uprightH) {
						t.Fatalf("display bounds %v, want 48×32 (never upscaled)", d.Image.Rect)
					}
					checkCorners(t, d.Image, tol)

					// Scaled down by half: orientation is applied after scaling.
					d, err = DecodeForDisplay(data, uprightW/2, uprightH, Options{})
					if err != nil {
						t.Fatal(err)
					}
					if d.Image.Rect != image.Rect(0, 0, uprightW/2, uprightH/2) {
						t.Fatalf("scaled bounds %v, want 24×16", d.Image.Rect)
					}
					checkCorners(t, d.Image, tol+4)

					// A size no DCT scale gives: the JPEG's planes are area-averaged
					// and turned in the same pass.
					d, err = DecodeForDisplay(data, uprightW*3/8, uprightH, Options{})
					if err != nil {
						t.Fatal(err)
					}
					if d.Image.Rect != image.Rect(0, 0, uprightW*3/8, uprightH*3/8) {
						t.Fatalf("scaled bounds %v, want 18×12", d.Image.Rect)
					}
					checkCorners(t, d.Image, tol+8)

					full, _, err := DecodeFull(data, Options{})
					if err != nil {
						t.Fatal(err)
					}
					checkCorners(t, full, tol)
				})
			}
		}
	}
}

func TestExifOrientationInvalid(t *testing.T) {
	be := binary.BigEndian
	valid := exifTIFF(6, be)
	typeLong := append([]byte{}, valid...)
	// Orientation is the third entry: offset 8+2+2*12; type at +2.
	be.PutUint16(typeLong[8+2+2*12+2:], 4)
	countTwo := append([]byte{}, valid...)
	be.PutUint32(countTwo[8+2+2*12+4:], 2)
	badIFD := append([]byte{}, valid...)
	be.PutUint32(badIFD[4:], 0xFFFFFFF0)
	hugeCount := append([]byte{}, valid[:10]...)
	be.PutUint16(hugeCount[8:], 0xFFFF)
	for name, tc := range map[string]struct {
		tiff []byte
		want int
	}{
		"valid":           {valid, 6},
		"zero":            {exifTIFF(0, be), 1},
		"nine":            {exifTIFF(9, be), 1},
		"max":             {exifTIFF(0xFFFF, be), 1},
		"type LONG":       {typeLong, 1},
		"count 2":         {countTwo, 1},
		"IFD offset past": {badIFD, 1},
		"huge count":      {hugeCount, 1},
		"bad byte order":  {append([]byte("XX\x00*"), valid[4:]...), 1},
		"short":           {valid[:7], 1},
		"empty":           {nil, 1},
	} {
		t.Run(name, func(t *testing.T) {
			if got := exifOrientationFromTIFF(tc.tiff); got != tc.want {
				t.Errorf("orientation = %d, want %d", got, tc.want)
			}
			data := withJPEGExif(encodeJPEG(t, uprightImage(), 90), tc.tiff)
			info, err := Probe(data)
			if err != nil {
				t.Fatal(err)
			}
			if info.Orientation != tc.want {
				t.Errorf("Probe orientation = %d, want %d", info.Orientation, tc.want)
			}
		})
	}
}

func TestRotate(t *testing.T) {
	up := uprightImage()
	for _, tc := range []struct {
		turns int
		o     int // equivalent: Rotate(stored(o), turns) is upright
	}{
		{1, 6}, {-3, 6}, {5, 6}, {2, 3}, {-2, 3}, {3, 8}, {-1, 8},
	} {
		t.Run(fmt.Sprint(tc.turns), func(t *testing.T) {
			src := storedFor(up, tc.o)
			before := append([]byte{}, src.Pix...)
			checkCorners(t, Rotate(src, tc.turns), 0)
			if string(before) != string(src.Pix) {
				t.Error("Rotate modified its input")
			}
		})
	}
	if Rotate(up, 0) != up || Rotate(up, 4) != up || Rotate(up, -8) != up {
		t.Error("whole turns should return the image itself")
	}
	// A sub-image rotates from its own origin.
	sub := up.SubImage(image.Rect(uprightW-16, 0, uprightW, 16)).(*image.RGBA)
	r := Rotate(sub, 1)
	if r.Rect != image.Rect(0, 0, 16, 16) || r.RGBAAt(8, 8) != cornerTR {
		t.Errorf("rotated sub-image %v centre %v", r.Rect, r.RGBAAt(8, 8))
	}
}
