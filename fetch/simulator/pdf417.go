package simulator

import (
	"fmt"
	"image"
	"math"
	"sync"

	"github.com/boombuler/barcode/pdf417"
)

// pdf417Symbol is an encoded PDF417: dark modules by row and column. Each
// row is drawn pdf417RowModules modules high.
type pdf417Symbol [][]bool

// pdf417RowModules is the height of a symbol row in module widths: three,
// the standard's minimum (and what AAMVA licences use).
const pdf417RowModules = 3

// pdf417QuietModules is the clear margin kept around a symbol, in modules.
const pdf417QuietModules = 2

// encodePDF417 encodes data with github.com/boombuler/barcode/pdf417. That
// encoder (v1.1.0) writes a wrong left row indicator unless the number of
// rows is a multiple of three (it uses (rows-3)/3 where the standard has
// (rows-1)/3), which readers reject; so the error-correction level is
// chosen, from AAMVA's recommended 5 downwards, to give such a row count.
func encodePDF417(data string) (pdf417Symbol, error) {
	for _, level := range []byte{5, 4, 3, 6} {
		bc, err := pdf417.Encode(data, level)
		if err != nil {
			return nil, fmt.Errorf("encode PDF417: %w", err)
		}
		b := bc.Bounds()
		rows := b.Dy() / 2 // the encoder draws each row two pixels high
		if rows%3 != 0 {
			continue
		}
		sym := make(pdf417Symbol, rows)
		for r := range sym {
			sym[r] = make([]bool, b.Dx())
			for x := range sym[r] {
				v, _, _, _ := bc.At(x, 2*r).RGBA()
				sym[r][x] = v < 0x8000
			}
		}
		return sym, nil
	}
	return nil, fmt.Errorf("encode PDF417: no error-correction level gives a row count the encoder writes correctly")
}

// specimenSymbol is the licence back's PDF417, encoded once per process.
var specimenSymbol = sync.OnceValues(func() (pdf417Symbol, error) {
	return encodePDF417(specimenAAMVA())
})

// drawPDF417 draws sym as large as it fits in the design rectangle r
// (quiet zone included), centred, with each row pdf417RowModules modules
// high. Module edges fall on fractional design coordinates and are rounded
// to pixels, so that at any scale every module is as wide as the scale
// allows.
func drawPDF417(s surface, r image.Rectangle, sym pdf417Symbol) {
	if len(sym) == 0 {
		return
	}
	cols, rows := len(sym[0]), len(sym)
	wm := float64(cols + 2*pdf417QuietModules)
	hm := float64(rows*pdf417RowModules + 2*pdf417QuietModules)
	m := math.Min(float64(r.Dx())/wm, float64(r.Dy())/hm) // design pixels per module
	x0 := float64(r.Min.X) + (float64(r.Dx())-float64(cols)*m)/2
	y0 := float64(r.Min.Y) + (float64(r.Dy())-float64(rows*pdf417RowModules)*m)/2
	k := s.k
	px := func(v float64) int { return int(math.Round(v * k)) }
	for row, bits := range sym {
		top := px(y0 + float64(row*pdf417RowModules)*m)
		bottom := px(y0 + float64((row+1)*pdf417RowModules)*m)
		for c := 0; c < cols; {
			if !bits[c] {
				c++
				continue
			}
			end := c
			for end < cols && bits[end] {
				end++
			}
			fillRect(s.img, image.Rect(px(x0+float64(c)*m), top, px(x0+float64(end)*m), bottom), inkDark)
			c = end
		}
	}
}
