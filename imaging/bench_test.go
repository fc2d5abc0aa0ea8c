package imaging

// Benchmarks for the display path. Run, for each backend:
//
//	go test -run '^$' -bench . -benchmem -count 5 ./imaging/
//	go test -tags purego -run '^$' -bench . -benchmem -count 5 ./imaging/
//
// BenchmarkCase3x12MP also times djpeg (libjpeg-turbo's command-line
// decoder, full size, output discarded) on the same three files, interleaved
// with its own iterations, and reports the ratio as x-djpeg. The case is
// the simulator's demo case, simulator.CaseZIP(simulator.HappyID).

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"docvreview/fetch/simulator"
)

// Display box of a pane on a large screen, in physical pixels.
const benchBoxW, benchBoxH = 1280, 960

// benchZIP is the simulator's demo case: front and back of a driver's
// licence and a selfie (EXIF orientation 6), each 4032×3024 q90, stored,
// plus two small PDFs.
func benchZIP(b *testing.B) []byte {
	b.Helper()
	z := simulator.CaseZIP(simulator.HappyID)
	if z == nil {
		b.Fatal("simulator has no demo case")
	}
	return z
}

// benchFiles returns the case's images.
func benchFiles(b *testing.B) [][]byte {
	b.Helper()
	sources, err := unzipImages(benchZIP(b))
	if err != nil {
		b.Fatal(err)
	}
	if len(sources) != 3 {
		b.Fatalf("demo case has %d images, want 3", len(sources))
	}
	files := make([][]byte, len(sources))
	for i, s := range sources {
		files[i] = s.Data
	}
	return files
}

// unzipImages reads the .jpg/.png entries of a ZIP concurrently.
func unzipImages(data []byte) ([]Source, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	var files []*zip.File
	for _, f := range zr.File {
		if ext := strings.ToLower(path.Ext(f.Name)); ext == ".jpg" || ext == ".jpeg" || ext == ".png" {
			files = append(files, f)
		}
	}
	sources := make([]Source, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Go(func() {
			if f.UncompressedSize64 > 64<<20 {
				errs[i] = fmt.Errorf("%s: entry too large", f.Name)
				return
			}
			rc, err := f.Open()
			if err != nil {
				errs[i] = err
				return
			}
			defer rc.Close()
			buf := make([]byte, f.UncompressedSize64)
			_, errs[i] = io.ReadFull(rc, buf)
			sources[i] = Source{Key: i, Data: buf}
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

// BenchmarkCase3x12MP measures ZIP bytes → three upright display images
// (parallel inflate, then DecodeAll). When djpeg is installed, each
// iteration also times djpeg decoding the same three files at full size,
// one after another, with the benchmark timer stopped; the two are
// interleaved so machine load affects both alike. Extra metrics:
// djpeg-ns/op and x-djpeg (this path's time over djpeg's).
func BenchmarkCase3x12MP(b *testing.B) {
	zipped := benchZIP(b)
	files := benchFiles(b)
	djpeg, _ := exec.LookPath("djpeg")
	var paths []string
	if djpeg != "" {
		dir := b.TempDir()
		for i, f := range files {
			p := filepath.Join(dir, fmt.Sprintf("%d.jpg", i))
			if err := os.WriteFile(p, f, 0o600); err != nil {
				b.Fatal(err)
			}
			paths = append(paths, p)
		}
	}
	b.Run("backend="+Backend(), func(b *testing.B) {
		b.SetBytes(int64(len(zipped)))
		b.ReportAllocs()
		var djpegTime time.Duration
		n := 0
		for b.Loop() {
			n++
			sources, err := unzipImages(zipped)
			if err != nil {
				b.Fatal(err)
			}
			got := 0
			DecodeAll(context.Background(), sources, benchBoxW, benchBoxH, Options{}, func(r Result) {
				if r.Err != nil {
					b.Error(r.Err)
				}
				got++
			})
			if got != len(files) {
				b.Fatalf("%d results", got)
			}
			if djpeg == "" {
				continue
			}
			b.StopTimer()
			start := time.Now()
			for _, p := range paths {
				if out, err := exec.Command(djpeg, "-outfile", os.DevNull, p).CombinedOutput(); err != nil {
					b.Fatalf("djpeg: %v: %s", err, out)
				}
			}
			djpegTime += time.Since(start)
			b.StartTimer()
		}
		if djpeg != "" && n > 0 {
			b.ReportMetric(float64(djpegTime.Nanoseconds())/float64(n), "djpeg-ns/op")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(djpegTime.Nanoseconds()), "x-djpeg")
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
