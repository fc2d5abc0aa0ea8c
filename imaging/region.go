package imaging

import "image"

// RenderRegion renders region (in src coordinates) into a w×h image:
// area-averaged when reducing, bilinear when enlarging (chosen per axis).
// The region is clamped to src's bounds; an empty region (or one entirely
// outside src) gives a transparent w×h image. Non-positive w or h give an
// empty image. Working memory is a few rows of the output, whatever the
// region's size.
func RenderRegion(src *image.RGBA, region image.Rectangle, w, h int) *image.RGBA {
	w, h = max(w, 0), max(h, 0)
	if src == nil {
		return image.NewRGBA(image.Rect(0, 0, w, h))
	}
	region = region.Canon().Intersect(src.Rect)
	if region.Empty() || w == 0 || h == 0 {
		return image.NewRGBA(image.Rect(0, 0, w, h))
	}
	sub := src.SubImage(region).(*image.RGBA)
	if region.Dx() == w && region.Dy() == h { // 1:1: a copy
		return cloneRGBA(sub)
	}
	return scaleImage(sub, w, h)
}
