package ui

import (
	"docvreview/imaging"
	"image"
	"image/draw"
	"math"
)

// The zoom view's pixels: the frame for a view of the source, rendered from
// a cache of reduced copies (mip levels) and pieces of the source, and the
// geometry between the widget's pixels and the source's. All of it runs on
// the view's render worker, off the Fyne goroutine.

// zoomRenderFrame renders req into an image of exactly req.w × req.h,
// transparent where the image does not reach.
func zoomRenderFrame(req *zoomRenderRequest) *image.RGBA {
	return (&zoomRenderCache{src: req.src}).render(req)
}

// zoomPixelGridScale is the magnification from which source pixels are
// drawn as crisp squares (nearest neighbour) rather than interpolated: a
// reviewer looking for edits needs to see the real pixels.
const zoomPixelGridScale = 2

// zoomNearest enlarges region of src to w×h by nearest neighbour.
func zoomNearest(src *image.RGBA, region image.Rectangle, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	region = region.Intersect(src.Rect)
	if region.Empty() || w <= 0 || h <= 0 {
		return dst
	}
	xs := make([]int, w) // byte offset of each output column's source pixel
	for x := range xs {
		sx := region.Min.X + (2*x+1)*region.Dx()/(2*w)
		xs[x] = 4 * (sx - src.Rect.Min.X)
	}
	for y := 0; y < h; y++ {
		sy := region.Min.Y + (2*y+1)*region.Dy()/(2*h)
		srow := src.Pix[(sy-src.Rect.Min.Y)*src.Stride:]
		drow := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		if y > 0 && sy == region.Min.Y+(2*y-1)*region.Dy()/(2*h) {
			copy(drow, dst.Pix[(y-1)*dst.Stride:(y-1)*dst.Stride+4*w]) // same source row
			continue
		}
		for x, o := range xs {
			copy(drow[4*x:4*x+4], srow[o:o+4])
		}
	}
	return dst
}

// zoomMaxMipLevels bounds the reduced copies: 1/2, 1/4, 1/8, 1/16.
const zoomMaxMipLevels = 4

// zoomRenderCache is what the render goroutine reuses between frames of
// one source: reduced copies (halved, quartered, …; together at most a
// third of the source) so a zoomed-out view does not average every source
// pixel each frame, and the last turned piece so tone changes only re-tone.
// Only the render goroutine (there is at most one) touches it.
type zoomRenderCache struct {
	src   *image.RGBA
	mips  []*image.RGBA // mips[i] is src reduced by 2^(i+1)
	key   zoomPieceKey
	piece *image.RGBA // turned, not toned
}

type zoomPieceKey struct {
	level int
	geom  zoomGeometry
	turns int
	w, h  int
}

// render renders req into an image of exactly req.w × req.h, transparent
// where the image does not reach.
func (c *zoomRenderCache) render(req *zoomRenderRequest) *image.RGBA {
	bounds := image.Rect(0, 0, req.w, req.h)
	level, src := c.level(req)
	g, ok := zoomFrameGeometry(src.Bounds().Size(), req.view, req.w, req.h)
	if !ok {
		return image.NewRGBA(bounds)
	}
	turns := zoomNormTurns(req.view.Turns)
	key := zoomPieceKey{level: level, geom: g, turns: turns, w: req.w, h: req.h}
	piece := c.piece
	if piece == nil || key != c.key {
		region := g.srcRegion.Add(src.Bounds().Min)
		switch {
		case region.Dx() == g.renderW && region.Dy() == g.renderH:
			piece = src.SubImage(region).(*image.RGBA) // 1:1, shared: only ever read
		case g.scale >= zoomPixelGridScale:
			piece = zoomNearest(src, region, g.renderW, g.renderH)
		default:
			piece = imaging.RenderRegion(src, region, g.renderW, g.renderH)
		}
		if turns != 0 {
			piece = imaging.Rotate(piece, turns)
		}
		c.key, c.piece = key, piece
	}
	if !req.adj.IsZero() {
		piece = imaging.Adjust(piece, req.adj)
	}
	if g.dst == bounds && piece.Bounds() == bounds && piece.Stride == 4*req.w {
		// Shown as is: frames and pieces are never written to again. A
		// sub-image of the source (wider stride) is never a frame: Fyne's GL
		// painter uploads Pix as if rows were packed.
		return piece
	}
	frame := image.NewRGBA(bounds)
	draw.Draw(frame, g.dst, piece, piece.Bounds().Min, draw.Src)
	return frame
}

// level picks the smallest copy that still has at least one pixel per
// physical pixel for req's view (0 = the source itself), building reduced
// copies as needed.
func (c *zoomRenderCache) level(req *zoomRenderRequest) (int, *image.RGBA) {
	sz := c.src.Bounds().Size()
	dw, dh := zoomDisplaySize(sz, req.view.Turns)
	s := math.Min(float64(req.w)/dw, float64(req.h)/dh) * req.view.Scale
	level := 0
	for level < zoomMaxMipLevels && s*math.Exp2(float64(level+1)) <= 1 {
		level++
	}
	for len(c.mips) < level {
		prev := c.src
		if n := len(c.mips); n > 0 {
			prev = c.mips[n-1]
		}
		b := prev.Bounds()
		w, h := (b.Dx()+1)/2, (b.Dy()+1)/2
		if w < 1 || h < 1 || (w == b.Dx() && h == b.Dy()) {
			break
		}
		c.mips = append(c.mips, imaging.RenderRegion(prev, b, w, h))
	}
	level = min(level, len(c.mips))
	if level == 0 {
		return 0, c.src
	}
	return level, c.mips[level-1]
}

// zoomGeometry says which source pixels to render at which size and where
// the (rotated) result lands in the frame.
type zoomGeometry struct {
	scale            float64         // physical pixels per source pixel
	srcRegion        image.Rectangle // in source pixels, origin at the source's Min
	renderW, renderH int             // RenderRegion size, source orientation
	dst              image.Rectangle // in the frame, display orientation
}

// zoomFrameGeometry computes the visible region for view v in a w×h frame.
// The region is widened to whole source pixels and the rendered piece is
// placed with sub-pixel accuracy, so panning is smooth at high zoom.
func zoomFrameGeometry(src image.Point, v viewState, w, h int) (zoomGeometry, bool) {
	if src.X <= 0 || src.Y <= 0 || w <= 0 || h <= 0 || v.Scale <= 0 {
		return zoomGeometry{}, false
	}
	turns := zoomNormTurns(v.Turns)
	dw, dh := zoomDisplaySize(src, turns)
	s := math.Min(float64(w)/dw, float64(h)/dh) * v.Scale
	cu, cv := zoomToDisplay(v.CenterX, v.CenterY, turns)
	u0 := cu*dw - float64(w)/(2*s)
	v0 := cv*dh - float64(h)/(2*s)
	u1 := u0 + float64(w)/s
	v1 := v0 + float64(h)/s
	ru0 := int(math.Max(0, math.Floor(u0)))
	rv0 := int(math.Max(0, math.Floor(v0)))
	ru1 := int(math.Min(dw, math.Ceil(u1)))
	rv1 := int(math.Min(dh, math.Ceil(v1)))
	if ru1 <= ru0 || rv1 <= rv0 {
		return zoomGeometry{}, false
	}
	x0 := int(math.Round((float64(ru0) - u0) * s))
	x1 := int(math.Round((float64(ru1) - u0) * s))
	y0 := int(math.Round((float64(rv0) - v0) * s))
	y1 := int(math.Round((float64(rv1) - v0) * s))
	if x1 <= x0 || y1 <= y0 {
		return zoomGeometry{}, false
	}
	g := zoomGeometry{
		scale:     s,
		srcRegion: zoomDisplayRectToSource(image.Rect(ru0, rv0, ru1, rv1), src, turns),
		renderW:   x1 - x0,
		renderH:   y1 - y0,
		dst:       image.Rect(x0, y0, x1, y1),
	}
	if turns%2 == 1 {
		g.renderW, g.renderH = g.renderH, g.renderW
	}
	return g, true
}

// zoomDisplayRectToSource maps a rectangle of the image turned clockwise
// by turns back to the unrotated source of size src.
func zoomDisplayRectToSource(r image.Rectangle, src image.Point, turns int) image.Rectangle {
	W, H := src.X, src.Y
	switch zoomNormTurns(turns) {
	case 1:
		return image.Rect(r.Min.Y, H-r.Max.X, r.Max.Y, H-r.Min.X)
	case 2:
		return image.Rect(W-r.Max.X, H-r.Max.Y, W-r.Min.X, H-r.Min.Y)
	case 3:
		return image.Rect(W-r.Max.Y, r.Min.X, W-r.Min.Y, r.Max.X)
	}
	return r
}

// zoomNormTurns maps any number of quarter turns to 0..3.
func zoomNormTurns(t int) int {
	t %= 4
	if t < 0 {
		t += 4
	}
	return t
}

// zoomDisplaySize is the size of src after turns.
func zoomDisplaySize(src image.Point, turns int) (float64, float64) {
	if zoomNormTurns(turns)%2 == 1 {
		return float64(src.Y), float64(src.X)
	}
	return float64(src.X), float64(src.Y)
}

// zoomToDisplay maps a relative source point to the turned image.
func zoomToDisplay(x, y float64, turns int) (float64, float64) {
	switch zoomNormTurns(turns) {
	case 1:
		return 1 - y, x
	case 2:
		return 1 - x, 1 - y
	case 3:
		return y, 1 - x
	}
	return x, y
}

// zoomFromDisplay is the inverse of zoomToDisplay.
func zoomFromDisplay(u, v float64, turns int) (float64, float64) {
	switch zoomNormTurns(turns) {
	case 1:
		return v, 1 - u
	case 2:
		return 1 - u, 1 - v
	case 3:
		return 1 - v, u
	}
	return u, v
}
