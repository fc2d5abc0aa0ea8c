package imaging

import (
	"fmt"
	"image"
	"image/draw"
)

// DecodeLuma decodes the brightness of an image, for a reader that finds
// what it looks for at any rotation (the barcode reader): a JPEG's Y plane
// straight out of the decoder, in stored orientation (not turned by EXIF),
// with its long side at most maxSide (≤ 0: full size). A JPEG is decoded at
// the largest DCT scale that fits, so no colour is converted and no RGBA
// copy is made: a quarter of DecodeForDisplay's memory at the same size.
// Dimensions are checked against Options.MaxPixels before any pixel memory
// is allocated.
func DecodeLuma(data []byte, maxSide int, o Options) (*image.Gray, error) {
	h, err := probeLimited(data, o)
	if err != nil {
		return nil, fmt.Errorf("decode luma: %w", err)
	}
	tw, th := h.Width, h.Height
	if maxSide > 0 {
		tw, th = fitSize(h.Width, h.Height, maxSide, maxSide)
	}
	var g *image.Gray
	if h.Format == JPEG {
		g, err = decodeJPEGLuma(data, &h, tw, th)
	} else {
		var img *image.RGBA
		if img, err = decodePNG(data, &h, tw, th); err == nil {
			g = Luma(img)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("decode luma: %w", err)
	}
	return g, nil
}

// decodeJPEGLumaGo is DecodeLuma's JPEG path in pure Go: image/jpeg's Y
// plane (or its gray image), shrunk by a whole factor when it is larger
// than tw×th. A CMYK JPEG goes through RGBA.
func decodeJPEGLumaGo(data []byte, h *header, tw, th int) (*image.Gray, error) {
	if h.components == 4 {
		img, err := decodeJPEGGo(data, h, tw, th)
		if err != nil {
			return nil, err
		}
		return Luma(img), nil
	}
	img, err := decodeJPEGStd(data, h)
	if err != nil {
		return nil, err
	}
	var y *image.Gray
	switch m := img.(type) {
	case *image.YCbCr:
		y = &image.Gray{Pix: m.Y, Stride: m.YStride, Rect: m.Rect}
	case *image.Gray:
		y = m
	default:
		y = image.NewGray(m.Bounds())
		draw.Draw(y, y.Rect, m, m.Bounds().Min, draw.Src)
	}
	return shrinkGray(y, tw, th), nil
}

// shrinkGray area-averages g by the smallest whole factor that brings it
// within tw×th (g itself when it already fits).
func shrinkGray(g *image.Gray, tw, th int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	f := max((w+tw-1)/max(tw, 1), (h+th-1)/max(th, 1), 1)
	if f == 1 {
		return g
	}
	ow, oh := w/f, h/f
	out := image.NewGray(image.Rect(0, 0, ow, oh))
	sum := make([]uint32, ow)
	for oy := range oh {
		clear(sum)
		for dy := range f {
			row := g.Pix[(oy*f+dy)*g.Stride:]
			for ox := range ow {
				for _, v := range row[ox*f : ox*f+f] {
					sum[ox] += uint32(v)
				}
			}
		}
		dst := out.Pix[oy*out.Stride:]
		n := uint32(f * f)
		for ox, s := range sum {
			dst[ox] = uint8((s + n/2) / n)
		}
	}
	return out
}

// Luma returns the luminance of img (ITU-R BT.601 weights, as JPEG's Y and
// as zxing-cpp compute it), reading *image.RGBA directly and other images
// through image/draw; a *image.Gray is returned as it is.
func Luma(img image.Image) *image.Gray {
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
