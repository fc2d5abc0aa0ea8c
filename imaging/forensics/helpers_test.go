package forensics

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"testing"
)

// EXIF tags the crafted files use.
const (
	tagMake               = 0x010F
	tagModel              = 0x0110
	tagOrientation        = 0x0112
	tagSoftware           = 0x0131
	tagProcessingSoftware = 0x000B
	tagExifIFD            = 0x8769
	tagGPSIFD             = 0x8825
	tagDateTimeOriginal   = 0x9003
	tagCompression        = 0x0103
	tagThumbOffset        = 0x0201
	tagThumbLength        = 0x0202
)

// tiffField is one IFD entry; when ptr is set the value is the offset of
// that part ("exif", "gps", "thumb").
type tiffField struct {
	tag, typ uint16
	count    uint32
	val      []byte // little-endian
	ptr      string
}

func ascii(tag uint16, s string) tiffField {
	return tiffField{tag: tag, typ: 2, count: uint32(len(s) + 1), val: append([]byte(s), 0)}
}
func short(tag, v uint16) tiffField {
	return tiffField{tag: tag, typ: 3, count: 1, val: binary.LittleEndian.AppendUint16(nil, v)}
}
func long(tag uint16, v uint32) tiffField {
	return tiffField{tag: tag, typ: 4, count: 1, val: binary.LittleEndian.AppendUint32(nil, v)}
}
func ptr(tag uint16, to string) tiffField { return tiffField{tag: tag, typ: 4, count: 1, ptr: to} }

// exifLayout is the content of a little-endian EXIF block.
type exifLayout struct {
	ifd0, exif, gps, ifd1 []tiffField
	thumb                 []byte
}

func ifdLen(f []tiffField) int {
	n := 2 + 12*len(f) + 4
	for _, e := range f {
		if len(e.val) > 4 {
			n += (len(e.val) + 1) &^ 1
		}
	}
	return n
}

// buildEXIF lays out IFD0, the Exif IFD, the GPS IFD, IFD1 and the
// thumbnail in that order, with IFD1 chained after IFD0.
func buildEXIF(l exifLayout) []byte {
	off := map[string]int{}
	next := 8 + ifdLen(l.ifd0)
	for _, p := range []struct {
		name string
		f    []tiffField
	}{{"exif", l.exif}, {"gps", l.gps}, {"ifd1", l.ifd1}} {
		if p.f != nil {
			off[p.name] = next
			next += ifdLen(p.f)
		}
	}
	off["thumb"] = next
	b := []byte("II*\x00\x08\x00\x00\x00")
	write := func(fields []tiffField, start, nextIFD int) {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(fields)))
		data := start + 2 + 12*len(fields) + 4
		var extra []byte
		for _, f := range fields {
			b = binary.LittleEndian.AppendUint16(b, f.tag)
			b = binary.LittleEndian.AppendUint16(b, f.typ)
			b = binary.LittleEndian.AppendUint32(b, f.count)
			switch {
			case f.ptr != "":
				b = binary.LittleEndian.AppendUint32(b, uint32(off[f.ptr]))
			case len(f.val) <= 4:
				var v [4]byte
				copy(v[:], f.val)
				b = append(b, v[:]...)
			default:
				b = binary.LittleEndian.AppendUint32(b, uint32(data+len(extra)))
				extra = append(extra, f.val...)
				if len(extra)%2 == 1 {
					extra = append(extra, 0)
				}
			}
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(nextIFD))
		b = append(b, extra...)
	}
	write(l.ifd0, 8, off["ifd1"])
	if l.exif != nil {
		write(l.exif, off["exif"], 0)
	}
	if l.gps != nil {
		write(l.gps, off["gps"], 0)
	}
	if l.ifd1 != nil {
		write(l.ifd1, off["ifd1"], 0)
	}
	return append(b, l.thumb...)
}

// cameraEXIF is what a phone writes: Make, Model, DateTimeOriginal, the
// given orientation and software, and optionally a thumbnail and GPS.
func cameraEXIF(orientation uint16, software string, thumb []byte, gps bool) []byte {
	l := exifLayout{
		ifd0: []tiffField{ascii(tagMake, "Acme"), ascii(tagModel, "Phone 12"), short(tagOrientation, orientation), ptr(tagExifIFD, "exif")},
		exif: []tiffField{ascii(tagDateTimeOriginal, "2025:01:15 10:30:12")},
	}
	if software != "" {
		l.ifd0 = append(l.ifd0, ascii(tagSoftware, software))
	}
	if gps {
		l.ifd0 = append(l.ifd0, ptr(tagGPSIFD, "gps"))
		l.gps = []tiffField{{tag: 0, typ: 1, count: 4, val: []byte{2, 3, 0, 0}}}
	}
	if thumb != nil {
		l.ifd1 = []tiffField{short(tagCompression, 6), ptr(tagThumbOffset, "thumb"), long(tagThumbLength, uint32(len(thumb)))}
		l.thumb = thumb
	}
	sortFields(l.ifd0)
	return buildEXIF(l)
}

// sortFields orders entries by tag, as TIFF requires.
func sortFields(f []tiffField) {
	for i := 1; i < len(f); i++ {
		for j := i; j > 0 && f[j].tag < f[j-1].tag; j-- {
			f[j], f[j-1] = f[j-1], f[j]
		}
	}
}

// withAPP1 inserts an APP1 segment holding payload right after SOI.
func withAPP1(jpg, payload []byte) []byte {
	seg := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(payload)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(append(out, seg...), payload...)
	return append(out, jpg[2:]...)
}

// withEXIF adds an EXIF APP1 block.
func withEXIF(jpg, tiff []byte) []byte { return withAPP1(jpg, append([]byte("Exif\x00\x00"), tiff...)) }

// withXMP adds an XMP APP1 packet.
func withXMP(jpg []byte, packet string) []byte {
	return withAPP1(jpg, append([]byte(xmpPrefix), packet...))
}

// scene draws a w×h picture with large shapes: variant 0 is a light card
// on a dark desk, variant 1 a bright disc on a blue wall at the left. Both
// carry fine noise.
func scene(w, h, variant int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	s := uint64(variant*7919 + 1)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s ^= s << 13
			s ^= s >> 7
			s ^= s << 17
			n := float64(s&15) - 7.5
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			var r, g, b float64
			switch variant {
			case 0:
				r, g, b = 70+30*fx, 55+20*fy, 40
				if fx > 0.2 && fx < 0.8 && fy > 0.25 && fy < 0.75 {
					r, g, b = 230, 235, 240
					if fy > 0.35 && fy < 0.4 && fx > 0.45 {
						r, g, b = 30, 30, 40 // a line of "text"
					}
				}
			default:
				r, g, b = 60, 90, 200-100*fy
				if d := math.Hypot(fx-0.25, fy-0.6); d < 0.22 {
					r, g, b = 250, 240, 200
				}
			}
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c8(r+n), c8(g+n), c8(b+n), 255
		}
	}
	return img
}

func c8(v float64) uint8 { return uint8(max(0, min(255, math.Round(v)))) }

// encJPEG encodes img at quality q.
func encJPEG(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// encPNG encodes img as PNG.
func encPNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// shrinkRGBA box-filters img to w×h (a thumbnail).
func shrinkRGBA(img *image.RGBA, w, h int) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	sw, sh := img.Rect.Dx(), img.Rect.Dy()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var sum [3]int
			n := 0
			for yy := y * sh / h; yy < (y+1)*sh/h; yy++ {
				for xx := x * sw / w; xx < (x+1)*sw/w; xx++ {
					i := img.PixOffset(xx, yy)
					sum[0] += int(img.Pix[i])
					sum[1] += int(img.Pix[i+1])
					sum[2] += int(img.Pix[i+2])
					n++
				}
			}
			i := out.PixOffset(x, y)
			out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = uint8(sum[0]/n), uint8(sum[1]/n), uint8(sum[2]/n), 255
		}
	}
	return out
}

// rotateCCW turns img 90° counter-clockwise: how a camera held upright
// stores a picture it tags with Orientation 6.
func rotateCCW(img *image.RGBA) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewRGBA(image.Rect(0, 0, h, w))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			j := out.PixOffset(y, w-1-x)
			i := img.PixOffset(x, y)
			copy(out.Pix[j:j+4], img.Pix[i:i+4])
		}
	}
	return out
}
