package forensics

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"os/exec"
	"testing"
	"time"
)

// noisyImage is a w×h picture with edges and noise, so that every
// quantization step matters to the encoder.
func noisyImage(w, h int, seed uint64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	s := seed | 1
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s ^= s << 13
			s ^= s >> 7
			s ^= s << 17
			i := img.PixOffset(x, y)
			base := uint8((x*3 + y*5) & 0xFF)
			if (x/16+y/16)%2 == 0 {
				base = 255 - base
			}
			n := uint8(s & 31)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = base+n, base/2+n, 255-base+n, 255
		}
	}
	return img
}

func goJPEG(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestQualityGoEncoder(t *testing.T) {
	img := noisyImage(64, 48, 1)
	for _, q := range []int{1, 5, 10, 25, 40, 50, 60, 75, 85, 90, 95, 98, 100} {
		m, err := readMarkers(goJPEG(t, img, q))
		if err != nil {
			t.Fatal(err)
		}
		got, ok := jpegQuality(m)
		if !ok || got != q {
			t.Errorf("image/jpeg quality %d: estimated %d (ok %v)", q, got, ok)
		}
	}
}

// ppm encodes img as a binary PPM for cjpeg's standard input.
func ppm(img *image.RGBA) []byte {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	b := []byte(fmt.Sprintf("P6\n%d %d\n255\n", w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := img.PixOffset(x, y)
			b = append(b, img.Pix[i], img.Pix[i+1], img.Pix[i+2])
		}
	}
	return b
}

// TestQualityCjpeg checks the estimate against libjpeg-turbo's cjpeg
// (Debian libjpeg-turbo-progs), which writes 16-bit tables at low
// qualities unless told -baseline. Within ±3 is the requirement; the
// IJG scaling makes it exact.
func TestQualityCjpeg(t *testing.T) {
	cjpeg, err := exec.LookPath("cjpeg")
	if err != nil {
		t.Skip("cjpeg not installed (Debian: libjpeg-turbo-progs)")
	}
	in := ppm(noisyImage(64, 48, 2))
	for _, args := range [][]string{{"-quality", "5"}, {"-quality", "20"}, {"-quality", "50"}, {"-quality", "75"},
		{"-quality", "83", "-progressive"}, {"-quality", "92", "-sample", "1x1"}, {"-quality", "100"},
		{"-quality", "10", "-baseline"}} {
		t.Run(fmt.Sprint(args), func(t *testing.T) {
			cmd := exec.Command(cjpeg, args...)
			cmd.Stdin = bytes.NewReader(in)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("cjpeg: %v", err)
			}
			var want int
			fmt.Sscan(args[1], &want)
			m, err := readMarkers(out)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := jpegQuality(m)
			if !ok || got < want-3 || got > want+3 {
				t.Errorf("estimated %d, want %d±3", got, want)
			}
			if got != want {
				t.Logf("estimated %d for %d", got, want)
			}
		})
	}
}

// A table that is not IJG-scaled gets the quality of equivalent
// coarseness: here the Q75 table with every value nudged.
func TestQualityNonIJGTable(t *testing.T) {
	q75 := ijgTable(75, 255)
	var tbl quantTable
	for i, v := range q75 {
		tbl.values[i] = v + uint16(i%3) - 1
	}
	if got := estimateQuality(&tbl); got < 73 || got > 77 {
		t.Errorf("estimated %d, want about 75", got)
	}
	flat := quantTable{}
	for i := range flat.values {
		flat.values[i] = 1
	}
	if got := estimateQuality(&flat); got != 100 {
		t.Errorf("all-ones table: %d, want 100", got)
	}
}

func TestReadMarkersHostile(t *testing.T) {
	good := goJPEG(t, noisyImage(16, 16, 3), 80)
	sos := bytes.Index(good, []byte{0xFF, 0xDA})
	many := append([]byte{0xFF, 0xD8}, bytes.Repeat([]byte{0xFF, 0xFE, 0x00, 0x02}, maxSegments+1)...)
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNotJPEG},
		{"PNG", []byte("\x89PNG\r\n\x1a\n"), ErrNotJPEG},
		{"SOI only", []byte{0xFF, 0xD8, 0xFF}, ErrMalformedJPEG},
		{"truncated in the header", good[:sos-5], ErrMalformedJPEG},
		{"segment length runs past the end", []byte{0xFF, 0xD8, 0xFF, 0xDB, 0xFF, 0xFF, 0x00}, ErrMalformedJPEG},
		{"segment length 1", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01}, ErrMalformedJPEG},
		{"DQT precision 2", []byte{0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0x20}, ErrMalformedJPEG},
		{"DQT table 5", append([]byte{0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0x05}, make([]byte, 64)...), ErrMalformedJPEG},
		{"DQT truncated table", append([]byte{0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x40, 0x00}, make([]byte, 61)...), ErrMalformedJPEG},
		{"16-bit DQT truncated", append([]byte{0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0x10}, make([]byte, 64)...), ErrMalformedJPEG},
		{"second SOI", []byte{0xFF, 0xD8, 0xFF, 0xD8}, ErrMalformedJPEG},
		{"too many segments", many, ErrMalformedJPEG},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := readMarkers(tc.data); !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
		})
	}
	// The reader stops at the first scan: what follows is never read.
	if _, err := readMarkers(append(good[:sos+14:sos+14], 0xFF, 0xD8)); err != nil {
		t.Errorf("data after SOS read: %v", err)
	}
	// No DQT at all: no estimate.
	if m, err := readMarkers([]byte{0xFF, 0xD8, 0xFF, 0xD9}); err != nil {
		t.Fatal(err)
	} else if _, ok := jpegQuality(m); ok {
		t.Error("quality without a table")
	}
}

// BenchmarkJPEGQuality reads the header of a JPEG with a 64 KB APP1 in
// front of its tables and estimates the quality. Target: ≤ 1 ms.
func BenchmarkJPEGQuality(b *testing.B) {
	jpg := goJPEG(b, noisyImage(256, 256, 4), 90)
	app1 := append([]byte{0xFF, 0xE1, 0xFF, 0xFF}, make([]byte, 0xFFFD)...)
	data := append(append(append([]byte{}, jpg[:2]...), app1...), jpg[2:]...)
	for b.Loop() {
		m, err := readMarkers(data)
		if err != nil {
			b.Fatal(err)
		}
		if q, _ := jpegQuality(m); q != 90 {
			b.Fatal(q)
		}
	}
}

// The quality estimate stays under its 1 ms budget: the fastest of 20
// runs (robust against a busy machine) is measured.
func TestQualityBudget(t *testing.T) {
	jpg := goJPEG(t, noisyImage(256, 256, 5), 90)
	best := time.Duration(1 << 62)
	for range 20 {
		start := time.Now()
		m, err := readMarkers(jpg)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := jpegQuality(m); !ok {
			t.Fatal("no quality")
		}
		best = min(best, time.Since(start))
	}
	if best > time.Millisecond {
		t.Errorf("quality estimate took %v, budget 1 ms", best)
	}
}
