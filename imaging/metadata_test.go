package imaging

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log"
	"os"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// metadataCase is one input for ReadMetadata and what must come out.
type metadataCase struct {
	name     string
	data     []byte
	info     Info  // compared field by field when Format != ""
	exif     *EXIF // nil: no EXIF expected
	warnings []string
}

func metadataCases() []metadataCase {
	full := fullEXIF(6)
	thumbOutside := buildTIFF(tiffLayout{
		ifd0: []tiffField{asciiField(tagMake, "Acme")},
		ifd1: []tiffField{longField(tagThumbnailOffset, 60_000), longField(tagThumbnailLength, 5000)},
	})
	loop := buildTIFF(tiffLayout{
		ifd0:           []tiffField{asciiField(tagModel, "Loop")},
		ifd1:           []tiffField{longField(0x0103, 6)},
		ifd1NextToIFD0: true,
	})
	noOffset := buildTIFF(tiffLayout{
		ifd0: []tiffField{asciiField(tagMake, "Acme"), ptrField(0x8769, "exif")},
		exif: []tiffField{asciiField(tagDateTimeOriginal, "2023:01:02 03:04:05")},
	})
	messyText := buildTIFF(tiffLayout{ifd0: []tiffField{
		asciiField(tagMake, "  Ac\x07me\tCorp  "),
		asciiField(tagModel, strings.Repeat("M", 300)),
		asciiField(tagSoftware, "bad \xff\xfe utf8"),
	}})
	badOrientation := buildTIFF(tiffLayout{ifd0: []tiffField{shortField(tagOrientation, 9)}})
	gpsPointerOnly := buildTIFF(tiffLayout{ifd0: []tiffField{longField(tagGPSInfo, 4000)}})
	bigEXIF := append(append([]byte{}, full...), make([]byte, maxEXIFBytes)...)

	hugeThumb := buildTIFF(tiffLayout{
		ifd0: []tiffField{asciiField(tagMake, "Acme")},
		ifd1: []tiffField{longField(tagThumbnailOffset, 8), longField(tagThumbnailLength, 0xFFFFFFFF)},
	})
	shortThumbTags := buildTIFF(tiffLayout{
		ifd0: []tiffField{asciiField(tagMake, "Acme")},
		ifd1: []tiffField{shortField(tagThumbnailOffset, 8), shortField(tagThumbnailLength, 10)},
	})
	duplicateThumbTags := buildTIFF(tiffLayout{
		ifd0: []tiffField{asciiField(tagMake, "Acme")},
		ifd1: []tiffField{longField(tagThumbnailOffset, 8), longField(tagThumbnailLength, 0xFFFFFF00),
			longField(tagThumbnailOffset, 8), longField(tagThumbnailLength, 10)},
	})
	hugeMake := buildTIFF(tiffLayout{ifd0: []tiffField{
		{tag: tagMake, typ: 2, count: 0x7FFFFFFF, val: []byte("ABCDEFGH")},
		asciiField(tagModel, "Fine"),
	}})
	manyEntries := buildTIFF(tiffLayout{ifd0: make([]tiffField, 5000)})

	jpg := testJPEG(16, 8)
	return []metadataCase{
		{
			name: "big-endian EXIF",
			data: jpegWithEXIF(16, 8, fullEXIFLayout(3, true)),
			info: Info{Format: JPEG, Width: 16, Height: 8, Orientation: 3},
			exif: &EXIF{Make: "Acme", Model: "IDCam 3000", Software: "Capture SDK 4.2",
				DateTimeOriginal: "2024:05:06 07:08:09 +02:00", Orientation: 3,
				HasGPS: true, HasThumbnail: true, ThumbnailBytes: 1004},
		},
		{
			name:     "thumbnail length of 4 GiB",
			data:     jpegWithEXIF(16, 8, hugeThumb),
			exif:     &EXIF{Make: "Acme"},
			warnings: []string{"thumbnail ignored"},
		},
		{
			name:     "thumbnail tags of the wrong type",
			data:     jpegWithEXIF(16, 8, shortThumbTags),
			exif:     &EXIF{Make: "Acme"},
			warnings: []string{"thumbnail ignored"},
		},
		{
			name:     "duplicate thumbnail tags",
			data:     jpegWithEXIF(16, 8, duplicateThumbTags),
			exif:     &EXIF{Make: "Acme"},
			warnings: []string{"thumbnail ignored"},
		},
		{
			name:     "text tag claiming 2 GiB",
			data:     jpegWithEXIF(16, 8, hugeMake),
			exif:     &EXIF{Model: "Fine"},
			warnings: []string{"Make unreadable"},
		},
		{
			name:     "too many entries",
			data:     jpegWithEXIF(16, 8, manyEntries),
			warnings: []string{"too many IFDs or entries"},
		},
		{
			name: "JPEG with full EXIF",
			data: jpegWithEXIF(16, 8, full),
			info: Info{Format: JPEG, Width: 16, Height: 8, Orientation: 6, Subsampling: "4:2:0"},
			exif: &EXIF{Make: "Acme", Model: "IDCam 3000", Software: "Capture SDK 4.2",
				DateTimeOriginal: "2024:05:06 07:08:09 +02:00", Orientation: 6,
				HasGPS: true, HasThumbnail: true, ThumbnailBytes: 1004},
		},
		{
			name: "JPEG without EXIF",
			data: jpg,
			info: Info{Format: JPEG, Width: 16, Height: 8, Orientation: 1, Subsampling: "4:2:0"},
		},
		{
			name: "JPEG with an XMP APP1 only",
			data: withAPP1(jpg, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>")),
			info: Info{Format: JPEG, Width: 16, Height: 8, Orientation: 1},
		},
		{
			name:     "EXIF header followed by garbage",
			data:     withAPP1(jpg, append([]byte("Exif\x00\x00"), bytes.Repeat([]byte{0xA5}, 200)...)),
			info:     Info{Format: JPEG, Width: 16, Height: 8},
			warnings: []string{"malformed EXIF block"},
		},
		{
			name:     "EXIF block truncated inside IFD0",
			data:     jpegWithEXIF(16, 8, full[:30]),
			info:     Info{Format: JPEG, Width: 16, Height: 8},
			warnings: []string{"malformed EXIF block"},
		},
		{
			name:     "EXIF with an empty TIFF block",
			data:     jpegWithEXIF(16, 8, nil),
			info:     Info{Format: JPEG, Width: 16, Height: 8},
			warnings: []string{"malformed EXIF block"},
		},
		{
			name:     "thumbnail outside the block",
			data:     jpegWithEXIF(16, 8, thumbOutside),
			exif:     &EXIF{Make: "Acme"},
			warnings: []string{"thumbnail ignored"},
		},
		{
			name: "IFD chain loops back to IFD0",
			data: jpegWithEXIF(16, 8, loop),
			exif: &EXIF{Model: "Loop"},
		},
		{
			name: "DateTimeOriginal without offset",
			data: jpegWithEXIF(16, 8, noOffset),
			exif: &EXIF{Make: "Acme", DateTimeOriginal: "2023:01:02 03:04:05"},
		},
		{
			name: "control characters, long and invalid text",
			data: jpegWithEXIF(16, 8, messyText),
			exif: &EXIF{Make: "Ac me Corp", Model: strings.Repeat("M", maxEXIFText) + "…", Software: "bad \uFFFD utf8"},
		},
		{
			name:     "orientation out of range",
			data:     jpegWithEXIF(16, 8, badOrientation),
			exif:     &EXIF{},
			warnings: []string{"Orientation 9 is not 1–8"},
		},
		{
			name:     "GPS pointer to nowhere",
			data:     jpegWithEXIF(16, 8, gpsPointerOnly),
			warnings: []string{"malformed EXIF block"},
		},
		{
			name: "EXIF after the start of scan is not read",
			data: append(append([]byte{}, jpg[:len(jpg)-2]...), withAPP1([]byte{0xFF, 0xD8}, append([]byte("Exif\x00\x00"), full...))[2:]...),
			info: Info{Format: JPEG, Width: 16, Height: 8},
		},
		{
			name: "PNG with eXIf",
			data: pngWithChunk(testPNG(5, 3), "eXIf", full),
			info: Info{Format: PNG, Width: 5, Height: 3, Orientation: 6},
			exif: &EXIF{Make: "Acme", Model: "IDCam 3000", Software: "Capture SDK 4.2",
				DateTimeOriginal: "2024:05:06 07:08:09 +02:00", Orientation: 6,
				HasGPS: true, HasThumbnail: true, ThumbnailBytes: 1004},
		},
		{
			name: "PNG with eXIf carrying the JPEG Exif header",
			data: pngWithChunk(testPNG(5, 3), "eXIf", append([]byte("Exif\x00\x00"), badOrientation...)),
			info: Info{Format: PNG, Width: 5, Height: 3},
			exif: &EXIF{}, warnings: []string{"Orientation 9"},
		},
		{
			name:     "PNG with an oversized eXIf",
			data:     pngWithChunk(testPNG(5, 3), "eXIf", bigEXIF),
			info:     Info{Format: PNG, Width: 5, Height: 3},
			warnings: []string{"exceeds 65536"},
		},
		{
			name: "PNG without EXIF",
			data: testPNG(5, 3),
			info: Info{Format: PNG, Width: 5, Height: 3, Orientation: 1},
		},
		{
			name:     "empty input",
			data:     nil,
			warnings: []string{"image header"},
		},
		{
			name:     "not an image",
			data:     []byte("<html>not an image</html>"),
			warnings: []string{"image header"},
		},
		{
			name:     "truncated JPEG header",
			data:     jpegWithEXIF(16, 8, full)[:40],
			info:     Info{Format: JPEG},
			warnings: []string{"image header"},
		},
	}
}

func TestReadMetadata(t *testing.T) {
	for _, tc := range metadataCases() {
		t.Run(tc.name, func(t *testing.T) {
			m := ReadMetadata(tc.data)
			sum := sha256.Sum256(tc.data)
			if m.Bytes != len(tc.data) || m.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("Bytes, SHA256 = %d, %s", m.Bytes, m.SHA256)
			}
			if tc.info.Format != "" {
				checkInfo(t, m.Info, tc.info)
			}
			switch {
			case tc.exif == nil && m.EXIF != nil:
				t.Errorf("EXIF = %+v, want none", *m.EXIF)
			case tc.exif != nil && m.EXIF == nil:
				t.Errorf("no EXIF, want %+v (warnings %q)", *tc.exif, m.Warnings)
			case tc.exif != nil && *m.EXIF != *tc.exif:
				t.Errorf("EXIF = %+v\nwant   %+v", *m.EXIF, *tc.exif)
			}
			if len(m.Warnings) != len(tc.warnings) {
				t.Fatalf("warnings %q, want %d matching %q", m.Warnings, len(tc.warnings), tc.warnings)
			}
			for i, w := range tc.warnings {
				if !strings.Contains(m.Warnings[i], w) {
					t.Errorf("warning %q does not contain %q", m.Warnings[i], w)
				}
			}
		})
	}
}

// checkInfo compares the fields of want that are set.
func checkInfo(t *testing.T, got, want Info) {
	t.Helper()
	if got.Format != want.Format {
		t.Errorf("Format = %q, want %q", got.Format, want.Format)
	}
	if want.Width != 0 && (got.Width != want.Width || got.Height != want.Height) {
		t.Errorf("size = %d×%d, want %d×%d", got.Width, got.Height, want.Width, want.Height)
	}
	if want.Orientation != 0 && got.Orientation != want.Orientation {
		t.Errorf("Orientation = %d, want %d", got.Orientation, want.Orientation)
	}
	if want.Subsampling != "" && got.Subsampling != want.Subsampling {
		t.Errorf("Subsampling = %q, want %q", got.Subsampling, want.Subsampling)
	}
}

// ReadMetadata (and go-exif's logging underneath) must print nothing, for
// good or bad input.
func TestReadMetadataPrintsNothing(t *testing.T) {
	out := captureOutput(t, func() {
		for _, tc := range metadataCases() {
			ReadMetadata(tc.data)
		}
	})
	if out != "" {
		t.Errorf("ReadMetadata printed %q", out)
	}
}

// captureOutput runs fn with os.Stdout, os.Stderr and the standard logger
// redirected, and returns what was written.
func captureOutput(t *testing.T, fn func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr, logOut := os.Stdout, os.Stderr, log.Writer()
	os.Stdout, os.Stderr = w, w
	log.SetOutput(w)
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	func() {
		defer func() {
			os.Stdout, os.Stderr = stdout, stderr
			log.SetOutput(logOut)
			w.Close()
		}()
		fn()
	}()
	return <-done
}

func TestReadMetadataIsFastOnLargeInput(t *testing.T) {
	// 20 MB of JPEG-looking bytes: only the header segments are walked.
	data := append(jpegWithEXIF(16, 8, fullEXIF(1)), make([]byte, 20<<20)...)
	start := time.Now()
	m := ReadMetadata(data)
	if m.EXIF == nil || m.EXIF.Make != "Acme" {
		t.Errorf("EXIF = %+v", m.EXIF)
	}
	// SHA-256 of 20 MB dominates; generous for -race on a busy machine.
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("took %v", el)
	}
}

func TestCleanEXIFText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Canon\x00\x00\x00", "Canon"},
		{"  NIKON CORPORATION ", "NIKON CORPORATION"},
		{"a\nb\rc\x1bd", "a b c d"},
		{"\xc3\x28", "\uFFFD("},
		{"", ""},
		{strings.Repeat("é", 200), strings.Repeat("é", maxEXIFText) + "…"},
	}
	for _, tc := range tests {
		if got := cleanEXIFText(tc.in); got != tc.want {
			t.Errorf("cleanEXIFText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// checkMetadataInvariants holds for every input.
func checkMetadataInvariants(t *testing.T, data []byte, m Metadata) {
	t.Helper()
	if m.Bytes != len(data) || len(m.SHA256) != 64 {
		t.Fatalf("Bytes %d SHA256 %q", m.Bytes, m.SHA256)
	}
	if x := m.EXIF; x != nil {
		if x.Orientation < 0 || x.Orientation > 8 {
			t.Errorf("Orientation %d", x.Orientation)
		}
		if x.ThumbnailBytes < 0 || x.ThumbnailBytes > maxEXIFBytes || (x.ThumbnailBytes > 0) != x.HasThumbnail {
			t.Errorf("thumbnail %v %d", x.HasThumbnail, x.ThumbnailBytes)
		}
		for _, s := range []string{x.Make, x.Model, x.Software, x.DateTimeOriginal} {
			if !utf8.ValidString(s) || utf8.RuneCountInString(s) > 2*maxEXIFText+2 {
				t.Errorf("text %q", s)
			}
			for _, r := range s {
				if unicode.IsControl(r) {
					t.Errorf("control character in %q", s)
				}
			}
		}
	}
}

func FuzzReadMetadata(f *testing.F) {
	for _, tc := range metadataCases() {
		f.Add(tc.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkMetadataInvariants(t, data, ReadMetadata(data))
	})
}
