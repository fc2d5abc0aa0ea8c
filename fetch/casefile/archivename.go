package casefile

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"docvreview/fetch/internal/safetext"
)

// maxNameBytes bounds the length of an entry name in the archive.
const maxNameBytes = 1024

// checkEntryName decides whether a name from the ZIP central directory is
// safe to list. It returns the cleaned slash-separated path, or a short
// reason (no PII: it never repeats the name) when the name is unsafe.
//
// Unsafe: empty, longer than 1 KiB, not UTF-8, control or bidi-override
// characters (NUL included), any backslash (Windows separators and UNC
// paths), an absolute path, a drive letter ("C:"), and a ".." segment in
// any spelling: plain, percent-encoded ("%2e%2e", "%2F"), or with
// look-alike dots or trailing dots/spaces that Windows would drop.
// "." and empty segments are harmless and cleaned away.
func checkEntryName(name string) (clean string, reason string) {
	switch {
	case name == "":
		return "", "empty name"
	case len(name) > maxNameBytes:
		return "", "name too long"
	case !utf8.ValidString(name):
		return "", "name is not valid UTF-8"
	case strings.ContainsFunc(name, safetext.UnsafeRune):
		return "", "control characters in name"
	case strings.Contains(name, `\`):
		return "", "backslash in path"
	case strings.HasPrefix(name, "/"):
		return "", "absolute path"
	case hasDriveLetter(name):
		return "", "drive letter in path"
	}
	segs := strings.Split(name, "/")
	kept := segs[:0]
	for _, s := range segs {
		if s == "" || s == "." {
			continue
		}
		if isDotDot(s) {
			return "", "path escapes the archive (..)"
		}
		if dec, err := url.PathUnescape(s); err == nil && dec != s {
			if isDotDot(dec) || strings.ContainsAny(dec, `/\`) || strings.ContainsFunc(dec, safetext.UnsafeRune) {
				return "", "encoded path separator or .. in path"
			}
		}
		kept = append(kept, s)
	}
	if len(kept) == 0 {
		return "", "empty name"
	}
	return strings.Join(kept, "/"), ""
}

// hasDriveLetter reports a Windows drive prefix such as "C:" or "c:x".
func hasDriveLetter(s string) bool {
	return len(s) >= 2 && s[1] == ':' && (s[0]|0x20) >= 'a' && (s[0]|0x20) <= 'z'
}

// isDotDot reports a segment that some tool could resolve to "..": two or
// more dots (ASCII or look-alike) with nothing else but trailing spaces.
func isDotDot(seg string) bool {
	dots := 0
	for _, r := range seg {
		switch r {
		case '.', '\uFF0E', '\u2024', '\uFE52', '\u3002':
			dots++
		case '\u2025', '\uFE30': // two dot leaders: ".." under NFKC
			dots += 2
		case ' ':
		default:
			return false
		}
	}
	return dots >= 2
}
