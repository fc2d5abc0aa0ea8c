package fetch

// OWNER: helper "fetch-data". Contract stub.

// Role is what an entry is in the case.
type Role string

// The roles, in display order.
const (
	RoleFront      Role = "front"
	RoleBack       Role = "back"
	RoleSelfie     Role = "selfie"
	RoleImage      Role = "image"      // another image
	RoleAttachment Role = "attachment" // a PDF (or a file named like one)
	RoleOther      Role = "other"
)

// Format is what the magic bytes say.
type Format string

// Formats recognised by magic bytes.
const (
	FormatJPEG    Format = "jpeg"
	FormatPNG     Format = "png"
	FormatPDF     Format = "pdf"
	FormatUnknown Format = "unknown"
)

// Sniff names the format of data by its magic bytes.
func Sniff(data []byte) Format { panic("TODO fetch-data") }

// Classify decides an entry's role by path pattern first (case-insensitive),
// then confirms it with the magic bytes in head. capture is the N of _N_
// (0 when none). A name that promises a format its bytes do not have gets
// an error wrapping ErrWrongMagic; its role is kept so it is listed where
// the reviewer expects it.
func Classify(path string, head []byte) (role Role, capture int, format Format, err error) {
	panic("TODO fetch-data")
}
