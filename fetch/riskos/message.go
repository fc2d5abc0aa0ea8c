package riskos

import (
	"bytes"
	"encoding/json"
	"mime"
	"strings"
	"unicode/utf8"
)

// MaxMessageLen bounds APIError.Message, in characters.
const MaxMessageLen = 200

// maxErrorBody is how much of an error response is read.
const maxErrorBody = 64 << 10

// redacted replaces the API key wherever a server echoes it.
const redacted = "[redacted]"

// errorMessage extracts what the server said from an error body: the JSON
// "message" (or "error", or "error.message"), else the title of an HTML page,
// else a sanitised excerpt. The result is printable, has its white space
// collapsed, never contains secret, and has at most MaxMessageLen characters.
func errorMessage(body []byte, contentType, secret string) string {
	msg := rawMessage(body, contentType)
	msg = printable(msg)
	if secret != "" {
		msg = strings.ReplaceAll(msg, secret, redacted)
	}
	return truncateRunes(msg, MaxMessageLen)
}

// rawMessage picks the part of body worth showing, unsanitised.
func rawMessage(body []byte, contentType string) string {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
	if len(trimmed) == 0 {
		return ""
	}
	if trimmed[0] == '{' {
		if m, ok := jsonMessage(trimmed); ok {
			return m
		}
	}
	if isHTML(trimmed, contentType) {
		if title := htmlTitle(trimmed); title != "" {
			return "HTML page: " + title
		}
		return "HTML page"
	}
	if isBinary(trimmed) {
		return "binary data"
	}
	// Only the start is needed; cut before sanitising so a huge body costs little.
	if len(trimmed) > 4*MaxMessageLen*utf8.UTFMax {
		trimmed = trimmed[:4*MaxMessageLen*utf8.UTFMax]
	}
	return string(trimmed)
}

// jsonMessage finds a message in a JSON error object.
func jsonMessage(b []byte) (string, bool) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) != nil {
		return "", false
	}
	fields := make(map[string]json.RawMessage, len(obj))
	for k, v := range obj {
		fields[strings.ToLower(k)] = v
	}
	for _, key := range []string{"message", "error_description", "detail", "error", "title"} {
		raw, ok := fields[key]
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
			return s, true
		}
		var nested struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(raw, &nested) == nil && strings.TrimSpace(nested.Message) != "" {
			return nested.Message, true
		}
	}
	return "", false
}

// isHTML reports an HTML page, by content type or by its first bytes.
func isHTML(b []byte, contentType string) bool {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil && (mt == "text/html" || mt == "application/xhtml+xml") {
		return true
	}
	head := strings.ToLower(string(b[:min(len(b), 64)]))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
		strings.HasPrefix(head, "<head") || strings.HasPrefix(head, "<body")
}

// htmlTitle returns the text of the page's <title>, if any, within its first 16 KiB.
func htmlTitle(b []byte) string {
	low := bytes.ToLower(b[:min(len(b), 16<<10)])
	i := bytes.Index(low, []byte("<title"))
	if i < 0 {
		return ""
	}
	gt := bytes.IndexByte(low[i:], '>')
	if gt < 0 {
		return ""
	}
	start := i + gt + 1
	end := bytes.Index(low[start:], []byte("</title"))
	if end < 0 {
		return ""
	}
	title := string(b[start : start+end])
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&nbsp;", " ").Replace(title)
}

// isBinary reports a body that is mostly not text (a ZIP or image served as
// an error): over a quarter of its first 512 bytes invalid UTF-8 or control
// characters other than white space.
func isBinary(b []byte) bool {
	b = b[:min(len(b), 512)]
	bad, total := 0, 0
	for len(b) > 0 {
		if !utf8.FullRune(b) {
			break // a character cut by the 512-byte window
		}
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		total++
		if r == utf8.RuneError && n == 1 || r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
			bad++
		}
	}
	return bad*4 > total
}
