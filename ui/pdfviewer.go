package ui

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"strconv"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"docvreview/imaging"
)

const (
	// pdfUnitsPerPoint: at 100 % a PDF point is 96/72 Fyne units, as in
	// other PDF viewers (a page shows at its paper size on a 96 DPI screen).
	pdfUnitsPerPoint = 96.0 / 72.0
	pdfZoomStep      = 1.25
	pdfMinZoom       = 0.1
	pdfMaxZoom       = 8
	// pdfMaxDPI caps rendering; beyond it the page is enlarged on screen.
	pdfMaxDPI = 600
	// pdfMaxPixels keeps a render below imaging.MaxPDFRenderPixels.
	pdfMaxPixels = 30_000_000
	// pdfProbeDPI renders a page small to learn its size in points.
	pdfProbeDPI = 36
	// pdfRefitTolerance: a fit render whose scale was guessed is redone when
	// it is off by more than this factor.
	pdfRefitTolerance = 1.15
	pdfFitMargin      = 8 // Fyne units around a fitted page
	pdfOpeningMsg     = "Opening PDF…"
)

// pdfViewer shows the pages of one PDF held in memory: page navigation and
// zoom. The bytes go only to the in-process engine, never to a file.
//
// Methods must be called on the Fyne goroutine.
type pdfViewer struct {
	engine  *imaging.PDFEngine
	name    string
	onClose func()
	do      func(func()) // runs a function on the Fyne goroutine
	release func()       // once: the bytes are no longer read (see closeDoc)

	ctx    context.Context // cancelled by Close: stops opening and rendering
	cancel context.CancelFunc
	closed atomic.Bool

	// Fyne-goroutine state.
	doc      *imaging.PDFDocument
	pages    int
	page     int // 0-based
	fit      bool
	zoom     float64   // effective zoom of the page shown (1 = 100 %)
	viewport fyne.Size // size of the page area
	shownGen uint64

	// worker renders pages off the Fyne goroutine (latest request wins);
	// it ends with ctx.
	worker *renderWorker[*pdfRenderRequest, pdfRenderResult]
	gen    atomic.Uint64

	sizesMu sync.Mutex
	sizes   map[int]pdfPageSize // page size in points, learnt from renders

	img       *canvas.Image
	scroll    *container.Scroll
	status    *widget.Label
	pageLabel *widget.Label
	zoomLabel *widget.Label
	prev      *widget.Button
	next      *widget.Button
	content   fyne.CanvasObject

	// Test hooks: opened is closed once the open attempt was applied;
	// rendered holds the generation last applied (frame or error) and
	// renderNotify gets a non-blocking send after each.
	opened       chan struct{}
	rendered     atomic.Uint64
	renderNotify chan struct{}
}

type pdfPageSize struct{ w, h float64 }

type pdfRenderRequest struct {
	gen      uint64
	doc      *imaging.PDFDocument
	page     int
	fit      bool
	zoom     float64
	viewport fyne.Size
	scale    float32 // canvas scale
}

type pdfRenderResult struct {
	img  *image.RGBA
	zoom float64   // effective zoom
	size fyne.Size // page size on screen, Fyne units
	err  error
}

// newPDFViewer builds the viewer and opens data in the background. onClose
// is called after Close by the Close button and Esc.
func newPDFViewer(engine *imaging.PDFEngine, name string, data []byte, onClose func()) *pdfViewer {
	return newPDFViewerDo(engine, name, data, nil, onClose, fyne.Do)
}

// newPDFViewerDo is newPDFViewer reporting back from its goroutines through
// do (nil = fyne.Do) instead of fyne.Do; the window's tests inject a queue.
// release (may be nil) is called once data is no longer read: when opening
// failed, or once the document was closed after the viewer's Close.
func newPDFViewerDo(engine *imaging.PDFEngine, name string, data []byte, release, onClose func(), do func(func())) *pdfViewer {
	ctx, cancel := context.WithCancel(context.Background())
	if release == nil {
		release = func() {}
	}
	p := &pdfViewer{
		engine:       engine,
		name:         name,
		onClose:      onClose,
		do:           do,
		release:      sync.OnceFunc(release),
		ctx:          ctx,
		cancel:       cancel,
		fit:          true,
		sizes:        map[int]pdfPageSize{},
		opened:       make(chan struct{}),
		renderNotify: make(chan struct{}, 1),
	}
	p.worker = newRenderWorker(ctx, 0, do, p.renderPage, func(req *pdfRenderRequest, res pdfRenderResult) {
		p.applyRender(req.gen, res)
	})
	p.buildUI()
	go p.open(data)
	return p
}

// Object is the viewer's content.
func (p *pdfViewer) Object() fyne.CanvasObject { return p.content }

// Close cancels opening and rendering, releases the document and the page
// image. Idempotent.
func (p *pdfViewer) Close() {
	if p.closed.Swap(true) {
		return
	}
	p.cancel()
	if doc := p.doc; doc != nil {
		p.doc = nil
		go p.closeDoc(doc) // waits for an interrupted call; never on the Fyne goroutine
	}
	p.img.Image = nil
	p.img.Refresh()
}

// TypedKey handles the viewer's keys; it reports whether ev was used.
func (p *pdfViewer) TypedKey(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyEscape:
		p.onCloseTapped()
	case fyne.KeyPageUp, fyne.KeyLeft:
		p.GoTo(p.page - 1)
	case fyne.KeyPageDown, fyne.KeyRight:
		p.GoTo(p.page + 1)
	case fyne.KeyHome:
		p.GoTo(0)
	case fyne.KeyEnd:
		p.GoTo(p.pages - 1)
	case fyne.KeyPlus, fyne.KeyEqual:
		p.ZoomBy(pdfZoomStep)
	case fyne.KeyMinus:
		p.ZoomBy(1 / pdfZoomStep)
	case fyne.Key0:
		p.Fit()
	default:
		return false
	}
	return true
}

// GoTo shows page (0-based; out-of-range pages are ignored).
func (p *pdfViewer) GoTo(page int) {
	if p.doc == nil || page < 0 || page >= p.pages || page == p.page {
		return
	}
	p.page = page
	p.updateControls()
	p.requestRender()
}

// ZoomBy multiplies the zoom by f (leaving fit mode).
func (p *pdfViewer) ZoomBy(f float64) {
	if p.doc == nil || p.zoom <= 0 {
		return
	}
	z := math.Min(math.Max(p.zoom*f, pdfMinZoom), pdfMaxZoom)
	if !p.fit && z == p.zoom {
		return
	}
	p.fit = false
	p.zoom = z
	p.updateControls()
	p.requestRender()
}

// Fit shows the whole page in the view.
func (p *pdfViewer) Fit() {
	if p.doc == nil || p.fit {
		return
	}
	p.fit = true
	p.requestRender()
}

func (p *pdfViewer) onCloseTapped() {
	p.Close()
	if p.onClose != nil {
		p.onClose()
	}
}

// open runs on its own goroutine.
func (p *pdfViewer) open(data []byte) {
	var (
		doc *imaging.PDFDocument
		err error
	)
	if p.engine == nil {
		err = imaging.ErrPDFEngine
	} else {
		doc, err = p.engine.Open(p.ctx, data)
	}
	if doc == nil {
		p.release() // nothing holds the bytes
	}
	viewerDo(p.do, func() {
		defer close(p.opened)
		if p.closed.Load() {
			if doc != nil {
				go p.closeDoc(doc)
			}
			return
		}
		p.onOpened(doc, err)
	})
}

// closeDoc closes the document, which keeps the bytes to reload itself,
// then releases them. Runs off the Fyne goroutine.
func (p *pdfViewer) closeDoc(doc *imaging.PDFDocument) {
	_ = doc.Close()
	p.release()
}

func (p *pdfViewer) onOpened(doc *imaging.PDFDocument, err error) {
	if err != nil {
		p.showError(pdfErrorMessage(err))
		p.updateControls()
		return
	}
	p.doc = doc
	p.pages = doc.Pages()
	p.page = 0
	p.updateControls()
	p.requestRender()
}

// pdfErrorMessage says in plain words why a PDF cannot be shown.
func pdfErrorMessage(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, imaging.ErrPDFEncrypted):
		return "This PDF is password-protected"
	case errors.Is(err, imaging.ErrNotPDF):
		return "This file is not a PDF"
	case errors.Is(err, imaging.ErrPDFCorrupt):
		return "This PDF is damaged"
	case errors.Is(err, imaging.ErrPDFPage):
		return "This page is missing from the PDF"
	case errors.Is(err, imaging.ErrTooLarge):
		return "This page is too large to show at this zoom"
	case errors.Is(err, imaging.ErrPDFEngine):
		return "The PDF viewer is not available"
	case errors.Is(err, context.DeadlineExceeded):
		return "This PDF took too long to render"
	}
	return "This PDF could not be shown"
}

func (p *pdfViewer) showError(msg string) {
	p.status.SetText(msg)
	p.status.Importance = widget.DangerImportance
	p.status.Show()
	p.status.Refresh()
	p.img.Image = nil
	p.img.Refresh()
}

// requestRender queues a render of the current page and zoom.
func (p *pdfViewer) requestRender() {
	if p.doc == nil || p.closed.Load() {
		return
	}
	req := &pdfRenderRequest{
		gen: p.gen.Add(1), doc: p.doc, page: p.page, fit: p.fit, zoom: p.zoom,
		viewport: p.viewport, scale: viewerCanvasScale(p.content),
	}
	p.worker.request(req)
}

// renderPage renders req's page at the DPI its zoom needs on this screen.
func (p *pdfViewer) renderPage(_ context.Context, req *pdfRenderRequest) pdfRenderResult {
	size, known := p.pageSize(req.page)
	if !known && req.fit {
		// Guess from another page; a probe only when nothing is known.
		if size, known = p.anyPageSize(); !known {
			img, err := req.doc.Render(p.ctx, req.page, pdfProbeDPI)
			if err != nil {
				return pdfRenderResult{err: err}
			}
			size = p.learnSize(req.page, img, pdfProbeDPI)
			known = true
		}
	}
	zoom := req.zoom
	if req.fit {
		zoom = pdfFitZoom(size, req.viewport)
	}
	dpi := pdfDPI(size, zoom, req.scale)
	img, err := req.doc.Render(p.ctx, req.page, dpi)
	if err != nil {
		return pdfRenderResult{err: err}
	}
	actual := p.learnSize(req.page, img, dpi)
	if req.fit {
		if z := pdfFitZoom(actual, req.viewport); z/zoom > pdfRefitTolerance || zoom/z > pdfRefitTolerance {
			zoom = z // the guessed size was wrong: render again at the right scale
			if img2, err := req.doc.Render(p.ctx, req.page, pdfDPI(actual, zoom, req.scale)); err == nil {
				img = img2
			}
		}
	}
	return pdfRenderResult{
		img:  img,
		zoom: zoom,
		size: fyne.NewSize(float32(actual.w*pdfUnitsPerPoint*zoom), float32(actual.h*pdfUnitsPerPoint*zoom)),
	}
}

func (p *pdfViewer) pageSize(page int) (pdfPageSize, bool) {
	p.sizesMu.Lock()
	defer p.sizesMu.Unlock()
	s, ok := p.sizes[page]
	return s, ok
}

func (p *pdfViewer) anyPageSize() (pdfPageSize, bool) {
	p.sizesMu.Lock()
	defer p.sizesMu.Unlock()
	for _, s := range p.sizes {
		return s, true
	}
	return pdfPageSize{}, false
}

// learnSize records the page size in points measured from a render.
func (p *pdfViewer) learnSize(page int, img *image.RGBA, dpi float64) pdfPageSize {
	b := img.Bounds()
	s := pdfPageSize{w: float64(b.Dx()) * 72 / dpi, h: float64(b.Dy()) * 72 / dpi}
	p.sizesMu.Lock()
	p.sizes[page] = s
	p.sizesMu.Unlock()
	return s
}

// pdfFitZoom is the zoom that fits a page in the viewport (1 when unknown).
func pdfFitZoom(page pdfPageSize, vp fyne.Size) float64 {
	w := float64(vp.Width) - 2*pdfFitMargin
	h := float64(vp.Height) - 2*pdfFitMargin
	if page.w <= 0 || page.h <= 0 || w <= 0 || h <= 0 {
		return 1
	}
	z := math.Min(w/(page.w*pdfUnitsPerPoint), h/(page.h*pdfUnitsPerPoint))
	return math.Min(math.Max(z, pdfMinZoom), pdfMaxZoom)
}

// pdfDPI is the render DPI for zoom on a canvas of the given scale, capped
// by pdfMaxDPI and by pdfMaxPixels for a page of the given size.
func pdfDPI(page pdfPageSize, zoom float64, scale float32) float64 {
	if scale <= 0 {
		scale = 1
	}
	dpi := 96 * zoom * float64(scale)
	dpi = math.Min(dpi, pdfMaxDPI)
	if page.w > 0 && page.h > 0 {
		if px := page.w * page.h * dpi * dpi / (72 * 72); px > pdfMaxPixels {
			dpi *= math.Sqrt(pdfMaxPixels / px)
		}
	}
	return math.Max(math.Round(dpi), 1) // the engine renders at whole DPI
}

// applyRender shows a finished render unless a newer one is on screen.
func (p *pdfViewer) applyRender(gen uint64, res pdfRenderResult) {
	if p.closed.Load() || gen <= p.shownGen {
		return
	}
	p.shownGen = gen
	defer func() {
		p.rendered.Store(gen)
		select {
		case p.renderNotify <- struct{}{}:
		default:
		}
	}()
	if res.err != nil {
		if errors.Is(res.err, context.Canceled) {
			return
		}
		p.showError(pdfErrorMessage(res.err))
		return
	}
	p.status.Hide()
	p.zoom = res.zoom
	p.img.Image = res.img
	p.img.SetMinSize(res.size)
	p.img.Refresh()
	p.scroll.Refresh() // lays the page out at its new size
	p.updateControls()
}

// onViewportResized re-fits the page when the page area changed size.
func (p *pdfViewer) onViewportResized(size fyne.Size) {
	if size == p.viewport {
		return
	}
	p.viewport = size
	if p.fit {
		p.requestRender()
	}
}

func (p *pdfViewer) updateControls() {
	if p.pages > 0 {
		p.pageLabel.SetText(fmt.Sprintf("Page %d of %d", p.page+1, p.pages))
	} else {
		p.pageLabel.SetText("")
	}
	if p.doc != nil && p.page > 0 {
		p.prev.Enable()
	} else {
		p.prev.Disable()
	}
	if p.doc != nil && p.page < p.pages-1 {
		p.next.Enable()
	} else {
		p.next.Disable()
	}
	if p.zoom > 0 {
		p.zoomLabel.SetText(strconv.Itoa(int(p.zoom*100+0.5)) + " %")
	} else {
		p.zoomLabel.SetText("–")
	}
}

func (p *pdfViewer) buildUI() {
	// The page is rendered at the DPI of its size on screen, so the GPU
	// draws it at about 1:1 (ImageScaleSmooth would resample it on the CPU
	// first, with a scratch buffer of tens of MB).
	p.img = &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScaleFastest}
	p.status = widget.NewLabel(pdfOpeningMsg)
	p.status.Alignment = fyne.TextAlignCenter
	p.status.Wrapping = fyne.TextWrapWord
	p.pageLabel = widget.NewLabel("")
	p.zoomLabel = widget.NewLabel("–")
	p.prev = widget.NewButtonWithIcon("Previous", theme.NavigateBackIcon(), func() { p.GoTo(p.page - 1) })
	p.next = widget.NewButtonWithIcon("Next", theme.NavigateNextIcon(), func() { p.GoTo(p.page + 1) })
	p.prev.Disable()
	p.next.Disable()
	zoomOut := widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { p.ZoomBy(1 / pdfZoomStep) })
	zoomIn := widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { p.ZoomBy(pdfZoomStep) })
	fit := widget.NewButtonWithIcon("Fit", theme.ZoomFitIcon(), p.Fit)
	closeButton := widget.NewButtonWithIcon("Close", theme.WindowCloseIcon(), p.onCloseTapped)
	title := widget.NewLabelWithStyle(p.name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis

	bar := container.NewBorder(nil, nil,
		container.NewHBox(p.prev, p.pageLabel, p.next, widget.NewSeparator(), zoomOut, zoomIn, fit, p.zoomLabel),
		closeButton, title)
	p.scroll = container.NewScroll(container.NewCenter(p.img))
	area := container.New(&pdfViewportLayout{p: p}, p.scroll, container.NewCenter(p.status))
	p.content = container.NewBorder(bar, nil, nil, nil, area)
}

// pdfViewportLayout fills its objects and tells the viewer its size.
type pdfViewportLayout struct{ p *pdfViewer }

func (l *pdfViewportLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	l.p.onViewportResized(size)
}

func (l *pdfViewportLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return layout.NewStackLayout().MinSize(objects)
}
