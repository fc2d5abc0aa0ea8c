package riskos

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

const sampleID = "fb1ddadc-6dba-4ce4-aa6d-25c005b192b5"

func TestParseEvalID(t *testing.T) {
	other := "11111111-1111-4111-8111-111111111111"
	tests := []struct {
		name, in, want string
		errHas         string // for failures: a fragment of the message
	}{
		{name: "plain", in: sampleID, want: sampleID},
		{name: "upper case", in: strings.ToUpper(sampleID), want: sampleID},
		{name: "mixed case", in: "FB1ddadc-6DBA-4ce4-AA6D-25c005B192b5", want: sampleID},
		{name: "whitespace", in: " \t\n" + sampleID + "\r\n ", want: sampleID},
		{name: "straight double quotes", in: `"` + sampleID + `"`, want: sampleID},
		{name: "straight single quotes", in: "'" + sampleID + "'", want: sampleID},
		{name: "curly double quotes", in: "\u201c" + sampleID + "\u201d", want: sampleID},
		{name: "curly single quotes", in: "\u2018" + sampleID + "\u2019", want: sampleID},
		{name: "backticks and spaces", in: " `" + sampleID + "` ", want: sampleID},
		{name: "non-breaking space and BOM", in: "\ufeff\u00a0" + sampleID + "\u00a0", want: sampleID},
		{name: "dashboard URL", in: "https://dashboard.socure.com/riskos/evaluations/" + strings.ToUpper(sampleID) + "?tab=documents", want: sampleID},
		{name: "API URL", in: "https://riskos.socure.com/api/evaluation/" + sampleID + "/documents", want: sampleID},
		{name: "query parameter", in: "https://x.example/view?eval_id=" + sampleID + "&tab=1", want: sampleID},
		{name: "sentence", in: "please look at " + sampleID + ", thanks", want: sampleID},
		{name: "same UUID twice", in: "https://x.example/" + sampleID + "?id=" + strings.ToUpper(sampleID), want: sampleID},
		{name: "zip file name", in: sampleID + "_document.zip", want: sampleID},
		{name: "two UUIDs", in: sampleID + " " + other, errHas: "2 different UUIDs"},
		{name: "two UUIDs in a URL", in: "https://x.example/" + sampleID + "/" + other, errHas: "2 different UUIDs"},
		{name: "none", in: "hello world", errHas: "no UUID"},
		{name: "empty", in: "", errHas: "empty"},
		{name: "only quotes and space", in: " \"\u201c \u201d\" ", errHas: "empty"},
		{name: "one digit short", in: sampleID[:35], errHas: sampleID[:35]},
		{name: "glued hex digit", in: sampleID + "a", errHas: "no UUID"},
		{name: "glued leading hex", in: "0" + sampleID, errHas: "no UUID"},
		{name: "glued dash", in: sampleID + "-1234", errHas: "no UUID"},
		{name: "braces", in: "{" + sampleID + "}", want: sampleID},
		{name: "not hex", in: "gb1ddadc-6dba-4ce4-aa6d-25c005b192b5", errHas: "no UUID"},
		{name: "no dashes", in: strings.ReplaceAll(sampleID, "-", ""), errHas: "no UUID"},
		{name: "dash misplaced", in: "fb1ddad-c6dba-4ce4-aa6d-25c005b192b5", errHas: "no UUID"},
		{name: "too long", in: sampleID + strings.Repeat(" ", MaxEvalIDInput), errHas: "bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseEvalID(tt.in)
			if tt.errHas == "" {
				if err != nil || got != tt.want {
					t.Fatalf("ParseEvalID(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseEvalID(%q) = %q, want an error", tt.in, got)
			}
			if !errors.Is(err, ErrInvalidEvalID) {
				t.Errorf("error %v does not wrap ErrInvalidEvalID", err)
			}
			if !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("error %q does not contain %q", err, tt.errHas)
			}
			if got != "" {
				t.Errorf("got %q with an error", got)
			}
		})
	}
}

func TestParseEvalIDExcerpt(t *testing.T) {
	tests := []struct {
		name, in string
		notHas   []string
		has      []string
	}{
		{name: "control characters stripped", in: "abc\x00\x1b[31mdef\x07", notHas: []string{"\x00", "\x1b", "\x07"}, has: []string{"abc", "def"}},
		{name: "long input cut", in: strings.Repeat("word ", 500), notHas: []string{strings.Repeat("word ", 10)}},
		{name: "API key pasted by mistake", in: "sk_live_51HcQxyzABCDEFGHIJKLMNOPqrstu", notHas: []string{"51HcQxyzABCDEFGHIJKLMNOPqrstu"}, has: []string{"sk_l…"}},
		{name: "short API key pasted", in: "SENTINEL-KEY-7d1e0c", notHas: []string{"SENTINEL-KEY"}, has: []string{"SENT…"}},
		{name: "short word stays visible", in: "hello world", has: []string{"hello world"}},
		{name: "bearer header pasted", in: "Bearer abcdefghijklmnopqrstuvwxyz0123456789", notHas: []string{"abcdefghijklmnopqrstuvwxyz"}, has: []string{"Bearer"}},
		{name: "typo stays visible", in: "fb1ddadc-6dba-4ce4-aa6d-25c005b192", has: []string{"fb1ddadc-6dba-4ce4-aa6d-25c005b192"}},
		{name: "invalid UTF-8 dropped", in: "ab\xff\xfecd", notHas: []string{"\xff", "\\x"}, has: []string{"abcd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseEvalID(tt.in)
			if err == nil {
				t.Fatal("want an error")
			}
			checkEvalIDError(t, err)
			msg := err.Error()
			for _, s := range tt.notHas {
				if strings.Contains(msg, s) {
					t.Errorf("error %q contains %q", msg, s)
				}
			}
			for _, s := range tt.has {
				if !strings.Contains(msg, s) {
					t.Errorf("error %q lacks %q", msg, s)
				}
			}
		})
	}
}

var canonicalUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// quotedExcerpt finds the %q-quoted excerpt in an error message.
var quotedExcerpt = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// checkEvalIDError checks the properties every ParseEvalID error has.
func checkEvalIDError(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ErrInvalidEvalID) {
		t.Errorf("error %v does not wrap ErrInvalidEvalID", err)
	}
	msg := err.Error()
	if !utf8.ValidString(msg) {
		t.Errorf("error is not valid UTF-8: %q", msg)
	}
	for _, r := range msg {
		if unicode.IsControl(r) {
			t.Errorf("error contains control character %U: %q", r, msg)
		}
	}
	for _, q := range quotedExcerpt.FindAllString(msg, -1) {
		if n := utf8.RuneCountInString(q) - 2; n > EvalIDExcerptLen*2 {
			t.Errorf("excerpt %s is %d characters", q, n)
		}
	}
	if len(msg) > 300 {
		t.Errorf("error is %d bytes long", len(msg))
	}
}

func TestEvalIDExcerptLength(t *testing.T) {
	for _, in := range []string{strings.Repeat("é", 100), strings.Repeat("ab cd ", 50), strings.Repeat("x", 4000)} {
		ex := EvalIDExcerpt(in)
		if n := utf8.RuneCountInString(ex); n > EvalIDExcerptLen {
			t.Errorf("excerpt of %d bytes has %d characters", len(in), n)
		}
	}
}

func FuzzParseEvalID(f *testing.F) {
	for _, s := range []string{
		sampleID, strings.ToUpper(sampleID), `"` + sampleID + `"`, "\u201c" + sampleID + "\u201d",
		"https://dashboard.example/evaluations/" + sampleID + "?x=1",
		sampleID + " " + "11111111-1111-4111-8111-111111111111", "", "not an id", sampleID[:35], "0" + sampleID,
		"\x00\xff" + sampleID, "sk_live_abcdefghijklmnopqrstuvwxyz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ParseEvalID(in)
		if err != nil {
			checkEvalIDError(t, err)
			return
		}
		if !canonicalUUID.MatchString(got) {
			t.Fatalf("ParseEvalID(%q) = %q, not a canonical UUID", in, got)
		}
		if !strings.Contains(strings.ToLower(in), got) {
			t.Fatalf("ParseEvalID(%q) = %q, not found in the input", in, got)
		}
		again, err := ParseEvalID(got)
		if err != nil || again != got {
			t.Fatalf("not idempotent: %q → %q, %v", got, again, err)
		}
	})
}
