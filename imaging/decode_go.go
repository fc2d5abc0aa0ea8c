package imaging

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"strings"
)

// maxScans bounds the scans of a JPEG, as TJFLAG_LIMITSCANS does.
const maxScans = 500

// decodeJPEGGo decodes a JPEG with the standard library into a tw×th image
// in stored orientation, area-averaging straight from the decoded YCbCr,
// Gray or CMYK planes (the full image is never converted to RGBA first).
// It is the backend of pure-Go builds and is compiled into every build so
// tests can compare it with TurboJPEG.
func decodeJPEGGo(data []byte, h *header, tw, th int) (*image.RGBA, error) {
	img, err := decodeJPEGStd(data, h)
	if err != nil {
		return nil, err
	}
	return fitDecoded(img, tw, th), nil
}

// decodeJPEGStd decodes a JPEG with image/jpeg at full size, after the
// checks that keep it within the limits TurboJPEG has.
func decodeJPEGStd(data []byte, h *header) (image.Image, error) {
	if h.arithmetic {
		return nil, fmt.Errorf("%w: arithmetic-coded JPEG needs the TurboJPEG build (this one is pure Go)", ErrUnsupported)
	}
	if h.components == 4 && !h.adobe {
		return nil, fmt.Errorf("%w: 4-component JPEG without an Adobe marker (unknown colour model)", ErrUnsupported)
	}
	// Every scan of a progressive JPEG walks the whole image; libjpeg-turbo
	// stops at 500 (TJFLAG_LIMITSCANS) and so does this path, so a small
	// file of thousands of empty scans cannot cost minutes. Entropy-coded
	// data stuffs 0xFF as FF 00, so FF DA only occurs as a marker.
	if n := bytes.Count(data, []byte{0xFF, 0xDA}); n > maxScans {
		return nil, fmt.Errorf("%w: JPEG has %d scans (limit %d)", ErrCorrupt, n, maxScans)
	}
	// image/jpeg reads the same first frame header as probe; confirm that
	// before it allocates, so a disagreement cannot bypass the size check.
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, stdlibError("jpeg", err)
	}
	if cfg.Width != h.Width || cfg.Height != h.Height {
		return nil, fmt.Errorf("%w: jpeg header disagrees with itself (%d×%d vs %d×%d)", ErrCorrupt, cfg.Width, cfg.Height, h.Width, h.Height)
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, stdlibError("jpeg", err)
	}
	return img, nil
}

// decodePNG decodes a PNG with the standard library (both backends).
func decodePNG(data []byte, h *header, tw, th int) (*image.RGBA, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, stdlibError("png", err)
	}
	if cfg.Width != h.Width || cfg.Height != h.Height {
		return nil, fmt.Errorf("%w: png header disagrees with itself", ErrCorrupt)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, stdlibError("png", err)
	}
	return fitDecoded(img, tw, th), nil
}

// fitDecoded converts or resamples a decoded image to tw×th RGBA.
func fitDecoded(img image.Image, tw, th int) *image.RGBA {
	b := img.Bounds()
	if b.Dx() == tw && b.Dy() == th {
		if rgba, ok := img.(*image.RGBA); ok && b.Min == (image.Point{}) {
			return rgba
		}
		dst := image.NewRGBA(image.Rect(0, 0, tw, th))
		draw.Draw(dst, dst.Rect, img, b.Min, draw.Src)
		return dst
	}
	return scaleImage(img, tw, th)
}

// stdlibError maps errors of image/jpeg and image/png to the sentinels.
// image/jpeg reports damaged entropy-coded data ("excessive DC/AC
// component") as an UnsupportedError; that is corruption, not a feature.
func stdlibError(format string, err error) error {
	switch err.(type) {
	case jpeg.UnsupportedError, png.UnsupportedError:
		if !strings.Contains(err.Error(), "excessive") {
			return fmt.Errorf("%w: %s: %w", ErrUnsupported, format, err)
		}
	}
	return fmt.Errorf("%w: %s: %w", ErrCorrupt, format, err)
}
