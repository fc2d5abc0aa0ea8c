package imaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// maxEXIFBytes bounds the EXIF block handed to the parser: a JPEG APP1
// segment cannot exceed it, and a larger PNG eXIf chunk is ignored.
const maxEXIFBytes = 64 << 10

// maxEXIFScanSegments bounds the JPEG segments or PNG chunks walked while
// looking for EXIF.
const maxEXIFScanSegments = 10_000

// maxEXIFText bounds each text field shown from EXIF.
const maxEXIFText = 128

const pngSignature = "\x89PNG\r\n\x1a\n"

// EXIF tag IDs read here.
const (
	tagMake                 = 0x010F
	tagModel                = 0x0110
	tagOrientation          = 0x0112
	tagSoftware             = 0x0131
	tagProcessingSoftware   = 0x000B
	tagGPSInfo              = 0x8825
	tagDateTimeOriginal     = 0x9003
	tagOffsetTimeOriginal   = 0x9011
	tagThumbnailOffset      = 0x0201
	tagThumbnailLength      = 0x0202
	exifHeaderPrefix        = "Exif\x00"
	exifHeaderPrefixPadding = 6 // "Exif\0" plus one pad byte
)

// findEXIF returns the TIFF-structured EXIF block of a JPEG (first APP1
// "Exif" segment before the scan data) or PNG (eXIf chunk), nil when there
// is none, and a warning when one was found but is unusable.
func findEXIF(data []byte) (block []byte, warning string) {
	switch sniffFormat(data) {
	case JPEG:
		return jpegEXIF(data), ""
	case PNG:
		return pngEXIF(data)
	}
	return nil, ""
}

// jpegEXIF walks the marker segments up to SOS. A broken segment structure
// ends the search quietly: the header probe reports it.
func jpegEXIF(data []byte) []byte {
	p := 2 // after SOI
	for n := 0; n < maxEXIFScanSegments; n++ {
		if p >= len(data) || data[p] != 0xFF {
			return nil
		}
		for p < len(data) && data[p] == 0xFF { // fill bytes
			p++
		}
		if p >= len(data) {
			return nil
		}
		marker := data[p]
		p++
		switch {
		case marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7):
			continue // no length
		case marker == 0xD9 || marker == 0xDA:
			return nil // EOI or start of scan: EXIF comes before
		}
		if p+2 > len(data) {
			return nil
		}
		length := int(binary.BigEndian.Uint16(data[p:]))
		if length < 2 || p+length > len(data) {
			return nil
		}
		seg := data[p+2 : p+length]
		if marker == 0xE1 && len(seg) >= exifHeaderPrefixPadding && bytes.HasPrefix(seg, []byte(exifHeaderPrefix)) {
			return seg[exifHeaderPrefixPadding:]
		}
		p += length
	}
	return nil
}

// pngEXIF finds the eXIf chunk (before or after the image data).
func pngEXIF(data []byte) ([]byte, string) {
	p := len(pngSignature)
	for n := 0; n < maxEXIFScanSegments && p+8 <= len(data); n++ {
		length := binary.BigEndian.Uint32(data[p:])
		typ := string(data[p+4 : p+8])
		if uint64(p)+12+uint64(length) > uint64(len(data)) {
			return nil, ""
		}
		body := data[p+8 : p+8+int(length)]
		switch typ {
		case "eXIf":
			if len(body) > maxEXIFBytes {
				return nil, fmt.Sprintf("EXIF: eXIf chunk of %d bytes exceeds %d; ignored", len(body), maxEXIFBytes)
			}
			// Some writers keep the JPEG "Exif\0\0" header.
			if bytes.HasPrefix(body, []byte(exifHeaderPrefix)) && len(body) >= exifHeaderPrefixPadding {
				body = body[exifHeaderPrefixPadding:]
			}
			return body, ""
		case "IEND":
			return nil, ""
		}
		p += 12 + int(length)
	}
	return nil, ""
}

// parseEXIF reads the fields the app shows from a TIFF-structured EXIF
// block through readTIFF. It never panics: what it cannot read becomes a
// warning.
func parseEXIF(block []byte) (x *EXIF, warnings []string) {
	t, err := readTIFF(block)
	if errors.Is(err, errEXIFComplex) {
		return nil, []string{"EXIF: EXIF block has too many IFDs or entries; EXIF ignored"}
	} else if err != nil {
		return nil, []string{"EXIF: malformed EXIF block; EXIF ignored"}
	}
	warn := func(format string, args ...any) {
		warnings = append(warnings, "EXIF: "+fmt.Sprintf(format, args...))
	}
	x = &EXIF{}
	root, sub := t.ifd(ifdKindRoot, 0), t.ifd(ifdKindExif, 0)
	text := func(d *tiffIFD, tag uint16, name string) string {
		e := d.entry(tag)
		if e == nil {
			return ""
		}
		s, ok := t.text(e)
		if !ok {
			warn("%s unreadable; ignored", name)
			return ""
		}
		return cleanEXIFText(s)
	}
	x.Make = text(root, tagMake, "Make")
	x.Model = text(root, tagModel, "Model")
	x.Software = text(root, tagSoftware, "Software")
	x.ProcessingSoftware = text(root, tagProcessingSoftware, "ProcessingSoftware")
	if e := root.entry(tagOrientation); e != nil {
		switch v, ok := t.uint(e); {
		case !ok:
			warn("Orientation has an unexpected value; ignored")
		case v >= 1 && v <= 8:
			x.Orientation = int(v)
		default:
			warn("Orientation %d is not 1–8; ignored", v)
		}
	}
	x.DateTimeOriginal = text(sub, tagDateTimeOriginal, "DateTimeOriginal")
	if off := text(sub, tagOffsetTimeOriginal, "OffsetTimeOriginal"); off != "" && x.DateTimeOriginal != "" {
		x.DateTimeOriginal += " " + off
	}
	// The GPS IFD, or at least its pointer (even if the IFD is not readable).
	x.HasGPS = t.ifd(ifdKindGPS, 0) != nil || root.entry(tagGPSInfo) != nil
	if _, length, ok := t.thumbnail(len(block)); ok {
		x.HasThumbnail, x.ThumbnailBytes = true, int(length)
	} else if t.hasThumbnailTags() {
		warn("thumbnail tags do not describe a thumbnail inside the EXIF block; thumbnail ignored")
	}
	return x, warnings
}

// cleanEXIFText makes s safe to show: valid UTF-8, no control characters,
// trimmed of NUL padding and spaces, at most maxEXIFText runes.
func cleanEXIFText(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	var b strings.Builder
	n := 0
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if n == maxEXIFText {
			b.WriteRune('…')
			break
		}
		if unicode.IsControl(r) {
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	return strings.TrimSpace(b.String())
}
