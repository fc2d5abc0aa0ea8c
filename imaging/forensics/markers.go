package forensics

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// Errors from the JPEG marker reader, for errors.Is.
var (
	// ErrNotJPEG: the data does not start with a JPEG start-of-image marker.
	ErrNotJPEG = errors.New("not a JPEG")
	// ErrMalformedJPEG: the marker segments before the image data are broken.
	ErrMalformedJPEG = errors.New("malformed JPEG header")
)

// maxSegments bounds the segments read before the first scan, so that a
// header of millions of empty segments cannot keep the reader busy.
const maxSegments = 10_000

// xmpPrefix starts the APP1 segment that holds an XMP packet.
const xmpPrefix = "http://ns.adobe.com/xap/1.0/\x00"

// quantTable is one DQT table in the file's zigzag order.
type quantTable struct {
	values  [64]uint16
	sixteen bool // 16-bit precision (Pq = 1)
}

// jpegMarkers is what the segments before the first scan hold.
type jpegMarkers struct {
	quant [4]*quantTable // by table number Tq
	// lumaTable is the table number of the frame's first component (the
	// luma of a YCbCr or the gray of a one-component file); -1 without SOF.
	lumaTable int
	// xmp is the first XMP packet (a sub-slice of the data), nil if none.
	xmp []byte
}

// readMarkers walks the marker segments of a JPEG from SOI to the first
// SOS (or EOI), reading DQT tables, the frame header's first component
// and the XMP packet. It reads no pixel data, allocates nothing in
// proportion to the input, and stops after maxSegments segments. A later
// DQT replaces an earlier table of the same number, as in a decoder.
func readMarkers(data []byte) (jpegMarkers, error) {
	m := jpegMarkers{lumaTable: -1}
	if len(data) < 3 || data[0] != 0xFF || data[1] != 0xD8 || data[2] != 0xFF {
		return m, ErrNotJPEG
	}
	p := 2
	for n := 0; ; n++ {
		if n >= maxSegments {
			return m, fmt.Errorf("%w: more than %d segments before the image data", ErrMalformedJPEG, maxSegments)
		}
		// Skip bytes that are not a marker (libjpeg and image/jpeg
		// tolerate such extraneous data), then fill bytes.
		for p < len(data) && data[p] != 0xFF {
			p++
		}
		for p < len(data) && data[p] == 0xFF {
			p++
		}
		if p >= len(data) {
			return m, fmt.Errorf("%w: ends before the image data", ErrMalformedJPEG)
		}
		marker := data[p]
		p++
		switch {
		case marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7):
			continue // stuffed zero, TEM, RSTn: no length
		case marker == 0xD8:
			return m, fmt.Errorf("%w: a second start-of-image marker", ErrMalformedJPEG)
		case marker == 0xD9:
			return m, nil // EOI: no image data, but the header is whole
		}
		if p+2 > len(data) {
			return m, fmt.Errorf("%w: segment length truncated", ErrMalformedJPEG)
		}
		segLen := int(binary.BigEndian.Uint16(data[p:]))
		if segLen < 2 || p+segLen > len(data) {
			return m, fmt.Errorf("%w: segment 0x%02X is truncated", ErrMalformedJPEG, marker)
		}
		seg := data[p+2 : p+segLen]
		p += segLen
		switch {
		case marker == 0xDA: // SOS: the header is over
			return m, nil
		case marker == 0xDB:
			if err := readDQT(&m, seg); err != nil {
				return m, err
			}
		case marker == 0xE1 && m.xmp == nil && bytes.HasPrefix(seg, []byte(xmpPrefix)):
			m.xmp = seg[len(xmpPrefix):len(seg):len(seg)]
		case isSOF(marker) && m.lumaTable < 0:
			// Frame header: precision, height, width, component count,
			// then per component its ID, sampling factors and table.
			if len(seg) >= 9 && seg[5] >= 1 {
				m.lumaTable = int(seg[8])
			}
		}
	}
}

// readDQT reads the tables of one DQT segment.
func readDQT(m *jpegMarkers, seg []byte) error {
	for len(seg) > 0 {
		pq, tq := seg[0]>>4, seg[0]&0x0F
		if pq > 1 || tq > 3 {
			return fmt.Errorf("%w: quantization table with precision %d, number %d", ErrMalformedJPEG, pq, tq)
		}
		size := 64
		if pq == 1 {
			size = 128
		}
		if len(seg) < 1+size {
			return fmt.Errorf("%w: quantization table %d is truncated", ErrMalformedJPEG, tq)
		}
		t := &quantTable{sixteen: pq == 1}
		for i := range t.values {
			if pq == 1 {
				t.values[i] = binary.BigEndian.Uint16(seg[1+2*i:])
			} else {
				t.values[i] = uint16(seg[1+i])
			}
		}
		m.quant[tq] = t
		seg = seg[1+size:]
	}
	return nil
}

// isSOF reports whether marker starts a frame (SOF0–SOF15 except DHT, JPG
// and DAC).
func isSOF(m byte) bool {
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC
}
