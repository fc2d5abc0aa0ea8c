package forensics

import (
	"fmt"
	"image"
	"math"

	"docvreview/imaging"
)

// Thumbnail comparison: both pictures are reduced to a small gray grid,
// upright, and compared by normalised cross-correlation. The same picture
// scores above 0.9 even after the thumbnail's heavy compression; a
// different one rarely above 0.5.
const (
	// thumbGridLong is the grid's long side in cells.
	thumbGridLong = 32
	// thumbMatchMin is the correlation below which the thumbnail is taken
	// to show another picture.
	thumbMatchMin = 0.75
	// thumbMaxPixels bounds the thumbnails decoded (EXIF thumbnails are
	// about 160×120; the EXIF block is at most 64 KB).
	thumbMaxPixels = 1 << 20
	// thumbFlatStd is the standard deviation (gray levels) under which a
	// grid is flat and only its mean is compared.
	thumbFlatStd = 4.0
	// thumbFlatMeanDiff is the difference of means that makes two flat
	// grids different pictures.
	thumbFlatMeanDiff = 40.0
)

// thumbnailCheck compares the EXIF thumbnail with the image. It returns
// whether the thumbnail shows another picture and the correlation found;
// checked is false when there is no thumbnail or either picture cannot be
// decoded (no evidence either way). shown, when not nil, is the image
// already decoded (upright): it is compared instead of a new small decode.
func thumbnailCheck(raw []byte, shown *imaging.Display) (mismatch bool, corr float64, checked bool) {
	thumb := imaging.EXIFThumbnail(raw)
	if thumb == nil {
		return false, 0, false
	}
	td, err := imaging.DecodeForDisplay(thumb, 0, 0, imaging.Options{MaxPixels: thumbMaxPixels})
	if err != nil {
		return false, 0, false
	}
	md := shown
	if md == nil || md.Image == nil {
		// A small decode of the image: the JPEG decoder scales by 1/8 in the DCT.
		var err error
		if md, err = imaging.DecodeForDisplay(raw, 8*thumbGridLong, 8*thumbGridLong, imaging.Options{}); err != nil {
			return false, 0, false
		}
	}
	// The thumbnail is stored like the image, so the image's orientation
	// turns it upright.
	tg := orientGray(imaging.Luma(td.Image), md.Info.Orientation)
	tg = trimDarkBorders(tg)
	mg := imaging.Luma(md.Image)
	gw, gh := gridSize(mg.Rect.Dx(), mg.Rect.Dy())
	a, b := resample(mg, gw, gh), resample(tg, gw, gh)
	corr, flat := correlation(a, b)
	if flat {
		return math.Abs(mean(a)-mean(b)) > thumbFlatMeanDiff, corr, true
	}
	return corr < thumbMatchMin, corr, true
}

// gridSize is the comparison grid for a w×h picture: thumbGridLong cells
// on the long side, the aspect ratio kept.
func gridSize(w, h int) (int, int) {
	if w >= h {
		return thumbGridLong, max(1, int(math.Round(float64(thumbGridLong*h)/float64(w))))
	}
	return max(1, int(math.Round(float64(thumbGridLong*w)/float64(h)))), thumbGridLong
}

// resample area-averages g onto a gw×gh grid (each cell the mean of the
// pixels whose centres fall in it; a cell with none takes the nearest).
func resample(g *image.Gray, gw, gh int) []float64 {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	sum := make([]float64, gw*gh)
	n := make([]int, gw*gh)
	for y := 0; y < h; y++ {
		cy := y * gh / h
		row := g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y):][:w]
		for x, v := range row {
			c := cy*gw + x*gw/w
			sum[c] += float64(v)
			n[c]++
		}
	}
	for i := range sum {
		if n[i] > 0 {
			sum[i] /= float64(n[i])
			continue
		}
		// Upsampling a picture smaller than the grid: nearest pixel.
		cx, cy := i%gw, i/gw
		x, y := (2*cx+1)*w/(2*gw), (2*cy+1)*h/(2*gh)
		sum[i] = float64(g.Pix[g.PixOffset(g.Rect.Min.X+x, g.Rect.Min.Y+y)])
	}
	return sum
}

// correlation is the normalised cross-correlation of two equal-length
// grids (−1…1). flat is true when either grid is too uniform for the
// correlation to mean anything.
func correlation(a, b []float64) (corr float64, flat bool) {
	ma, mb := mean(a), mean(b)
	var sab, saa, sbb float64
	for i := range a {
		da, db := a[i]-ma, b[i]-mb
		sab += da * db
		saa += da * da
		sbb += db * db
	}
	n := float64(len(a))
	if math.Sqrt(saa/n) < thumbFlatStd || math.Sqrt(sbb/n) < thumbFlatStd {
		return 0, true
	}
	return sab / math.Sqrt(saa*sbb), false
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// trimDarkBorders removes the black bars some cameras add when the
// thumbnail's aspect ratio differs from the image's: whole rows or
// columns at the edges that are nearly black and nearly uniform. At least
// half of each dimension is kept.
func trimDarkBorders(g *image.Gray) *image.Gray {
	const dark, spread = 24, 12
	r := g.Rect
	isBar := func(x0, y0, x1, y1 int) bool {
		lo, hi := 255, 0
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				v := int(g.Pix[g.PixOffset(x, y)])
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		return hi <= dark && hi-lo <= spread
	}
	minW, minH := (g.Rect.Dx()+1)/2, (g.Rect.Dy()+1)/2
	for r.Dy() > minH && isBar(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+1) {
		r.Min.Y++
	}
	for r.Dy() > minH && isBar(r.Min.X, r.Max.Y-1, r.Max.X, r.Max.Y) {
		r.Max.Y--
	}
	for r.Dx() > minW && isBar(r.Min.X, r.Min.Y, r.Min.X+1, r.Max.Y) {
		r.Min.X++
	}
	for r.Dx() > minW && isBar(r.Max.X-1, r.Min.Y, r.Max.X, r.Max.Y) {
		r.Max.X--
	}
	return g.SubImage(r).(*image.Gray)
}

// orientGray returns g as displayed under EXIF orientation o (1–8; other
// values leave it as stored).
func orientGray(g *image.Gray, o int) *image.Gray {
	if o < 2 || o > 8 {
		return g
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	out := image.NewGray(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		for x := 0; x < dw; x++ {
			sx, sy := storedPoint(o, x, y, w, h)
			out.Pix[y*out.Stride+x] = g.Pix[g.PixOffset(g.Rect.Min.X+sx, g.Rect.Min.Y+sy)]
		}
	}
	return out
}

// storedPoint maps displayed (x, y) to the stored pixel under orientation
// o, for a stored image of w×h.
func storedPoint(o, x, y, w, h int) (int, int) {
	switch o {
	case 2: // mirrored horizontally
		return w - 1 - x, y
	case 3: // turned 180°
		return w - 1 - x, h - 1 - y
	case 4: // mirrored vertically
		return x, h - 1 - y
	case 5: // transposed
		return y, x
	case 6: // to be turned 90° clockwise
		return y, h - 1 - x
	case 7: // transversed
		return w - 1 - y, h - 1 - x
	case 8: // to be turned 90° counter-clockwise
		return w - 1 - y, x
	}
	return x, y
}

// thumbnailExplanation is the inspector's line for the flag.
func thumbnailExplanation(corr float64) string {
	return fmt.Sprintf("the EXIF thumbnail shows a different picture from the image (similarity %.2f): the image was changed after the thumbnail was written", corr)
}
