package imaging

import (
	"bytes"
	"testing"
)

func TestReadEXIFAndThumbnail(t *testing.T) {
	thumb := testJPEG(8, 8)
	withThumb := buildTIFF(tiffLayout{
		ifd0:  []tiffField{asciiField(tagProcessingSoftware, "RawConvert 2"), asciiField(tagSoftware, "Editor 1")},
		ifd1:  []tiffField{longField(0x0103, 6), ptrField(tagThumbnailOffset, "thumb"), longField(tagThumbnailLength, uint32(len(thumb)))},
		thumb: thumb,
	})
	notJPEG := buildTIFF(tiffLayout{
		ifd0:  []tiffField{asciiField(tagMake, "Acme")},
		ifd1:  []tiffField{ptrField(tagThumbnailOffset, "thumb"), longField(tagThumbnailLength, 4)},
		thumb: []byte("RIFF"),
	})
	outside := buildTIFF(tiffLayout{
		ifd0: []tiffField{asciiField(tagMake, "Acme")},
		ifd1: []tiffField{longField(tagThumbnailOffset, 60_000), longField(tagThumbnailLength, 5000)},
	})
	tests := []struct {
		name      string
		data      []byte
		exif      bool
		processed string
		thumb     []byte
	}{
		{"JPEG thumbnail", jpegWithEXIF(16, 8, withThumb), true, "RawConvert 2", thumb},
		{"PNG eXIf thumbnail", pngWithChunk(testPNG(4, 4), "eXIf", withThumb), true, "RawConvert 2", thumb},
		{"thumbnail not a JPEG", jpegWithEXIF(16, 8, notJPEG), true, "", nil},
		{"thumbnail outside the block", jpegWithEXIF(16, 8, outside), true, "", nil},
		{"no EXIF", testJPEG(16, 8), false, "", nil},
		{"not an image", []byte("hello"), false, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x, _ := ReadEXIF(tc.data)
			if (x != nil) != tc.exif {
				t.Fatalf("EXIF %+v", x)
			}
			if x != nil && x.ProcessingSoftware != tc.processed {
				t.Errorf("ProcessingSoftware %q, want %q", x.ProcessingSoftware, tc.processed)
			}
			got := EXIFThumbnail(tc.data)
			if !bytes.Equal(got, tc.thumb) {
				t.Fatalf("thumbnail of %d bytes, want %d", len(got), len(tc.thumb))
			}
			if got != nil && cap(got) != len(got) {
				t.Errorf("thumbnail slice not capped: len %d cap %d", len(got), cap(got))
			}
		})
	}
}
