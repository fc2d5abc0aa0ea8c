package forensics

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReadMarkers: any bytes give markers or one of the reader's errors,
// never a panic; a quality is always 1–100; the XMP tool name is clean.
func FuzzReadMarkers(f *testing.F) {
	jpg := encJPEG(f, scene(32, 24, 0), 80)
	f.Add(jpg)
	f.Add(withXMP(withEXIF(jpg, cameraEXIF(6, "GIMP", nil, true)), `<xmp:CreatorTool>GIMP</xmp:CreatorTool>`))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x84, 0x10})
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xD9})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := readMarkers(data)
		if err != nil && !errors.Is(err, ErrNotJPEG) && !errors.Is(err, ErrMalformedJPEG) {
			t.Fatalf("unexpected error %v", err)
		}
		if q, ok := jpegQuality(m); ok && (q < 1 || q > 100) {
			t.Fatalf("quality %d", q)
		}
		checkTool(t, xmpCreatorTool(m.xmp))
	})
}

// FuzzXMPCreatorTool: any packet gives a clean, bounded name.
func FuzzXMPCreatorTool(f *testing.F) {
	f.Add([]byte(`<x:xmpmeta xmp:CreatorTool="Adobe Photoshop 25.0">`))
	f.Add([]byte(`<xmp:CreatorTool>GIMP &amp; co</xmp:CreatorTool>`))
	f.Add([]byte(`CreatorTool='`))
	f.Fuzz(func(t *testing.T, packet []byte) {
		tool := xmpCreatorTool(packet)
		checkTool(t, tool)
		editorIn(tool)
	})
}

func checkTool(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) || strings.ContainsAny(s, "\x00\n\r\t") || utf8.RuneCountInString(s) > maxToolRunes+1 {
		t.Fatalf("unclean tool name %q", s)
	}
}
