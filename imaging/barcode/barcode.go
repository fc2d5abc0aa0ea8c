// Package barcode finds and decodes the PDF417 symbol on the back of an
// identity card. Decoding is done by zxing-cpp through a small cgo shim that
// is compiled only with the build tag zxing (and cgo); other builds return
// ErrUnavailable, so callers can say so instead of guessing.
//
// # Build tags
//
//   - -tags zxing (cgo, Linux or macOS): links zxing-cpp (pkg-config zxing;
//     Debian: libzxing-dev, run time libzxing2; macOS: brew install zxing-cpp);
//   - otherwise: Available reports false and ReadPDF417 returns ErrUnavailable.
//
// The pixels handed in are personal data: they are only read, in memory,
// and nothing here logs or keeps them.
package barcode

import (
	"context"
	"errors"
	"fmt"
	"image"
)

// Errors callers can test with errors.Is.
var (
	// ErrUnavailable: this build has no barcode reader.
	ErrUnavailable = errors.New("barcode reading not available in this build")
	// ErrNotFound: no PDF417 symbol could be found and decoded.
	ErrNotFound = errors.New("no PDF417 barcode found")
	// ErrTooLarge: the image exceeds MaxPixels.
	ErrTooLarge = errors.New("image too large for barcode reading")
	// ErrReader: the decoding library failed (out of memory, internal error).
	ErrReader = errors.New("barcode reader failed")
)

// MaxPixels bounds the images ReadPDF417 accepts (100 megapixels, the
// imaging package's decode limit).
const MaxPixels = 100_000_000

// maxSymbols bounds the symbols returned from one image.
const maxSymbols = 4

// Symbol is one decoded PDF417 symbol.
type Symbol struct {
	// Data is the symbol's raw content, without character-set conversion.
	Data []byte
	// Orientation is the symbol's rotation in degrees in the image it was
	// found in, as the reader reports it.
	Orientation int
}

// Available reports whether this build can read barcodes.
func Available() bool { return readerAvailable }

// ReadPDF417 finds and decodes the PDF417 symbols in img, at any rotation.
// It first looks at a reduced copy (fast on a 12 MP photo where the symbol
// is large), then at full resolution. It returns ErrNotFound when there is
// none, ErrUnavailable in a build without the reader, and ctx's error when
// ctx ends between passes (a pass itself is not interruptible).
func ReadPDF417(ctx context.Context, img *image.Gray) ([]Symbol, error) {
	return read(ctx, img, true)
}

// ReadPDF417AtSize is ReadPDF417 without the reduced pass: one pass over
// img as given, for a caller that already tried a reduced decode.
func ReadPDF417AtSize(ctx context.Context, img *image.Gray) ([]Symbol, error) {
	return read(ctx, img, false)
}

// read checks img and runs the passes of plan (only the last, full-size
// one unless reduce).
func read(ctx context.Context, img *image.Gray, reduce bool) ([]Symbol, error) {
	if !readerAvailable {
		return nil, ErrUnavailable
	}
	if img == nil {
		return nil, fmt.Errorf("read PDF417: %w", ErrNotFound)
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("read PDF417: empty image: %w", ErrNotFound)
	}
	if int64(w)*int64(h) > MaxPixels {
		return nil, fmt.Errorf("read PDF417: %d×%d: %w", w, h, ErrTooLarge)
	}
	passes := plan(w, h)
	if !reduce {
		passes = passes[len(passes)-1:]
	}
	for _, p := range passes {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("read PDF417: %w", err)
		}
		src := img
		if p.factor > 1 {
			src = shrink(img, p.factor)
		}
		syms, err := readPDF417(src, p.flags)
		if err != nil {
			return nil, fmt.Errorf("read PDF417: %w", err)
		}
		if len(syms) > 0 {
			return syms, nil
		}
	}
	return nil, fmt.Errorf("read PDF417: %w", ErrNotFound)
}
