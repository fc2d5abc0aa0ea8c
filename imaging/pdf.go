package imaging

// OWNER: helper "imaging-meta-pdf". Contract stub.

import (
	"context"
	"errors"
	"image"
)

// PDF errors.
var (
	ErrNotPDF       = errors.New("not a PDF")
	ErrPDFEncrypted = errors.New("PDF is password-protected")
	ErrPDFCorrupt   = errors.New("PDF is damaged")
	ErrPDFPage      = errors.New("no such page")
)

// PDFEngine renders PDFs from memory with PDFium in WebAssembly. The engine
// starts lazily in the background; create one per process.
type PDFEngine struct{}

// NewPDFEngine returns an engine whose wazero compiled-code cache lives in
// cacheDir ("" = no cache). Nothing else is ever written.
func NewPDFEngine(cacheDir string) *PDFEngine { panic("TODO imaging-meta-pdf") }

// DefaultPDFCacheDir is <user cache dir>/docvreview/pdfium-wasm ("" when unknown).
func DefaultPDFCacheDir() string { panic("TODO imaging-meta-pdf") }

// Start begins initialising the engine in the background (idempotent).
func (e *PDFEngine) Start() { panic("TODO imaging-meta-pdf") }

// Open loads a PDF from memory.
func (e *PDFEngine) Open(ctx context.Context, data []byte) (*PDFDocument, error) {
	panic("TODO imaging-meta-pdf")
}

// Close shuts the engine down.
func (e *PDFEngine) Close() error { panic("TODO imaging-meta-pdf") }

// PDFDocument is an open PDF.
type PDFDocument struct{}

// Pages is the page count.
func (d *PDFDocument) Pages() int { panic("TODO imaging-meta-pdf") }

// Render draws page (0-based) at dpi into an RGBA image.
func (d *PDFDocument) Render(ctx context.Context, page int, dpi float64) (*image.RGBA, error) {
	panic("TODO imaging-meta-pdf")
}

// Close releases the document.
func (d *PDFDocument) Close() error { panic("TODO imaging-meta-pdf") }
