package imaging

import (
	"image"
	"sync"
)

// Display-sized pixel buffers are recycled: a case's decodes (and a
// rotated image's unturned copy) are a few buffers of the same size, and
// reusing one costs no fresh pages — on a cold start each fresh 4 KiB page
// is a page fault, the largest cost of a first case. The pool is a
// sync.Pool: what nobody takes back is dropped by the garbage collector.
var pixPool sync.Pool // of *[]byte

// minPooled is the smallest buffer worth recycling.
const minPooled = 256 << 10

// newRGBA returns a w×h image whose pixels may come from the pool. Its
// pixels are not zeroed: the caller overwrites every one.
func newRGBA(w, h int) *image.RGBA {
	n := 4 * w * h
	if n >= minPooled {
		if p, ok := pixPool.Get().(*[]byte); ok {
			if b := *p; cap(b) >= n && cap(b) <= n+n/4 {
				return &image.RGBA{Pix: b[:n], Stride: 4 * w, Rect: image.Rect(0, 0, w, h)}
			}
			pixPool.Put(p)
		}
	}
	return image.NewRGBA(image.Rect(0, 0, w, h))
}

// Recycle hands img's pixel buffer back for a later decode, zeroed first
// (pixels are personal data). Call it only when nothing refers to img or
// its pixels any more — a display image a window has replaced, or one a
// command has finished checking. A nil or small image is ignored.
func Recycle(img *image.RGBA) {
	if img == nil || cap(img.Pix) < minPooled {
		return
	}
	b := img.Pix[:cap(img.Pix)]
	clear(b)
	img.Pix = nil
	pixPool.Put(&b)
}
