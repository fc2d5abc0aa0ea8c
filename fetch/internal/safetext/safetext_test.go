package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestName(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"plain":               {"user_uploaded/front.jpg", "user_uploaded/front.jpg"},
		"empty":               {"", "(empty)"},
		"control characters":  {"a\x00b\nc\x1bd\x7f", "a?b?c?d?"},
		"C1 control":          {"a\u0085b", "a?b"},
		"bidi override":       {"invoice\u202Egpj.exe", "invoice?gpj.exe"},
		"zero width and BOM":  {"a\u200Bb\uFEFFc", "a?b?c"},
		"invalid UTF-8":       {"a\xffb\xc3", "a?b?"},
		"real replacement":    {"a\uFFFDb", "a\uFFFDb"},
		"space kept":          {"front page.jpg", "front page.jpg"},
		"cut at 80 runes":     {strings.Repeat("é", 100), strings.Repeat("é", 80) + "…"},
		"exactly 80 runes":    {strings.Repeat("x", 80), strings.Repeat("x", 80)},
		"unprintable private": {"a\U000F0000b", "a?b"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Name(tt.in); got != tt.want {
				t.Errorf("Name(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestUnsafeRune(t *testing.T) {
	for _, r := range []rune{0, '\n', 0x1b, 0x7f, 0x85, 0x200B, 0x200F, 0x202A, 0x202E, 0x2066, 0x2069, 0xFEFF} {
		if !UnsafeRune(r) {
			t.Errorf("UnsafeRune(%U) = false", r)
		}
	}
	for _, r := range []rune{' ', 'a', 'é', '…', 0x2010, 0x2070, 0xFFFD} {
		if UnsafeRune(r) {
			t.Errorf("UnsafeRune(%U) = true", r)
		}
	}
}

// FuzzName: whatever the input, the result is valid UTF-8, at most 81
// runes, never empty, and has no unsafe or unprintable rune.
func FuzzName(f *testing.F) {
	for _, s := range []string{"", "a\u202Eb", "\xff\xfe", strings.Repeat("..", 60), "C:\\x\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Name(s)
		if got == "" || !utf8.ValidString(got) || utf8.RuneCountInString(got) > 81 {
			t.Fatalf("Name(%q) = %q", s, got)
		}
		if strings.ContainsFunc(got, UnsafeRune) {
			t.Fatalf("Name(%q) = %q keeps an unsafe rune", s, got)
		}
	})
}
