package forensics

import (
	"context"
	"encoding/json"
	"image"
	"reflect"
	"strings"
	"testing"

	"docvreview/imaging"
)

// flagNames lists the names of a report's flags.
func flagNames(fs []Flag) []FlagName {
	out := []FlagName{}
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return out
}

func analyze(t *testing.T, raw []byte) Report {
	t.Helper()
	r, err := Analyze(context.Background(), raw, "front", nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Each flag has a crafted file that raises it and a control that does not.
func TestEXIFFlags(t *testing.T) {
	const w, h = 640, 480
	a, b := scene(w, h, 0), scene(w, h, 1)
	plain := encJPEG(t, a, 90)
	thumbA := encJPEG(t, shrinkRGBA(a, 160, 120), 70)
	thumbB := encJPEG(t, shrinkRGBA(b, 160, 120), 70)

	// Stored turned (Orientation 6), with the thumbnail stored the same way.
	aTurned := rotateCCW(a)
	thumbATurned := encJPEG(t, shrinkRGBA(aTurned, 120, 160), 70)
	// A thumbnail left upright while the image is stored turned: after
	// orientation it is on its side.
	thumbAUpright := thumbA

	// Letterboxed thumbnail: a wide 160×90 picture in a 160×120 frame
	// with black bars, of a 16:9 image.
	wide := scene(640, 360, 0)
	lb := image.NewRGBA(image.Rect(0, 0, 160, 120))
	for i := 3; i < len(lb.Pix); i += 4 {
		lb.Pix[i] = 255
	}
	small := shrinkRGBA(wide, 160, 90)
	for y := 0; y < 90; y++ {
		copy(lb.Pix[(y+15)*lb.Stride:], small.Pix[y*small.Stride:][:160*4])
	}
	thumbLetterbox := encJPEG(t, lb, 70)

	onlySoftware := buildEXIF(exifLayout{ifd0: []tiffField{ascii(tagSoftware, "Screenshot Tool")}})
	processing := buildEXIF(exifLayout{ifd0: []tiffField{ascii(tagProcessingSoftware, "GIMP 2.10.34"), ascii(tagMake, "Acme")}})

	tests := []struct {
		name string
		data []byte
		want []FlagName
	}{
		{"camera file (control)", withEXIF(plain, cameraEXIF(1, "iOS 17.1", thumbA, false)), []FlagName{}},
		{"Photoshop in Software", withEXIF(plain, cameraEXIF(1, "Adobe Photoshop 25.0 (Windows)", nil, false)), []FlagName{FlagEditedSoftware}},
		{"GIMP in ProcessingSoftware", withEXIF(plain, processing), []FlagName{FlagEditedSoftware}},
		{"Snapseed in XMP attribute", withXMP(withEXIF(plain, cameraEXIF(1, "", nil, false)),
			`<x:xmpmeta><rdf:Description xmp:CreatorTool = 'Snapseed 2.0'/></x:xmpmeta>`), []FlagName{FlagEditedSoftware}},
		{"Canva in XMP element", withXMP(withEXIF(plain, cameraEXIF(1, "", nil, false)),
			`<x:xmpmeta><xmp:CreatorTool>Canva</xmp:CreatorTool></x:xmpmeta>`), []FlagName{FlagEditedSoftware}},
		{"canvas in XMP (control)", withXMP(withEXIF(plain, cameraEXIF(1, "", nil, false)),
			`<xmp:CreatorTool>HTML canvas capture</xmp:CreatorTool>`), []FlagName{}},
		{"thumbnail of another picture", withEXIF(plain, cameraEXIF(1, "", thumbB, false)), []FlagName{FlagThumbnailMismatch}},
		{"turned image, thumbnail stored the same way (control)", withEXIF(encJPEG(t, aTurned, 90), cameraEXIF(6, "", thumbATurned, false)), []FlagName{}},
		{"turned image, thumbnail left upright", withEXIF(encJPEG(t, aTurned, 90), cameraEXIF(6, "", thumbAUpright, false)), []FlagName{FlagThumbnailMismatch}},
		{"letterboxed thumbnail (control)", withEXIF(encJPEG(t, wide, 90), cameraEXIF(1, "", thumbLetterbox, false)), []FlagName{}},
		{"thumbnail that is not an image (control)", withEXIF(plain, cameraEXIF(1, "", []byte{0xFF, 0xD8, 0xFF, 0xD9}, false)), []FlagName{}},
		{"GPS", withEXIF(plain, cameraEXIF(1, "", nil, true)), []FlagName{FlagGPSPresent}},
		{"no EXIF", plain, []FlagName{FlagNoCameraMetadata}},
		{"EXIF without camera fields", withEXIF(plain, onlySoftware), []FlagName{FlagNoCameraMetadata}},
		{"PNG without EXIF", encPNG(t, a), []FlagName{FlagNoCameraMetadata}},
		{"all at once", withXMP(withEXIF(plain, buildEXIF(exifLayout{
			ifd0:  []tiffField{ascii(tagSoftware, "PicsArt Photo Studio"), ptr(tagGPSIFD, "gps")},
			gps:   []tiffField{{tag: 0, typ: 1, count: 4, val: []byte{2, 3, 0, 0}}},
			ifd1:  []tiffField{short(tagCompression, 6), ptr(tagThumbOffset, "thumb"), long(tagThumbLength, uint32(len(thumbB)))},
			thumb: thumbB,
		})), `<xmp:CreatorTool>Pixelmator Pro</xmp:CreatorTool>`),
			[]FlagName{FlagEditedSoftware, FlagThumbnailMismatch, FlagGPSPresent, FlagNoCameraMetadata}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := analyze(t, tc.data)
			if got := flagNames(r.EXIFFlags); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("flags %v, want %v", got, tc.want)
			}
			// The load pipeline's display decode in place of a new small decode: the same flags.
			if d, err := imaging.DecodeForDisplay(tc.data, 400, 400, imaging.Options{}); err == nil {
				rd, err := AnalyzeWith(context.Background(), tc.data, "front", nil, Options{Display: d})
				if got := flagNames(rd.EXIFFlags); err != nil || !reflect.DeepEqual(got, tc.want) {
					t.Errorf("with the display decode: flags %v (%v), want %v", got, err, tc.want)
				}
			}
			for _, f := range r.EXIFFlags {
				if f.Explanation == "" || strings.ContainsAny(f.Explanation, "\n\r") {
					t.Errorf("%s: explanation %q", f.Name, f.Explanation)
				}
			}
		})
	}
}

// The thumbnail's similarity separates the same picture from another one
// by a wide margin, so the threshold is not balanced on a knife edge.
func TestThumbnailSimilarityMargin(t *testing.T) {
	a, b := scene(640, 480, 0), scene(640, 480, 1)
	plain := encJPEG(t, a, 90)
	_, same, ok1 := thumbnailCheck(withEXIF(plain, cameraEXIF(1, "", encJPEG(t, shrinkRGBA(a, 160, 120), 50), false)), nil)
	_, other, ok2 := thumbnailCheck(withEXIF(plain, cameraEXIF(1, "", encJPEG(t, shrinkRGBA(b, 160, 120), 50), false)), nil)
	if !ok1 || !ok2 {
		t.Fatal("not checked")
	}
	if same < 0.9 || other > 0.5 {
		t.Errorf("similarity: same picture %.3f (want ≥ 0.9), other picture %.3f (want ≤ 0.5)", same, other)
	}
}

func TestEditorIn(t *testing.T) {
	for s, want := range map[string]string{
		"Adobe Photoshop 25.0 (Windows)":         "photoshop",
		"Adobe Photoshop Lightroom Classic 13.0": "photoshop",
		"GIMP 2.10.34":                           "gimp",
		"paint.net 5.0.12":                       "paint.net",
		"Edited with Snapseed.":                  "snapseed",
		"Affinity Photo 2":                       "affinity",
		"Canva":                                  "canva",
		"canvas":                                 "",
		"iOS 17.1":                               "",
		"G998BXXU5CWA1":                          "",
		"DocV Review simulator (synthetic specimen)": "",
		"": "",
	} {
		if got := editorIn(s); got != want {
			t.Errorf("editorIn(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestXMPCreatorTool(t *testing.T) {
	for packet, want := range map[string]string{
		`<rdf:Description xmp:CreatorTool="Adobe Photoshop 25.0 (Macintosh)" xmp:CreateDate="2024"/>`: "Adobe Photoshop 25.0 (Macintosh)",
		`<xmp:CreatorTool>GIMP &amp; friends</xmp:CreatorTool>`:                                       "GIMP & friends",
		`<xmp:CreatorTool>` + "a\x00b\nc" + `</xmp:CreatorTool>`:                                      "a b c",
		`xmp:CreatorTool="unterminated`:                                                               "",
		`<xmp:CreatorTool/><xmp:CreatorTool>Second</xmp:CreatorTool>`:                                 "Second",
		`no tool here`: "",
		`<xmp:CreatorTool>` + strings.Repeat("x", 500) + `</xmp:CreatorTool>`: strings.Repeat("x", maxToolRunes) + "…",
	} {
		if got := xmpCreatorTool([]byte(packet)); got != want {
			t.Errorf("xmpCreatorTool(%.40q) = %q, want %q", packet, got, want)
		}
	}
}

func TestFlagJSON(t *testing.T) {
	b, err := json.Marshal([]Flag{{FlagGPSPresent, "x"}, {FlagEditedSoftware, "y"}})
	if err != nil || string(b) != `["gps_present","edited_software"]` {
		t.Fatalf("%s %v", b, err)
	}
	var back []Flag
	if err := json.Unmarshal(b, &back); err != nil || len(back) != 2 || back[0].Name != FlagGPSPresent || back[0].Explanation == "" {
		t.Fatalf("%+v %v", back, err)
	}
	if err := json.Unmarshal([]byte(`["made_up"]`), &back); err == nil {
		t.Error("a name outside the vocabulary was accepted")
	}
}

func TestOrientGray(t *testing.T) {
	// A 3×2 stored image: 0 1 2 / 3 4 5.
	g := image.NewGray(image.Rect(0, 0, 3, 2))
	copy(g.Pix, []uint8{0, 1, 2, 3, 4, 5})
	for o, want := range map[int][]uint8{
		1: {0, 1, 2, 3, 4, 5},
		2: {2, 1, 0, 5, 4, 3},
		3: {5, 4, 3, 2, 1, 0},
		4: {3, 4, 5, 0, 1, 2},
		5: {0, 3, 1, 4, 2, 5},
		6: {3, 0, 4, 1, 5, 2},
		7: {5, 2, 4, 1, 3, 0},
		8: {2, 5, 1, 4, 0, 3},
	} {
		got := orientGray(g, o)
		if !reflect.DeepEqual(got.Pix[:len(want)], want) {
			t.Errorf("orientation %d: %v, want %v", o, got.Pix, want)
		}
		if o >= 5 && (got.Rect.Dx() != 2 || got.Rect.Dy() != 3) {
			t.Errorf("orientation %d: size %v", o, got.Rect)
		}
	}
}
