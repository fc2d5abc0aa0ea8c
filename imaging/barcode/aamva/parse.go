// Package aamva parses the AAMVA DL/ID card design standard's barcode
// content (the PDF417 on the back of North American driving licences and
// identity cards), versions 1 to 10, and compares it with the document data
// a verification service read from the card. Pure Go, bounded, and never
// panics on hostile input. The content is personal data: nothing here logs
// it, and errors never quote it.
package aamva

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Errors callers can test with errors.Is.
var (
	// ErrNotAAMVA: the data has no AAMVA header.
	ErrNotAAMVA = errors.New("not an AAMVA DL/ID barcode")
	// ErrMalformed: the header is there but the rest cannot be read.
	ErrMalformed = errors.New("malformed AAMVA barcode")
	// ErrTooLarge: the data exceeds MaxInput.
	ErrTooLarge = errors.New("AAMVA barcode data too large")
)

// MaxInput bounds the data Parse accepts. A PDF417 symbol holds at most
// about 1.1 KB of binary data (1,850 text characters).
const MaxInput = 16 << 10

// Bounds on what is read.
const (
	maxEntries     = 32  // subfile designators read from the header
	maxElements    = 256 // elements read from one subfile
	maxValueRunes  = 128 // characters kept of one element's value
	headerSearchIn = 64  // bytes searched for the file type
	designatorLen  = 10  // subfile type (2), offset (4), length (4)
)

// Control characters of the header (AAMVA DL/ID card design standard,
// "Header").
const (
	complianceIndicator = '@'
	elementSeparator    = '\n' // data element separator (LF)
	segmentTerminator   = '\r' // segment terminator (CR)
)

// Fields are the holder's data, normalised: dates as YYYY-MM-DD, sex as
// M, F or X, a US ZIP code as 12345 or 12345-6789. Absent fields are "".
type Fields struct {
	FirstName      string `json:"first_name"`
	MiddleName     string `json:"middle_name"`
	LastName       string `json:"last_name"`
	DOB            string `json:"dob"`
	DocumentNumber string `json:"document_number"`
	ExpirationDate string `json:"expiration_date"`
	IssueDate      string `json:"issue_date"`
	Address        string `json:"address"`
	City           string `json:"city"`
	State          string `json:"state"`
	PostalCode     string `json:"postal_code"`
	Sex            string `json:"sex"`
}

// Card is one parsed AAMVA barcode.
type Card struct {
	// Version is the AAMVA version number (1–10; 0 for files that predate
	// the 2000 standard; read with version 1's rules).
	Version int
	// JurisdictionVersion is the issuer's own version (0 in version 1,
	// which has none).
	JurisdictionVersion int
	// IIN is the issuer identification number (6 digits).
	IIN string
	// Subfile is the subfile the fields come from: "DL" or "ID".
	Subfile string
	// Country is DCG ("USA", "CAN") when present.
	Country string
	Fields  Fields
}

// Parse reads AAMVA DL/ID barcode content. It tolerates the common
// deviations of real cards (a different record separator, subfile offsets
// that are a few bytes off, CR LF line ends) and never panics.
func Parse(data []byte) (*Card, error) {
	if len(data) > MaxInput {
		return nil, fmt.Errorf("parse AAMVA: %d bytes, limit %d: %w", len(data), MaxInput, ErrTooLarge)
	}
	h, err := parseHeader(data)
	if err != nil {
		return nil, fmt.Errorf("parse AAMVA: %w", err)
	}
	sub, typ, err := findSubfile(data, h)
	if err != nil {
		return nil, fmt.Errorf("parse AAMVA: %w", err)
	}
	elems := parseElements(sub)
	if len(elems) == 0 {
		return nil, fmt.Errorf("parse AAMVA: %w: the %s subfile has no data elements", ErrMalformed, typ)
	}
	c := &Card{Version: h.version, JurisdictionVersion: h.jurisdiction, IIN: h.iin, Subfile: typ}
	c.Country = strings.ToUpper(elems["DCG"])
	c.Fields = fieldsFrom(elems, h.version, c.Country)
	return c, nil
}

// header is the fixed part of the file.
type header struct {
	version, jurisdiction int
	iin                   string
	designators           []designator
	end                   int // offset just past the designators
}

// designator is one subfile designator.
type designator struct {
	typ            string
	offset, length int
}

// parseHeader reads the compliance indicator, the file type ("ANSI " or,
// in early files, "AAMVA"), IIN, version numbers, entry count and the
// subfile designators.
func parseHeader(data []byte) (header, error) {
	var h header
	if len(data) == 0 || data[0] != complianceIndicator {
		return h, ErrNotAAMVA
	}
	search := data[:min(len(data), headerSearchIn)]
	p := bytes.Index(search, []byte("ANSI "))
	if p < 0 {
		p = bytes.Index(search, []byte("AAMVA"))
	}
	if p < 0 {
		return h, ErrNotAAMVA
	}
	p += 5
	if _, ok := digits(data, p, 6); !ok {
		return h, fmt.Errorf("%w: no issuer identification number", ErrMalformed)
	}
	h.iin = string(data[p : p+6])
	p += 6
	v, ok := digits(data, p, 2)
	if !ok {
		return h, fmt.Errorf("%w: no version number", ErrMalformed)
	}
	h.version = v
	p += 2
	if h.version >= 2 {
		if h.jurisdiction, ok = digits(data, p, 2); !ok {
			return h, fmt.Errorf("%w: no jurisdiction version number", ErrMalformed)
		}
		p += 2
	}
	n, ok := digits(data, p, 2)
	if !ok {
		return h, fmt.Errorf("%w: no number of entries", ErrMalformed)
	}
	p += 2
	for i := 0; i < min(n, maxEntries); i++ {
		if p+designatorLen > len(data) {
			break
		}
		typ := string(data[p : p+2])
		off, ok1 := digits(data, p+2, 4)
		ln, ok2 := digits(data, p+6, 4)
		if !isUpperAlnum(typ) || !ok1 || !ok2 {
			break
		}
		h.designators = append(h.designators, designator{typ, off, ln})
		p += designatorLen
	}
	h.end = p
	return h, nil
}

// findSubfile returns the DL (or else ID) subfile's bytes from just after
// its two-letter type to the end of the data (the element parser stops at
// the segment terminator; declared lengths are often wrong, so they are not
// trusted). It follows the designator's offset, allowing it to be a few
// bytes off, and otherwise looks for the type followed by an element ID
// after the header.
func findSubfile(data []byte, h header) ([]byte, string, error) {
	for _, want := range []string{"DL", "ID"} {
		for _, d := range h.designators {
			if d.typ != want {
				continue
			}
			if p, ok := subfileNear(data, want, d.offset, h.end); ok {
				return data[p+2:], want, nil
			}
		}
	}
	// No usable designator: the first "DL" or "ID" after the header that
	// starts an element.
	for p := h.end; p+5 <= len(data); p++ {
		t := string(data[p : p+2])
		if (t == "DL" || t == "ID") && isElementID(data[p+2:p+5]) {
			return data[p+2:], t, nil
		}
	}
	return nil, "", fmt.Errorf("%w: no DL or ID subfile", ErrMalformed)
}

// subfileNear finds typ within a few bytes of offset, followed by an
// element ID, never before the end of the header.
func subfileNear(data []byte, typ string, offset, headerEnd int) (int, bool) {
	const slack = 8
	for _, delta := range []int{0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6, -7, 7, -slack, slack} {
		p := offset + delta
		if p < headerEnd || p+5 > len(data) {
			continue
		}
		if string(data[p:p+2]) == typ && isElementID(data[p+2:p+5]) {
			return p, true
		}
	}
	return 0, false
}

// parseElements splits a subfile into element ID → value, stopping at the
// segment terminator. The first value of a repeated ID wins.
func parseElements(sub []byte) map[string]string {
	if i := bytes.IndexByte(sub, segmentTerminator); i >= 0 {
		// A CR directly followed by LF is a line end, not the terminator:
		// some issuers end every element with CR LF.
		for i >= 0 && i+1 < len(sub) && sub[i+1] == elementSeparator {
			j := bytes.IndexByte(sub[i+1:], segmentTerminator)
			if j < 0 {
				i = -1
				break
			}
			i += 1 + j
		}
		if i >= 0 {
			sub = sub[:i]
		}
	}
	out := map[string]string{}
	for n := 0; len(sub) > 0 && n < maxElements; n++ {
		line := sub
		if i := bytes.IndexByte(sub, elementSeparator); i >= 0 {
			line, sub = sub[:i], sub[i+1:]
		} else {
			sub = nil
		}
		line = bytes.TrimRight(line, "\r")
		if len(line) < 3 || !isElementID(line[:3]) {
			continue
		}
		id := string(line[:3])
		if _, seen := out[id]; !seen {
			out[id] = cleanValue(line[3:])
		}
	}
	return out
}

// cleanValue makes an element value safe to show: printable, trimmed, at
// most maxValueRunes characters. Values that are not valid UTF-8 are read
// as Latin-1 (ISO 8859-1), the standard's character set.
func cleanValue(b []byte) string {
	runes := make([]rune, 0, min(len(b), maxValueRunes))
	if utf8.Valid(b) {
		for _, r := range string(b) {
			runes = append(runes, r)
			if len(runes) == maxValueRunes {
				break
			}
		}
	} else {
		for _, c := range b[:min(len(b), maxValueRunes)] {
			runes = append(runes, rune(c))
		}
	}
	for i, r := range runes {
		if unicode.IsControl(r) || r == utf8.RuneError {
			runes[i] = ' '
		}
	}
	return strings.Join(strings.Fields(string(runes)), " ")
}

// digits reads n ASCII digits at data[p:] as a number.
func digits(data []byte, p, n int) (int, bool) {
	if p < 0 || p+n > len(data) {
		return 0, false
	}
	v := 0
	for _, c := range data[p : p+n] {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// isElementID reports whether b is an element ID: three upper-case letters
// or digits starting with a letter (DAQ, DCS, ZVA …).
func isElementID(b []byte) bool {
	if len(b) != 3 || b[0] < 'A' || b[0] > 'Z' {
		return false
	}
	return isUpperAlnum(string(b[1:]))
}

// isUpperAlnum reports whether s is made of A–Z and 0–9 only.
func isUpperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return len(s) > 0
}
