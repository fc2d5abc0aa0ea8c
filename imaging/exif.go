package imaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"

	exif "github.com/dsoprea/go-exif/v3"
	exifcommon "github.com/dsoprea/go-exif/v3/common"
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

// exifTables are go-exif's standard IFD mapping and tag index, loaded once
// and only read afterwards.
var exifTables = sync.OnceValues(func() (*exifcommon.IfdMapping, *exif.TagIndex) {
	im, err := exifcommon.NewIfdMappingWithStandard()
	if err != nil {
		return nil, nil
	}
	ti := exif.NewTagIndex()
	if err := exif.LoadStandardTags(ti); err != nil {
		return nil, nil
	}
	return im, ti
})

// parseEXIF reads the fields the app shows from a TIFF-structured EXIF
// block. It never panics: anything the parser rejects becomes a warning.
func parseEXIF(block []byte) (x *EXIF, warnings []string) {
	defer func() {
		if r := recover(); r != nil {
			x, warnings = nil, append(warnings, "EXIF: the EXIF parser failed on this block; EXIF ignored")
		}
	}()
	im, ti := exifTables()
	if im == nil || ti == nil {
		return nil, []string{"EXIF: EXIF tables unavailable; EXIF ignored"}
	}
	layout, err := checkEXIFLayout(block)
	if errors.Is(err, errEXIFComplex) {
		return nil, []string{"EXIF: EXIF block has too many IFDs or entries; EXIF ignored"}
	} else if err != nil {
		return nil, []string{"EXIF: malformed EXIF block; EXIF ignored"}
	}
	thumbOK := layout.thumbnailInBlock(len(block))
	if layout.hasThumbnailTags() && !thumbOK {
		// go-exif would allocate whatever the length claims.
		block = withoutThumbnailTags(block, layout)
		warnings = append(warnings, "EXIF: thumbnail tags do not describe a thumbnail inside the EXIF block; thumbnail ignored")
	}
	_, index, err := exif.Collect(im, ti, block)
	if err != nil || index.RootIfd == nil {
		return nil, append(warnings, "EXIF: malformed EXIF block; EXIF ignored")
	}
	x = &EXIF{}
	root := index.RootIfd
	warn := func(format string, args ...any) {
		warnings = append(warnings, "EXIF: "+fmt.Sprintf(format, args...))
	}

	x.Make = exifText(root, tagMake, "Make", warn)
	x.Model = exifText(root, tagModel, "Model", warn)
	x.Software = exifText(root, tagSoftware, "Software", warn)
	x.ProcessingSoftware = exifText(root, tagProcessingSoftware, "ProcessingSoftware", warn)
	if v, ok := exifUint(root, tagOrientation, "Orientation", warn); ok {
		if v >= 1 && v <= 8 {
			x.Orientation = v
		} else {
			warn("Orientation %d is not 1–8; ignored", v)
		}
	}

	if sub, err := root.ChildWithIfdPath(exifcommon.IfdExifStandardIfdIdentity); err == nil && sub != nil {
		x.DateTimeOriginal = exifText(sub, tagDateTimeOriginal, "DateTimeOriginal", warn)
		if off := exifText(sub, tagOffsetTimeOriginal, "OffsetTimeOriginal", warn); off != "" && x.DateTimeOriginal != "" {
			x.DateTimeOriginal += " " + off
		}
	}

	if gps, err := root.ChildWithIfdPath(exifcommon.IfdGpsInfoStandardIfdIdentity); err == nil && gps != nil {
		x.HasGPS = true
	} else if tags, _ := root.FindTagWithId(tagGPSInfo); len(tags) > 0 {
		x.HasGPS = true // the pointer is there even if the IFD is not readable
	}

	if thumbOK {
		x.HasThumbnail = true
		x.ThumbnailBytes = int(layout.thumbLength)
	}
	return x, warnings
}

// exifText returns an ASCII tag's value, trimmed and stripped of control
// characters and capped in length; "" when absent or unreadable.
func exifText(ifd *exif.Ifd, id uint16, name string, warn func(string, ...any)) string {
	tags, err := ifd.FindTagWithId(id)
	if err != nil || len(tags) == 0 {
		return ""
	}
	v, err := boundedValue(tags[0], maxEXIFBytes)
	if err != nil {
		warn("%s unreadable; ignored", name)
		return ""
	}
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case []byte:
		s = string(t)
	default:
		warn("%s has an unexpected type; ignored", name)
		return ""
	}
	return cleanEXIFText(s)
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

// exifUint returns the first value of a SHORT or LONG tag.
func exifUint(ifd *exif.Ifd, id uint16, name string, warn func(string, ...any)) (int, bool) {
	tags, err := ifd.FindTagWithId(id)
	if err != nil || len(tags) == 0 {
		return 0, false
	}
	v, err := boundedValue(tags[0], maxEXIFBytes)
	if err != nil {
		warn("%s unreadable; ignored", name)
		return 0, false
	}
	switch t := v.(type) {
	case []uint16:
		if len(t) > 0 {
			return int(t[0]), true
		}
	case []uint32:
		if len(t) > 0 && t[0] <= 1<<31-1 {
			return int(t[0]), true
		}
	}
	warn("%s has an unexpected value; ignored", name)
	return 0, false
}

// errEXIFValueTooLarge reports a tag whose count claims more bytes than the
// block holds.
var errEXIFValueTooLarge = errors.New("EXIF value larger than its block")

// boundedValue reads a tag's value after checking that its claimed size fits
// in the block: go-exif allocates the claimed size before reading.
func boundedValue(ite *exif.IfdTagEntry, blockSize int) (any, error) {
	if uint64(ite.UnitCount())*uint64(ite.TagType().Size()) > uint64(blockSize) {
		return nil, errEXIFValueTooLarge
	}
	return ite.Value()
}
