package simulator

import (
	"image"
	"math"
)

// surface is an image drawn in design coordinates: every drawing is laid
// out for the full-size capture and scaled by k into pixels (renderScale).
type surface struct {
	img *image.RGBA
	k   float64
}

// newSurface returns a surface for a design of w×h, filled with c.
func newSurface(w, h int, k float64, c rgb) surface {
	return surface{img: newCanvas(scaled(w, k), scaled(h, k), c), k: k}
}

// scaled converts a design length into pixels.
func scaled(v int, k float64) int { return int(math.Round(float64(v) * k)) }

// px converts a design rectangle into pixels.
func (s surface) px(r image.Rectangle) image.Rectangle {
	return image.Rect(scaled(r.Min.X, s.k), scaled(r.Min.Y, s.k), scaled(r.Max.X, s.k), scaled(r.Max.Y, s.k))
}

// sub returns the surface clipped to the design rectangle r.
func (s surface) sub(r image.Rectangle) surface {
	return surface{img: s.img.SubImage(s.px(r)).(*image.RGBA), k: s.k}
}

// rect paints the design rectangle r with c.
func (s surface) rect(r image.Rectangle, c rgb) { fillRect(s.img, s.px(r), c) }

// gradient fills the design rectangle r with a diagonal gradient.
func (s surface) gradient(r image.Rectangle, c0, c1 rgb) { gradientRect(s.img, s.px(r), c0, c1) }

// guilloche lays security wave lines over the design rectangle r.
func (s surface) guilloche(r image.Rectangle, c rgb, strength, period float64) {
	guilloche(s.img, s.px(r), c, strength, period*s.k)
}

// fill paints sh (in design coordinates) with p; soft is in design pixels.
func (s surface) fill(sh shape, p paint, opacity, soft float64) {
	if s.k == 1 {
		fill(s.img, sh, p, opacity, soft)
		return
	}
	k := s.k
	b := sh.bounds
	scaledShape := shape{
		dist: func(x, y float64) float64 { return sh.dist(x/k, y/k) * k },
		bounds: image.Rect(int(float64(b.Min.X)*k)-1, int(float64(b.Min.Y)*k)-1,
			int(float64(b.Max.X)*k)+2, int(float64(b.Max.Y)*k)+2),
	}
	fill(s.img, scaledShape, func(x, y float64) rgb { return p(x/k, y/k) }, opacity, soft*k)
}

// style scales a text style into pixels.
func (s surface) style(st textStyle) textStyle {
	st.size *= s.k
	return st
}

// text sets str with its baseline starting at design point (x, y).
func (s surface) text(st textStyle, x, y int, str string) {
	drawText(s.img, s.style(st), scaled(x, s.k), scaled(y, s.k), str)
}

// textCentered sets str centred on design x with its baseline at design y.
func (s surface) textCentered(st textStyle, x, y int, str string) {
	sst := s.style(st)
	drawText(s.img, sst, scaled(x, s.k)-textWidth(sst, str)/2, scaled(y, s.k), str)
}

// microprint fills the design band with tiny repeated text.
func (s surface) microprint(st textStyle, x0, y0, x1, y1 int, phrase string) {
	microprint(s.img, s.style(st), scaled(x0, s.k), scaled(y0, s.k), scaled(x1, s.k), scaled(y1, s.k), phrase)
}
