package simulator

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"sort"
)

// This file writes a minimal but well-formed EXIF block (JPEG APP1) by hand:
// a TIFF header, IFD0 with Make, Model, Orientation, resolution, Software,
// DateTime and a pointer to an Exif sub-IFD with DateTimeOriginal and
// OffsetTimeOriginal, and optionally IFD1 with a JPEG thumbnail.

// TIFF tags and field types used below.
const (
	tagMake             = 0x010F
	tagModel            = 0x0110
	tagOrientation      = 0x0112
	tagXResolution      = 0x011A
	tagYResolution      = 0x011B
	tagResolutionUnit   = 0x0128
	tagSoftware         = 0x0131
	tagDateTime         = 0x0132
	tagCompression      = 0x0103
	tagThumbnailOffset  = 0x0201
	tagThumbnailLength  = 0x0202
	tagExifIFD          = 0x8769
	tagExifVersion      = 0x9000
	tagDateTimeOriginal = 0x9003
	tagOffsetTimeOrig   = 0x9011
	tagColorSpace       = 0xA001
	tagPixelXDimension  = 0xA002
	tagPixelYDimension  = 0xA003

	typeASCII     = 2
	typeShort     = 3
	typeLong      = 4
	typeRational  = 5
	typeUndefined = 7
)

// exifMeta is what a synthetic capture says about itself.
type exifMeta struct {
	orientation   uint16 // 1…8
	bigEndian     bool   // "MM" (as iPhones write) instead of "II"
	width, height uint32 // stored pixel size
	taken         string // "YYYY:MM:DD HH:MM:SS"
	offset        string // "+HH:MM"
	software      string // Software; "" for the simulator's own name
	thumbnail     []byte // a JPEG for IFD1; nil for none
}

// simulatorSoftware is the Software of the simulator's captures.
const simulatorSoftware = "DocV Review simulator (synthetic specimen)"

// maxThumbnailBytes keeps the EXIF block within one APP1 segment (64 KB).
const maxThumbnailBytes = 48 << 10

// ifdEntry is one field; data is already in the block's byte order.
type ifdEntry struct {
	tag, typ uint16
	count    uint32
	data     []byte
}

// byteOrder is what binary.LittleEndian and binary.BigEndian both are.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// tiffBuilder makes entries in one byte order.
type tiffBuilder struct{ bo byteOrder }

func (b tiffBuilder) ascii(tag uint16, s string) ifdEntry {
	d := append([]byte(s), 0)
	return ifdEntry{tag, typeASCII, uint32(len(d)), d}
}

func (b tiffBuilder) short(tag, v uint16) ifdEntry {
	d := b.bo.AppendUint16(nil, v)
	return ifdEntry{tag, typeShort, 1, d}
}

func (b tiffBuilder) long(tag uint16, v uint32) ifdEntry {
	return ifdEntry{tag, typeLong, 1, b.bo.AppendUint32(nil, v)}
}

func (b tiffBuilder) rational(tag uint16, num, den uint32) ifdEntry {
	d := b.bo.AppendUint32(b.bo.AppendUint32(nil, num), den)
	return ifdEntry{tag, typeRational, 1, d}
}

func (b tiffBuilder) undefined(tag uint16, d []byte) ifdEntry {
	return ifdEntry{tag, typeUndefined, uint32(len(d)), d}
}

// ifdSize is how many bytes an IFD with these entries occupies, its
// out-of-line values included (each padded to an even length).
func ifdSize(entries []ifdEntry) uint32 {
	n := uint32(2 + 12*len(entries) + 4)
	for _, e := range entries {
		if len(e.data) > 4 {
			n += uint32(len(e.data)+1) &^ 1
		}
	}
	return n
}

// layoutIFD serialises entries as an IFD starting at offset start (from the
// TIFF header), with next as the offset of the following IFD (0 for none).
func (b tiffBuilder) layoutIFD(entries []ifdEntry, start, next uint32) []byte {
	sort.Slice(entries, func(i, j int) bool { return entries[i].tag < entries[j].tag })
	out := b.bo.AppendUint16(nil, uint16(len(entries)))
	dataOff := start + uint32(2+12*len(entries)+4)
	var data []byte
	for _, e := range entries {
		out = b.bo.AppendUint16(out, e.tag)
		out = b.bo.AppendUint16(out, e.typ)
		out = b.bo.AppendUint32(out, e.count)
		if len(e.data) <= 4 {
			var v [4]byte
			copy(v[:], e.data)
			out = append(out, v[:]...)
			continue
		}
		out = b.bo.AppendUint32(out, dataOff+uint32(len(data)))
		data = append(data, e.data...)
		if len(data)%2 == 1 {
			data = append(data, 0)
		}
	}
	out = b.bo.AppendUint32(out, next)
	return append(out, data...)
}

// exifTIFF returns the TIFF structure (header and IFDs) for m.
func exifTIFF(m exifMeta) []byte {
	b := tiffBuilder{bo: binary.LittleEndian}
	header := []byte{'I', 'I', 0x2A, 0x00, 8, 0, 0, 0}
	if m.bigEndian {
		b.bo = binary.BigEndian
		header = []byte{'M', 'M', 0x00, 0x2A, 0, 0, 0, 8}
	}
	exif := []ifdEntry{
		b.undefined(tagExifVersion, []byte("0232")),
		b.ascii(tagDateTimeOriginal, m.taken),
		b.ascii(tagOffsetTimeOrig, m.offset),
		b.short(tagColorSpace, 1),
		b.long(tagPixelXDimension, m.width),
		b.long(tagPixelYDimension, m.height),
	}
	ifd0 := []ifdEntry{
		b.ascii(tagMake, "DocV Simulator"),
		b.ascii(tagModel, "Synthetic Camera"),
		b.short(tagOrientation, m.orientation),
		b.rational(tagXResolution, 72, 1),
		b.rational(tagYResolution, 72, 1),
		b.short(tagResolutionUnit, 2),
		b.ascii(tagSoftware, cmp.Or(m.software, simulatorSoftware)),
		b.ascii(tagDateTime, m.taken),
		b.long(tagExifIFD, 0), // patched below once the offset is known
	}
	exifOff := uint32(len(header)) + ifdSize(ifd0)
	ifd0[len(ifd0)-1] = b.long(tagExifIFD, exifOff)

	var ifd1Off uint32
	var ifd1 []ifdEntry
	if len(m.thumbnail) > 0 {
		ifd1Off = exifOff + ifdSize(exif)
		ifd1 = []ifdEntry{
			b.short(tagCompression, 6), // JPEG
			b.rational(tagXResolution, 72, 1),
			b.rational(tagYResolution, 72, 1),
			b.short(tagResolutionUnit, 2),
			b.long(tagThumbnailOffset, 0), // patched below
			b.long(tagThumbnailLength, uint32(len(m.thumbnail))),
		}
		ifd1[4] = b.long(tagThumbnailOffset, ifd1Off+ifdSize(ifd1))
	}

	out := append([]byte(nil), header...)
	out = append(out, b.layoutIFD(ifd0, uint32(len(header)), ifd1Off)...)
	out = append(out, b.layoutIFD(exif, exifOff, 0)...)
	if ifd1 != nil {
		out = append(out, b.layoutIFD(ifd1, ifd1Off, 0)...)
		out = append(out, m.thumbnail...)
	}
	return out
}

// exifAPP1 returns the complete APP1 segment (marker, length, "Exif\0\0",
// TIFF) for m. A thumbnail above maxThumbnailBytes is a bug in the
// compiled-in drawings and panics.
func exifAPP1(m exifMeta) []byte {
	if len(m.thumbnail) > maxThumbnailBytes {
		panic(fmt.Sprintf("simulator: EXIF thumbnail of %d bytes exceeds %d", len(m.thumbnail), maxThumbnailBytes))
	}
	payload := append([]byte("Exif\x00\x00"), exifTIFF(m)...)
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	return append(seg, payload...)
}

// insertAfterSOI returns the JPEG stream jpg with seg placed right after its
// start-of-image marker.
func insertAfterSOI(jpg, seg []byte) ([]byte, error) {
	if len(jpg) < 4 || !bytes.Equal(jpg[:2], []byte{0xFF, 0xD8}) {
		return nil, fmt.Errorf("insert EXIF: not a JPEG stream")
	}
	out := make([]byte, 0, len(jpg)+len(seg))
	out = append(out, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...), nil
}
