package imaging

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// header is what probe learns from the encoded bytes, beyond Info.
type header struct {
	Info
	components     int
	arithmetic     bool // SOF9/SOF10: arithmetic-coded JPEG
	adobe          bool // an Adobe APP14 marker is present
	adobeTransform int  // its transform byte (0 unknown/CMYK/RGB, 1 YCbCr, 2 YCCK)
}

var (
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
	pngMagic  = []byte("\x89PNG\r\n\x1a\n")
)

// maxHeaderMarkers bounds the number of JPEG segments read before SOS, so a
// header made of millions of empty segments cannot keep the parser busy.
const maxHeaderMarkers = 10_000

// probe detects the format by its magic bytes and reads the header without
// decoding pixels. It never allocates in proportion to the image size.
func probe(data []byte) (header, error) {
	var (
		h   header
		err error
	)
	switch {
	case bytes.HasPrefix(data, jpegMagic):
		h, err = probeJPEG(data)
	case bytes.HasPrefix(data, pngMagic):
		h, err = probePNG(data)
	default:
		return header{}, fmt.Errorf("%w: neither JPEG nor PNG", ErrUnsupported)
	}
	if err != nil {
		return header{}, err
	}
	if h.Width <= 0 || h.Height <= 0 {
		return header{}, fmt.Errorf("%w: %s has zero size %d×%d", ErrCorrupt, h.Format, h.Width, h.Height)
	}
	return h, nil
}

// probeJPEG walks the JPEG marker segments up to the first SOS, reading the
// frame header (SOF), the Adobe APP14 marker and the EXIF orientation.
func probeJPEG(data []byte) (header, error) {
	h := header{Info: Info{Format: JPEG, Orientation: 1}}
	sofSeen, exifSeen := false, false
	p := 2 // after SOI
	for n := 0; ; n++ {
		if n > maxHeaderMarkers {
			return header{}, fmt.Errorf("%w: JPEG header has too many segments", ErrCorrupt)
		}
		// Find the next marker: skip bytes that are not 0xFF (extraneous
		// data, which libjpeg and image/jpeg tolerate), then fill bytes.
		for p < len(data) && data[p] != 0xFF {
			p++
		}
		for p < len(data) && data[p] == 0xFF {
			p++
		}
		if p >= len(data) {
			return header{}, fmt.Errorf("%w: JPEG header ends before image data", ErrCorrupt)
		}
		marker := data[p]
		p++
		switch {
		case marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7):
			continue // stuffed byte, TEM or RSTn: no length
		case marker == 0xD8:
			return header{}, fmt.Errorf("%w: JPEG has a second start-of-image marker in its header", ErrCorrupt)
		case marker == 0xD9:
			return header{}, fmt.Errorf("%w: JPEG ends before image data", ErrCorrupt)
		}
		if p+2 > len(data) {
			return header{}, fmt.Errorf("%w: JPEG segment length truncated", ErrCorrupt)
		}
		segLen := int(binary.BigEndian.Uint16(data[p:]))
		if segLen < 2 || p+segLen > len(data) {
			return header{}, fmt.Errorf("%w: JPEG segment 0x%02X is truncated", ErrCorrupt, marker)
		}
		seg := data[p+2 : p+segLen]
		p += segLen
		switch {
		case marker == 0xDA: // SOS: the header is over
			if !sofSeen {
				return header{}, fmt.Errorf("%w: JPEG has image data before its frame header", ErrCorrupt)
			}
			h.finishJPEG()
			return h, nil
		case marker == 0xE1 && !exifSeen:
			if tiff, ok := bytes.CutPrefix(seg, []byte("Exif\x00\x00")); ok {
				exifSeen = true // only the first EXIF block counts
				h.Orientation = exifOrientationFromTIFF(tiff)
			}
		case marker == 0xEE:
			if len(seg) >= 12 && bytes.HasPrefix(seg, []byte("Adobe")) {
				h.adobe = true
				h.adobeTransform = int(seg[11])
			}
		case isSOF(marker):
			if sofSeen {
				return header{}, fmt.Errorf("%w: JPEG has more than one frame header", ErrCorrupt)
			}
			sofSeen = true
			if err := parseSOF(&h, marker, seg); err != nil {
				return header{}, err
			}
		}
	}
}

// isSOF reports whether marker starts a frame (SOF0–SOF15 except DHT, JPG, DAC).
func isSOF(m byte) bool {
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC
}

// parseSOF reads a frame header: precision, size, components and their
// sampling factors.
func parseSOF(h *header, marker byte, seg []byte) error {
	switch marker {
	case 0xC0, 0xC1: // baseline, extended sequential (Huffman)
	case 0xC2: // progressive (Huffman)
		h.Progressive = true
	case 0xC9: // extended sequential (arithmetic)
		h.arithmetic = true
	case 0xCA: // progressive (arithmetic)
		h.arithmetic = true
		h.Progressive = true
	default:
		return fmt.Errorf("%w: lossless or hierarchical JPEG (SOF%d)", ErrUnsupported, marker-0xC0)
	}
	if len(seg) < 6 {
		return fmt.Errorf("%w: JPEG frame header is too short", ErrCorrupt)
	}
	if seg[0] != 8 {
		return fmt.Errorf("%w: %d-bit JPEG samples", ErrUnsupported, seg[0])
	}
	h.Height = int(binary.BigEndian.Uint16(seg[1:]))
	h.Width = int(binary.BigEndian.Uint16(seg[3:]))
	nc := int(seg[5])
	if nc != 1 && nc != 3 && nc != 4 {
		return fmt.Errorf("%w: JPEG with %d components", ErrUnsupported, nc)
	}
	if len(seg) < 6+3*nc {
		return fmt.Errorf("%w: JPEG frame header is too short for %d components", ErrCorrupt, nc)
	}
	h.components = nc
	var hs, vs [4]int
	for i := 0; i < nc; i++ {
		hs[i] = int(seg[7+3*i] >> 4)
		vs[i] = int(seg[7+3*i] & 0x0F)
		if hs[i] < 1 || hs[i] > 4 || vs[i] < 1 || vs[i] > 4 {
			return fmt.Errorf("%w: JPEG component %d has sampling factors %d×%d", ErrCorrupt, i, hs[i], vs[i])
		}
	}
	switch nc {
	case 1:
		h.Subsampling = "gray"
	case 4:
		h.Subsampling = "cmyk" // refined once the Adobe marker is known
	case 3:
		h.Subsampling = subsamplingName(hs[0], vs[0], hs[1], vs[1], hs[2], vs[2])
	}
	return nil
}

// subsamplingName names the chroma subsampling of a three-component frame.
func subsamplingName(yh, yv, cbh, cbv, crh, crv int) string {
	if cbh != crh || cbv != crv || yh%cbh != 0 || yv%cbv != 0 {
		return fmt.Sprintf("%dx%d,%dx%d,%dx%d", yh, yv, cbh, cbv, crh, crv)
	}
	switch [2]int{yh / cbh, yv / cbv} {
	case [2]int{1, 1}:
		return "4:4:4"
	case [2]int{2, 1}:
		return "4:2:2"
	case [2]int{2, 2}:
		return "4:2:0"
	case [2]int{1, 2}:
		return "4:4:0"
	case [2]int{4, 1}:
		return "4:1:1"
	case [2]int{4, 2}:
		return "4:1:0"
	}
	return fmt.Sprintf("%dx%d,%dx%d,%dx%d", yh, yv, cbh, cbv, crh, crv)
}

// finishJPEG settles what depends on markers in any order.
func (h *header) finishJPEG() {
	if h.components == 4 && h.adobe && h.adobeTransform == 2 {
		h.Subsampling = "ycck"
	}
}

// probePNG reads IHDR and looks for an eXIf chunk before the image data.
func probePNG(data []byte) (header, error) {
	h := header{Info: Info{Format: PNG, Orientation: 1}}
	exifSeen := false
	p := len(pngMagic)
	for n := 0; ; n++ {
		if n > maxHeaderMarkers {
			return header{}, fmt.Errorf("%w: PNG has too many chunks before its image data", ErrCorrupt)
		}
		if p+8 > len(data) {
			return header{}, fmt.Errorf("%w: PNG ends before its image data", ErrCorrupt)
		}
		length := int64(binary.BigEndian.Uint32(data[p:]))
		typ := string(data[p+4 : p+8])
		if length > int64(len(data)-p-12) {
			return header{}, fmt.Errorf("%w: PNG chunk %q is truncated", ErrCorrupt, sanitizeChunkType(typ))
		}
		body := data[p+8 : p+8+int(length)]
		p += 12 + int(length)
		if n == 0 {
			if typ != "IHDR" || length != 13 {
				return header{}, fmt.Errorf("%w: PNG does not start with a valid IHDR chunk", ErrCorrupt)
			}
			w := binary.BigEndian.Uint32(body[0:])
			ht := binary.BigEndian.Uint32(body[4:])
			if w > 1<<31-1 || ht > 1<<31-1 {
				return header{}, fmt.Errorf("%w: PNG dimensions %d×%d", ErrTooLarge, w, ht)
			}
			h.Width, h.Height = int(w), int(ht)
			continue
		}
		switch typ {
		case "eXIf":
			if !exifSeen {
				exifSeen = true
				h.Orientation = exifOrientationFromTIFF(body)
			}
		case "IDAT", "IEND":
			return h, nil
		}
	}
}

// sanitizeChunkType keeps error messages printable.
func sanitizeChunkType(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c > 0x7E {
			b[i] = '?'
		}
	}
	return string(b)
}
