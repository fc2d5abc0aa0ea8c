package ui

import (
	"time"

	"docvreview/fetch/casefile"
	"docvreview/imaging"
)

// The hooks here are the only places the tests reach into the window's
// state: each is a seam for something the reviewer cannot see or do
// through the canvas (work in flight, a clock in milliseconds, the
// viewers' constructors). Everything else goes through the canvas
// (finders_test.go, harness_test.go).

// running is how many goroutines the window started have not reported
// back yet: work in flight has no visible form, and the tests wait for it
// to end.
func (h *harness) running() int { return h.r.running }

// viewerMakers substitutes the constructors of the viewers (nil keeps the
// real one): the window's part of opening and closing them is tested with
// fakes, theirs in their own tests.
type viewerMakers struct {
	inspector func(inspectorInput) caseViewer
	pdf       func(eng *imaging.PDFEngine, name string, data []byte, release, onClose func()) caseViewer
	compare   func(compareInput) caseViewer
}

// useViewers makes the window open the viewers m makes.
func (h *harness) useViewers(m viewerMakers) {
	if m.inspector != nil {
		h.r.makeInspector = m.inspector
	}
	if m.pdf != nil {
		h.r.makePDFViewer = m.pdf
	}
	if m.compare != nil {
		h.r.makeCompare = m.compare
	}
}

// setIdleAfter shortens the idle clear to d: Settings takes whole minutes.
func (h *harness) setIdleAfter(d time.Duration) { h.r.setIdleAfter(d) }

// setPDFEngine gives the open window a PDF engine (Options.PDF at start
// would also warm it up in the background, which a test with fake viewers
// does not want).
func (h *harness) setPDFEngine(eng *imaging.PDFEngine) { h.r.opts.PDF = eng }

// evidenceView is the evidence area's state: the arrangement its layout
// picked and its grid's size are what the layout tests measure, and have
// no form on the canvas but geometry.
func (h *harness) evidenceView() *evidenceView { return h.r.evidence }

// paneBox is the decode box (physical pixels) the window asks for p.
func (h *harness) paneBox(p *imagePane) (w, hh int) { return h.r.paneBox(p) }

// planBox is the box the load that fetched the current case planned for e.
func (h *harness) planBox(e *casefile.Entry) (w, hh int) { return h.r.planBox(e) }

// decodeBox is the decode box of the whole evidence area.
func (h *harness) decodeBox() (w, hh int) { return h.r.decodeBox() }

// redecodeArmed reports whether a resize has armed the re-decode debounce
// timer (a timer has no visible form).
func (h *harness) redecodeArmed() bool { return h.r.resize.timer != nil }

// checks is the evidence checks' state and the Checks section: the tests
// assert findings by kind and by the entry they point to (the model behind
// the section's text), and whether the checks run or are done, which has no
// visible form.
func (h *harness) checks() (*checksState, *checksPanel) { return &h.r.checks, h.r.checksPanel }

// pdfWarmup is the PDF engine's warm-up, whose clock and start the tests
// substitute (it runs in the background, with nothing on screen).
func (h *harness) pdfWarmup() *pdfWarmup { return &h.r.pdfWarm }

// exportState is the case export in progress: what it planned and wrote
// (the files it wrote are checked on disk against the plan).
func (h *harness) exportState() *exportState { return &h.r.export }

// settingsDialog is the open Settings dialog (nil when none is): its key
// rows' keychain calls run in the background, and tests wait for them.
func (h *harness) settingsDialog() *settingsDialog { return h.r.settings }

// dialogsForgotten reports whether the window has let go of every dialog
// it showed (else the next one would not open): no visible form.
func (h *harness) dialogsForgotten() bool {
	return h.r.dialog == nil && h.r.settings == nil && h.r.export.confirm == nil
}

// openAttachment opens the case's i-th attachment in the PDF viewer as its
// Open button would, even when the button is disabled: under -race the
// lease test gives the window a closed engine (its compile takes minutes),
// the page count fails and disables Open, and the viewer's lease path is
// still to be exercised.
func (h *harness) openAttachment(i int) { h.r.openPDF(h.r.files.rows[i].entry) }
