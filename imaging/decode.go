// Package imaging turns the bytes of a case into what the window shows:
// upright images scaled for the screen, full-resolution regions for the
// inspector, metadata, and PDF pages. Everything happens in memory; nothing
// here imports Fyne.
//
// # JPEG backends and build tags
//
// JPEGs are decoded by libjpeg-turbo through cgo (the TurboJPEG API) when
// cgo is enabled on Linux or macOS, and by the standard library's
// image/jpeg otherwise (Backend reports which):
//
//   - default (cgo, linux): links Debian's static libturbojpeg.a
//     (-l:libturbojpeg.a, package libturbojpeg0-dev), so the binary needs no
//     shared library at run time;
//   - -tags turbo_shared (linux): links libturbojpeg.so dynamically instead;
//   - darwin: pkg-config libturbojpeg (Homebrew jpeg-turbo);
//   - -tags purego, CGO_ENABLED=0, or any other OS: pure Go (image/jpeg),
//     which cannot decode arithmetic-coded JPEGs (ErrUnsupported).
//
// The TurboJPEG path decodes at the smallest DCT scale (1/8…1/1) still at
// least the target size, straight into RGBA; both paths then area-average
// down to the exact size and apply the EXIF orientation last. A coarse
// decode (Options.Coarse) keeps the DCT scale's own size and skips the
// averaging; DecodeLuma gives a reader (the barcode's) the Y plane alone.
package imaging

import (
	"errors"
	"fmt"
	"image"
)

// DefaultMaxPixels refuses images above 100 megapixels before decoding.
const DefaultMaxPixels = 100_000_000

// Errors callers can test with errors.Is.
var (
	ErrTooLarge    = errors.New("image dimensions too large")
	ErrUnsupported = errors.New("unsupported image format")
	ErrCorrupt     = errors.New("corrupt image")
)

// Format is the encoded image format.
type Format string

// Image formats.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
)

// Info is what can be learned without decoding pixels.
type Info struct {
	Format      Format
	Width       int    // stored width
	Height      int    // stored height
	Orientation int    // EXIF orientation 1–8 (1 when absent)
	Subsampling string // "4:2:0", "4:2:2", "4:4:4", "4:4:0", "4:1:1", "4:1:0", "gray", "cmyk", "ycck", "" for PNG; other layouts as "2x2,1x1,1x1"
	Progressive bool
}

// OrientedSize is the upright size after applying Orientation.
func (i Info) OrientedSize() (w, h int) {
	if swapsAxes(i.Orientation) {
		return i.Height, i.Width
	}
	return i.Width, i.Height
}

// Display is an upright image fitted to a box.
type Display struct {
	Image *image.RGBA
	Info  Info
}

// Options tune decoding.
type Options struct {
	MaxPixels int64 // default DefaultMaxPixels
	// Coarse lets DecodeForDisplay pick the size instead of fitting the box
	// exactly: the largest of 1/1, 1/2, 1/4 and 1/8 of the image that fits
	// (a JPEG decoder scales by those in the DCT at no cost), so no
	// area-averaging pass runs — between half the box and the box. For a
	// caller that reads the pixels rather than shows them (the command
	// line's checks). An image that does not fit even at 1/8 is fitted
	// exactly.
	Coarse bool
}

func (o Options) maxPixels() int64 {
	if o.MaxPixels <= 0 {
		return DefaultMaxPixels
	}
	return o.MaxPixels
}

// Probe reads the header (DecodeConfig) and EXIF orientation. It detects the
// format by its magic bytes (ErrUnsupported for anything but JPEG and PNG),
// reads only the header and allocates nothing in proportion to the image.
// It does not apply Options.MaxPixels; the decoders do.
func Probe(data []byte) (Info, error) {
	h, err := probe(data)
	if err != nil {
		return Info{}, fmt.Errorf("probe image: %w", err)
	}
	return h.Info, nil
}

// probeLimited probes data and refuses images above the pixel limit.
func probeLimited(data []byte, o Options) (header, error) {
	h, err := probe(data)
	if err != nil {
		return header{}, err
	}
	if px := int64(h.Width) * int64(h.Height); px > o.maxPixels() {
		return header{}, fmt.Errorf("%w: %d×%d is %d pixels, limit %d", ErrTooLarge, h.Width, h.Height, px, o.maxPixels())
	}
	return h, nil
}

// DecodeForDisplay decodes data, applies the EXIF orientation and returns
// an image that fits within maxW×maxH (never upscaled), area-averaged.
// A non-positive maxW or maxH leaves that axis unbounded. Dimensions are
// checked against Options.MaxPixels before any pixel memory is allocated.
func DecodeForDisplay(data []byte, maxW, maxH int, o Options) (*Display, error) {
	h, err := probeLimited(data, o)
	if err != nil {
		return nil, fmt.Errorf("decode for display: %w", err)
	}
	uw, uh := h.OrientedSize()
	dw, dh := fitSize(uw, uh, maxW, maxH)
	if o.Coarse {
		dw, dh = coarseSize(uw, uh, dw, dh)
	}
	tw, th := dw, dh // in stored orientation
	if swapsAxes(h.Orientation) {
		tw, th = dh, dw
	}
	var img *image.RGBA
	upright := false
	if h.Format == JPEG {
		img, upright, err = decodeJPEGDisplay(data, &h, tw, th)
	} else {
		img, err = decodePNG(data, &h, tw, th)
	}
	if err != nil {
		return nil, fmt.Errorf("decode for display: %w", err)
	}
	if upright {
		return &Display{Image: img, Info: h.Info}, nil
	}
	up := orient(img, h.Orientation)
	if up != img {
		Recycle(img) // the unturned copy
	}
	return &Display{Image: up, Info: h.Info}, nil
}

// coarseSize is the largest w×h / 2^k (k ≤ 3, rounded up as a DCT scale
// rounds) within dw×dh, or dw×dh when none is.
func coarseSize(w, h, dw, dh int) (int, int) {
	for f := 1; f <= 8; f *= 2 {
		if cw, ch := (w+f-1)/f, (h+f-1)/f; cw <= dw && ch <= dh {
			return cw, ch
		}
	}
	return dw, dh
}

// DecodeFull decodes data at full resolution, upright. Used by the inspector
// only while an image is inspected.
func DecodeFull(data []byte, o Options) (*image.RGBA, Info, error) {
	h, err := probeLimited(data, o)
	if err != nil {
		return nil, Info{}, fmt.Errorf("decode full image: %w", err)
	}
	var img *image.RGBA
	if h.Format == JPEG {
		img, err = decodeJPEGUpright(data, &h)
	} else {
		img, err = decodePNG(data, &h, h.Width, h.Height)
		if err == nil {
			img = orient(img, h.Orientation)
		}
	}
	if err != nil {
		return nil, Info{}, fmt.Errorf("decode full image: %w", err)
	}
	return img, h.Info, nil
}

// Backend names the JPEG decoder compiled in: "turbojpeg" or "go".
func Backend() string { return backendName }
