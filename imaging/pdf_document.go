package imaging

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
)

// MaxPDFRenderPixels caps the size of one rendered page (40 megapixels,
// 160 MB of RGBA); larger requests fail with ErrTooLarge.
const MaxPDFRenderPixels = 40_000_000

// MaxPDFDPI is the highest DPI Render accepts.
const MaxPDFDPI = 2400

// PDFDocument is an open PDF. It is safe for concurrent use; its calls are
// serialised by its engine.
type PDFDocument struct {
	e     *PDFEngine
	data  []byte // kept to reload the document after the worker is replaced
	pages int

	// Guarded by the engine's lock.
	handle references.FPDF_DOCUMENT
	gen    uint64 // engine generation handle belongs to
	closed bool
}

// Open loads a PDF from memory. It waits for the engine to start (honouring
// ctx). Errors wrap ErrNotPDF, ErrPDFEncrypted, ErrPDFCorrupt or
// ErrPDFEngine. data must not be modified while the document is open.
func (e *PDFEngine) Open(ctx context.Context, data []byte) (*PDFDocument, error) {
	if !hasPDFHeader(data) {
		return nil, fmt.Errorf("open PDF: %w (no %%PDF- header)", ErrNotPDF)
	}
	if err := e.acquire(ctx); err != nil {
		return nil, fmt.Errorf("open PDF: %w", err)
	}
	defer e.release()

	d := &PDFDocument{e: e, data: data}
	if err := d.load(ctx); err != nil {
		e.releaseIdle()
		return nil, err
	}
	var pages int
	err := e.call(ctx, "count PDF pages", func(inst pdfium.Pdfium) error {
		resp, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: d.handle})
		if err != nil {
			return pdfError("count PDF pages", err)
		}
		pages = resp.PageCount
		return nil
	})
	if err == nil && pages < 1 {
		err = fmt.Errorf("open PDF: %w (no pages)", ErrPDFCorrupt)
	}
	if err != nil {
		d.unload()
		e.releaseIdle()
		return nil, err
	}
	d.pages = pages
	e.open++
	return d, nil
}

// load opens d.data in the current worker. Call with the engine lock held.
func (d *PDFDocument) load(ctx context.Context) error {
	e := d.e
	return e.call(ctx, "open PDF", func(inst pdfium.Pdfium) error {
		data := d.data
		resp, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
		if err != nil {
			return pdfError("open PDF", err)
		}
		d.handle = resp.Document
		d.gen = e.gen
		return nil
	})
}

// ensureLoaded reloads the document when the worker it lived in was
// replaced (after an interrupted call). Call with the engine lock held.
func (d *PDFDocument) ensureLoaded(ctx context.Context) error {
	if d.e.inst != nil && d.gen == d.e.gen {
		return nil
	}
	if _, err := d.e.instance(ctx); err != nil {
		return fmt.Errorf("reload PDF: %w", err)
	}
	return d.load(ctx)
}

// unload closes the handle if it still belongs to the live worker. Call
// with the engine lock held.
func (d *PDFDocument) unload() {
	e := d.e
	if e.inst == nil || d.gen != e.gen || d.handle == "" {
		return
	}
	_ = e.call(context.Background(), "close PDF", func(inst pdfium.Pdfium) error {
		_, err := inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: d.handle})
		return err
	})
	d.handle = ""
}

// releaseIdle frees the worker, and with it all WebAssembly memory, once no
// document is open. Call with the engine lock held.
func (e *PDFEngine) releaseIdle() {
	if e.open == 0 {
		e.dropInstance(false)
	}
}

// Pages is the page count the document declares. It can be far larger than
// the pages really present (a hostile page tree); Render reports ErrPDFPage
// for pages that cannot be found.
func (d *PDFDocument) Pages() int { return d.pages }

// PageSize returns the size of page (0-based) in points (1/72 inch), so a
// caller can choose a DPI before rendering. Errors wrap ErrPDFPage,
// ErrPDFCorrupt, ErrPDFEngine or ctx's error.
func (d *PDFDocument) PageSize(ctx context.Context, page int) (width, height float64, err error) {
	what := fmt.Sprintf("size of PDF page %d", page+1)
	if page < 0 || page >= d.pages {
		return 0, 0, fmt.Errorf("%s of %d: %w", what, d.pages, ErrPDFPage)
	}
	e := d.e
	if err := e.acquire(ctx); err != nil {
		return 0, 0, fmt.Errorf("%s: %w", what, err)
	}
	defer e.release()
	if d.closed {
		return 0, 0, fmt.Errorf("%s: document closed: %w", what, ErrPDFEngine)
	}
	if err := d.ensureLoaded(ctx); err != nil {
		return 0, 0, fmt.Errorf("%s: %w", what, err)
	}
	err = e.call(ctx, what, func(inst pdfium.Pdfium) error {
		size, err := inst.FPDF_GetPageSizeByIndex(&requests.FPDF_GetPageSizeByIndex{Document: d.handle, Index: page})
		if err != nil {
			return fmt.Errorf("%s: %w", what, ErrPDFPage)
		}
		width, height = size.Width, size.Height
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	if !(width > 0 && height > 0) || math.IsInf(width, 0) || math.IsInf(height, 0) {
		return 0, 0, fmt.Errorf("%s: %w (empty page size)", what, ErrPDFCorrupt)
	}
	return width, height, nil
}

// Render draws page (0-based) at dpi into an opaque RGBA image (transparent
// areas are composited on white). Errors wrap ErrPDFPage, ErrTooLarge (above
// MaxPDFRenderPixels), ErrPDFCorrupt, ErrPDFEngine or ctx's error.
func (d *PDFDocument) Render(ctx context.Context, page int, dpi float64) (*image.RGBA, error) {
	if page < 0 || page >= d.pages {
		return nil, fmt.Errorf("render PDF page %d of %d: %w", page+1, d.pages, ErrPDFPage)
	}
	if math.IsNaN(dpi) || dpi < 1 || dpi > MaxPDFDPI {
		return nil, fmt.Errorf("render PDF page %d: DPI %v outside 1–%d", page+1, dpi, MaxPDFDPI)
	}
	e := d.e
	if err := e.acquire(ctx); err != nil {
		return nil, fmt.Errorf("render PDF page %d: %w", page+1, err)
	}
	defer e.release()
	if d.closed {
		return nil, fmt.Errorf("render PDF page %d: document closed: %w", page+1, ErrPDFEngine)
	}
	if err := d.ensureLoaded(ctx); err != nil {
		return nil, fmt.Errorf("render PDF page %d: %w", page+1, err)
	}

	what := fmt.Sprintf("render PDF page %d", page+1)
	idpi := int(math.Round(dpi))
	var out *image.RGBA
	err := e.call(ctx, what, func(inst pdfium.Pdfium) error {
		size, err := inst.FPDF_GetPageSizeByIndex(&requests.FPDF_GetPageSizeByIndex{Document: d.handle, Index: page})
		if err != nil {
			// PDFium reports a page missing from the page tree as a size it
			// cannot load.
			return fmt.Errorf("%s: %w", what, ErrPDFPage)
		}
		w := math.Ceil(size.Width * float64(idpi) / 72)
		h := math.Ceil(size.Height * float64(idpi) / 72)
		if !(w >= 1 && h >= 1) {
			return fmt.Errorf("%s: %w (empty page size)", what, ErrPDFCorrupt)
		}
		if w*h > MaxPDFRenderPixels {
			return fmt.Errorf("%s: %.0f×%.0f pixels at %d DPI: %w", what, w, h, idpi, ErrTooLarge)
		}
		resp, err := inst.RenderPageInDPI(&requests.RenderPageInDPI{
			Page: requests.Page{ByIndex: &requests.PageByIndex{Document: d.handle, Index: page}},
			DPI:  idpi,
		})
		if err != nil {
			return pdfError(what, err)
		}
		// The pixels live in the worker's memory until Cleanup: copy once.
		defer resp.Cleanup()
		out, err = copyRendered(resp.Result.Image, resp.Result.HasTransparency)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// errBadBitmap reports a rendered image go-pdfium did not describe properly.
var errBadBitmap = errors.New("engine returned an invalid bitmap")

// copyRendered copies src (PDFium's straight-alpha RGBA, a view of the
// worker's memory) into a new opaque *image.RGBA. When the page has
// transparency, pixels are composited on white during the same pass.
func copyRendered(src *image.RGBA, transparent bool) (*image.RGBA, error) {
	if src == nil {
		return nil, errBadBitmap
	}
	r := src.Rect
	w, h := r.Dx(), r.Dy()
	if w <= 0 || h <= 0 || src.Stride < 4*w || len(src.Pix) < (h-1)*src.Stride+4*w {
		return nil, errBadBitmap
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		s := src.Pix[y*src.Stride : y*src.Stride+4*w]
		o := out.Pix[y*out.Stride : y*out.Stride+4*w]
		if !transparent {
			copy(o, s)
			continue
		}
		for i := 0; i < len(s); i += 4 {
			a := uint32(s[i+3])
			bg := 255 - a // white times (1 − alpha)
			o[i+0] = uint8((uint32(s[i+0])*a+127)/255 + bg)
			o[i+1] = uint8((uint32(s[i+1])*a+127)/255 + bg)
			o[i+2] = uint8((uint32(s[i+2])*a+127)/255 + bg)
			o[i+3] = 255
		}
	}
	return out, nil
}

// Close releases the document. Closing twice is harmless.
func (d *PDFDocument) Close() error {
	e := d.e
	e.sem <- struct{}{}
	defer e.release()
	if d.closed {
		return nil
	}
	d.closed = true
	defer func() { d.data = nil }() // the caller's buffer: never read again, never kept
	if e.closed {
		return nil
	}
	d.unload()
	e.open--
	e.releaseIdle()
	return nil
}
