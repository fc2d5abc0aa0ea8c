package riskos

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestErrorMessage(t *testing.T) {
	tests := []struct {
		name, body, ct, want string
	}{
		{name: "json message", body: `{"message":"No Documents Found"}`, ct: "application/json", want: "No Documents Found"},
		{name: "json message any content type", body: ` {"message": "Invalid  eval_id\n format"} `, want: "Invalid eval_id format"},
		{name: "json Message capitalised", body: `{"Message":"Forbidden"}`, want: "Forbidden"},
		{name: "json error string", body: `{"error":"invalid_token"}`, want: "invalid_token"},
		{name: "json error object", body: `{"error":{"code":7,"message":"quota exceeded"}}`, want: "quota exceeded"},
		{name: "json message wins over error", body: `{"error":"x","message":"y"}`, want: "y"},
		{name: "json without message", body: `{"code":42}`, want: `{"code":42}`},
		{name: "json message not a string", body: `{"message":42}`, want: `{"message":42}`},
		{name: "json with BOM", body: "\xef\xbb\xbf{\"message\":\"hi\"}", want: "hi"},
		{name: "broken json", body: `{"message":"cut`, want: `{"message":"cut`},
		{name: "plain text", body: "Service Unavailable\r\n\r\nretry later", ct: "text/plain", want: "Service Unavailable retry later"},
		{name: "html by type", body: "<p>oops</p>", ct: "text/html; charset=utf-8", want: "HTML page"},
		{name: "html by bytes", body: "<!DOCTYPE html><html><head><title>502 Bad &amp; Gateway</title></head><body>long</body></html>", want: "HTML page: 502 Bad & Gateway"},
		{name: "html title with attributes", body: "<html><TITLE lang=en>\n  Sign in \n</TITLE>", ct: "text/html", want: "HTML page: Sign in"},
		{name: "html title unclosed", body: "<html><title>never ends", ct: "text/html", want: "HTML page"},
		{name: "empty", body: "", want: ""},
		{name: "only space", body: " \n\t ", want: ""},
		{name: "control characters", body: "bad\x00\x1b[2J\x07thing", want: "bad[2Jthing"},
		{name: "binary", body: "PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00\x00\x00\x01\x02\x03\x04", want: "binary data"},
		{name: "invalid utf-8 mostly", body: "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8", want: "binary data"},
		{name: "unicode kept", body: "Fehler: Schlüssel ungültig", want: "Fehler: Schlüssel ungültig"},
		{name: "json message with newlines", body: `{"message":"line1\nline2\u0000"}`, want: "line1 line2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errorMessage([]byte(tt.body), tt.ct, ""); got != tt.want {
				t.Errorf("errorMessage(%q) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}

func TestErrorMessageLimits(t *testing.T) {
	long := strings.Repeat("abcdefghij ", 1000)
	for name, body := range map[string]string{
		"text":         long,
		"json message": `{"message":"` + long + `"}`,
		"html title":   "<html><title>" + long + "</title>",
		"wide runes":   strings.Repeat("日本語", 500),
	} {
		t.Run(name, func(t *testing.T) {
			got := errorMessage([]byte(body), "", "")
			if n := utf8.RuneCountInString(got); n > MaxMessageLen || n < MaxMessageLen-20 {
				t.Errorf("message has %d characters, want about %d", n, MaxMessageLen)
			}
			if !strings.HasSuffix(got, "…") {
				t.Errorf("cut message %q does not end in an ellipsis", got[len(got)-10:])
			}
		})
	}
}

func TestErrorMessageRedactsKey(t *testing.T) {
	const key = "k3y-SECRET-0123456789"
	for _, body := range []string{
		`{"message":"invalid key ` + key + `"}`,
		"key " + key + " refused",
		"<html><title>bad " + key + "</title></html>",
		strings.Repeat("x", MaxMessageLen-5) + " " + key, // the key straddles the cut
	} {
		got := errorMessage([]byte(body), "", key)
		if strings.Contains(got, key) || strings.Contains(got, key[:8]) {
			t.Errorf("message %q leaks the key", got)
		}
	}
	if got := errorMessage([]byte("key "+key+" refused"), "", key); got != "key [redacted] refused" {
		t.Errorf("got %q", got)
	}
}

func FuzzErrorBody(f *testing.F) {
	for _, s := range []struct{ body, ct string }{
		{`{"message":"No Documents Found"}`, "application/json"},
		{`{"error":{"message":"x"}}`, ""},
		{"<!doctype html><title>Login</title>", "text/html"},
		{"plain\r\ntext", "text/plain"},
		{"PK\x03\x04\x00\x00", "application/zip"},
		{"\xff\xfe", ""},
		{`{"message":"SECRETKEY"}`, "application/json; charset=utf-8"},
	} {
		f.Add([]byte(s.body), s.ct)
	}
	const key = "SECRETKEY"
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		got := errorMessage(body, ct, key)
		if n := utf8.RuneCountInString(got); n > MaxMessageLen {
			t.Fatalf("message has %d characters", n)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("message is not valid UTF-8: %q", got)
		}
		if strings.Contains(got, key) {
			t.Fatalf("message %q contains the key", got)
		}
		if got != strings.TrimSpace(got) || strings.Contains(got, "  ") {
			t.Fatalf("white space not collapsed: %q", got)
		}
		for _, r := range got {
			if !unicode.IsPrint(r) && r != ' ' {
				t.Fatalf("message has unprintable %U: %q", r, got)
			}
		}
	})
}
