package imaging

// OWNER: helper "imaging-meta-pdf". Contract stub.

// Metadata describes one image for the inspector's panel.
type Metadata struct {
	Bytes       int
	SHA256      string // hex of the original bytes
	Info        Info   // format, stored size, orientation, subsampling
	EXIF        *EXIF  // nil when the image has no EXIF
	Warnings    []string
}

// EXIF holds the EXIF fields the app shows.
type EXIF struct {
	Make, Model, Software string
	DateTimeOriginal      string // as stored, with OffsetTimeOriginal appended when present
	Orientation           int
	HasGPS                bool
	HasThumbnail          bool
	ThumbnailBytes        int
}

// ReadMetadata never fails: a malformed EXIF block or header becomes a warning.
func ReadMetadata(data []byte) Metadata { panic("TODO imaging-meta-pdf") }
