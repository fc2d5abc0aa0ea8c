package imaging

import (
	"image"
	"math"
	"runtime"
	"sync"
)

// Adjustments are the inspector's tone controls.
type Adjustments struct {
	Brightness float64 // -1..1, 0 = unchanged
	Contrast   float64 // -1..1, 0 = unchanged
	Grayscale  bool
	Invert     bool
}

// IsZero reports whether a leaves images unchanged.
func (a Adjustments) IsZero() bool { return a == Adjustments{} }

// toneTable maps 8-bit values through contrast (around mid-gray), then
// brightness, then inversion. Values outside -1..1 are clamped.
func (a Adjustments) toneTable() [256]uint8 {
	b := clampUnit(a.Brightness)
	c := clampUnit(a.Contrast)
	// Contrast -1 flattens to gray, 0 keeps, 1 approaches a hard threshold;
	// the slope is tan((c+1)·π/4), kept finite just below c = 1.
	slope := math.Tan((min(c, 0.999) + 1) * math.Pi / 4)
	var t [256]uint8
	for v := range t {
		x := (float64(v)-127.5)*slope + 127.5 + b*255
		x = math.Round(math.Max(0, math.Min(255, x)))
		if a.Invert {
			x = 255 - x
		}
		t[v] = uint8(x)
	}
	return t
}

func clampUnit(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return math.Max(-1, math.Min(1, v))
}

// Adjust returns a copy of img with a applied (img itself when a.IsZero()).
// Grayscale uses Rec. 601 luma; tones are applied to unpremultiplied colour
// so translucent pixels keep their alpha. Rows are processed in parallel.
func Adjust(img *image.RGBA, a Adjustments) *image.RGBA {
	if a.IsZero() || img == nil {
		return img
	}
	t := a.toneTable()
	w, h := img.Rect.Dx(), img.Rect.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	rows := func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			s := img.Pix[y*img.Stride : y*img.Stride+4*w]
			d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
			adjustRow(d, s, &t, a.Grayscale)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, w*h/(128*1024)))
	if workers <= 1 {
		rows(0, h)
		return dst
	}
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		y0, y1 := h*i/workers, h*(i+1)/workers
		wg.Go(func() { rows(y0, y1) })
	}
	wg.Wait()
	return dst
}

func adjustRow(d, s []byte, t *[256]uint8, gray bool) {
	for i := 0; i+4 <= len(s); i += 4 {
		p := s[i : i+4 : i+4]
		q := d[i : i+4 : i+4]
		r, g, b, al := p[0], p[1], p[2], p[3]
		switch al {
		case 0:
			q[0], q[1], q[2], q[3] = 0, 0, 0, 0
			continue
		case 0xFF:
		default: // unpremultiply
			r, g, b = unpremul(r, al), unpremul(g, al), unpremul(b, al)
		}
		if gray {
			y := uint8((299*uint32(r) + 587*uint32(g) + 114*uint32(b) + 500) / 1000)
			r, g, b = y, y, y
		}
		r, g, b = t[r], t[g], t[b]
		if al != 0xFF {
			r = uint8((uint32(r)*uint32(al) + 127) / 255)
			g = uint8((uint32(g)*uint32(al) + 127) / 255)
			b = uint8((uint32(b)*uint32(al) + 127) / 255)
		}
		q[0], q[1], q[2], q[3] = r, g, b, al
	}
}

// unpremul undoes alpha premultiplication, clamping invalid inputs (c > a).
func unpremul(c, a uint8) uint8 {
	return uint8(min(255, (uint32(c)*255+uint32(a)/2)/uint32(a)))
}
