//go:build cgo && !purego && (linux || darwin)

package imaging

/*
#cgo linux,!turbo_shared LDFLAGS: -l:libturbojpeg.a
#cgo linux,turbo_shared LDFLAGS: -lturbojpeg
#cgo darwin pkg-config: libturbojpeg
#include <stdlib.h>
#include <turbojpeg.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

// docv_scratch_alloc returns n bytes of scratch memory for one decode. On
// Linux a large buffer is mapped directly, aligned to 2 MiB and asked for
// transparent huge pages: a 9 MB intermediate then costs a handful of page
// faults instead of two thousand, and it goes back to the system on free.
#define DOCV_HUGE (2u << 20)
static size_t docv_scratch_len(size_t n) { return (n + DOCV_HUGE - 1) & ~(size_t)(DOCV_HUGE - 1); }

static void *docv_scratch_alloc(size_t n) {
#ifdef __linux__
	if (n >= (4u << 20)) {
		size_t len = docv_scratch_len(n);
		char *p = mmap(NULL, len + DOCV_HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			return NULL;
		}
		char *a = (char *)(((size_t)p + DOCV_HUGE - 1) & ~(size_t)(DOCV_HUGE - 1));
		if (a > p) {
			munmap(p, a - p);
		}
		if (a + len < p + len + DOCV_HUGE) {
			munmap(a + len, (p + len + DOCV_HUGE) - (a + len));
		}
		madvise(a, len, MADV_HUGEPAGE);
		return a;
	}
#endif
	return malloc(n);
}

// docv_scratch_free releases what docv_scratch_alloc(n) returned.
static void docv_scratch_free(void *p, size_t n) {
#ifdef __linux__
	if (n >= (4u << 20)) {
		munmap(p, docv_scratch_len(n));
		return;
	}
#endif
	free(p);
}
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
	img, _, err := decodeJPEGTurbo(data, h, tw, th, 1)
	return img, err
}

// decodeJPEGDisplay decodes a JPEG to tw×th (stored orientation) and, when
// the decode path can, turns it by h.Orientation on the way: upright says
// whether it did.
func decodeJPEGDisplay(data []byte, h *header, tw, th int) (img *image.RGBA, upright bool, err error) {
	return decodeJPEGTurbo(data, h, tw, th, h.Orientation)
}

// scalingFactor is a TurboJPEG DCT scaling factor num/denom.
type scalingFactor struct{ num, denom int }

// scaled is TJSCALED: the decoded size of dim at this factor.
func (f scalingFactor) scaled(dim int) int { return (dim*f.num + f.denom - 1) / f.denom }

// reductionFactors lists the library's factors 1/1, 1/2, 1/4 and 1/8 (those
// it has), smallest first. The others (3/8, 5/8, 3/4, 7/8) are left out on
// purpose: measured on a test card with fine print, decoding at 3/8 and then
// area-averaging to the target differs from a true area average of the full
// image about three times as much as decoding at 1/2 does (mean absolute
// difference 3.7 vs 2.5 per channel), and fine strokes visibly soften; the
// power-of-two scalings behave like block averages. Decoding at 1/2 instead
// of 3/8 costs little, since entropy decoding dominates either way.
var reductionFactors = sync.OnceValue(func() []scalingFactor {
	var n C.int
	sf := C.tjGetScalingFactors(&n)
	if sf == nil || n <= 0 {
		return []scalingFactor{{1, 1}}
	}
	var out []scalingFactor
	for _, f := range unsafe.Slice(sf, int(n)) {
		num, den := int(f.num), int(f.denom)
		if num > 0 && den > 0 && den%num == 0 && isPow2(den/num) && den/num <= 8 {
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

func isPow2(n int) bool { return n > 0 && n&(n-1) == 0 }

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
// The planes path also turns the result by EXIF orientation o while
// scaling (upright true); the others leave it in stored orientation.
func decodeJPEGTurbo(data []byte, hd *header, tw, th, o int) (img *image.RGBA, upright bool, err error) {
	if len(data) == 0 {
		return nil, false, fmt.Errorf("%w: empty JPEG", ErrCorrupt)
	}
	hnd := C.tjInitDecompress()
	if hnd == nil {
		return nil, false, fmt.Errorf("turbojpeg: cannot create a decompressor")
	}
	defer C.tjDestroy(hnd)

	src := (*C.uchar)(unsafe.Pointer(&data[0]))
	size := C.ulong(len(data))
	var w, h, subsamp, cs C.int
	if C.tjDecompressHeader3(hnd, src, size, &w, &h, &subsamp, &cs) != 0 {
		return nil, false, fmt.Errorf("%w: turbojpeg: %s", ErrCorrupt, tjError(hnd))
	}
	// libjpeg must see the frame header probe checked against MaxPixels.
	if int(w) != hd.Width || int(h) != hd.Height {
		return nil, false, fmt.Errorf("%w: jpeg header disagrees with itself (%d×%d vs %d×%d)", ErrCorrupt, int(w), int(h), hd.Width, hd.Height)
	}
	f := pickScale(hd.Width, hd.Height, tw, th)
	sw, sh := f.scaled(hd.Width), f.scaled(hd.Height)
	exact := sw == tw && sh == th
	cmyk := cs == C.TJCS_CMYK || cs == C.TJCS_YCCK
	switch {
	case cmyk:
		// libjpeg cannot convert CMYK to RGB: take CMYK and convert here.
		img := image.NewRGBA(image.Rect(0, 0, sw, sh))
		if err := tjDecode(hnd, data, img.Pix, sw, img.Stride, sh, C.TJPF_CMYK); err != nil {
			return nil, false, err
		}
		cmykToRGBA(img.Pix, hd.adobe)
		if exact {
			return img, false, nil
		}
		return scaleImage(img, tw, th), false, nil
	case exact:
		img := image.NewRGBA(image.Rect(0, 0, sw, sh))
		if err := tjDecode(hnd, data, img.Pix, sw, img.Stride, sh, C.TJPF_RGBA); err != nil {
			return nil, false, err
		}
		return img, false, nil
	case cs == C.TJCS_YCbCr || cs == C.TJCS_GRAY:
		if img, ok, err := decodeTurboPlanes(hnd, data, sw, sh, int(subsamp), tw, th, o); ok {
			return img, err == nil, err
		}
		fallthrough
	default:
		// An intermediate that is only area-averaged: packed RGB is a
		// quarter smaller than RGBA and a quarter less work to average. It
		// lives in C memory, freed (and, being large, unmapped by malloc)
		// the moment scaling is done, so it never inflates the Go heap
		// waiting for a collection (on Linux in huge pages: few faults).
		n := sw * sh * 3
		buf := C.docv_scratch_alloc(C.size_t(n))
		if buf == nil {
			return nil, false, fmt.Errorf("turbojpeg: cannot allocate %d bytes", n)
		}
		defer C.docv_scratch_free(buf, C.size_t(n))
		pix := unsafe.Slice((*byte)(buf), n)
		if err := tjDecode(hnd, data, pix, sw, sw*3, sh, C.TJPF_RGB); err != nil {
			return nil, false, err
		}
		return scaleRGB(pix, sw*3, sw, sh, tw, th), false, nil
	}
}

// planeRatios maps TurboJPEG's chroma subsampling to the image package's.
var planeRatios = map[int]image.YCbCrSubsampleRatio{
	C.TJSAMP_444: image.YCbCrSubsampleRatio444,
	C.TJSAMP_422: image.YCbCrSubsampleRatio422,
	C.TJSAMP_420: image.YCbCrSubsampleRatio420,
	C.TJSAMP_440: image.YCbCrSubsampleRatio440,
	C.TJSAMP_411: image.YCbCrSubsampleRatio411,
}

// decodeTurboPlanes decodes a YCbCr or grayscale JPEG at its sw×sh DCT
// scale into its planes, without colour conversion or chroma upsampling,
// and area-averages them to tw×th, converting to RGB only at the output
// size: about half the work and half the scratch memory of decoding to
// packed RGB first. The result is turned by EXIF orientation o on the way.
// ok is false (nothing done) for a subsampling it does not handle.
func decodeTurboPlanes(hnd C.tjhandle, data []byte, sw, sh, subsamp, tw, th, o int) (img *image.RGBA, ok bool, err error) {
	ratio, isColour := planeRatios[subsamp]
	if !isColour && subsamp != C.TJSAMP_GRAY {
		return nil, false, nil
	}
	n := 3
	if !isColour {
		n = 1
	}
	var pw, ph [3]int
	total := 0
	for i := range n {
		pw[i] = int(C.tjPlaneWidth(C.int(i), C.int(sw), C.int(subsamp)))
		ph[i] = int(C.tjPlaneHeight(C.int(i), C.int(sh), C.int(subsamp)))
		if pw[i] <= 0 || ph[i] <= 0 {
			return nil, false, nil
		}
		total += pw[i] * ph[i]
	}
	buf := C.docv_scratch_alloc(C.size_t(total))
	if buf == nil {
		return nil, true, fmt.Errorf("turbojpeg: cannot allocate %d bytes", total)
	}
	defer C.docv_scratch_free(buf, C.size_t(total))
	all := unsafe.Slice((*byte)(buf), total)
	var ptrs [3]*C.uchar
	var strides [3]C.int
	var planes [3][]byte
	at := 0
	for i := range n {
		planes[i] = all[at : at+pw[i]*ph[i]]
		ptrs[i] = (*C.uchar)(unsafe.Pointer(&planes[i][0]))
		strides[i] = C.int(pw[i])
		at += pw[i] * ph[i]
	}
	rc := C.tjDecompressToYUVPlanes(hnd, (*C.uchar)(unsafe.Pointer(&data[0])), C.ulong(len(data)),
		&ptrs[0], C.int(sw), &strides[0], C.int(sh), C.TJFLAG_LIMITSCANS)
	if rc != 0 {
		msg := tjError(hnd)
		if C.tjGetErrorCode(hnd) != C.TJERR_WARNING || !tolerableWarning(msg) {
			return nil, true, fmt.Errorf("%w: turbojpeg: %s", ErrCorrupt, msg)
		}
	}
	rect := image.Rect(0, 0, sw, sh)
	if !isColour {
		return scaleImageTo(&image.Gray{Pix: planes[0], Stride: pw[0], Rect: rect}, tw, th, o), true, nil
	}
	src := &image.YCbCr{Y: planes[0], Cb: planes[1], Cr: planes[2], YStride: pw[0], CStride: pw[1], SubsampleRatio: ratio, Rect: rect}
	return scaleImageTo(src, tw, th, o), true, nil
}

// decodeJPEGUpright decodes a JPEG at full size, upright. A quarter-turned
// image is decoded into C memory and turned into the Go image, so the
// unturned copy is released at once instead of waiting for a collection.
func decodeJPEGUpright(data []byte, hd *header) (*image.RGBA, error) {
	if !swapsAxes(hd.Orientation) || hd.components == 4 {
		img, _, err := decodeJPEGTurbo(data, hd, hd.Width, hd.Height, 1)
		if err != nil {
			return nil, err
		}
		return orient(img, hd.Orientation), nil
	}
	hnd := C.tjInitDecompress()
	if hnd == nil {
		return nil, fmt.Errorf("turbojpeg: cannot create a decompressor")
	}
	defer C.tjDestroy(hnd)
	w, h := hd.Width, hd.Height
	var jw, jh, subsamp, cs C.int
	if C.tjDecompressHeader3(hnd, (*C.uchar)(unsafe.Pointer(&data[0])), C.ulong(len(data)), &jw, &jh, &subsamp, &cs) != 0 {
		return nil, fmt.Errorf("%w: turbojpeg: %s", ErrCorrupt, tjError(hnd))
	}
	if int(jw) != w || int(jh) != h {
		return nil, fmt.Errorf("%w: jpeg header disagrees with itself (%d×%d vs %d×%d)", ErrCorrupt, int(jw), int(jh), w, h)
	}
	n := w * h * 4
	buf := C.docv_scratch_alloc(C.size_t(n))
	if buf == nil {
		return nil, fmt.Errorf("turbojpeg: cannot allocate %d bytes", n)
	}
	defer C.docv_scratch_free(buf, C.size_t(n))
	pix := unsafe.Slice((*byte)(buf), n)
	if err := tjDecode(hnd, data, pix, w, w*4, h, C.TJPF_RGBA); err != nil {
		return nil, err
	}
	dst := image.NewRGBA(image.Rect(0, 0, h, w))
	turnInto(dst, pix, w*4, w, h, hd.Orientation)
	return dst, nil
}

// tjDecode decompresses data into dst (w×h at pitch bytes per row) in pixel
// format pf. Warnings other than tolerable ones are failures.
func tjDecode(hnd C.tjhandle, data, dst []byte, w, pitch, h int, pf C.int) error {
	rc := C.tjDecompress2(hnd, (*C.uchar)(unsafe.Pointer(&data[0])), C.ulong(len(data)),
		(*C.uchar)(unsafe.Pointer(&dst[0])), C.int(w), C.int(pitch), C.int(h), pf, C.TJFLAG_LIMITSCANS)
	if rc != 0 {
		msg := tjError(hnd)
		if C.tjGetErrorCode(hnd) != C.TJERR_WARNING || !tolerableWarning(msg) {
			return fmt.Errorf("%w: turbojpeg: %s", ErrCorrupt, msg)
		}
	}
	return nil
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

// decodeJPEGLuma decodes a JPEG's luma (TJPF_GRAY: libjpeg keeps the Y
// component and converts nothing) at the largest DCT scale that fits
// tw×th, shrunk by a whole factor when even 1/8 does not fit, in stored
// orientation. CMYK files, which have no Y component, go through RGBA.
func decodeJPEGLuma(data []byte, hd *header, tw, th int) (*image.Gray, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: empty JPEG", ErrCorrupt)
	}
	if hd.components == 4 {
		img, _, err := decodeJPEGTurbo(data, hd, tw, th, 1)
		if err != nil {
			return nil, err
		}
		return Luma(img), nil
	}
	hnd := C.tjInitDecompress()
	if hnd == nil {
		return nil, fmt.Errorf("turbojpeg: cannot create a decompressor")
	}
	defer C.tjDestroy(hnd)
	var w, h, subsamp, cs C.int
	if C.tjDecompressHeader3(hnd, (*C.uchar)(unsafe.Pointer(&data[0])), C.ulong(len(data)), &w, &h, &subsamp, &cs) != 0 {
		return nil, fmt.Errorf("%w: turbojpeg: %s", ErrCorrupt, tjError(hnd))
	}
	if int(w) != hd.Width || int(h) != hd.Height {
		return nil, fmt.Errorf("%w: jpeg header disagrees with itself (%d×%d vs %d×%d)", ErrCorrupt, int(w), int(h), hd.Width, hd.Height)
	}
	f := fitScaleFactor(hd.Width, hd.Height, tw, th)
	sw, sh := f.scaled(hd.Width), f.scaled(hd.Height)
	g := image.NewGray(image.Rect(0, 0, sw, sh))
	if err := tjDecode(hnd, data, g.Pix, sw, g.Stride, sh, C.TJPF_GRAY); err != nil {
		return nil, err
	}
	return shrinkGray(g, tw, th), nil
}

// fitScaleFactor returns the largest reduction factor whose decoded size
// fits within tw×th (1/8 when none does).
func fitScaleFactor(w, h, tw, th int) scalingFactor {
	fs := reductionFactors()
	best := fs[0]
	for _, f := range fs {
		if f.scaled(w) <= tw && f.scaled(h) <= th {
			best = f
		}
	}
	return best
}
