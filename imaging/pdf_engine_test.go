package imaging

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Test engines share one compiled-code cache on disk, in
// os.TempDir()/docvreview-test-wazero-cache, kept across runs: only the
// first engine of the first run compiles PDFium (about 5 s on 2 cores, 35 s
// to well over a minute under -race on a busy machine); later starts load
// the compiled code in a fraction of a second. Delete the folder to measure
// a cold start; it holds compiled code only, never document data.
//
// With -short, tests that need a running engine are skipped, so that a
// short run never pays for a compile.
const testPDFCacheDirName = "docvreview-test-wazero-cache"

// skipWithoutEngine skips tb under -short.
func skipWithoutEngine(tb testing.TB) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("needs the PDF engine (a cold start compiles PDFium); run without -short")
	}
}

// newPDFTestEngine returns an unstarted engine using the shared test cache.
func newPDFTestEngine() *PDFEngine {
	return NewPDFEngine(filepath.Join(os.TempDir(), testPDFCacheDirName))
}

var sharedPDFEngine = sync.OnceValue(func() *PDFEngine {
	e := newPDFTestEngine()
	e.Start()
	return e
})

// testPDFEngine returns the package's shared, started engine (never closed).
func testPDFEngine(tb testing.TB) *PDFEngine {
	tb.Helper()
	skipWithoutEngine(tb)
	e := sharedPDFEngine()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := e.WaitReady(ctx); err != nil {
		tb.Fatalf("PDF engine: %v", err)
	}
	return e
}

// ownPDFEngine returns a new ready engine for tests that close it; the
// shared engine is readied first so that this one starts warm.
func ownPDFEngine(tb testing.TB) *PDFEngine {
	tb.Helper()
	testPDFEngine(tb)
	e := newPDFTestEngine()
	tb.Cleanup(func() { _ = e.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := e.WaitReady(ctx); err != nil {
		tb.Fatalf("PDF engine: %v", err)
	}
	return e
}

// openTestPDF opens data in the shared engine and closes it after the test.
func openTestPDF(t testing.TB, e *PDFEngine, data []byte) *PDFDocument {
	t.Helper()
	d, err := e.Open(context.Background(), data)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}
