package riskos

import (
	"docvreview/fetch/internal/safetext"
	"fmt"
	"strings"
	"unicode"
)

// MaxEvalIDInput is the longest text ParseEvalID looks at (a pasted URL fits easily).
const MaxEvalIDInput = 4 << 10

// uuidLen is the length of a textual UUID (8-4-4-4-12 hex digits).
const uuidLen = 36

// EvalIDExcerptLen bounds how much of the user's input an error (or
// EvalIDExcerpt) echoes, in runes.
const EvalIDExcerptLen = 40

// ParseEvalID validates what a user typed or pasted and returns the eval_id
// as a canonical lower-case UUID. It trims whitespace and quotes and accepts
// a pasted Dashboard URL (or any text) that contains exactly one UUID.
// The same UUID repeated (a URL naming it twice) counts as one.
// Errors wrap ErrInvalidEvalID and never echo more than a short excerpt.
func ParseEvalID(s string) (string, error) {
	if len(s) > MaxEvalIDInput {
		return "", fmt.Errorf("%w: input is %d bytes; an eval_id is a %d-character UUID", ErrInvalidEvalID, len(s), uuidLen)
	}
	s = strings.TrimFunc(s, isSpaceOrQuote)
	if s == "" {
		return "", fmt.Errorf("%w: empty; paste the evaluation's UUID or its Dashboard URL", ErrInvalidEvalID)
	}
	ids := findUUIDs(s)
	switch len(ids) {
	case 1:
		return ids[0], nil
	case 0:
		return "", fmt.Errorf("%w: no UUID (like fb1ddadc-6dba-4ce4-aa6d-25c005b192b5) in %q", ErrInvalidEvalID, EvalIDExcerpt(s))
	default:
		return "", fmt.Errorf("%w: %d different UUIDs in %q; paste only one", ErrInvalidEvalID, len(ids), EvalIDExcerpt(s))
	}
}

// isSpaceOrQuote reports the characters ParseEvalID trims from both ends.
func isSpaceOrQuote(r rune) bool {
	switch r {
	case '"', '\'', '`', '\u2018', '\u2019', '\u201a', '\u201b', '\u201c', '\u201d', '\u201e', '\u201f', '\u00ab', '\u00bb', '<', '>':
		return true
	}
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

// findUUIDs returns the distinct UUIDs in s, lower-cased, in order of first
// appearance. A UUID must not be glued to more hex digits or dashes (so a
// longer hex run is not mistaken for one).
func findUUIDs(s string) []string {
	var ids []string
	for i := 0; i+uuidLen <= len(s); i++ {
		if !isUUIDAt(s, i) {
			continue
		}
		if i > 0 && isUUIDChar(s[i-1]) || i+uuidLen < len(s) && isUUIDChar(s[i+uuidLen]) {
			continue
		}
		id := strings.ToLower(s[i : i+uuidLen])
		seen := false
		for _, have := range ids {
			if have == id {
				seen = true
				break
			}
		}
		if !seen {
			ids = append(ids, id)
		}
		i += uuidLen - 1
	}
	return ids
}

// isUUIDAt reports whether s[i:i+36] has the 8-4-4-4-12 hex shape.
func isUUIDAt(s string, i int) bool {
	for j := 0; j < uuidLen; j++ {
		c := s[i+j]
		switch j {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isUUIDChar(c byte) bool { return isHex(c) || c == '-' }

// EvalIDExcerpt is a short, printable form of what the user entered, for an
// error message. Long tokens that look like secrets (someone pasting an API
// key into the eval_id field) are shortened to their first four characters.
func EvalIDExcerpt(s string) string {
	var b strings.Builder
	for _, tok := range splitTokens(s) {
		if looksSecret(tok) {
			tok = tok[:4] + "…"
		}
		b.WriteString(tok)
	}
	return truncateRunes(printable(b.String()), EvalIDExcerptLen)
}

// splitTokens splits s into runs of token characters and runs of the rest,
// keeping everything (concatenating the result gives s back).
func splitTokens(s string) []string {
	var out []string
	start := 0
	for i := 1; i <= len(s); i++ {
		if i == len(s) || isTokenChar(s[i]) != isTokenChar(s[start]) {
			out = append(out, s[start:i])
			start = i
		}
	}
	return out
}

// isTokenChar reports the characters API keys and tokens are made of.
func isTokenChar(c byte) bool {
	return isHex(c) || 'g' <= c && c <= 'z' || 'G' <= c && c <= 'Z' || strings.IndexByte("-_.+=~", c) >= 0
}

// minSecretLen is the length from which a token may be a key: API keys
// and tokens are rarely shorter than 16 characters.
const minSecretLen = 16

// looksSecret reports a long token that is not a hex-and-dash string (a
// mistyped UUID stays visible so the user can spot the typo).
func looksSecret(tok string) bool {
	if len(tok) < minSecretLen || !isTokenChar(tok[0]) {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if !isUUIDChar(tok[i]) {
			return true
		}
	}
	return false
}

// printable drops control, format and invalid characters and collapses runs
// of white space into one space (safetext.Printable).
func printable(s string) string { return safetext.Printable(s) }

// truncateRunes shortens s to at most n runes, ending in "…" when cut
// (safetext.Truncate).
func truncateRunes(s string, n int) string { return safetext.Truncate(s, n) }
