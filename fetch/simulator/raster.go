package simulator

import (
	"encoding/binary"
	"image"
	"math"
)

// This file holds the small software rasteriser the synthetic images are
// drawn with. Everything works on *image.RGBA through its Pix slice (never
// At/Set per pixel) and treats the destination as opaque.

// rgb is a colour with components in 0…255.
type rgb struct{ r, g, b float64 }

// scale multiplies every component by k.
func (c rgb) scale(k float64) rgb { return rgb{c.r * k, c.g * k, c.b * k} }

// mix returns c moved towards d by t (0 → c, 1 → d).
func (c rgb) mix(d rgb, t float64) rgb {
	return rgb{c.r + (d.r-c.r)*t, c.g + (d.g-c.g)*t, c.b + (d.b-c.b)*t}
}

// clamp8 rounds v into a byte.
func clamp8(v float64) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// clamp01 limits v to [0, 1].
func clamp01(v float64) float64 {
	switch {
	case v <= 0:
		return 0
	case v >= 1:
		return 1
	}
	return v
}

// newCanvas returns an opaque image of size w×h filled with c.
func newCanvas(w, h int, c rgb) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fillRect(img, img.Rect, c)
	return img
}

// fillRect paints r (clipped to img) with c.
func fillRect(img *image.RGBA, r image.Rectangle, c rgb) {
	r = r.Intersect(img.Rect)
	if r.Empty() {
		return
	}
	px := [4]uint8{clamp8(c.r), clamp8(c.g), clamp8(c.b), 255}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)]
		for i := 0; i < len(row); i += 4 {
			copy(row[i:i+4], px[:])
		}
	}
}

// blend mixes c into the pixel at Pix offset i with coverage a (0…1).
func blend(pix []uint8, i int, c rgb, a float64) {
	if a <= 0 {
		return
	}
	if a >= 1 {
		pix[i], pix[i+1], pix[i+2] = clamp8(c.r), clamp8(c.g), clamp8(c.b)
		return
	}
	pix[i] = clamp8(float64(pix[i]) + (c.r-float64(pix[i]))*a)
	pix[i+1] = clamp8(float64(pix[i+1]) + (c.g-float64(pix[i+1]))*a)
	pix[i+2] = clamp8(float64(pix[i+2]) + (c.b-float64(pix[i+2]))*a)
}

// shape is a region given by a signed distance (in pixels, negative inside)
// and the pixel bounds outside which the distance is positive.
type shape struct {
	dist   func(x, y float64) float64
	bounds image.Rectangle
}

// ellipse is the ellipse centred on (cx, cy) with radii rx, ry. The distance
// is approximate, which is plenty for anti-aliasing and feathering.
func ellipse(cx, cy, rx, ry float64) shape {
	m := math.Min(rx, ry)
	return shape{
		dist: func(x, y float64) float64 {
			dx, dy := (x-cx)/rx, (y-cy)/ry
			return (math.Sqrt(dx*dx+dy*dy) - 1) * m
		},
		bounds: image.Rect(int(cx-rx)-2, int(cy-ry)-2, int(cx+rx)+3, int(cy+ry)+3),
	}
}

// roundRect is the rectangle [x0,x1]×[y0,y1] with corner radius rad.
func roundRect(x0, y0, x1, y1, rad float64) shape {
	cx, cy := (x0+x1)/2, (y0+y1)/2
	hw, hh := (x1-x0)/2, (y1-y0)/2
	return shape{
		dist:   func(x, y float64) float64 { return centeredRoundRectDist(x-cx, y-cy, hw, hh, rad) },
		bounds: image.Rect(int(x0)-2, int(y0)-2, int(x1)+3, int(y1)+3),
	}
}

// rotated turns s by angle (radians, clockwise on screen) around (cx, cy).
func rotated(s shape, cx, cy, angle float64) shape {
	sin, cos := math.Sincos(angle)
	b := s.bounds
	// Bounds of the rotated bounding box.
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range [][2]float64{{float64(b.Min.X), float64(b.Min.Y)}, {float64(b.Max.X), float64(b.Min.Y)},
		{float64(b.Min.X), float64(b.Max.Y)}, {float64(b.Max.X), float64(b.Max.Y)}} {
		dx, dy := p[0]-cx, p[1]-cy
		x, y := cx+dx*cos-dy*sin, cy+dx*sin+dy*cos
		minX, minY, maxX, maxY = math.Min(minX, x), math.Min(minY, y), math.Max(maxX, x), math.Max(maxY, y)
	}
	return shape{
		dist: func(x, y float64) float64 {
			dx, dy := x-cx, y-cy
			return s.dist(cx+dx*cos+dy*sin, cy-dx*sin+dy*cos)
		},
		bounds: image.Rect(int(minX)-2, int(minY)-2, int(maxX)+3, int(maxY)+3),
	}
}

// paint returns the colour at pixel centre (x, y).
type paint func(x, y float64) rgb

// solid is a paint of one colour.
func solid(c rgb) paint { return func(float64, float64) rgb { return c } }

// fill paints s with p at the given opacity. soft widens the edge (in
// pixels) for a feathered look; 1 gives plain anti-aliasing.
func fill(img *image.RGBA, s shape, p paint, opacity, soft float64) {
	r := s.bounds.Intersect(img.Rect)
	if soft < 1 {
		soft = 1
	}
	if soft > 1 {
		r = r.Inset(-int(soft))
		r = r.Intersect(img.Rect)
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		fy := float64(y) + 0.5
		i := img.PixOffset(r.Min.X, y)
		for x := r.Min.X; x < r.Max.X; x, i = x+1, i+4 {
			fx := float64(x) + 0.5
			d := s.dist(fx, fy)
			if d >= soft/2 {
				continue
			}
			cov := clamp01(0.5 - d/soft)
			blend(img.Pix, i, p(fx, fy), cov*opacity)
		}
	}
}

// rng is a small deterministic xorshift64* generator.
type rng struct{ s uint64 }

// newRNG seeds a generator; the seed must not be zero.
func newRNG(seed uint64) *rng { return &rng{s: seed | 1} }

// next returns 64 random bits.
func (r *rng) next() uint64 {
	r.s ^= r.s >> 12
	r.s ^= r.s << 25
	r.s ^= r.s >> 27
	return r.s * 2685821657736338717
}

// float returns a number in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// intn returns a number in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// finishPhoto applies the camera look to the whole frame in one pass:
// light falloff from (lx, ly) (as a fraction of the frame), an optional
// glare spot, and per-pixel sensor noise of the given amplitude. The noise
// is what gives the JPEG a phone-like size.
func finishPhoto(img *image.RGBA, seed uint64, lx, ly, falloff, noise float64, glare *glareSpot) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	r := newRNG(seed)
	diag2 := float64(w*w + h*h)
	cx, cy := lx*float64(w), ly*float64(h)
	for y := 0; y < h; y++ {
		i := img.PixOffset(0, y)
		dy := float64(y) - cy
		for x := 0; x < w; x, i = x+1, i+4 {
			dx := float64(x) - cx
			light := 1 - falloff*(dx*dx+dy*dy)/diag2
			bits := r.next()
			// Luma noise (roughly triangular) plus a little chroma noise.
			n := (float64(bits&0xff) + float64(bits>>8&0xff) - 255) / 255 * noise
			cr := (float64(bits>>16&0xff) - 127.5) / 127.5 * noise * 0.35
			cb := (float64(bits>>24&0xff) - 127.5) / 127.5 * noise * 0.35
			add := 0.0
			if glare != nil {
				add = glare.at(float64(x), float64(y))
			}
			p := img.Pix[i : i+3 : i+3]
			p[0] = clamp8(float64(p[0])*light + n + cr + add)
			p[1] = clamp8(float64(p[1])*light + n + add)
			p[2] = clamp8(float64(p[2])*light + n + cb + add)
		}
	}
}

// glareSpot is a soft specular highlight, as from a lamp reflected on a
// laminated card.
type glareSpot struct{ x, y, r, strength float64 }

// scaled returns the spot moved into a capture drawn at scale k (nil stays nil).
func (g *glareSpot) scaled(k float64) *glareSpot {
	if g == nil {
		return nil
	}
	return &glareSpot{x: g.x * k, y: g.y * k, r: g.r * k, strength: g.strength}
}

// at returns how much brightness the glare adds at (x, y).
func (g *glareSpot) at(x, y float64) float64 {
	dx, dy := (x-g.x)/g.r, (y-g.y)/g.r
	d2 := dx*dx + dy*dy
	if d2 >= 1 {
		return 0
	}
	t := 1 - d2
	return g.strength * t * t
}

// placeRotated composites src onto dst with src's centre at pixel (cx, cy),
// turned by angle (radians, clockwise on screen), with rounded corners of
// radius rad design pixels, sampling bilinearly, over a soft drop shadow; k
// is the scale both images are drawn at. It works in one pass: each
// destination pixel is mapped into card space once.
func placeRotated(dst, src *image.RGBA, k, cx, cy, angle, rad float64) {
	const shadowOpacity = 0.55
	shadowSoft := 70 * k
	rad *= k
	shadowCol := rgb{10, 8, 6}
	sw, sh := float64(src.Rect.Dx()), float64(src.Rect.Dy())
	hw, hh := sw/2, sh/2
	sin, cos := math.Sincos(angle)
	// Shadow offset (down-right on screen) expressed in card space.
	offX, offY := 25*k, 40*k
	sox, soy := offX*cos+offY*sin, -offX*sin+offY*cos

	reach := math.Hypot(hw, hh) + shadowSoft + math.Hypot(offX, offY)
	r := image.Rect(int(cx-reach), int(cy-reach), int(cx+reach)+1, int(cy+reach)+1).Intersect(dst.Rect)
	maxX, maxY := src.Rect.Dx()-1, src.Rect.Dy()-1
	for y := r.Min.Y; y < r.Max.Y; y++ {
		dy := float64(y) + 0.5 - cy
		dx0 := float64(r.Min.X) + 0.5 - cx
		// Card-space coordinates relative to the card centre, stepped per pixel.
		u := dx0*cos + dy*sin
		v := -dx0*sin + dy*cos
		i := dst.PixOffset(r.Min.X, y)
		for x := r.Min.X; x < r.Max.X; x, i, u, v = x+1, i+4, u+cos, v-sin {
			d := centeredRoundRectDist(u, v, hw, hh, rad)
			if d > -0.5 {
				ds := centeredRoundRectDist(u-sox, v-soy, hw, hh, rad)
				if ds < shadowSoft/2 {
					blend(dst.Pix, i, shadowCol, shadowOpacity*clamp01(0.5-ds/shadowSoft))
				}
				if d >= 0.5 {
					continue
				}
			}
			su, sv := u+hw-0.5, v+hh-0.5
			x0, y0 := int(math.Floor(su)), int(math.Floor(sv))
			tx, ty := su-float64(x0), sv-float64(y0)
			x0c, y0c := max(0, min(maxX, x0)), max(0, min(maxY, y0))
			x1c, y1c := max(0, min(maxX, x0+1)), max(0, min(maxY, y0+1))
			a := src.PixOffset(x0c, y0c)
			b := src.PixOffset(x1c, y0c)
			c := src.PixOffset(x0c, y1c)
			e := src.PixOffset(x1c, y1c)
			var col [3]float64
			for k := 0; k < 3; k++ {
				top := float64(src.Pix[a+k])*(1-tx) + float64(src.Pix[b+k])*tx
				bot := float64(src.Pix[c+k])*(1-tx) + float64(src.Pix[e+k])*tx
				col[k] = top*(1-ty) + bot*ty
			}
			blend(dst.Pix, i, rgb{col[0], col[1], col[2]}, clamp01(0.5-d))
		}
	}
}

// centeredRoundRectDist is the signed distance from (x, y) to the rectangle
// of half-size hw×hh centred on the origin with corner radius rad.
func centeredRoundRectDist(x, y, hw, hh, rad float64) float64 {
	if x < 0 {
		x = -x
	}
	if y < 0 {
		y = -y
	}
	qx, qy := x-hw+rad, y-hh+rad
	if qx <= 0 && qy <= 0 {
		if qx > qy {
			return qx - rad
		}
		return qy - rad
	}
	if qx < 0 {
		return qy - rad
	}
	if qy < 0 {
		return qx - rad
	}
	return math.Sqrt(qx*qx+qy*qy) - rad
}

// rotateCCW turns img 90° counter-clockwise in place: its pixel buffer is
// reused (a 12 MP capture would otherwise need a second 48 MB canvas) and
// img, reshaped, is returned. It transposes by following the permutation's
// cycles, then reverses the row order.
func rotateCCW(img *image.RGBA) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if img.Rect.Min != (image.Point{}) || img.Stride != 4*w {
		img = copyRGBA(img)
	}
	n := w * h
	pix := img.Pix[:4*n]
	at := func(i int) uint32 { return binary.LittleEndian.Uint32(pix[4*i:]) }
	put := func(i int, v uint32) { binary.LittleEndian.PutUint32(pix[4*i:], v) }
	// Transpose: the w×h result (w rows of h) takes at index j = x*h + y
	// the upright pixel (x, y), at index y*w + x.
	done := make([]uint64, n/64+1)
	for start := 1; start < n-1; start++ {
		if done[start/64]&(1<<(start%64)) != 0 {
			continue
		}
		first := at(start)
		for cur := start; ; {
			done[cur/64] |= 1 << (cur % 64)
			from := (cur%h)*w + cur/h
			if from == start {
				put(cur, first)
				break
			}
			put(cur, at(from))
			cur = from
		}
	}
	// Upright (x, y) belongs at stored row w-1-x: reverse the rows.
	row := 4 * h
	tmp := make([]byte, row)
	for r := 0; r < w/2; r++ {
		a, b := pix[r*row:(r+1)*row], pix[(w-1-r)*row:(w-r)*row]
		copy(tmp, a)
		copy(a, b)
		copy(b, tmp)
	}
	img.Rect, img.Stride = image.Rect(0, 0, h, w), row
	return img
}

// copyRGBA returns img's pixels in a new image whose rows are packed.
func copyRGBA(img *image.RGBA) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, img.Rect.Dx(), img.Rect.Dy()))
	for y := 0; y < out.Rect.Dy(); y++ {
		copy(out.Pix[y*out.Stride:(y+1)*out.Stride], img.Pix[img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+y):])
	}
	return out
}
