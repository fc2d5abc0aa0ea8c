package forensics

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"

	"docvreview/imaging"
)

// Defaults for error level analysis.
const (
	// DefaultELAQuality is the quality the image is recompressed at.
	DefaultELAQuality = 90
	// DefaultELAGain multiplies the differences so that they are visible.
	DefaultELAGain = 20.0
)

// ErrELAInput: ELA was given no image, an empty one, or a quality outside
// 1–100 or a gain that is not positive.
var ErrELAInput = errors.New("error level analysis: bad input")

// ELA is error level analysis: img is recompressed as a JPEG at quality
// (1–100) and the absolute difference from img, per channel, multiplied by
// gain and clamped to 255, is returned as an opaque image of img's size,
// with its origin at 0,0. A region compressed once already at that quality
// changes little and stays dark; a region with another compression history
// (pasted from a different JPEG, painted, resampled) changes more and
// shows brighter. Compare levels between regions, not with zero.
//
// img should be the image as decoded, upright. The JPEG grid of the
// recompression starts at img's top-left corner, which matches the
// original's grid when the image is shown unturned or its sides are
// multiples of 16. Memory: the recompressed file and its decode, about
// five bytes per pixel, are released when ELA returns; nothing is written.
func ELA(img *image.RGBA, quality int, gain float64) (*image.RGBA, error) {
	if img == nil || img.Rect.Empty() || quality < 1 || quality > 100 || !(gain > 0) {
		return nil, ErrELAInput
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, fmt.Errorf("error level analysis: recompress: %w", err)
	}
	re, err := imaging.DecodeForDisplay(buf.Bytes(), w, h, imaging.Options{})
	if err != nil {
		return nil, fmt.Errorf("error level analysis: decode the recompressed image: %w", err)
	}
	r := re.Image
	if r.Rect.Dx() != w || r.Rect.Dy() != h {
		return nil, fmt.Errorf("error level analysis: recompressed image is %v, want %d×%d", r.Rect, w, h)
	}
	// lut[d] is the amplified level of an absolute difference d.
	var lut [256]uint8
	for d := range lut {
		lut[d] = uint8(min(255, float64(d)*gain+0.5))
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		a := img.Pix[img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+y):][: 4*w : 4*w]
		b := r.Pix[r.PixOffset(r.Rect.Min.X, r.Rect.Min.Y+y):][: 4*w : 4*w]
		o := out.Pix[y*out.Stride:][: 4*w : 4*w]
		for i := 0; i < 4*w; i += 4 {
			o[i] = lut[absDiff(a[i], b[i])]
			o[i+1] = lut[absDiff(a[i+1], b[i+1])]
			o[i+2] = lut[absDiff(a[i+2], b[i+2])]
			o[i+3] = 255
		}
	}
	return out, nil
}

func absDiff(a, b uint8) uint8 {
	if a > b {
		return a - b
	}
	return b - a
}
