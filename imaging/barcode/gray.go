package barcode

import (
	"image"
	"image/draw"
)

// Gray returns the luminance of img (ITU-R BT.601 weights, as zxing-cpp
// computes it), reading *image.RGBA directly and other images through
// image/draw.
func Gray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	rgba, ok := img.(*image.RGBA)
	if !ok {
		draw.Draw(out, out.Rect, img, b.Min, draw.Src)
		return out
	}
	w := b.Dx()
	for y := 0; y < b.Dy(); y++ {
		src := rgba.Pix[rgba.PixOffset(b.Min.X, b.Min.Y+y):][: 4*w : 4*w]
		dst := out.Pix[y*out.Stride:][:w:w]
		for x := range dst {
			p := src[4*x : 4*x+3 : 4*x+3]
			dst[x] = uint8((306*uint32(p[0]) + 601*uint32(p[1]) + 117*uint32(p[2]) + 0x200) >> 10)
		}
	}
	return out
}
