package imaging

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// tiffField is one IFD entry for buildTIFF. When ptr is set, the value is
// the offset of that part of the layout ("exif", "gps", "ifd1", "thumb").
type tiffField struct {
	tag, typ uint16
	count    uint32
	val      []byte
	ptr      string
}

func le16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func asciiField(tag uint16, s string) tiffField {
	return tiffField{tag: tag, typ: 2, count: uint32(len(s) + 1), val: append([]byte(s), 0)}
}
func shortField(tag, v uint16) tiffField { return tiffField{tag: tag, typ: 3, count: 1, val: le16(v)} }
func longField(tag uint16, v uint32) tiffField {
	return tiffField{tag: tag, typ: 4, count: 1, val: le32(v)}
}
func ptrField(tag uint16, to string) tiffField { return tiffField{tag: tag, typ: 4, count: 1, ptr: to} }

// tiffLayout is the content of a little-endian EXIF (TIFF) block.
type tiffLayout struct {
	ifd0, exif, gps, ifd1 []tiffField
	thumb                 []byte
	ifd1NextToIFD0        bool // make the IFD chain loop
	bigEndian             bool // "MM" byte order
}

func ifdSize(fields []tiffField) int {
	n := 2 + 12*len(fields) + 4
	for _, f := range fields {
		if len(f.val) > 4 {
			n += (len(f.val) + 1) &^ 1
		}
	}
	return n
}

// buildTIFF lays out IFD0, the Exif IFD, the GPS IFD, IFD1 and the
// thumbnail in that order, with correct offsets.
func buildTIFF(l tiffLayout) []byte {
	offsets := map[string]int{"ifd0": 8}
	next := 8 + ifdSize(l.ifd0)
	for _, part := range []struct {
		name   string
		fields []tiffField
	}{{"exif", l.exif}, {"gps", l.gps}, {"ifd1", l.ifd1}} {
		if part.fields != nil {
			offsets[part.name] = next
			next += ifdSize(part.fields)
		}
	}
	offsets["thumb"] = next

	var bo binary.AppendByteOrder = binary.LittleEndian
	var b bytes.Buffer
	if l.bigEndian {
		bo = binary.BigEndian
		b.WriteString("MM\x00*")
	} else {
		b.WriteString("II*\x00")
	}
	u16 := func(v uint16) []byte { return bo.AppendUint16(nil, v) }
	u32 := func(v uint32) []byte { return bo.AppendUint32(nil, v) }
	// order converts a little-endian SHORT or LONG value to the block's order.
	order := func(typ uint16, val []byte) []byte {
		size := map[uint16]int{3: 2, 4: 4}[typ]
		if !l.bigEndian || size == 0 {
			return val
		}
		out := append([]byte(nil), val...)
		for i := 0; i+size <= len(out); i += size {
			for j := 0; j < size/2; j++ {
				out[i+j], out[i+size-1-j] = out[i+size-1-j], out[i+j]
			}
		}
		return out
	}
	b.Write(u32(8))
	writeIFD := func(fields []tiffField, nextIFD int) {
		start := b.Len()
		data := start + 2 + 12*len(fields) + 4
		var overflow bytes.Buffer
		b.Write(u16(uint16(len(fields))))
		for _, f := range fields {
			b.Write(u16(f.tag))
			b.Write(u16(f.typ))
			b.Write(u32(f.count))
			val := order(f.typ, f.val)
			if f.ptr != "" {
				val = u32(uint32(offsets[f.ptr]))
			}
			if len(val) > 4 {
				b.Write(u32(uint32(data + overflow.Len())))
				overflow.Write(val)
				if overflow.Len()%2 == 1 {
					overflow.WriteByte(0)
				}
			} else {
				b.Write(append(val, make([]byte, 4-len(val))...))
			}
		}
		b.Write(u32(uint32(nextIFD)))
		b.Write(overflow.Bytes())
	}
	ifd0Next := 0
	if l.ifd1 != nil {
		ifd0Next = offsets["ifd1"]
	}
	writeIFD(l.ifd0, ifd0Next)
	if l.exif != nil {
		writeIFD(l.exif, 0)
	}
	if l.gps != nil {
		writeIFD(l.gps, 0)
	}
	if l.ifd1 != nil {
		n := 0
		if l.ifd1NextToIFD0 {
			n = 8
		}
		writeIFD(l.ifd1, n)
	}
	b.Write(l.thumb)
	return b.Bytes()
}

// fullEXIF is a little-endian EXIF block with every field the app shows.
func fullEXIF(orientation uint16) []byte { return fullEXIFLayout(orientation, false) }

func fullEXIFLayout(orientation uint16, bigEndian bool) []byte {
	thumb := append([]byte{0xFF, 0xD8}, bytes.Repeat([]byte{0x42}, 1000)...)
	thumb = append(thumb, 0xFF, 0xD9)
	return buildTIFF(tiffLayout{
		ifd0: []tiffField{
			asciiField(tagMake, "Acme"),
			asciiField(tagModel, "IDCam 3000"),
			shortField(tagOrientation, orientation),
			asciiField(tagSoftware, "Capture SDK 4.2"),
			ptrField(0x8769, "exif"),
			ptrField(tagGPSInfo, "gps"),
		},
		exif: []tiffField{
			asciiField(tagDateTimeOriginal, "2024:05:06 07:08:09"),
			asciiField(tagOffsetTimeOriginal, "+02:00"),
		},
		gps: []tiffField{
			{tag: 0x0000, typ: 1, count: 4, val: []byte{2, 3, 0, 0}}, // GPSVersionID
		},
		ifd1: []tiffField{
			longField(0x0103, 6), // Compression: JPEG
			ptrField(tagThumbnailOffset, "thumb"),
			longField(tagThumbnailLength, uint32(len(thumb))),
		},
		thumb:     thumb,
		bigEndian: bigEndian,
	})
}

// testJPEG encodes a small w×h JPEG.
func testJPEG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 16), uint8(y * 16), 128, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// withAPP1 inserts an APP1 segment holding payload right after SOI.
func withAPP1(jpg, payload []byte) []byte {
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// jpegWithEXIF is a JPEG whose APP1 carries tiff behind the "Exif\0\0" header.
func jpegWithEXIF(w, h int, tiff []byte) []byte {
	return withAPP1(testJPEG(w, h), append([]byte("Exif\x00\x00"), tiff...))
}

// testPNG encodes a small w×h PNG.
func testPNG(w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// pngChunk builds a chunk with its CRC.
func pngChunk(typ string, body []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	c = append(c, typ...)
	c = append(c, body...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// pngWithChunk inserts a chunk after IHDR (8-byte signature + 25-byte IHDR).
func pngWithChunk(p []byte, typ string, body []byte) []byte {
	out := append([]byte{}, p[:33]...)
	out = append(out, pngChunk(typ, body)...)
	return append(out, p[33:]...)
}
