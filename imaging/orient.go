package imaging

import (
	"image"
)

// swapsAxes reports whether orientation o turns the image by a quarter turn,
// so that the upright width is the stored height.
func swapsAxes(o int) bool { return o >= 5 && o <= 8 }

// orient returns img transformed so that an image stored with EXIF
// orientation o appears upright. Orientation 1 (or any invalid value)
// returns img itself; flips (2–4) are done in place; quarter turns (5–8)
// allocate the turned image and leave img untouched.
func orient(img *image.RGBA, o int) *image.RGBA {
	b := img.Rect
	w, h := b.Dx(), b.Dy()
	switch o {
	case 2:
		flipH(img)
		return img
	case 3:
		flipH(img)
		flipV(img)
		return img
	case 4:
		flipV(img)
		return img
	case 5, 6, 7, 8:
	default:
		return img
	}
	dst := newRGBA(h, w)
	turnInto(dst, img.Pix, img.Stride, w, h, o)
	return dst
}

// turnTile is the side of the square blocks turnInto copies at a time, so
// both the rows read and the rows written stay in cache.
const turnTile = 64

// turnInto writes the w×h RGBA pixels pix (rows stride bytes apart), stored
// with orientation o (5–8), upright into dst, which is h×w.
func turnInto(dst *image.RGBA, pix []byte, stride, w, h, o int) {
	// Stored pixel (sx, sy) lands at a dst offset that changes by a fixed
	// step per sx and per sy; (x0, y0) is where stored (0, 0) lands.
	var x0, y0, stepX, stepY int
	switch o {
	case 5: // transpose: (sx, sy) → (sy, sx)
		x0, y0 = 0, 0
		stepX, stepY = dst.Stride, 4
	case 6: // rotate 90° clockwise: (sx, sy) → (h-1-sy, sx)
		x0, y0 = h-1, 0
		stepX, stepY = dst.Stride, -4
	case 7: // transverse: (sx, sy) → (h-1-sy, w-1-sx)
		x0, y0 = h-1, w-1
		stepX, stepY = -dst.Stride, -4
	case 8: // rotate 90° counter-clockwise: (sx, sy) → (sy, w-1-sx)
		x0, y0 = 0, w-1
		stepX, stepY = -dst.Stride, 4
	default:
		return
	}
	origin := y0*dst.Stride + x0*4
	for ty := 0; ty < h; ty += turnTile {
		for tx := 0; tx < w; tx += turnTile {
			for sy := ty; sy < min(ty+turnTile, h); sy++ {
				row := pix[sy*stride+4*tx : sy*stride+4*min(tx+turnTile, w)]
				d := origin + sy*stepY + tx*stepX
				for sx := 0; sx < len(row); sx += 4 {
					copy(dst.Pix[d:d+4:d+4], row[sx:sx+4:sx+4])
					d += stepX
				}
			}
		}
	}
}

// flipH mirrors img left–right in place.
func flipH(img *image.RGBA) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+w*4]
		for i, j := 0, len(row)-4; i < j; i, j = i+4, j-4 {
			var t [4]byte
			copy(t[:], row[i:i+4])
			copy(row[i:i+4], row[j:j+4])
			copy(row[j:j+4], t[:])
		}
	}
}

// flipV mirrors img top–bottom in place.
func flipV(img *image.RGBA) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	tmp := make([]byte, w*4)
	for i, j := 0, h-1; i < j; i, j = i+1, j-1 {
		a := img.Pix[i*img.Stride : i*img.Stride+w*4]
		b := img.Pix[j*img.Stride : j*img.Stride+w*4]
		copy(tmp, a)
		copy(a, b)
		copy(b, tmp)
	}
}

// Rotate turns img clockwise by quarter turns (any integer; negative turns
// counter-clockwise). The result is a new image with its origin at (0,0);
// zero turns return img itself.
func Rotate(img *image.RGBA, quarterTurns int) *image.RGBA {
	switch ((quarterTurns % 4) + 4) % 4 {
	case 1:
		return orient(img, 6)
	case 2:
		c := cloneRGBA(img)
		flipH(c)
		flipV(c)
		return c
	case 3:
		return orient(img, 8)
	}
	return img
}

// cloneRGBA copies img into a new image with its origin at (0,0).
func cloneRGBA(img *image.RGBA) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		copy(dst.Pix[y*dst.Stride:y*dst.Stride+w*4], img.Pix[y*img.Stride:y*img.Stride+w*4])
	}
	return dst
}
