//go:build cgo && zxing

package barcode

/*
#cgo pkg-config: zxing
#cgo CXXFLAGS: -std=c++17
#include <stdlib.h>
#include "zxing_shim.h"
*/
import "C"

import (
	"fmt"
	"image"
	"unsafe"
)

const readerAvailable = true

// readPDF417 runs one zxing-cpp pass over img. The symbols' bytes are
// copied into Go memory and the C copies freed before returning.
func readPDF417(img *image.Gray, flags passFlags) ([]Symbol, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w <= 0 || h <= 0 || len(img.Pix) == 0 {
		return nil, nil
	}
	start := img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y)
	if need := start + (h-1)*img.Stride + w; start < 0 || need > len(img.Pix) {
		return nil, fmt.Errorf("%w: gray image %d×%d does not fit its pixel buffer", ErrReader, w, h)
	}
	var cf C.int
	if flags&tryHarder != 0 {
		cf |= C.DOCV_TRY_HARDER
	}
	if flags&tryRotate != 0 {
		cf |= C.DOCV_TRY_ROTATE
	}
	var out *C.docv_symbol
	n := C.docv_read_pdf417((*C.uchar)(unsafe.Pointer(&img.Pix[start])), C.int(w), C.int(h), C.int(img.Stride),
		cf, C.int(maxSymbols), &out)
	if n < 0 {
		return nil, ErrReader
	}
	if n == 0 || out == nil {
		return nil, nil
	}
	defer C.docv_free_symbols(out, n)
	syms := make([]Symbol, 0, int(n))
	for _, s := range unsafe.Slice(out, int(n)) {
		var data []byte
		if s.data != nil && s.len > 0 {
			data = C.GoBytes(unsafe.Pointer(s.data), C.int(s.len))
		}
		syms = append(syms, Symbol{Data: data, Orientation: int(s.orientation)})
	}
	return syms, nil
}
