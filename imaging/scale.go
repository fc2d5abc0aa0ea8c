package imaging

import (
	"encoding/binary"
	"image"
	"image/draw"
	"runtime"
	"sync"
)

// The resampler is separable: for each output row, the source rows it
// covers are summed with vertical weights, then that row of sums is
// filtered horizontally. Reduction uses area averaging — every output
// pixel is the mean of the exact source footprint it covers, with
// fractional weights at the edges — so fine print and line patterns average
// to their mean instead of aliasing. Enlargement uses bilinear weights.
// Working memory is a few rows of the output width: no full-size
// temporaries, whatever the source.

// The two passes work in fixed point. The vertical pass runs first, on
// raw bytes, three bytes at a time in the 21-bit lanes of a uint64 (SWAR):
// a byte times weights summing to 2^12 stays below 2^20, so lanes never
// carry into each other and one multiply-add serves three samples. Its
// result is kept at 9 bits (twice the sample value, rounded), and the
// horizontal pass multiplies that by weights summing to 2^12 again: below
// 2^21, so packed RGB pixels are also filtered one multiply-add per tap.
const (
	laneBits  = 21
	laneMask  = 1<<laneBits - 1
	midShift  = weightBits - 1 // vertical sum → 9-bit "mid" (value×2)
	outShift  = weightBits + 1 // horizontal sum of mids → 8-bit value
	lanes3    = 1 | 1<<laneBits | 1<<(2*laneBits)
	midRound  = (1 << (midShift - 1)) * lanes3
	midMask   = 0x1FF * lanes3
	outRound  = (1 << (outShift - 1)) * lanes3
	byteMask3 = 0xFF * lanes3
)

// pack3 puts three bytes into the lanes of a uint64.
func pack3(b []byte) uint64 {
	b = b[:3:3]
	return uint64(b[0]) | uint64(b[1])<<laneBits | uint64(b[2])<<(2*laneBits)
}

// plane is one sampled channel group of a source image: a luma or chroma
// plane (1 channel) or interleaved pixels (3 or 4 channels).
type plane struct {
	channels int
	h, v     *axisFilter
	// row returns source row y of the plane (channels × width bytes);
	// scratch is a per-worker buffer the loader may fill and return.
	row func(y int, scratch []byte) []byte
	// scratchLen is the scratch size row needs (0 when rows are direct).
	scratchLen int
	rowLen     int // bytes per source row: channels × source width
	// opaqueRGBA marks 4-byte RGBA pixels known to be opaque, filtered as
	// packed RGB (channels 3) with the alpha byte skipped.
	opaqueRGBA bool
}

// planeState is one worker's buffers for a plane.
type planeState struct {
	p *plane
	// Converted rows, for loaders that need scratch: a two-row cache,
	// enough for area footprints straddling output rows and bilinear pairs.
	convY [2]int
	conv  [2][]byte
	next  int
	acc   []uint64 // vertical sums, three bytes of the row per element
	mid   []uint16 // vertical result per byte (1 and 4 channels)
	out   []uint32 // horizontal result per channel (1 and 4 channels)
	out3  []uint64 // horizontal result per pixel, packed (3 channels)
}

func newPlaneState(p *plane, dstW int) *planeState {
	groups := (p.rowLen + 2) / 3
	if p.opaqueRGBA {
		groups = p.rowLen / 4
	}
	// acc and mid have fixedPad zero samples beyond their length, for
	// the fixed-width horizontal pass.
	s := &planeState{p: p, convY: [2]int{-1, -1}, acc: make([]uint64, groups, groups+fixedPad)}
	if p.channels == 3 {
		s.out3 = make([]uint64, dstW)
	} else {
		s.mid = make([]uint16, p.rowLen, p.rowLen+fixedPad)
		s.out = make([]uint32, dstW*p.channels)
	}
	if p.scratchLen > 0 {
		s.conv[0] = make([]byte, p.scratchLen)
		s.conv[1] = make([]byte, p.scratchLen)
	}
	return s
}

// sourceRow returns source row y, converting through the cache if needed.
func (s *planeState) sourceRow(y int) []byte {
	if s.p.scratchLen == 0 {
		return s.p.row(y, nil)[:s.p.rowLen]
	}
	for k := range s.convY {
		if s.convY[k] == y {
			return s.conv[k]
		}
	}
	k := s.next
	s.next ^= 1
	s.conv[k] = s.p.row(y, s.conv[k])[:s.p.rowLen]
	s.convY[k] = y
	return s.conv[k]
}

// filterRow computes output row y of the plane into s.out or s.out3.
func (s *planeState) filterRow(y int) {
	acc := s.acc
	clear(acc)
	full := s.p.rowLen / 3
	start, w := s.p.v.taps(y)
	for k, wk := range w {
		if wk == 0 {
			continue
		}
		row := s.sourceRow(start + k)
		wv := uint64(wk)
		if s.p.opaqueRGBA {
			src := row[:4*len(acc)]
			for px := range acc {
				acc[px] += pack3(src[4*px:]) * wv
			}
			continue
		}
		a := acc[:full]
		src := row[:3*full]
		for g := range a {
			a[g] += pack3(src[3*g:]) * wv
		}
		if tail := row[3*full:]; len(tail) > 0 {
			var t [3]byte
			copy(t[:], tail)
			acc[full] += pack3(t[:]) * wv
		}
	}
	if s.p.channels == 3 {
		for g := range acc {
			acc[g] = (acc[g] + midRound) >> midShift & midMask
		}
		filterPacked3(acc, s.p.h, s.out3)
		return
	}
	mid := s.mid
	for g := 0; g < full; g++ {
		v := (acc[g] + midRound) >> midShift & midMask
		m := mid[3*g : 3*g+3 : 3*g+3]
		m[0], m[1], m[2] = uint16(v&laneMask), uint16(v>>laneBits&laneMask), uint16(v>>(2*laneBits))
	}
	if rest := len(mid) - 3*full; rest > 0 {
		v := (acc[full] + midRound) >> midShift & midMask
		for i := 0; i < rest; i++ {
			mid[3*full+i] = uint16(v >> (laneBits * i) & laneMask)
		}
	}
	if s.p.channels == 4 {
		filterMid4(mid, s.p.h, s.out)
	} else {
		filterMid1(mid, s.p.h, s.out)
	}
}

// filterPacked3 filters packed 9-bit RGB pixels horizontally.
func filterPacked3(px []uint64, f *axisFilter, out []uint64) {
	if f.n > 0 && cap(px) >= len(px)+fixedPad {
		filterPacked3Fixed(px[:len(px)+fixedPad], f, out)
		return
	}
	for i := range out {
		s, w := f.taps(i)
		src := px[s : s+len(w)]
		var a uint64
		for k, wk := range w {
			a += src[k] * uint64(wk)
		}
		out[i] = a
	}
}

// filterPacked3Fixed is filterPacked3 with f's fixed-width weights; px
// holds the padding.
func filterPacked3Fixed(px []uint64, f *axisFilter, out []uint64) {
	switch f.n {
	case 2:
		for i := range out {
			w, p := f.fixed[2*i:2*i+2:2*i+2], px[f.start[i]:][:2:2]
			out[i] = p[0]*uint64(w[0]) + p[1]*uint64(w[1])
		}
	case 3:
		for i := range out {
			w, p := f.fixed[3*i:3*i+3:3*i+3], px[f.start[i]:][:3:3]
			out[i] = p[0]*uint64(w[0]) + p[1]*uint64(w[1]) + p[2]*uint64(w[2])
		}
	default:
		for i := range out {
			w, p := f.fixed[4*i:4*i+4:4*i+4], px[f.start[i]:][:4:4]
			out[i] = p[0]*uint64(w[0]) + p[1]*uint64(w[1]) + p[2]*uint64(w[2]) + p[3]*uint64(w[3])
		}
	}
}

// filterMid1Fixed is filterMid1 with f's fixed-width weights; mid holds
// the padding.
func filterMid1Fixed(mid []uint16, f *axisFilter, out []uint32) {
	switch f.n {
	case 2:
		for i := range out {
			w, p := f.fixed[2*i:2*i+2:2*i+2], mid[f.start[i]:][:2:2]
			out[i] = uint32(p[0])*w[0] + uint32(p[1])*w[1]
		}
	case 3:
		for i := range out {
			w, p := f.fixed[3*i:3*i+3:3*i+3], mid[f.start[i]:][:3:3]
			out[i] = uint32(p[0])*w[0] + uint32(p[1])*w[1] + uint32(p[2])*w[2]
		}
	default:
		for i := range out {
			w, p := f.fixed[4*i:4*i+4:4*i+4], mid[f.start[i]:][:4:4]
			out[i] = uint32(p[0])*w[0] + uint32(p[1])*w[1] + uint32(p[2])*w[2] + uint32(p[3])*w[3]
		}
	}
}

// filterMid1 filters single-channel 9-bit samples horizontally.
func filterMid1(mid []uint16, f *axisFilter, out []uint32) {
	if f.n > 0 && cap(mid) >= len(mid)+fixedPad {
		filterMid1Fixed(mid[:len(mid)+fixedPad], f, out)
		return
	}
	for i := range out {
		s, w := f.taps(i)
		src := mid[s : s+len(w)]
		var a uint32
		for k, wk := range w {
			a += uint32(src[k]) * wk
		}
		out[i] = a
	}
}

// filterMid4 filters 4-channel 9-bit pixels horizontally.
func filterMid4(mid []uint16, f *axisFilter, out []uint32) {
	for i := 0; i < len(out)/4; i++ {
		s, w := f.taps(i)
		src := mid[4*s : 4*(s+len(w))]
		var a0, a1, a2, a3 uint32
		for k, wk := range w {
			p := src[4*k : 4*k+4 : 4*k+4]
			a0 += uint32(p[0]) * wk
			a1 += uint32(p[1]) * wk
			a2 += uint32(p[2]) * wk
			a3 += uint32(p[3]) * wk
		}
		o := out[4*i : 4*i+4 : 4*i+4]
		o[0], o[1], o[2], o[3] = a0, a1, a2, a3
	}
}

// round8 turns a horizontal sum of mids into an 8-bit sample.
func round8(v uint32) uint8 { return uint8((v + 1<<(outShift-1)) >> outShift) }

// combineFunc writes output row pixels (RGBA) from the planes' results.
type combineFunc func(dst []byte, states []*planeState)

// resample fills dst from the planes, splitting the output rows among
// workers when the job is large enough to be worth it.
func resample(dst *image.RGBA, planes []*plane, combine combineFunc, srcPixels int) {
	resampleTo(dst, 1, planes, combine, srcPixels)
}

// resampleTo is resample into dst turned by EXIF orientation o: the rows
// are computed in stored orientation (w×h, dst is h×w when o turns the
// axes) and each is written where o puts it, so an image shown turned
// needs no second, unturned copy.
func resampleTo(dst *image.RGBA, o int, planes []*plane, combine combineFunc, srcPixels int) {
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	if swapsAxes(o) {
		w, h = h, w
	}
	if w <= 0 || h <= 0 {
		return
	}
	workers := 1
	if srcPixels+w*h >= 1<<20 {
		workers = min(runtime.GOMAXPROCS(0), h/16)
	}
	if workers <= 1 {
		resampleRows(dst, o, w, h, planes, combine, 0, h)
		return
	}
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		y0, y1 := h*i/workers, h*(i+1)/workers
		wg.Go(func() { resampleRows(dst, o, w, h, planes, combine, y0, y1) })
	}
	wg.Wait()
}

// resampleRows computes rows y0…y1 of the w×h image in stored
// orientation and writes them into dst turned by o.
func resampleRows(dst *image.RGBA, o, w, h int, planes []*plane, combine combineFunc, y0, y1 int) {
	states := make([]*planeState, len(planes))
	for i, p := range planes {
		states[i] = newPlaneState(p, w)
	}
	var row []byte
	if o > 1 && o <= 8 {
		row = make([]byte, 4*w)
	}
	for y := y0; y < y1; y++ {
		for _, s := range states {
			s.filterRow(y)
		}
		if row == nil {
			combine(dst.Pix[y*dst.Stride:y*dst.Stride+4*w], states)
			continue
		}
		combine(row, states)
		placeRow(dst, row, y, w, h, o)
	}
}

// placeRow writes row y of a w×h image (stored orientation) into dst, the
// image turned by EXIF orientation o (2…8), as turnInto and the flips do.
func placeRow(dst *image.RGBA, row []byte, y, w, h, o int) {
	var d, step int // offset of stored pixel (0, y) in dst, and of each next pixel
	switch o {
	case 2: // flip horizontally: (x, y) → (w-1-x, y)
		d, step = y*dst.Stride+4*(w-1), -4
	case 3: // turn 180°: (x, y) → (w-1-x, h-1-y)
		d, step = (h-1-y)*dst.Stride+4*(w-1), -4
	case 4: // flip vertically: (x, y) → (x, h-1-y)
		d, step = (h-1-y)*dst.Stride, 4
	case 5: // transpose: (x, y) → (y, x)
		d, step = 4*y, dst.Stride
	case 6: // turn 90° clockwise: (x, y) → (h-1-y, x)
		d, step = 4*(h-1-y), dst.Stride
	case 7: // transverse: (x, y) → (h-1-y, w-1-x)
		d, step = (w-1)*dst.Stride+4*(h-1-y), -dst.Stride
	case 8: // turn 90° counter-clockwise: (x, y) → (y, w-1-x)
		d, step = (w-1)*dst.Stride+4*y, -dst.Stride
	}
	pix := dst.Pix
	for x := 0; x < w; x++ {
		binary.LittleEndian.PutUint32(pix[d:], binary.LittleEndian.Uint32(row[4*x:]))
		d += step
	}
}

func combineRGBA(dst []byte, s []*planeState) {
	for i, v := range s[0].out {
		dst[i] = round8(v)
	}
}

func combineRGB(dst []byte, s []*planeState) {
	for i, v := range s[0].out3 {
		v = (v + outRound) >> outShift & byteMask3
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0], d[1], d[2], d[3] = uint8(v), uint8(v>>laneBits), uint8(v>>(2*laneBits)), 0xFF
	}
}

func combineGray(dst []byte, s []*planeState) {
	for i, v := range s[0].out {
		g := round8(v)
		d := dst[4*i : 4*i+4 : 4*i+4]
		d[0], d[1], d[2], d[3] = g, g, g, 0xFF
	}
}

func combineYCbCr(dst []byte, s []*planeState) {
	ya, cba, cra := s[0].out, s[1].out, s[2].out
	cba, cra = cba[:len(ya)], cra[:len(ya)]
	dst = dst[:4*len(ya)]
	for i := range ya {
		// color.YCbCrToRGB, inlined (the same arithmetic, so the same pixels).
		yy1 := int32(round8(ya[i])) * 0x10101
		cb1 := int32(round8(cba[i])) - 128
		cr1 := int32(round8(cra[i])) - 128
		r := yy1 + 91881*cr1
		if uint32(r)&0xff000000 == 0 {
			r >>= 16
		} else {
			r = ^(r >> 31)
		}
		g := yy1 - 22554*cb1 - 46802*cr1
		if uint32(g)&0xff000000 == 0 {
			g >>= 16
		} else {
			g = ^(g >> 31)
		}
		b := yy1 + 116130*cb1
		if uint32(b)&0xff000000 == 0 {
			b >>= 16
		} else {
			b = ^(b >> 31)
		}
		binary.LittleEndian.PutUint32(dst[4*i:], uint32(uint8(r))|uint32(uint8(g))<<8|uint32(uint8(b))<<16|0xFF<<24)
	}
}

// scaleImage resamples src (any image.Image) into a new w×h RGBA image,
// reading src directly (fast paths for YCbCr, Gray and RGBA; row-by-row
// conversion otherwise).
func scaleImage(src image.Image, w, h int) *image.RGBA {
	return scaleImageTo(src, w, h, 1)
}

// scaleImageTo is scaleImage with the result turned by EXIF orientation o
// (h×w when o turns the axes), in one pass: no unturned copy.
func scaleImageTo(src image.Image, w, h, o int) *image.RGBA {
	dst := newRGBA(w, h)
	if swapsAxes(o) {
		dst = newRGBA(h, w)
	}
	resample := func(dst *image.RGBA, planes []*plane, combine combineFunc, srcPixels int) {
		resampleTo(dst, o, planes, combine, srcPixels)
	}
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	if sw <= 0 || sh <= 0 || w <= 0 || h <= 0 {
		return dst
	}
	hf, vf := newAxisFilter(sw, w), newAxisFilter(sh, h)
	switch s := src.(type) {
	case *image.YCbCr:
		if fx, fy, ok := chromaFactors(s.SubsampleRatio); ok && b.Min == (image.Point{}) && w <= sw && h <= sh {
			cw, ch := (sw+fx-1)/fx, (sh+fy-1)/fy
			chf, cvf := newAreaFilter(sw, w, fx, cw), newAreaFilter(sh, h, fy, ch)
			planes := []*plane{
				{channels: 1, rowLen: sw, h: hf, v: vf, row: func(y int, _ []byte) []byte { return s.Y[y*s.YStride : y*s.YStride+sw] }},
				{channels: 1, rowLen: cw, h: chf, v: cvf, row: func(y int, _ []byte) []byte { return s.Cb[y*s.CStride : y*s.CStride+cw] }},
				{channels: 1, rowLen: cw, h: chf, v: cvf, row: func(y int, _ []byte) []byte { return s.Cr[y*s.CStride : y*s.CStride+cw] }},
			}
			resample(dst, planes, combineYCbCr, sw*sh)
			return dst
		}
	case *image.Gray:
		p := &plane{channels: 1, rowLen: sw, h: hf, v: vf, row: func(y int, _ []byte) []byte {
			o := y * s.Stride
			return s.Pix[o : o+sw]
		}}
		resample(dst, []*plane{p}, combineGray, sw*sh)
		return dst
	case *image.RGBA:
		p := &plane{channels: 4, rowLen: 4 * sw, h: hf, v: vf, row: func(y int, _ []byte) []byte {
			o := y * s.Stride
			return s.Pix[o : o+4*sw]
		}}
		combine := combineRGBA
		if s.Opaque() { // decoded JPEGs: skip alpha, one multiply per tap
			p.channels, p.opaqueRGBA, combine = 3, true, combineRGB
		}
		resample(dst, []*plane{p}, combine, sw*sh)
		return dst
	}
	// Generic: convert one row at a time to premultiplied RGBA with
	// image/draw (which has fast paths for NRGBA, CMYK, Paletted, …).
	p := &plane{channels: 4, rowLen: 4 * sw, h: hf, v: vf, scratchLen: 4 * sw, row: func(y int, scratch []byte) []byte {
		row := &image.RGBA{Pix: scratch, Stride: 4 * sw, Rect: image.Rect(0, 0, sw, 1)}
		draw.Draw(row, row.Rect, src, image.Pt(b.Min.X, b.Min.Y+y), draw.Src)
		return scratch
	}}
	resample(dst, []*plane{p}, combineRGBA, sw*sh)
	return dst
}

// scaleRGB resamples packed opaque RGB pixels (3 bytes each, rows of
// stride bytes) into a new w×h RGBA image.
func scaleRGB(pix []byte, stride, sw, sh, w, h int) *image.RGBA {
	dst := newRGBA(w, h)
	if sw <= 0 || sh <= 0 || w <= 0 || h <= 0 {
		return dst
	}
	p := &plane{channels: 3, rowLen: 3 * sw, h: newAxisFilter(sw, w), v: newAxisFilter(sh, h), row: func(y int, _ []byte) []byte {
		return pix[y*stride : y*stride+3*sw]
	}}
	resample(dst, []*plane{p}, combineRGB, sw*sh)
	return dst
}

// chromaFactors returns the horizontal and vertical chroma subsampling.
func chromaFactors(r image.YCbCrSubsampleRatio) (fx, fy int, ok bool) {
	switch r {
	case image.YCbCrSubsampleRatio444:
		return 1, 1, true
	case image.YCbCrSubsampleRatio422:
		return 2, 1, true
	case image.YCbCrSubsampleRatio420:
		return 2, 2, true
	case image.YCbCrSubsampleRatio440:
		return 1, 2, true
	case image.YCbCrSubsampleRatio411:
		return 4, 1, true
	case image.YCbCrSubsampleRatio410:
		return 4, 2, true
	}
	return 0, 0, false
}

// fitSize returns the largest size with the aspect of w×h that fits in
// maxW×maxH without enlarging (at least 1×1). A non-positive bound means no
// limit along that axis.
func fitSize(w, h, maxW, maxH int) (int, int) {
	if maxW <= 0 || maxW > w {
		maxW = w
	}
	if maxH <= 0 || maxH > h {
		maxH = h
	}
	// Compare ratios exactly: the limiting axis is the one with the smaller
	// maxW/w versus maxH/h.
	if int64(maxW)*int64(h) <= int64(maxH)*int64(w) {
		fh := int((int64(h)*int64(maxW) + int64(w)/2) / int64(w))
		return maxW, max(1, min(fh, maxH))
	}
	fw := int((int64(w)*int64(maxH) + int64(h)/2) / int64(h))
	return max(1, min(fw, maxW)), maxH
}
