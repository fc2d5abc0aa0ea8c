package imaging

import "bytes"

// ReadEXIF returns the EXIF fields of a JPEG or PNG (nil when it has no
// EXIF) and warnings about a block it could not fully read. It is
// ReadMetadata's EXIF step alone: no hashing, no header probe.
func ReadEXIF(data []byte) (*EXIF, []string) {
	block, warn := findEXIF(data)
	var warnings []string
	if warn != "" {
		warnings = append(warnings, warn)
	}
	if block == nil {
		return nil, warnings
	}
	x, w := parseEXIF(block)
	return x, append(warnings, w...)
}

// EXIFThumbnail returns the JPEG thumbnail embedded in the EXIF block of a
// JPEG or PNG (IFD1's JPEGInterchangeFormat), or nil when there is none,
// when the block's layout is malformed, or when the tags do not describe a
// JPEG inside the block. The result is a capped sub-slice of data: it shares
// data's memory (and so is cleared with it) and must not be modified.
func EXIFThumbnail(data []byte) []byte {
	block, _ := findEXIF(data)
	if block == nil {
		return nil
	}
	tb, err := readTIFF(block)
	if err != nil {
		return nil
	}
	off, length, ok := tb.thumbnail(len(block))
	if !ok {
		return nil
	}
	end := uint64(off) + uint64(length)
	t := block[off:end:end]
	if !bytes.HasPrefix(t, jpegMagic) {
		return nil
	}
	return t
}
