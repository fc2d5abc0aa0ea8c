package barcode

import "image"

// passFlags tune one reader pass.
type passFlags uint8

const (
	tryHarder passFlags = 1 << iota // scan more rows, accept weaker patterns
	tryRotate                       // also look at the image turned by 90°
)

// pass is one attempt: the image shrunk by factor (1 = full size).
type pass struct {
	factor int
	flags  passFlags
}

// reducedSide is the long side the first pass shrinks an image to, by an
// integer factor. A PDF417 that fills a good part of a 12 MP photo still
// has modules of 3 pixels or more there.
const reducedSide = 2048

// plan lists the passes for a w×h image: a reduced copy first when the
// image is large, then full resolution.
func plan(w, h int) []pass {
	full := pass{factor: 1, flags: tryHarder | tryRotate}
	f := max(w, h) / reducedSide
	if max(w, h)%reducedSide != 0 {
		f++
	}
	if f <= 1 {
		return []pass{full}
	}
	return []pass{{factor: f, flags: tryHarder | tryRotate}, full}
}

// shrink returns img reduced by an integer factor f with a box filter
// (each output pixel is the mean of an f×f block; partial blocks at the
// right and bottom edges are averaged over what they hold).
func shrink(img *image.Gray, f int) *image.Gray {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	ow, oh := (w+f-1)/f, (h+f-1)/f
	out := image.NewGray(image.Rect(0, 0, ow, oh))
	sums := make([]uint32, ow)
	full := w / f // output columns made of whole blocks
	for oy := 0; oy < oh; oy++ {
		clear(sums)
		y0, y1 := oy*f, min(h, (oy+1)*f)
		for y := y0; y < y1; y++ {
			row := img.Pix[img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+y):][:w:w]
			for ox := 0; ox < full; ox++ {
				var s uint32
				for _, v := range row[ox*f : ox*f+f] {
					s += uint32(v)
				}
				sums[ox] += s
			}
			for x := full * f; x < w; x++ {
				sums[full] += uint32(row[x])
			}
		}
		rowsIn := uint32(y1 - y0)
		dst := out.Pix[oy*out.Stride:][:ow:ow]
		for ox := range dst {
			n := rowsIn * uint32(f)
			if ox == full {
				n = rowsIn * uint32(w-full*f)
			}
			dst[ox] = uint8((sums[ox] + n/2) / n)
		}
	}
	return out
}
