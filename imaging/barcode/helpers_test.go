package barcode

import (
	"image"
	"math"
	"testing"

	"github.com/boombuler/barcode/pdf417"
)

// aamvaSample is AAMVA-shaped content of the size a licence carries.
const aamvaSample = "@\n\x1e\rANSI 636000100002DL00410268ZV03090008DLDAQT64235789\nDCSSAMPLE\nDDEN\nDACMICHAEL\nDDFN\nDADJOHN\nDDGN\nDCAD\nDCBNONE\nDCDNONE\nDBD08312022\nDBB07151986\nDBA08312030\nDBC1\nDAU070 IN\nDAYBRO\nDAG2300 WEST BROAD STREET\nDAIRICHMOND\nDAJVA\nDAK232690000  \nDCF2424244747474786102204\nDCGUSA\nDCK123456789\nDDAF\nDDB12102019\r" +
	"ZVZVA01\r"

// symbolModules returns the PDF417 for data as a grid of dark modules
// (rows × columns). boombuler/barcode v1.1.0 writes a wrong left row
// indicator unless the row count is a multiple of three, so the security
// level is chosen to make it one.
func symbolModules(t testing.TB, data string) [][]bool {
	t.Helper()
	for _, level := range []byte{5, 4, 3, 6, 2} {
		bc, err := pdf417.Encode(data, level)
		if err != nil {
			t.Fatal(err)
		}
		b := bc.Bounds()
		rows := b.Dy() / 2
		if rows%3 != 0 {
			continue
		}
		grid := make([][]bool, rows)
		for r := range grid {
			grid[r] = make([]bool, b.Dx())
			for x := range grid[r] {
				v, _, _, _ := bc.At(x, 2*r).RGBA()
				grid[r][x] = v == 0
			}
		}
		return grid
	}
	t.Fatal("no security level gives a row count that is a multiple of three")
	return nil
}

// photo draws a w×h gray "photo": a textured mid-gray desk, a light card,
// and on it the symbol with modules of module pixels (rows three modules
// high), turned by angle radians around the card's centre, plus noise.
func photo(t testing.TB, w, h int, data string, module, angle float64) *image.Gray {
	t.Helper()
	grid := symbolModules(t, data)
	rows, cols := len(grid), len(grid[0])
	sw, sh := float64(cols)*module, float64(rows)*3*module
	cx, cy := float64(w)/2, float64(h)/2
	cardW, cardH := sw*1.25, sh*1.9
	sin, cos := math.Sincos(angle)
	img := image.NewGray(image.Rect(0, 0, w, h))
	seed := uint64(0x9E3779B97F4A7C15)
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride:][:w]
		for x := range row {
			seed ^= seed << 13
			seed ^= seed >> 7
			seed ^= seed << 17
			noise := float64(seed&15) - 7.5
			// Card space: undo the rotation around the centre.
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			u, v := dx*cos+dy*sin, -dx*sin+dy*cos
			val := 70 + 20*math.Sin(float64(y)/37)
			if math.Abs(u) < cardW/2 && math.Abs(v) < cardH/2 {
				val = 225
				su, sv := u+sw/2, v+sh/2
				if su >= 0 && sv >= 0 && su < sw && sv < sh {
					c, r := int(su/module), int(sv/(3*module))
					if grid[r][c] {
						val = 30
					}
				}
			}
			row[x] = uint8(max(0, min(255, val+noise)))
		}
	}
	return img
}

// turn returns img turned clockwise by quarter quarter-turns.
func turn(img *image.Gray, quarter int) *image.Gray {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	switch quarter % 4 {
	case 0:
		return img
	case 2:
		out := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out.Pix[(h-1-y)*out.Stride+w-1-x] = img.Pix[y*img.Stride+x]
			}
		}
		return out
	}
	out := image.NewGray(image.Rect(0, 0, h, w))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if quarter%4 == 1 { // clockwise: (x, y) → (h-1-y, x)
				out.Pix[x*out.Stride+h-1-y] = img.Pix[y*img.Stride+x]
			} else { // counter-clockwise: (x, y) → (y, w-1-x)
				out.Pix[(w-1-x)*out.Stride+y] = img.Pix[y*img.Stride+x]
			}
		}
	}
	return out
}

func TestShrink(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 5, 3))
	for i := range img.Pix {
		img.Pix[i] = uint8(10 * i)
	}
	// Rows: 0 10 20 30 40 / 50 60 70 80 90 / 100 110 120 130 140.
	got := shrink(img, 2)
	want := []uint8{
		(0 + 10 + 50 + 60 + 2) / 4, (20 + 30 + 70 + 80 + 2) / 4, (40 + 90 + 1) / 2,
		(100 + 110 + 1) / 2, (120 + 130 + 1) / 2, 140,
	}
	if got.Rect.Dx() != 3 || got.Rect.Dy() != 2 {
		t.Fatalf("size %v", got.Rect)
	}
	for i, v := range want {
		if got.Pix[i] != v {
			t.Errorf("pixel %d = %d, want %d", i, got.Pix[i], v)
		}
	}
	if p := plan(4032, 3024); len(p) != 2 || p[0].factor != 2 || p[1].factor != 1 {
		t.Errorf("plan(12 MP) = %+v", p)
	}
	if p := plan(2048, 1536); len(p) != 1 || p[0].factor != 1 {
		t.Errorf("plan(3 MP) = %+v", p)
	}
}
