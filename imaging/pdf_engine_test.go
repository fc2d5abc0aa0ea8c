package imaging

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
)

// Test engines share one compiled-code cache so that only the first engine
// of a run compiles PDFium (about 5 s on 2 cores, longer under -race):
//
//   - normally on disk in os.TempDir()/docvreview-test-wazero-cache, kept
//     across runs so that later runs start warm (delete it to measure a cold
//     start; it holds compiled code only, never document data);
//   - with -short in memory only, so the tests write no file at all.
const testPDFCacheDirName = "docvreview-test-wazero-cache"

var testPDFMemCache = sync.OnceValue(func() wazero.CompilationCache {
	return wazero.NewCompilationCache()
})

// newPDFTestEngine returns an unstarted engine using the shared test cache.
func newPDFTestEngine() *PDFEngine {
	if testing.Short() {
		e := NewPDFEngine("")
		e.sharedCache = testPDFMemCache()
		return e
	}
	return NewPDFEngine(filepath.Join(os.TempDir(), testPDFCacheDirName))
}

var sharedPDFEngine = sync.OnceValue(func() *PDFEngine {
	e := newPDFTestEngine()
	e.Start()
	return e
})

// testPDFEngine returns the package's shared, started engine (never closed).
func testPDFEngine(t testing.TB) *PDFEngine {
	t.Helper()
	e := sharedPDFEngine()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := e.WaitReady(ctx); err != nil {
		t.Fatalf("PDF engine: %v", err)
	}
	return e
}

// ownPDFEngine returns a new ready engine for tests that close it or break
// it; the shared engine is readied first so that this one starts warm.
func ownPDFEngine(t testing.TB) *PDFEngine {
	t.Helper()
	testPDFEngine(t)
	e := newPDFTestEngine()
	t.Cleanup(func() { _ = e.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := e.WaitReady(ctx); err != nil {
		t.Fatalf("PDF engine: %v", err)
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
