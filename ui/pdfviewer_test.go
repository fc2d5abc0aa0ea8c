package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"docvreview/imaging"
)

// testPDFEngine is one PDF engine for the package's tests: its cold start
// takes seconds. Its compiled-code cache (no document data) lives under
// the system temp dir so later runs start fast.
var testPDFEngine = func() func(t *testing.T) *imaging.PDFEngine {
	var (
		once sync.Once
		e    *imaging.PDFEngine
	)
	return func(t *testing.T) *imaging.PDFEngine {
		t.Helper()
		once.Do(func() {
			e = imaging.NewPDFEngine(filepath.Join(os.TempDir(), "docvreview-test-wazero-cache"))
			e.Start()
		})
		return e
	}
}()

// pdfTestPage is one page of a generated PDF: its size in points and the
// colour filling it.
type pdfTestPage struct {
	w, h int
	fill color.RGBA
}

// pdfTestDocument writes a valid PDF (correct cross-reference table) whose
// pages are filled with one colour each.
func pdfTestDocument(pages ...pdfTestPage) []byte {
	var b bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	var kids strings.Builder
	for k := range pages {
		fmt.Fprintf(&kids, "%d 0 R ", 3+2*k)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids.String(), len(pages)))
	for k, p := range pages {
		stream := fmt.Sprintf("%.3f %.3f %.3f rg 0 0 %d %d re f\n",
			float64(p.fill.R)/255, float64(p.fill.G)/255, float64(p.fill.B)/255, p.w, p.h)
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R >>", p.w, p.h, 4+2*k))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(stream), stream))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

var (
	pdfRed   = color.RGBA{255, 0, 0, 255}
	pdfGreen = color.RGBA{0, 255, 0, 255}
	pdfBlue  = color.RGBA{0, 0, 255, 255}
)

// pdfWaitOpened waits for the open attempt to be applied.
func pdfWaitOpened(t *testing.T, p *pdfViewer) {
	t.Helper()
	select {
	case <-p.opened:
	case <-time.After(60 * time.Second): // the engine's cold start
		t.Fatal("PDF never opened")
	}
}

// pdfWaitRendered waits until the latest render request was applied and
// returns the page image shown (nil after an error).
func pdfWaitRendered(t *testing.T, p *pdfViewer) *image.RGBA {
	t.Helper()
	target := p.gen.Load()
	deadline := time.After(30 * time.Second)
	for p.rendered.Load() < target {
		select {
		case <-p.renderNotify:
		case <-deadline:
			t.Fatalf("render %d never applied (last %d)", target, p.rendered.Load())
		}
	}
	img, _ := p.img.Image.(*image.RGBA)
	return img
}

// pdfOpen opens data in a viewer in a w×h window and waits for the first page.
func pdfOpen(t *testing.T, data []byte, onClose func()) (*pdfViewer, fyne.Window) {
	t.Helper()
	p := newPDFViewer(testPDFEngine(t), "identity.pdf", data, onClose)
	pdfWaitOpened(t, p) // before the window: nothing else touches the widgets meanwhile
	pdfWaitRendered(t, p)
	win := test.NewTempWindow(t, p.Object())
	pdfWaitRendered(t, p) // each layout step may re-fit: wait before the next
	win.Resize(fyne.NewSize(800, 600))
	pdfWaitRendered(t, p)
	return p, win
}

func pdfCentre(t *testing.T, img *image.RGBA) color.RGBA {
	t.Helper()
	if img == nil {
		t.Fatal("no page image")
	}
	b := img.Bounds()
	return img.RGBAAt(b.Min.X+b.Dx()/2, b.Min.Y+b.Dy()/2)
}

func TestPDFViewerNavigatesPages(t *testing.T) {
	test.NewTempApp(t)
	data := pdfTestDocument(
		pdfTestPage{612, 792, pdfRed},
		pdfTestPage{792, 612, pdfGreen}, // landscape: a new fit
		pdfTestPage{300, 300, pdfBlue},
	)
	closed := 0
	p, _ := pdfOpen(t, data, func() { closed++ })
	key := func(k fyne.KeyName) *image.RGBA {
		t.Helper()
		if !p.TypedKey(&fyne.KeyEvent{Name: k}) {
			t.Fatalf("key %s not handled", k)
		}
		return pdfWaitRendered(t, p)
	}
	assertPage := func(label string, img *image.RGBA, fill color.RGBA) {
		t.Helper()
		if p.pageLabel.Text != label {
			t.Errorf("page label %q, want %q", p.pageLabel.Text, label)
		}
		if c := pdfCentre(t, img); c != fill {
			t.Errorf("%s shows %v, want %v", label, c, fill)
		}
	}

	img := pdfWaitRendered(t, p)
	assertPage("Page 1 of 3", img, pdfRed)
	if !p.prev.Disabled() || p.next.Disabled() {
		t.Error("on page 1: Previous must be disabled, Next enabled")
	}
	if p.status.Visible() {
		t.Errorf("status shown: %q", p.status.Text)
	}
	// Fit: the page fits the page area, rendered at its on-screen pixel size.
	vp := p.viewport
	ms := p.img.MinSize()
	if p.img.Size() != ms {
		t.Errorf("page laid out at %v, want its size %v", p.img.Size(), ms)
	}
	if ms.Width > vp.Width || ms.Height > vp.Height || (vp.Height-ms.Height > 2*pdfFitMargin+1 && vp.Width-ms.Width > 2*pdfFitMargin+1) {
		t.Errorf("fitted page %v in area %v", ms, vp)
	}
	// Whole DPI only: within half a DPI of the exact width.
	if dw := float32(img.Bounds().Dx()) - ms.Width; dw < -5 || dw > 5 {
		t.Errorf("page rendered %d px wide for %v units at scale 1", img.Bounds().Dx(), ms.Width)
	}

	assertPage("Page 2 of 3", key(fyne.KeyPageDown), pdfGreen)
	if img := p.img.Image.(*image.RGBA); img.Bounds().Dx() <= img.Bounds().Dy() {
		t.Errorf("landscape page rendered %v", img.Bounds())
	}
	assertPage("Page 3 of 3", key(fyne.KeyRight), pdfBlue)
	if p.next.Disabled() == false || p.prev.Disabled() {
		t.Error("on the last page: Next must be disabled, Previous enabled")
	}
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageDown}) // past the end: stays
	if p.pageLabel.Text != "Page 3 of 3" {
		t.Errorf("past the end: %q", p.pageLabel.Text)
	}
	assertPage("Page 2 of 3", key(fyne.KeyLeft), pdfGreen)
	assertPage("Page 1 of 3", key(fyne.KeyPageUp), pdfRed)
	assertPage("Page 3 of 3", key(fyne.KeyEnd), pdfBlue)
	assertPage("Page 1 of 3", key(fyne.KeyHome), pdfRed)

	test.Tap(p.next)
	assertPage("Page 2 of 3", pdfWaitRendered(t, p), pdfGreen)
	test.Tap(p.prev)
	assertPage("Page 1 of 3", pdfWaitRendered(t, p), pdfRed)

	key(fyne.KeyEscape)
	if closed != 1 {
		t.Errorf("onClose called %d times", closed)
	}
	if p.img.Image != nil || p.doc != nil {
		t.Error("Esc kept the page or the document")
	}
	if p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageDown}); p.gen.Load() != p.rendered.Load() {
		t.Error("rendered after Close")
	}
}

func TestPDFViewerZoom(t *testing.T) {
	test.NewTempApp(t)
	p, _ := pdfOpen(t, pdfTestDocument(pdfTestPage{612, 792, pdfRed}), nil)
	defer p.Close()
	fitZoom := p.zoom
	fitWidth := pdfWaitRendered(t, p).Bounds().Dx()

	if !p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPlus}) {
		t.Fatal("+ not handled")
	}
	img := pdfWaitRendered(t, p)
	if p.fit || !zoomNear(p.zoom, fitZoom*pdfZoomStep) {
		t.Errorf("after +: fit %v zoom %v, want %v", p.fit, p.zoom, fitZoom*pdfZoomStep)
	}
	// 100 % is 96 DPI at canvas scale 1: the render matches the zoom.
	if got, want := img.Bounds().Dx(), 612*p.zoom*pdfUnitsPerPoint; float64(got) < want-5 || float64(got) > want+5 {
		t.Errorf("zoomed page %d px wide, want ≈ %.0f", got, want)
	}
	if img.Bounds().Dx() <= fitWidth {
		t.Errorf("zoomed in page %d px not wider than fitted %d", img.Bounds().Dx(), fitWidth)
	}
	if want := fmt.Sprintf("%d %%", int(p.zoom*100+0.5)); p.zoomLabel.Text != want {
		t.Errorf("zoom label %q, want %q", p.zoomLabel.Text, want)
	}
	for range 2 { // wait after each: in the test driver a render lands on its goroutine
		p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyMinus})
		pdfWaitRendered(t, p)
	}
	if !zoomNear(p.zoom, fitZoom/pdfZoomStep) {
		t.Errorf("after + − −: zoom %v, want %v", p.zoom, fitZoom/pdfZoomStep)
	}
	p.TypedKey(&fyne.KeyEvent{Name: fyne.Key0})
	pdfWaitRendered(t, p)
	if !p.fit || !zoomNear(p.zoom, fitZoom) {
		t.Errorf("after 0: fit %v zoom %v, want fit at %v", p.fit, p.zoom, fitZoom)
	}
	if p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyQ}) {
		t.Error("Q handled")
	}
}

func TestPDFViewerErrors(t *testing.T) {
	valid := pdfTestDocument(pdfTestPage{200, 200, pdfRed})
	tests := map[string]struct {
		data []byte
		want string
	}{
		"not a PDF":   {[]byte("PK\x03\x04 this is a zip, not a PDF"), "This file is not a PDF"},
		"empty":       {nil, "This file is not a PDF"},
		"damaged":     {[]byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage"), "This PDF is damaged"},
		"truncated":   {valid[:30], "This PDF is damaged"},
		"no page obj": {bytes.Replace(valid, []byte("/Type /Page "), []byte("/Type /Pagx "), 1), "This page is missing from the PDF"},
	}
	if enc, err := os.ReadFile(filepath.Join("..", "imaging", "testdata", "pdf", "encrypted-user-password.pdf")); err == nil {
		tests["password"] = struct {
			data []byte
			want string
		}{enc, "This PDF is password-protected"}
	} else {
		t.Logf("no encrypted sample (%v); password message covered by TestPDFErrorMessage", err)
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			test.NewTempApp(t)
			p := newPDFViewer(testPDFEngine(t), "x.pdf", tc.data, nil)
			pdfWaitOpened(t, p)
			pdfWaitRendered(t, p)
			test.NewTempWindow(t, p.Object())
			pdfWaitRendered(t, p)
			if !p.status.Visible() || !strings.HasPrefix(p.status.Text, tc.want) {
				t.Errorf("status %q (visible %v), want %q", p.status.Text, p.status.Visible(), tc.want)
			}
			if p.img.Image != nil {
				t.Error("a page is shown")
			}
			if p.pageLabel.Text != "" && p.doc == nil {
				t.Errorf("page label %q without a document", p.pageLabel.Text)
			}
			// Controls stay harmless.
			for _, k := range []fyne.KeyName{fyne.KeyPageDown, fyne.KeyPlus, fyne.Key0} {
				p.TypedKey(&fyne.KeyEvent{Name: k})
				pdfWaitRendered(t, p)
			}
			p.Close()
		})
	}
}

func TestPDFViewerCloseWhileOpening(t *testing.T) {
	test.NewTempApp(t)
	p := newPDFViewer(testPDFEngine(t), "x.pdf", pdfTestDocument(pdfTestPage{100, 100, pdfBlue}), nil)
	p.Close()
	pdfWaitOpened(t, p)
	if p.doc != nil || p.img.Image != nil || p.gen.Load() != 0 {
		t.Error("a PDF opened after Close was kept or rendered")
	}
	p.Close() // idempotent
}

func TestPDFViewerWithoutEngine(t *testing.T) {
	test.NewTempApp(t)
	p := newPDFViewer(nil, "x.pdf", pdfTestDocument(pdfTestPage{100, 100, pdfBlue}), nil)
	pdfWaitOpened(t, p)
	if p.status.Text != "The PDF viewer is not available" {
		t.Errorf("status %q", p.status.Text)
	}
}

func TestPDFErrorMessage(t *testing.T) {
	for err, want := range map[error]string{
		fmt.Errorf("open: %w", imaging.ErrPDFEncrypted):    "This PDF is password-protected",
		fmt.Errorf("open: %w", imaging.ErrNotPDF):          "This file is not a PDF",
		fmt.Errorf("open: %w", imaging.ErrPDFCorrupt):      "This PDF is damaged",
		fmt.Errorf("render: %w", imaging.ErrPDFPage):       "This page is missing from the PDF",
		fmt.Errorf("render: %w", imaging.ErrTooLarge):      "This page is too large to show at this zoom",
		fmt.Errorf("open: %w", imaging.ErrPDFEngine):       "The PDF viewer is not available",
		fmt.Errorf("render: %w", context.DeadlineExceeded): "This PDF took too long to render",
		errors.New("anything else"):                        "This PDF could not be shown",
		nil:                                                "",
	} {
		if got := pdfErrorMessage(err); got != want {
			t.Errorf("%v → %q, want %q", err, got, want)
		}
	}
}

func TestPDFDPI(t *testing.T) {
	letter := pdfPageSize{612, 792}
	tests := map[string]struct {
		page  pdfPageSize
		zoom  float64
		scale float32
		want  float64
	}{
		"100 % at scale 1":     {letter, 1, 1, 96},
		"100 % at scale 2":     {letter, 1, 2, 192},
		"50 %":                 {letter, 0.5, 1, 48},
		"capped DPI":           {pdfPageSize{100, 100}, 8, 2, pdfMaxDPI},
		"capped pixels":        {pdfPageSize{5000, 5000}, 8, 1, 79}, // √(30e6)/5000·72 = 78.9
		"unknown scale is 1":   {letter, 1, 0, 96},
		"tiny zoom at least 1": {letter, 0.001, 1, 1},
	}
	for name, tc := range tests {
		if got := pdfDPI(tc.page, tc.zoom, tc.scale); got != tc.want {
			t.Errorf("%s: %v DPI, want %v", name, got, tc.want)
		}
	}
}

func TestPDFFitZoom(t *testing.T) {
	// A 612×792 pt page is 816×1056 units at 100 %.
	if got, want := pdfFitZoom(pdfPageSize{612, 792}, fyne.NewSize(2000, 1056+2*pdfFitMargin)), 1.0; !zoomNear(got, want) {
		t.Errorf("fit height: %v, want %v", got, want)
	}
	if got := pdfFitZoom(pdfPageSize{}, fyne.NewSize(800, 600)); got != 1 {
		t.Errorf("unknown page: %v", got)
	}
	if got := pdfFitZoom(pdfPageSize{612, 792}, fyne.Size{}); got != 1 {
		t.Errorf("no viewport: %v", got)
	}
}

func TestPDFViewerReportsThroughInjectedDo(t *testing.T) {
	test.NewTempApp(t)
	q := newViewerTestQueue()
	p := newPDFViewerDo(testPDFEngine(t), "x.pdf", pdfTestDocument(pdfTestPage{200, 100, pdfGreen}, pdfTestPage{100, 200, pdfBlue}), nil, nil, q.do)
	win := test.NewTempWindow(t, p.Object())
	win.Resize(fyne.NewSize(600, 400))
	shown := func() bool { return p.gen.Load() > 0 && p.rendered.Load() == p.gen.Load() }
	q.runUntil(t, "the first page", shown)
	if c := pdfCentre(t, p.img.Image.(*image.RGBA)); c != pdfGreen {
		t.Errorf("page 1 shows %v", c)
	}
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageDown})
	win.Resize(fyne.NewSize(500, 500))
	q.runUntil(t, "the second page", shown)
	if c := pdfCentre(t, p.img.Image.(*image.RGBA)); c != pdfBlue || p.pageLabel.Text != "Page 2 of 2" {
		t.Errorf("page 2 shows %v, label %q", c, p.pageLabel.Text)
	}
	p.Close()
}

// The viewer's look: a page fitted, controls above.
func TestPDFViewerRendersToImage(t *testing.T) {
	test.NewTempApp(t)
	p, win := pdfOpen(t, pdfTestDocument(pdfTestPage{612, 792, color.RGBA{230, 240, 255, 255}}, pdfTestPage{612, 792, pdfRed}), nil)
	defer p.Close()
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageDown})
	pdfWaitRendered(t, p)
	p.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageUp})
	pdfWaitRendered(t, p)
	test.AssertImageMatches(t, "pdfviewer_fit.png", win.Canvas().Capture())
}
