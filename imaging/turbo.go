//go:build cgo && !purego && (linux || darwin)

package imaging

/*
#cgo linux,!turbo_shared LDFLAGS: -l:libturbojpeg.a
#cgo linux,turbo_shared LDFLAGS: -lturbojpeg
#cgo darwin pkg-config: libturbojpeg
#include <turbojpeg.h>
*/
import "C"

import (
	"fmt"
	"image"
	"strings"
	"sync"
	"unsafe"
)

// backendName is reported by Backend.
const backendName = "turbojpeg"

// decodeJPEG decodes a JPEG into a tw×th image in stored orientation.
func decodeJPEG(data []byte, h *header, tw, th int) (*image.RGBA, error) {
	return decodeJPEGTurbo(data, h, tw, th)
}

// scalingFactor is a TurboJPEG DCT scaling factor num/denom.
type scalingFactor struct{ num, denom int }

// scaled is TJSCALED: the decoded size of dim at this factor.
func (f scalingFactor) scaled(dim int) int { return (dim*f.num + f.denom - 1) / f.denom }

// reductionFactors lists the library's factors ≤ 1, smallest first.
var reductionFactors = sync.OnceValue(func() []scalingFactor {
	var n C.int
	sf := C.tjGetScalingFactors(&n)
	if sf == nil || n <= 0 {
		return []scalingFactor{{1, 1}}
	}
	var out []scalingFactor
	for _, f := range unsafe.Slice(sf, int(n)) {
		num, den := int(f.num), int(f.denom)
		if num > 0 && den > 0 && num <= den {
			out = append(out, scalingFactor{num, den})
		}
	}
	// Sort ascending by value (the library lists them descending).
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].num*out[j-1].denom < out[j-1].num*out[j].denom; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	if len(out) == 0 {
		out = []scalingFactor{{1, 1}}
	}
	return out
})

// pickScale returns the smallest factor whose decoded size still covers
// tw×th, so the area-averaging step only ever reduces.
func pickScale(w, h, tw, th int) scalingFactor {
	for _, f := range reductionFactors() {
		if f.scaled(w) >= tw && f.scaled(h) >= th {
			return f
		}
	}
	return scalingFactor{1, 1}
}

// decodeJPEGTurbo decodes with libjpeg-turbo at the best DCT scale straight
// into RGBA (CMYK for four-component files, converted afterwards), then
// area-averages to tw×th. The TurboJPEG handle lives only for this call.
func decodeJPEGTurbo(data []byte, hd *header, tw, th int) (*image.RGBA, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: empty JPEG", ErrCorrupt)
	}
	hnd := C.tjInitDecompress()
	if hnd == nil {
		return nil, fmt.Errorf("turbojpeg: cannot create a decompressor")
	}
	defer C.tjDestroy(hnd)

	src := (*C.uchar)(unsafe.Pointer(&data[0]))
	size := C.ulong(len(data))
	var w, h, subsamp, cs C.int
	if C.tjDecompressHeader3(hnd, src, size, &w, &h, &subsamp, &cs) != 0 {
		return nil, fmt.Errorf("%w: turbojpeg: %s", ErrCorrupt, tjError(hnd))
	}
	// libjpeg must see the frame header probe checked against MaxPixels.
	if int(w) != hd.Width || int(h) != hd.Height {
		return nil, fmt.Errorf("%w: jpeg header disagrees with itself (%d×%d vs %d×%d)", ErrCorrupt, int(w), int(h), hd.Width, hd.Height)
	}
	f := pickScale(hd.Width, hd.Height, tw, th)
	sw, sh := f.scaled(hd.Width), f.scaled(hd.Height)
	cmyk := cs == C.TJCS_CMYK || cs == C.TJCS_YCCK
	pf := C.int(C.TJPF_RGBA)
	if cmyk {
		pf = C.TJPF_CMYK
	}
	img := image.NewRGBA(image.Rect(0, 0, sw, sh))
	flags := C.int(C.TJFLAG_LIMITSCANS)
	rc := C.tjDecompress2(hnd, src, size, (*C.uchar)(unsafe.Pointer(&img.Pix[0])),
		C.int(sw), C.int(img.Stride), C.int(sh), pf, flags)
	if rc != 0 {
		msg := tjError(hnd)
		if C.tjGetErrorCode(hnd) != C.TJERR_WARNING || !tolerableWarning(msg) {
			return nil, fmt.Errorf("%w: turbojpeg: %s", ErrCorrupt, msg)
		}
	}
	if cmyk {
		cmykToRGBA(img.Pix, hd.adobe)
	}
	if sw == tw && sh == th {
		return img, nil
	}
	return scaleImage(img, tw, th), nil
}

// tjError is the handle's last error or warning message.
func tjError(hnd C.tjhandle) string {
	return C.GoString(C.tjGetErrorStr2(hnd))
}

// tolerableWarning reports whether a libjpeg warning leaves the image whole.
// Only stray bytes between segments are tolerated (image/jpeg accepts them
// too); a premature end of file, a bad Huffman code or any other damage is a
// failure, so a truncated file is an error rather than a gray-filled image.
func tolerableWarning(msg string) bool {
	return strings.Contains(msg, "extraneous bytes before marker")
}
