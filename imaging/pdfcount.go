package imaging

import (
	"bytes"
	"errors"
	"strconv"
)

// ErrPageCountUnsure is CountPDFPages's answer for a PDF whose page count
// it cannot be sure of without the PDF engine.
var ErrPageCountUnsure = errors.New("the page count needs the PDF engine")

// maxCountedPages bounds the count CountPDFPages reports.
const maxCountedPages = 100_000

// CountPDFPages counts the pages of a simple PDF without the PDF engine:
// one revision with a classic cross-reference table, no encryption, no
// object streams, whose page tree root's /Count equals the number of
// /Type /Page objects outside streams. Anything else — an incremental
// update, a compressed object stream, an encrypted or damaged file, a
// page tree that disagrees with its pages — is ErrPageCountUnsure: open it
// with the engine (PDFEngine.Open) instead, which also repairs what it
// can. It reads data once or a few times and allocates nothing in
// proportion to it.
//
// A count from here says nothing about whether the pages render; the
// engine decides that when a page is shown.
func CountPDFPages(data []byte) (int, error) {
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return 0, ErrPageCountUnsure
	}
	for _, tell := range []string{"/Encrypt", "/ObjStm", "/XRefStm", "/Prev", "/XRef"} {
		if bytes.Contains(data, []byte(tell)) {
			return 0, ErrPageCountUnsure
		}
	}
	if bytes.Count(data, []byte("startxref")) != 1 || bytes.Count(data, []byte("%%EOF")) != 1 ||
		!bytes.HasSuffix(bytes.TrimRight(data, " \t\r\n\x00\f"), []byte("%%EOF")) {
		return 0, ErrPageCountUnsure
	}
	// startxref points at a classic "xref" table.
	sx := bytes.LastIndex(data, []byte("startxref"))
	off, ok := firstInt(data[sx+len("startxref"):])
	if !ok || off <= 0 || off >= int64(sx) || !bytes.HasPrefix(data[off:], []byte("xref")) {
		return 0, ErrPageCountUnsure
	}
	tr := bytes.LastIndex(data, []byte("trailer"))
	if tr < 0 || tr < int(off) {
		return 0, ErrPageCountUnsure
	}
	catalog, ok := refObject(data, data[tr:], "/Root")
	if !ok {
		return 0, ErrPageCountUnsure
	}
	root, ok := refObject(data, catalog, "/Pages")
	if !ok || typeIs(root) != "/Pages" {
		return 0, ErrPageCountUnsure
	}
	ci := keyIndex(root, "/Count")
	if ci < 0 {
		return 0, ErrPageCountUnsure
	}
	count, ok := firstInt(root[ci+len("/Count"):])
	if !ok || count < 1 || count > maxCountedPages {
		return 0, ErrPageCountUnsure
	}
	leaves, ok := countPageObjects(data)
	if !ok || int64(leaves) != count {
		return 0, ErrPageCountUnsure
	}
	return int(count), nil
}

// isPDFDelim reports whether c ends a PDF name or keyword.
func isPDFDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\f', 0, '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

// isPDFSpace reports PDF white space.
func isPDFSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\f', 0:
		return true
	}
	return false
}

// keyIndex is the index of the name key in b (a whole name: followed by a
// delimiter), or -1.
func keyIndex(b []byte, key string) int {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte(key))
		if j < 0 {
			return -1
		}
		end := i + j + len(key)
		if end >= len(b) || isPDFDelim(b[end]) {
			return i + j
		}
		i = end
	}
}

// firstInt parses the non-negative integer after optional white space.
func firstInt(b []byte) (int64, bool) {
	i := 0
	for i < len(b) && isPDFSpace(b[i]) {
		i++
	}
	j := i
	for j < len(b) && j-i < 12 && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	if j == i || (j < len(b) && b[j] >= '0' && b[j] <= '9') {
		return 0, false
	}
	n, err := strconv.ParseInt(string(b[i:j]), 10, 64)
	return n, err == nil
}

// refObject follows "key N G R" in dict to object N G's body in data.
func refObject(data, dict []byte, key string) ([]byte, bool) {
	i := keyIndex(dict, key)
	if i < 0 {
		return nil, false
	}
	rest := dict[i+len(key):]
	num, ok := firstInt(rest)
	if !ok {
		return nil, false
	}
	rest = bytes.TrimLeft(rest, " \t\r\n\f\x00")
	rest = rest[len(strconv.FormatInt(num, 10)):]
	gen, ok := firstInt(rest)
	if !ok {
		return nil, false
	}
	rest = bytes.TrimLeft(rest, " \t\r\n\f\x00")
	rest = bytes.TrimLeft(rest[len(strconv.FormatInt(gen, 10)):], " \t\r\n\f\x00")
	if !bytes.HasPrefix(rest, []byte("R")) {
		return nil, false
	}
	return objectBody(data, num, gen)
}

// objectBody is the text between "N G obj" and "endobj", when exactly one
// such object header starts a line.
func objectBody(data []byte, num, gen int64) ([]byte, bool) {
	hdr := []byte(strconv.FormatInt(num, 10) + " " + strconv.FormatInt(gen, 10) + " obj")
	at := -1
	for i := 0; ; {
		j := bytes.Index(data[i:], hdr)
		if j < 0 {
			break
		}
		p := i + j
		i = p + len(hdr)
		if (p == 0 || data[p-1] == '\n' || data[p-1] == '\r') && (i == len(data) || isPDFDelim(data[i])) {
			if at >= 0 {
				return nil, false // two objects with one number: an update
			}
			at = i
		}
	}
	if at < 0 {
		return nil, false
	}
	end := bytes.Index(data[at:], []byte("endobj"))
	if end < 0 {
		return nil, false
	}
	return data[at : at+end], true
}

// typeIs is the name after the first /Type key of body ("" when none).
func typeIs(body []byte) string {
	i := keyIndex(body, "/Type")
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(body[i+len("/Type"):], " \t\r\n\f\x00")
	if !bytes.HasPrefix(rest, []byte("/")) {
		return ""
	}
	j := 1
	for j < len(rest) && !isPDFDelim(rest[j]) {
		j++
	}
	return string(rest[:j])
}

// countPageObjects counts "/Type /Page" (not /Pages) outside stream data;
// false when a stream is not closed.
func countPageObjects(data []byte) (int, bool) {
	n := 0
	for len(data) > 0 {
		s := streamStart(data)
		seg := data
		if s >= 0 {
			seg = data[:s]
		}
		for i := 0; ; {
			j := keyIndex(seg[i:], "/Type")
			if j < 0 {
				break
			}
			i += j + len("/Type")
			rest := bytes.TrimLeft(seg[i:], " \t\r\n\f\x00")
			if bytes.HasPrefix(rest, []byte("/Page")) && (len(rest) == len("/Page") || isPDFDelim(rest[len("/Page")])) {
				n++
			}
		}
		if s < 0 {
			return n, true
		}
		e := bytes.Index(data[s:], []byte("endstream"))
		if e < 0 {
			return 0, false
		}
		data = data[s+e+len("endstream"):]
	}
	return n, true
}

// streamStart is the index of the next "stream" keyword that opens stream
// data (after white space or ">>", followed by an end of line), or -1.
func streamStart(data []byte) int {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("stream"))
		if j < 0 {
			return -1
		}
		p := i + j
		i = p + len("stream")
		if p > 0 && !isPDFSpace(data[p-1]) && data[p-1] != '>' {
			continue
		}
		if i < len(data) && (data[i] == '\r' || data[i] == '\n') {
			return p
		}
	}
}
