package casefile

import (
	"bytes"
	"fmt"
	"path"
	"strconv"
	"strings"
)

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

// rank is the role's place in display order.
func (r Role) rank() int {
	switch r {
	case RoleFront:
		return 0
	case RoleBack:
		return 1
	case RoleSelfie:
		return 2
	case RoleImage:
		return 3
	case RoleAttachment:
		return 4
	}
	return 5
}

// IsImage reports whether the role is one of the image roles (front, back, selfie, image).
func (r Role) IsImage() bool { return r.rank() <= RoleImage.rank() }

// Format is what the magic bytes say.
type Format string

// Formats recognised by magic bytes.
const (
	FormatJPEG    Format = "jpeg"
	FormatPNG     Format = "png"
	FormatPDF     Format = "pdf"
	FormatUnknown Format = "unknown"
)

// sniffLen is how far into the data the PDF header is looked for.
const sniffLen = 1024

var (
	magicJPEG = []byte{0xFF, 0xD8, 0xFF}
	magicPNG  = []byte{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}
	magicPDF  = []byte("%PDF-")
)

// Sniff names the format of data by its magic bytes: JPEG (FF D8 FF) and
// PNG (its 8-byte signature) at the start, PDF ("%PDF-") within the first
// 1024 bytes.
func Sniff(data []byte) Format {
	switch {
	case bytes.HasPrefix(data, magicJPEG):
		return FormatJPEG
	case bytes.HasPrefix(data, magicPNG):
		return FormatPNG
	case bytes.Contains(data[:min(len(data), sniffLen)], magicPDF):
		return FormatPDF
	}
	return FormatUnknown
}

// looksHTML reports data that starts (after a BOM and white space) like an
// HTML page, which is what a proxy or login portal sends instead of a file.
func looksHTML(data []byte) bool {
	head := bytes.TrimPrefix(data[:min(len(data), sniffLen)], []byte("\xEF\xBB\xBF"))
	head = bytes.ToLower(bytes.TrimLeft(head, " \t\r\n"))
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<!--"} {
		if bytes.HasPrefix(head, []byte(p)) {
			return true
		}
	}
	return bytes.Contains(head, []byte("<html"))
}

// describe says in a few words what data is, for a wrong-magic message.
func describe(data []byte) string {
	switch {
	case len(data) == 0:
		return "empty"
	case looksHTML(data):
		return "an HTML page"
	}
	switch Sniff(data) {
	case FormatJPEG:
		return "a JPEG image"
	case FormatPNG:
		return "a PNG image"
	case FormatPDF:
		return "a PDF document"
	}
	return ""
}

// Classify decides an entry's role by path pattern first (case-insensitive),
// then confirms it with the magic bytes in head. capture is the N of _N_
// (0 when none). A name that promises a format its bytes do not have gets
// an error wrapping ErrWrongMagic; its role is kept so it is listed where
// the reviewer expects it.
//
// Patterns: a ".jpg", ".jpeg" or ".png" name is the front when its base
// name contains "front", the back with "back", the selfie with "selfie"
// (or "face" under vouched_id_verification/), else another image. A ".pdf"
// name is an attachment. Any other name is classified by its bytes alone:
// a JPEG or PNG is an image (with the role its name suggests), a PDF an
// attachment, anything else RoleOther without error. A JPEG named ".png"
// (or the reverse) is accepted: it is still an image.
//
// A nil head (an entry that could not be read) keeps the role of its name
// and is not checked; an empty non-nil head is an empty file, which a name
// promising a format gets ErrWrongMagic for ("is empty").
func Classify(p string, head []byte) (role Role, capture int, format Format, err error) {
	lower := strings.ToLower(p)
	base := path.Base(lower)
	ext := path.Ext(base)
	capture = captureNumber(base)
	format = Sniff(head)
	nameRole := keywordRole(lower, base)

	switch ext {
	case ".pdf":
		role = RoleAttachment
		if format != FormatPDF && head != nil {
			err = wrongMagic(ext, head, "not a PDF")
		}
	case ".jpg", ".jpeg", ".png":
		role = nameRole
		if format != FormatJPEG && format != FormatPNG && head != nil {
			err = wrongMagic(ext, head, "not a JPEG or PNG image")
		}
	default:
		switch format {
		case FormatJPEG, FormatPNG:
			role = nameRole
		case FormatPDF:
			role = RoleAttachment
		default:
			role = RoleOther
		}
	}
	return role, capture, format, err
}

// wrongMagic builds the ErrWrongMagic error for a name with extension ext.
func wrongMagic(ext string, head []byte, fallback string) error {
	what := describe(head)
	if what == "" {
		return fmt.Errorf("%w: named %s but is %s", ErrWrongMagic, ext, fallback)
	}
	return fmt.Errorf("%w: named %s but is %s", ErrWrongMagic, ext, what)
}

// keywordRole is the image role a lower-case path suggests.
func keywordRole(lower, base string) Role {
	switch {
	case strings.Contains(base, "front"):
		return RoleFront
	case strings.Contains(base, "back"):
		return RoleBack
	case strings.Contains(base, "selfie"):
		return RoleSelfie
	case strings.Contains(lower, "vouched_id_verification/") && strings.Contains(base, "face"):
		return RoleSelfie
	}
	return RoleImage
}

// captureNumber finds the first "_N_" or "_N." in a base name (N up to 6
// digits); 0 when there is none.
func captureNumber(base string) int {
	for i := 0; i < len(base); i++ {
		if base[i] != '_' {
			continue
		}
		j := i + 1
		for j < len(base) && base[j] >= '0' && base[j] <= '9' {
			j++
		}
		if digits := j - i - 1; digits == 0 || digits > 6 || j == len(base) || (base[j] != '_' && base[j] != '.') {
			continue
		}
		n, err := strconv.Atoi(base[i+1 : j])
		if err == nil {
			return n
		}
	}
	return 0
}
