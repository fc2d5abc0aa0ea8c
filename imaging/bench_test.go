package imaging

// Benchmarks for the display path. Run, for each backend:
//
//	go test -run '^$' -bench . -benchmem -count 5 ./imaging/
//	go test -tags purego -run '^$' -bench . -benchmem -count 5 ./imaging/
//
// BenchmarkCase3x12MP/djpeg runs djpeg (libjpeg-turbo's command-line
// decoder, full size, output discarded) on the same three files in the same
// run, one after another, so the ratio can be read off directly. The test
// case is generated here (three 4000×3000 q90 JPEGs with noise and fine
// text; the third carries EXIF orientation 6 like a phone selfie).

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// Display box of a pane on a large screen, in physical pixels.
const benchBoxW, benchBoxH = 1280, 960

// benchCase holds the generated 3 × 12 MP case (built once per process).
var benchCase = sync.OnceValues(func() ([][]byte, error) {
	out := make([][]byte, 3)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range out {
		wg.Go(func() {
			var buf bytes.Buffer
			errs[i] = encodeJPEGTo(&buf, photoLike(4000, 3000, uint64(100+i)), 90)
			out[i] = buf.Bytes()
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	out[2] = withJPEGExif(out[2], exifTIFF(6, binary.BigEndian))
	return out, nil
})

func benchFiles(b *testing.B) [][]byte {
	b.Helper()
	files, err := benchCase()
	if err != nil {
		b.Fatal(err)
	}
	return files
}

// zipCase packs the images as a documents ZIP (Deflate, as the API sends).
func zipCase(b *testing.B, files [][]byte) []byte {
	b.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i, f := range files {
		w, err := zw.Create(fmt.Sprintf("document_%d.jpg", i))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.Write(f); err != nil {
			b.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// unzipParallel inflates every entry of a ZIP concurrently.
func unzipParallel(data []byte) ([]Source, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	sources := make([]Source, len(zr.File))
	errs := make([]error, len(zr.File))
	var wg sync.WaitGroup
	for i, f := range zr.File {
		wg.Go(func() {
			rc, err := f.Open()
			if err != nil {
				errs[i] = err
				return
			}
			defer rc.Close()
			buf := bytes.NewBuffer(make([]byte, 0, min(f.UncompressedSize64, 64<<20)))
			_, errs[i] = buf.ReadFrom(rc)
			sources[i] = Source{Key: i, Data: buf.Bytes()}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return sources, nil
}

func BenchmarkDecodeForDisplay(b *testing.B) {
	data := benchFiles(b)[0]
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeForDisplay(data, benchBoxW, benchBoxH, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCase3x12MP(b *testing.B) {
	files := benchFiles(b)
	zipped := zipCase(b, files)
	b.Run("backend="+Backend(), func(b *testing.B) {
		b.SetBytes(int64(len(zipped)))
		b.ReportAllocs()
		for b.Loop() {
			sources, err := unzipParallel(zipped)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			DecodeAll(context.Background(), sources, benchBoxW, benchBoxH, Options{}, func(r Result) {
				if r.Err != nil {
					b.Error(r.Err)
				}
				n++
			})
			if n != len(files) {
				b.Fatalf("%d results", n)
			}
		}
	})
	b.Run("djpeg", func(b *testing.B) {
		djpeg, err := exec.LookPath("djpeg")
		if err != nil {
			b.Skip("djpeg not installed (Debian: libjpeg-turbo-progs)")
		}
		dir := b.TempDir()
		var paths []string
		for i, f := range files {
			p := filepath.Join(dir, fmt.Sprintf("%d.jpg", i))
			if err := os.WriteFile(p, f, 0o600); err != nil {
				b.Fatal(err)
			}
			paths = append(paths, p)
		}
		b.SetBytes(int64(len(zipped)))
		for b.Loop() {
			for _, p := range paths {
				if out, err := exec.Command(djpeg, "-outfile", os.DevNull, p).CombinedOutput(); err != nil {
					b.Fatalf("djpeg: %v: %s", err, out)
				}
			}
		}
	})
}

func BenchmarkDecodeFull(b *testing.B) {
	data := benchFiles(b)[0]
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := DecodeFull(data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderRegion(b *testing.B) {
	full, _, err := DecodeFull(benchFiles(b)[0], Options{})
	if err != nil {
		b.Fatal(err)
	}
	for name, tc := range map[string]struct {
		r    image.Rectangle
		w, h int
	}{
		"whole-to-fit": {full.Rect, benchBoxW, benchBoxH},
		"zoom-200pct":  {image.Rect(1500, 1000, 2140, 1480), benchBoxW, benchBoxH},
		"zoom-100pct":  {image.Rect(1500, 1000, 1500+benchBoxW, 1000+benchBoxH), benchBoxW, benchBoxH},
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(tc.r.Dx() * tc.r.Dy() * 4))
			b.ReportAllocs()
			for b.Loop() {
				RenderRegion(full, tc.r, tc.w, tc.h)
			}
		})
	}
}

// encodeJPEGTo encodes m with image/jpeg at quality q.
func encodeJPEGTo(w io.Writer, m image.Image, q int) error {
	return jpeg.Encode(w, m, &jpeg.Options{Quality: q})
}
