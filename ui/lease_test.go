package ui

import (
	"image"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
	"docvreview/imaging"
)

// leaseProbe stands between the window and the real viewers: it records
// every byte slice a viewer is handed or decodes, holds the decoders at a
// gate, and reports each release of a viewer's lease.
type leaseProbe struct {
	mu       sync.Mutex
	given    [][]byte
	entered  chan struct{} // one value per decode started
	gate     chan struct{} // closed to let the decodes run
	released chan struct{} // one value per release
}

func newLeaseProbe() *leaseProbe {
	return &leaseProbe{gate: make(chan struct{}), entered: make(chan struct{}, 16), released: make(chan struct{}, 16)}
}

func (p *leaseProbe) record(b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.given = append(p.given, b)
}

func (p *leaseProbe) slices() [][]byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([][]byte(nil), p.given...)
}

func (p *leaseProbe) release(release func()) func() {
	return func() {
		if release != nil {
			release()
		}
		p.released <- struct{}{}
	}
}

func (p *leaseProbe) decode(b []byte, o imaging.Options) (*image.RGBA, imaging.Info, error) {
	p.record(b)
	p.entered <- struct{}{}
	<-p.gate
	return imaging.DecodeFull(b, o)
}

// install makes the window open the real viewers through the probe.
func (p *leaseProbe) install(h *harness) {
	h.useViewers(viewerMakers{
		inspector: func(in inspectorInput) caseViewer {
			p.record(in.Data)
			in.Release = p.release(in.Release)
			in.decode = p.decode
			return newInspector(in)
		},
		compare: func(in compareInput) caseViewer {
			p.record(in.Front)
			p.record(in.Selfie)
			in.Release = p.release(in.Release)
			in.decode = p.decode
			return newCompareView(in)
		},
		pdf: func(eng *imaging.PDFEngine, name string, data []byte, release, onClose func()) caseViewer {
			p.record(data)
			return newPDFViewerDo(eng, name, data, p.release(release), onClose, h.loop.Do)
		},
	})
}

// wait receives one value from ch (these goroutines do not go through
// the window's loop); the limit only bounds a failure.
func (p *leaseProbe) wait(t *testing.T, ch chan struct{}, failure string) {
	t.Helper()
	limit := time.NewTimer(2 * time.Minute)
	defer limit.Stop()
	select {
	case <-ch:
	case <-limit.C:
		t.Fatal(failure)
	}
}

// zeroed reports whether every byte of every buffer is zero.
func zeroed(bufs [][]byte) bool {
	for _, b := range bufs {
		for _, x := range b {
			if x != 0 {
				return false
			}
		}
	}
	return true
}

// within reports whether b lies inside one of bufs (shares its memory).
func within(b []byte, bufs [][]byte) bool {
	if len(b) == 0 {
		return true
	}
	for _, o := range bufs {
		if len(o) > 0 && &b[0] == &o[0] {
			return true
		}
	}
	return false
}

// TestViewersLeaveNoUnzeroedBytes opens each viewer on the happy case,
// closes the case while the viewer still reads its bytes, then lets the
// viewer finish: the case's buffers must survive until the viewer releases
// its lease (it is still decoding them), and afterwards every buffer the
// case handed out, and every slice a viewer was given or decoded, reads as
// zeros. A viewer holding a copy of the bytes fails here.
func TestViewersLeaveNoUnzeroedBytes(t *testing.T) {
	pdfEngine := func(t *testing.T) *imaging.PDFEngine {
		if !raceEnabled {
			return testPDFEngine(t)
		}
		// The engine's compile takes minutes under -race: a closed engine
		// fails every Open, which still exercises the lease's path.
		e := imaging.NewPDFEngine("")
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		return e
	}
	for _, tc := range []struct {
		name  string
		gated bool // the viewer decodes through the probe's gate
		open  func(h *harness)
	}{
		{"inspector", true, func(h *harness) { h.key(fyne.Key1) }},
		{"compare", true, func(h *harness) { h.key(fyne.KeyC) }},
		{"pdf viewer", false, func(h *harness) {
			if raceEnabled {
				h.openAttachment(0) // the closed engine failed the page count: Open is disabled
				return
			}
			test.Tap(h.attachments()[0].open)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Options{Env: eval.Demo, PDF: pdfEngine(t)})
			h.open(simulator.HappyID)
			h.idle()
			var caseBufs [][]byte
			for _, e := range h.r.sess.Case().Case().Entries {
				if e.Data != nil {
					caseBufs = append(caseBufs, e.Data[:cap(e.Data)])
				}
			}
			p := newLeaseProbe()
			p.install(h)
			tc.open(h)
			h.loop.until(t, "the viewer", time.Minute, func() bool { return h.viewer() != nil })
			if tc.gated {
				p.wait(t, p.entered, "a viewer never started decoding")
			} else if pv, ok := h.viewer().(*pdfViewer); ok {
				h.loop.until(t, "the PDF to open", time.Minute, func() bool {
					select {
					case <-pv.opened:
						return true
					default:
						return false
					}
				})
			}

			h.shortcut(fyne.KeyW) // closes the viewer and the case
			h.idle()
			if h.viewer() != nil || h.r.sess.Case() != nil {
				t.Fatal("Ctrl+W left the viewer or the case open")
			}
			if tc.gated && zeroed(p.slices()) {
				t.Error("the case was zeroed while a viewer was still decoding its bytes")
			}
			close(p.gate)
			p.wait(t, p.released, "a viewer never released its lease on the case")
			h.idle()

			given := p.slices()
			if len(given) == 0 {
				t.Fatal("the viewer was given no bytes")
			}
			for i, b := range given {
				if !within(b, caseBufs) {
					t.Errorf("slice %d a viewer got is a copy, not the case's buffer", i)
				}
			}
			if !zeroed(caseBufs) {
				t.Error("a buffer the case handed out is not zero after close")
			}
			if !zeroed(given) {
				t.Error("a viewer kept unzeroed bytes after close")
			}
		})
	}
}
