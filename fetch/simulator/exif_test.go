package simulator

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"
)

// A tiny, strict EXIF reader for the tests: it checks the structure the
// writer promises rather than trusting it.

type tiffField struct {
	typ   uint16
	count uint32
	value []byte // resolved (inline or at its offset)
}

type parsedEXIF struct {
	order binary.ByteOrder
	ifd0  map[uint16]tiffField
	exif  map[uint16]tiffField
	ifd1  map[uint16]tiffField // nil without a thumbnail
	thumb []byte               // the IFD1 thumbnail's bytes
}

// typeSize is the byte size of one value of each TIFF type used.
var typeSize = map[uint16]uint32{typeASCII: 1, typeShort: 2, typeLong: 4, typeRational: 8, typeUndefined: 1}

// firstSegmentEXIF returns the TIFF bytes of the APP1 Exif segment, which
// must come right after SOI.
func firstSegmentEXIF(jpg []byte) ([]byte, error) {
	if len(jpg) < 4 || jpg[0] != 0xFF || jpg[1] != 0xD8 {
		return nil, fmt.Errorf("no SOI")
	}
	if jpg[2] != 0xFF || jpg[3] != 0xE1 {
		return nil, fmt.Errorf("first segment is %X%X, not APP1", jpg[2], jpg[3])
	}
	n := int(binary.BigEndian.Uint16(jpg[4:6]))
	if n < 8 || 4+n > len(jpg) {
		return nil, fmt.Errorf("APP1 length %d", n)
	}
	seg := jpg[6 : 4+n]
	if !bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
		return nil, fmt.Errorf("APP1 is not Exif")
	}
	if next := jpg[4+n:]; len(next) < 2 || next[0] != 0xFF {
		return nil, fmt.Errorf("no marker after APP1")
	}
	return seg[6:], nil
}

func parseEXIF(tiff []byte) (parsedEXIF, error) {
	var p parsedEXIF
	switch {
	case bytes.HasPrefix(tiff, []byte{'I', 'I', 0x2A, 0}):
		p.order = binary.LittleEndian
	case bytes.HasPrefix(tiff, []byte{'M', 'M', 0, 0x2A}):
		p.order = binary.BigEndian
	default:
		return p, fmt.Errorf("bad TIFF header % X", tiff[:min(4, len(tiff))])
	}
	var err error
	var next uint32
	if p.ifd0, next, err = readIFD(tiff, p.order.Uint32(tiff[4:8]), p.order); err != nil {
		return p, fmt.Errorf("IFD0: %w", err)
	}
	ptr, ok := p.ifd0[tagExifIFD]
	if !ok || ptr.typ != typeLong || ptr.count != 1 {
		return p, fmt.Errorf("no Exif IFD pointer")
	}
	if p.exif, _, err = readIFD(tiff, p.order.Uint32(ptr.value), p.order); err != nil {
		return p, fmt.Errorf("Exif IFD: %w", err)
	}
	if next == 0 {
		return p, nil
	}
	var after uint32
	if p.ifd1, after, err = readIFD(tiff, next, p.order); err != nil {
		return p, fmt.Errorf("IFD1: %w", err)
	}
	if after != 0 {
		return p, fmt.Errorf("IFD1 links to IFD at %d, want none", after)
	}
	off, n := p.num(p.ifd1, tagThumbnailOffset), p.num(p.ifd1, tagThumbnailLength)
	if p.num(p.ifd1, tagCompression) != 6 || n == 0 || uint64(off)+uint64(n) > uint64(len(tiff)) {
		return p, fmt.Errorf("IFD1 thumbnail at %d+%d in %d bytes", off, n, len(tiff))
	}
	p.thumb = tiff[off : off+n]
	return p, nil
}

func readIFD(b []byte, off uint32, order binary.ByteOrder) (map[uint16]tiffField, uint32, error) {
	if off%2 != 0 || int(off)+2 > len(b) {
		return nil, 0, fmt.Errorf("IFD offset %d", off)
	}
	n := uint32(order.Uint16(b[off:]))
	end := off + 2 + 12*n + 4
	if int(end) > len(b) {
		return nil, 0, fmt.Errorf("IFD of %d entries overruns", n)
	}
	fields := map[uint16]tiffField{}
	last := -1
	for i := uint32(0); i < n; i++ {
		e := b[off+2+12*i:]
		tag, typ, count := order.Uint16(e), order.Uint16(e[2:]), order.Uint32(e[4:])
		if int(tag) <= last {
			return nil, 0, fmt.Errorf("tag %#x out of order", tag)
		}
		last = int(tag)
		size, ok := typeSize[typ]
		if !ok {
			return nil, 0, fmt.Errorf("tag %#x: type %d", tag, typ)
		}
		size *= count
		var v []byte
		if size <= 4 {
			v = e[8 : 8+size]
		} else {
			at := order.Uint32(e[8:])
			if at%2 != 0 || at < end || int(at+size) > len(b) {
				return nil, 0, fmt.Errorf("tag %#x: value at %d (+%d) outside data area", tag, at, size)
			}
			v = b[at : at+size]
		}
		fields[tag] = tiffField{typ, count, v}
	}
	return fields, order.Uint32(b[off+2+12*n:]), nil
}

func (p parsedEXIF) str(ifd map[uint16]tiffField, tag uint16) string {
	f, ok := ifd[tag]
	if !ok || f.typ != typeASCII || len(f.value) == 0 || f.value[len(f.value)-1] != 0 {
		return "<missing or unterminated>"
	}
	return string(f.value[:len(f.value)-1])
}

func (p parsedEXIF) num(ifd map[uint16]tiffField, tag uint16) uint32 {
	f, ok := ifd[tag]
	switch {
	case !ok || f.count != 1:
		return 0
	case f.typ == typeShort:
		return uint32(p.order.Uint16(f.value))
	case f.typ == typeLong:
		return p.order.Uint32(f.value)
	}
	return 0
}

func TestEXIFRoundTrip(t *testing.T) {
	for _, big := range []bool{false, true} {
		for _, o := range []uint16{1, 3, 6, 8} {
			t.Run(fmt.Sprintf("big=%v/orientation=%d", big, o), func(t *testing.T) {
				m := exifMeta{orientation: o, bigEndian: big, width: 4032, height: 3024, taken: "2025:01:15 10:31:20", offset: "-05:00"}
				seg := exifAPP1(m)
				tiff, err := firstSegmentEXIF(append(append([]byte{0xFF, 0xD8}, seg...), 0xFF, 0xD9))
				if err != nil {
					t.Fatal(err)
				}
				p, err := parseEXIF(tiff)
				if err != nil {
					t.Fatal(err)
				}
				if (p.order == binary.BigEndian) != big {
					t.Errorf("byte order %v", p.order)
				}
				checks := []struct {
					name      string
					got, want any
				}{
					{"Orientation", p.num(p.ifd0, tagOrientation), uint32(o)},
					{"Make", p.str(p.ifd0, tagMake), "DocV Simulator"},
					{"Model", p.str(p.ifd0, tagModel), "Synthetic Camera"},
					{"DateTime", p.str(p.ifd0, tagDateTime), m.taken},
					{"ResolutionUnit", p.num(p.ifd0, tagResolutionUnit), uint32(2)},
					{"DateTimeOriginal", p.str(p.exif, tagDateTimeOriginal), m.taken},
					{"OffsetTimeOriginal", p.str(p.exif, tagOffsetTimeOrig), "-05:00"},
					{"PixelXDimension", p.num(p.exif, tagPixelXDimension), uint32(4032)},
					{"PixelYDimension", p.num(p.exif, tagPixelYDimension), uint32(3024)},
					{"ExifVersion", string(p.exif[tagExifVersion].value), "0232"},
				}
				for _, c := range checks {
					if c.got != c.want {
						t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
					}
				}
				if sw := p.str(p.ifd0, tagSoftware); sw == "" || sw[0] == '<' {
					t.Errorf("Software %q", sw)
				}
				xres := p.ifd0[tagXResolution]
				if xres.typ != typeRational || p.order.Uint32(xres.value) != 72 || p.order.Uint32(xres.value[4:]) != 1 {
					t.Errorf("XResolution %+v", xres)
				}
			})
		}
	}
}

func TestEXIFThumbnailAndSoftware(t *testing.T) {
	thumb := []byte{0xFF, 0xD8, 0xFF, 0xDB, 1, 2, 3, 0xFF, 0xD9}
	for _, big := range []bool{false, true} {
		m := exifMeta{orientation: 1, bigEndian: big, width: 8, height: 8, taken: "2025:01:15 10:31:20", offset: "-05:00",
			software: "Adobe Photoshop 25.0 (Windows)", thumbnail: thumb}
		tiff, err := firstSegmentEXIF(append(append([]byte{0xFF, 0xD8}, exifAPP1(m)...), 0xFF, 0xD9))
		if err != nil {
			t.Fatal(err)
		}
		p, err := parseEXIF(tiff)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(p.thumb, thumb) {
			t.Errorf("big=%v: thumbnail % X", big, p.thumb)
		}
		if sw := p.str(p.ifd0, tagSoftware); sw != m.software {
			t.Errorf("Software %q", sw)
		}
		if p.str(p.exif, tagDateTimeOriginal) != m.taken {
			t.Error("Exif IFD lost")
		}
	}
	// Without a thumbnail there is no IFD1.
	tiff, _ := firstSegmentEXIF(append(append([]byte{0xFF, 0xD8}, exifAPP1(exifMeta{orientation: 1, taken: "2025:01:15 10:31:20"})...), 0xFF, 0xD9))
	if p, err := parseEXIF(tiff); err != nil || p.ifd1 != nil || p.str(p.ifd0, tagSoftware) != simulatorSoftware {
		t.Errorf("no thumbnail: %v %v", p.ifd1, err)
	}
}

func TestInsertAfterSOI(t *testing.T) {
	seg := exifAPP1(exifMeta{orientation: 1, taken: "2025:01:15 10:00:00", offset: "+00:00"})
	got, err := insertAfterSOI([]byte{0xFF, 0xD8, 0xFF, 0xDB, 1, 2}, seg)
	if err != nil {
		t.Fatal(err)
	}
	want := append(append([]byte{0xFF, 0xD8}, seg...), 0xFF, 0xDB, 1, 2)
	if !bytes.Equal(got, want) {
		t.Error("segment not placed right after SOI")
	}
	for _, bad := range [][]byte{nil, {0xFF}, {0xFF, 0xD8, 0xFF}, []byte("\x89PNG\r\n\x1a\n"), []byte("%PDF-1.4")} {
		if _, err := insertAfterSOI(bad, seg); err == nil {
			t.Errorf("insertAfterSOI(% X) accepted a non-JPEG", bad)
		}
	}
}
