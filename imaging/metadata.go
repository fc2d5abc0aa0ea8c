package imaging

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Metadata describes one image for the inspector's panel.
type Metadata struct {
	Bytes    int
	SHA256   string // hex of the original bytes
	Info     Info   // format, stored size, orientation, subsampling
	EXIF     *EXIF  // nil when the image has no EXIF
	Warnings []string
}

// EXIF holds the EXIF fields the app shows.
type EXIF struct {
	Make, Model, Software string
	ProcessingSoftware    string // IFD0 tag 0x000B, written by some raw converters and editors
	DateTimeOriginal      string // as stored, with OffsetTimeOriginal appended when present
	Orientation           int
	HasGPS                bool
	HasThumbnail          bool
	ThumbnailBytes        int
}

// ReadMetadata never fails: a malformed EXIF block or header becomes a warning.
// Only the EXIF block itself (at most 64 KiB) is handed to the EXIF parser;
// nothing is logged or printed, and nothing is written.
func ReadMetadata(data []byte) Metadata {
	sum := sha256.Sum256(data)
	m := Metadata{Bytes: len(data), SHA256: hex.EncodeToString(sum[:])}

	info, err := probeNoPanic(data)
	if err != nil {
		m.Warnings = append(m.Warnings, fmt.Sprintf("image header: %v", err))
		info = Info{Format: sniffFormat(data)}
	}
	m.Info = info

	block, warn := findEXIF(data)
	if warn != "" {
		m.Warnings = append(m.Warnings, warn)
	}
	if block != nil {
		x, warns := parseEXIF(block)
		m.EXIF = x
		m.Warnings = append(m.Warnings, warns...)
	}
	return m
}

// probeNoPanic calls Probe, turning a panic into an error so that
// ReadMetadata keeps its promise never to fail.
func probeNoPanic(data []byte) (info Info, err error) {
	defer func() {
		if r := recover(); r != nil {
			info, err = Info{}, fmt.Errorf("%w: header parser failed", ErrCorrupt)
		}
	}()
	return Probe(data)
}

// sniffFormat names the format by its magic bytes ("" when unknown).
func sniffFormat(data []byte) Format {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return JPEG
	case len(data) >= len(pngSignature) && string(data[:len(pngSignature)]) == pngSignature:
		return PNG
	}
	return ""
}
