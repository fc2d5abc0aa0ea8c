// Package safetext makes text from untrusted input (archive entry names,
// error texts of the OS keychain) safe to put in a message: no control
// characters, no invisible characters that reorder or hide text, bounded
// length. It is shared by casefile and keychain.
package safetext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// UnsafeRune reports control characters (C0, DEL, C1) and the invisible
// format characters that reorder or hide text (bidi overrides, zero-width).
func UnsafeRune(r rune) bool {
	if unicode.IsControl(r) {
		return true
	}
	switch {
	case r >= 0x200B && r <= 0x200F, // zero-width, LRM/RLM
		r >= 0x202A && r <= 0x202E, // bidi embeddings and overrides
		r >= 0x2066 && r <= 0x2069, // bidi isolates
		r == 0xFEFF:
		return true
	}
	return false
}

// Name renders a name from untrusted input (an archive entry, an
// environment) for a message: unprintable and invalid runes become '?',
// and it is cut to 80 runes.
func Name(name string) string {
	const maxRunes = 80
	var b strings.Builder
	n := 0
	for i, r := range name {
		if n == maxRunes {
			b.WriteString("…")
			break
		}
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(name[i:]); size <= 1 {
				r = '?'
			}
		}
		if UnsafeRune(r) || !unicode.IsPrint(r) && r != ' ' {
			r = '?'
		}
		b.WriteRune(r)
		n++
	}
	if b.Len() == 0 {
		return "(empty)"
	}
	return b.String()
}

// Printable drops control, format and invalid characters and collapses runs
// of white space into one space.
func Printable(s string) string {
	var b strings.Builder
	space := false
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		switch {
		case r == utf8.RuneError && n <= 1:
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		case !unicode.IsPrint(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// Truncate shortens s to at most n runes, ending in "…" when cut.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for i < len(s) && count < n-1 {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		count++
	}
	return strings.TrimRight(s[:i], " ") + "…"
}
