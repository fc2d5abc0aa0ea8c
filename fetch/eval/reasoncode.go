package eval

import (
	"docvreview/fetch/internal/safetext"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// ReasonCode is a reason code and what it means. Description is empty when
// the catalogue does not describe the code (or could not be read).
type ReasonCode struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// ErrInvalidReasonCodes is wrapped by every ParseReasonCodes error.
var ErrInvalidReasonCodes = errors.New("unreadable reason-code catalogue")

// Bounds of a reason-code catalogue.
const (
	MaxReasonCodesBytes     = 8 << 20 // the answer (and a cache file)
	maxReasonCodes          = 50000   // entries kept
	MaxReasonCodeLen        = 40      // runes of a code
	MaxReasonDescriptionLen = 500     // runes of a description
	maxCatalogueDepth       = 4       // how deep an array of codes is looked for
)

// Keys an item's code and text may sit under (matched ignoring case and
// underscores, so "reason_code" matches "reasonCode").
var (
	codeKeys = [...]string{"code", "reasonCode", "name"}
	textKeys = [...]string{"description", "desc", "text", "message"}
)

// ParseReasonCodes reads GET /api/reason-codes leniently, as its schema is
// not published: a JSON array, or an object holding one under any key
// (searched breadth-first, a few levels deep, preferring arrays whose items
// have codes), or an object mapping codes to texts. An item is an object
// with the code under code/reasonCode/name and the text under
// description/desc/text/message, or a bare string (a code). Codes and texts
// are made printable and bounded; items without a code are skipped and a
// repeated code keeps its first text. Invalid JSON, input over
// MaxReasonCodesBytes and a document holding no list are errors wrapping
// ErrInvalidReasonCodes; an empty list is not an error.
func ParseReasonCodes(b []byte) ([]ReasonCode, error) {
	if len(b) > MaxReasonCodesBytes {
		return nil, fmt.Errorf("%w: %d bytes, over the %d MiB limit", ErrInvalidReasonCodes, len(b), MaxReasonCodesBytes>>20)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("%w: not valid JSON", ErrInvalidReasonCodes)
	}
	list, ok := findCodeList(v)
	if !ok {
		if m, isObj := v.(map[string]any); isObj {
			if out, ok := codeMap(m); ok {
				return out, nil
			}
		}
		return nil, fmt.Errorf("%w: no list of reason codes in the answer", ErrInvalidReasonCodes)
	}
	out := []ReasonCode{}
	seen := map[string]bool{}
	for _, item := range list {
		rc, ok := reasonCodeItem(item)
		if !ok || seen[strings.ToUpper(rc.Code)] {
			continue
		}
		seen[strings.ToUpper(rc.Code)] = true
		out = append(out, rc)
		if len(out) >= maxReasonCodes {
			break
		}
	}
	return out, nil
}

// findCodeList returns the array that holds the codes: v itself, or the best
// array found breadth-first inside objects (an array with at least one item
// that yields a code beats an empty one; the first such wins, keys in
// sorted order).
func findCodeList(v any) ([]any, bool) {
	type node struct {
		v     any
		depth int
	}
	var fallback []any
	found := false
	queue := []node{{v, 0}}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		switch x := n.v.(type) {
		case []any:
			if slices.ContainsFunc(x, func(item any) bool { _, ok := reasonCodeItem(item); return ok }) {
				return x, true
			}
			if !found {
				fallback, found = x, true
			}
		case map[string]any:
			if n.depth >= maxCatalogueDepth {
				continue
			}
			for _, k := range slices.Sorted(maps.Keys(x)) { // a fixed order: the same input, the same answer
				queue = append(queue, node{x[k], n.depth + 1})
			}
		}
	}
	return fallback, found
}

// codeMap reads an object mapping codes to texts ({"I831": "…"}); ok only
// when there is at least one entry, every value is a string and every key
// looks like a code (letters and digits, at least one digit), so that an
// error object such as {"message": "…"} is not taken for a catalogue.
func codeMap(m map[string]any) ([]ReasonCode, bool) {
	if len(m) == 0 {
		return nil, false
	}
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if _, ok := v.(string); !ok || !looksLikeCode(k) {
			return nil, false
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := []ReasonCode{}
	for _, k := range keys {
		if code := cleanCode(k); code != "" && len(out) < maxReasonCodes {
			out = append(out, ReasonCode{Code: code, Description: cleanDescription(m[k].(string))})
		}
	}
	return out, len(out) > 0
}

// reasonCodeItem reads one item of the list.
func reasonCodeItem(item any) (ReasonCode, bool) {
	switch x := item.(type) {
	case string:
		code := cleanCode(x)
		return ReasonCode{Code: code}, code != ""
	case map[string]any:
		var rc ReasonCode
		for _, k := range codeKeys {
			if rc.Code = cleanCode(scalar(field(x, k))); rc.Code != "" {
				break
			}
		}
		for _, k := range textKeys {
			if rc.Description = cleanDescription(str0(field(x, k))); rc.Description != "" {
				break
			}
		}
		return rc, rc.Code != ""
	}
	return ReasonCode{}, false
}

// looksLikeCode reports 2–16 ASCII letters, digits, '-' or '_' with at least one digit.
func looksLikeCode(s string) bool {
	if len(s) < 2 || len(s) > 16 {
		return false
	}
	digit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			digit = true
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '-', c == '_':
		default:
			return false
		}
	}
	return digit
}

// cleanCode makes a code printable, without spaces, at most MaxReasonCodeLen runes;
// "" when nothing is left or it is too long to be a code.
func cleanCode(s string) string {
	s = safetext.Printable(s)
	if s == "" || strings.ContainsRune(s, ' ') || len([]rune(s)) > MaxReasonCodeLen {
		return ""
	}
	return s
}

// cleanDescription makes a text printable and at most MaxReasonDescriptionLen runes.
func cleanDescription(s string) string {
	return safetext.Truncate(safetext.Printable(s), MaxReasonDescriptionLen)
}

// CleanReasonCodes re-checks codes read from somewhere less trusted than
// ParseReasonCodes' own output (a cache file): each code and description is
// cleaned as ParseReasonCodes cleans them, empty codes are dropped, and at
// most maxReasonCodes are kept.
func CleanReasonCodes(in []ReasonCode) []ReasonCode {
	out := make([]ReasonCode, 0, min(len(in), maxReasonCodes))
	for _, rc := range in {
		if code := cleanCode(rc.Code); code != "" && len(out) < maxReasonCodes {
			out = append(out, ReasonCode{Code: code, Description: cleanDescription(rc.Description)})
		}
	}
	return out
}
