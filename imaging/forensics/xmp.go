package forensics

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxToolRunes bounds the editor names kept from metadata.
const maxToolRunes = 96

// xmpCreatorTool returns the value of xmp:CreatorTool in an XMP packet,
// written either as an attribute (xmp:CreatorTool="…") or as an element
// (<xmp:CreatorTool>…</xmp:CreatorTool>); "" when absent. It scans the
// bytes once, without an XML parser, and reads at most maxToolRunes
// characters of the value.
func xmpCreatorTool(packet []byte) string {
	const name = "CreatorTool"
	for rest := packet; ; {
		i := bytes.Index(rest, []byte(name))
		if i < 0 {
			return ""
		}
		after := rest[i+len(name):]
		rest = after
		// Attribute form: optional spaces, '=', optional spaces, quote.
		a := bytes.TrimLeft(after, " \t\r\n")
		if len(a) > 0 && a[0] == '=' {
			a = bytes.TrimLeft(a[1:], " \t\r\n")
			if len(a) > 0 && (a[0] == '"' || a[0] == '\'') {
				if end := bytes.IndexByte(a[1:], a[0]); end >= 0 {
					return cleanTool(a[1 : 1+end])
				}
			}
			continue
		}
		// Element form: '>' then text up to '<'.
		if len(after) > 0 && after[0] == '>' {
			if end := bytes.IndexByte(after[1:], '<'); end >= 0 {
				return cleanTool(after[1 : 1+end])
			}
		}
	}
}

// cleanTool decodes XML's predefined entities, drops control characters
// and invalid UTF-8, trims, and caps the length.
func cleanTool(b []byte) string {
	s := strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'").Replace(string(b))
	return cleanText(s)
}

// cleanText makes a metadata string safe to show on one line.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "")
	var out []rune
	for _, r := range s {
		if len(out) == maxToolRunes {
			out = append(out, '…')
			break
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			r = ' '
		}
		out = append(out, r)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
