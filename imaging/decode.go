// Package imaging turns the bytes of a case into what the window shows:
// upright images scaled for the screen, full-resolution regions for the
// inspector, metadata, and PDF pages. Everything happens in memory; nothing
// here imports Fyne.
package imaging

// OWNER: helper "imaging-decode". Contract stub.

import (
	"errors"
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
	Subsampling string // "4:2:0", "4:2:2", "4:4:4", "4:4:0", "gray", "cmyk", "ycck", "" for PNG
	Progressive bool
}

// OrientedSize is the upright size after applying Orientation.
func (i Info) OrientedSize() (w, h int) { panic("TODO imaging-decode") }

// Display is an upright image fitted to a box.
type Display struct {
	Image *image.RGBA
	Info  Info
}

// Options tune decoding.
type Options struct {
	MaxPixels int64 // default DefaultMaxPixels
}

// Probe reads the header (DecodeConfig) and EXIF orientation.
func Probe(data []byte) (Info, error) { panic("TODO imaging-decode") }

// DecodeForDisplay decodes data, applies the EXIF orientation and returns
// an image that fits within maxW×maxH (never upscaled), area-averaged.
func DecodeForDisplay(data []byte, maxW, maxH int, o Options) (*Display, error) {
	panic("TODO imaging-decode")
}

// DecodeFull decodes data at full resolution, upright. Used by the inspector
// only while an image is inspected.
func DecodeFull(data []byte, o Options) (*image.RGBA, Info, error) { panic("TODO imaging-decode") }

// RenderRegion renders region (in src coordinates) into a w×h image:
// area-averaged when reducing, bilinear or nearest when enlarging.
func RenderRegion(src *image.RGBA, region image.Rectangle, w, h int) *image.RGBA {
	panic("TODO imaging-decode")
}

// Rotate turns img clockwise by quarter turns (any integer).
func Rotate(img *image.RGBA, quarterTurns int) *image.RGBA { panic("TODO imaging-decode") }

// Adjustments are the inspector's tone controls.
type Adjustments struct {
	Brightness float64 // -1..1, 0 = unchanged
	Contrast   float64 // -1..1, 0 = unchanged
	Grayscale  bool
	Invert     bool
}

// IsZero reports whether a leaves images unchanged.
func (a Adjustments) IsZero() bool { return a == Adjustments{} }

// Adjust returns a copy of img with a applied (img itself when a.IsZero()).
func Adjust(img *image.RGBA, a Adjustments) *image.RGBA { panic("TODO imaging-decode") }

// Backend names the JPEG decoder compiled in: "turbojpeg" or "go".
func Backend() string { panic("TODO imaging-decode") }
