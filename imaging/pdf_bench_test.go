package imaging

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkPDFRenderPage renders the first page of a small generated PDF at
// 100 DPI (850×1100) with the shared engine. PDFium keeps the parsed page,
// so this is the rasterisation plus the copy out of the sandbox.
func BenchmarkPDFRenderPage(b *testing.B) {
	e := testPDFEngine(b)
	d := openTestPDF(b, e, makePDF(testPDF{pages: 2}))
	b.SetBytes(850 * 1100 * 4)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Render(context.Background(), 0, 100); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPDFFirstPage is "first PDF page on screen" with a started
// engine: open from bytes, render page 1 at 100 DPI, close.
func BenchmarkPDFFirstPage(b *testing.B) {
	e := testPDFEngine(b)
	data := makePDF(testPDF{pages: 2})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		d, err := e.Open(context.Background(), data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := d.Render(context.Background(), 0, 100); err != nil {
			b.Fatal(err)
		}
		_ = d.Close()
	}
}

// BenchmarkPDFEngineInit measures an engine start (compile or load the
// module, instantiate the worker) without a compiled-code cache and with a
// warm one. The cold case compiles PDFium every time: seconds per op.
func BenchmarkPDFEngineInit(b *testing.B) {
	start := func(b *testing.B, dir string) {
		e := NewPDFEngine(dir)
		if err := e.WaitReady(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(e.InitTime().Milliseconds()), "init-ms")
		_ = e.Close()
	}
	b.Run("no-cache", func(b *testing.B) {
		for b.Loop() {
			start(b, "")
		}
	})
	b.Run("warm-cache", func(b *testing.B) {
		dir := filepath.Join(b.TempDir(), "cache")
		start(b, dir) // fill the cache
		for b.Loop() {
			start(b, dir)
		}
	})
}
