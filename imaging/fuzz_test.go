package imaging

import (
	"encoding/binary"
	"errors"
	"testing"
)

// fuzzOptions keeps fuzzed decodes small and fast.
var fuzzOptions = Options{MaxPixels: 1 << 20}

// FuzzDecodeForDisplay: any bytes and any box give either a sentinel error
// or an upright image that fits the box, never a panic or a hang. Seeds live
// in testdata/fuzz/FuzzDecodeForDisplay (committed JPEG/PNG variants, EXIF,
// truncations, forged headers) plus the ones added here.
func FuzzDecodeForDisplay(f *testing.F) {
	f.Add(jpegHeader(0xC0, 8, 65535, 65535, 3), 64, 64)
	f.Add(pngHeader(3, 3), 10, 10)
	f.Add(withJPEGExif(jpegHeader(0xC2, 8, 8, 8, 1), exifTIFF(7, binary.LittleEndian)), 4, 0)
	f.Add(withJPEGExif(readTestdata(f, "s444.jpg"), exifTIFF(6, binary.BigEndian)), 30, 20)
	f.Add(withPNGChunk(readTestdata(f, "card.png"), "eXIf", exifTIFF(5, binary.LittleEndian)), 0, 9)
	f.Fuzz(func(t *testing.T, data []byte, maxW, maxH int) {
		maxW, maxH = maxW%4096, maxH%4096
		info, perr := Probe(data)
		d, err := DecodeForDisplay(data, maxW, maxH, fuzzOptions)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error without a sentinel: %v", err)
			}
			if d != nil {
				t.Fatal("display returned with an error")
			}
			return
		}
		if perr != nil {
			t.Fatalf("decoded although Probe failed: %v", perr)
		}
		if d.Info != info {
			t.Fatalf("Info %+v differs from Probe %+v", d.Info, info)
		}
		w, h := d.Image.Rect.Dx(), d.Image.Rect.Dy()
		uw, uh := info.OrientedSize()
		if w < 1 || h < 1 || w > uw || h > uh {
			t.Fatalf("display %d×%d for upright %d×%d", w, h, uw, uh)
		}
		if (maxW > 0 && w > maxW) || (maxH > 0 && h > maxH) {
			t.Fatalf("display %d×%d exceeds box %d×%d", w, h, maxW, maxH)
		}
		if len(d.Image.Pix) != 4*w*h {
			t.Fatalf("pixel buffer %d for %d×%d", len(d.Image.Pix), w, h)
		}
	})
}

// FuzzProbe: the header parser never panics, and what it accepts is sane.
func FuzzProbe(f *testing.F) {
	f.Add(jpegHeader(0xC0, 8, 100, 50, 3))
	f.Add(pngHeader(7, 9))
	f.Add(withJPEGExif(jpegHeader(0xC0, 8, 4, 4, 3), exifTIFF(6, binary.BigEndian)))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Probe(data)
		if err != nil {
			return
		}
		if info.Width <= 0 || info.Height <= 0 || info.Orientation < 1 || info.Orientation > 8 {
			t.Fatalf("accepted %+v", info)
		}
		if info.Format != JPEG && info.Format != PNG {
			t.Fatalf("format %q", info.Format)
		}
	})
}
