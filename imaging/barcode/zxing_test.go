//go:build cgo && zxing

package barcode

import (
	"context"
	"errors"
	"fmt"
	"image"
	"testing"
)

// photoW, photoH are a 12 MP phone photo's size; a race-enabled test run
// uses a quarter of each side (the detector slows the pixel loops).
func photoSize() (w, h int, module float64) {
	if raceEnabled {
		return 1008, 756, 3
	}
	return 4032, 3024, 6
}

func TestReadPDF417Rotations(t *testing.T) {
	w, h, module := photoSize()
	base := photo(t, w, h, aamvaSample, module, 0.03)
	for _, q := range []int{0, 1, 2, 3} {
		t.Run(fmt.Sprintf("%d°", 90*q), func(t *testing.T) {
			syms, err := ReadPDF417(context.Background(), turn(base, q))
			if err != nil {
				t.Fatal(err)
			}
			if len(syms) != 1 || string(syms[0].Data) != aamvaSample {
				t.Fatalf("got %d symbols", len(syms))
			}
		})
	}
}

// On a 12 MP photo where the card fills half the frame, the reduced pass
// finds the symbol: the full-resolution pass (several times slower) is
// not needed.
func TestReducedPassSuffices(t *testing.T) {
	w, h, module := photoSize()
	img := photo(t, w, h, aamvaSample, module, 0.03)
	p := plan(w, h)
	if !raceEnabled && (len(p) != 2 || p[0].factor != 2) {
		t.Fatalf("plan %+v, want a half-size pass first", p)
	}
	syms, err := readPDF417(shrink(img, p[0].factor), p[0].flags)
	if err != nil || len(syms) != 1 || string(syms[0].Data) != aamvaSample {
		t.Fatalf("reduced pass: %d symbols, %v", len(syms), err)
	}
}

// A symbol too small for the reduced copy is found at full resolution.
func TestFullResolutionFallback(t *testing.T) {
	w, h, _ := photoSize()
	img := photo(t, w, h, aamvaSample, 2.4, 0)
	p := plan(w, h)
	if len(p) < 2 {
		t.Skip("image too small for a reduced pass")
	}
	if syms, _ := readPDF417(shrink(img, p[0].factor), p[0].flags); len(syms) != 0 {
		t.Fatal("the reduced pass already reads the small symbol: the test shows nothing")
	}
	syms, err := ReadPDF417(context.Background(), img)
	if err != nil || len(syms) != 1 || string(syms[0].Data) != aamvaSample {
		t.Fatalf("%d symbols, %v", len(syms), err)
	}
}

func TestReadPDF417SubImage(t *testing.T) {
	img := photo(t, 900, 700, "SUB IMAGE TEST 0123456789", 3, 0)
	big := image.NewGray(image.Rect(0, 0, 1000, 800))
	for y := 0; y < 700; y++ {
		copy(big.Pix[(y+50)*big.Stride+60:], img.Pix[y*img.Stride:][:900])
	}
	sub := big.SubImage(image.Rect(60, 50, 960, 750)).(*image.Gray)
	syms, err := ReadPDF417(context.Background(), sub)
	if err != nil || len(syms) != 1 || string(syms[0].Data) != "SUB IMAGE TEST 0123456789" {
		t.Fatalf("%d symbols, %v", len(syms), err)
	}
}

func TestReadPDF417NotFound(t *testing.T) {
	blank := image.NewGray(image.Rect(0, 0, 640, 480))
	for i := range blank.Pix {
		blank.Pix[i] = uint8(i * 7)
	}
	tests := []struct {
		name string
		img  *image.Gray
		want error
	}{
		{"noise", blank, ErrNotFound},
		{"nil", nil, ErrNotFound},
		{"empty", image.NewGray(image.Rect(0, 0, 0, 0)), ErrNotFound},
		{"one pixel", image.NewGray(image.Rect(0, 0, 1, 1)), ErrNotFound},
		{"too large", &image.Gray{Rect: image.Rect(0, 0, 20000, 20000)}, ErrTooLarge},
		{"pixels missing", &image.Gray{Rect: image.Rect(0, 0, 100, 100), Stride: 100, Pix: make([]byte, 50)}, ErrReader},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if syms, err := ReadPDF417(context.Background(), tc.img); !errors.Is(err, tc.want) || syms != nil {
				t.Fatalf("got %d symbols, %v; want %v", len(syms), err, tc.want)
			}
		})
	}
}

func TestReadPDF417Cancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadPDF417(ctx, image.NewGray(image.Rect(0, 0, 10, 10))); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
}

// BenchmarkBarcode12MP finds and decodes the PDF417 on a 12 MP gray photo
// of a card filling about half the frame (modules of 6 pixels), turned 1.7°.
// Target: ≤ 250 ms.
func BenchmarkBarcode12MP(b *testing.B) {
	img := photo(b, 4032, 3024, aamvaSample, 6, 0.03)
	for _, q := range []int{0, 1} {
		in := turn(img, q)
		b.Run(fmt.Sprintf("%d°", 90*q), func(b *testing.B) {
			for b.Loop() {
				if _, err := ReadPDF417(context.Background(), in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
