package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
	"docvreview/fetch/simulator"
	"docvreview/imaging"
)

// fakeViewer stands in for the inspector and the PDF viewer, whose own
// goroutines report through fyne.Do (which the test driver runs at once,
// on their goroutine): the window's part is tested here, theirs in their tests.
type fakeViewer struct {
	title   string
	data    []byte
	meta    imaging.Metadata
	onClose func()
	release func() // the viewer's lease on the case's bytes
	obj     fyne.CanvasObject
	keys    []fyne.KeyName
	closed  int
}

func (f *fakeViewer) Object() fyne.CanvasObject { return f.obj }
func (f *fakeViewer) Close() {
	f.closed++
	if f.release != nil {
		f.release()
	}
}
func (f *fakeViewer) TypedKey(ev *fyne.KeyEvent) bool {
	f.keys = append(f.keys, ev.Name)
	return ev.Name == fyne.KeyR // a key of its own
}

// fakeViewers makes the window open fakes and returns the ones it opened.
func fakeViewers(h *harness) *[]*fakeViewer {
	var opened []*fakeViewer
	h.useViewers(viewerMakers{
		inspector: func(in inspectorInput) caseViewer {
			f := &fakeViewer{title: in.Title, data: in.Data, meta: in.Meta, onClose: in.OnClose, release: in.Release, obj: widget.NewLabel("inspector")}
			opened = append(opened, f)
			return f
		},
		pdf: func(_ *imaging.PDFEngine, name string, data []byte, release, onClose func()) caseViewer {
			f := &fakeViewer{title: name, data: data, onClose: onClose, release: release, obj: widget.NewLabel("pdf")}
			opened = append(opened, f)
			return f
		},
	})
	return &opened
}

func TestKeysOpenAndCloseTheInspector(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	opened := fakeViewers(h)
	h.open(simulator.HappyID)
	panes := h.panes() // the viewer hides them
	for i, k := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3} {
		h.key(k)
		h.loop.until(t, "the inspector", 10*time.Second, func() bool { return h.viewer() != nil })
		f := (*opened)[i]
		if h.viewer() != f || !h.viewerShows(f.obj) || len(h.panes()) != 0 {
			t.Fatal("the inspector does not replace the evidence area")
		}
		p := panes[i]
		if f.meta.SHA256 != p.entry.SHA256 || string(f.data) != string(p.entry.Data) {
			t.Errorf("key %s: inspector got other bytes or metadata", k)
		}
		if &f.data[0] != &p.entry.Data[0] {
			t.Error("the inspector got a copy of the case's buffer (closing the case would not zero it)")
		}
		if f.title != roleTitle(p.role) {
			t.Errorf("title %q", f.title)
		}
		h.key(fyne.KeyR) // the viewer's own key
		if h.viewer() != f {
			t.Fatal("a viewer key closed the viewer")
		}
		h.key(fyne.KeyEscape)
		if h.viewer() != nil || !slices.Equal(h.panes(), panes) || f.closed == 0 {
			t.Fatal("Esc did not close the inspector and return to the case")
		}
	}
	// The viewer's own Close button calls OnClose.
	h.key(fyne.Key1)
	h.idle()
	f := (*opened)[3]
	f.onClose()
	if h.viewer() != nil || f.closed == 0 {
		t.Error("OnClose did not return to the case")
	}
}

func TestTapOnPaneInspects(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	opened := fakeViewers(h)
	h.open(simulator.PassportID)
	h.panes()[1].Tapped(nil) // no back: nothing happens
	h.idle()
	if h.viewer() != nil {
		t.Fatal("tapping the empty back pane opened a viewer")
	}
	h.key(fyne.Key2)
	if !strings.Contains(h.status(), "no ID back") {
		t.Errorf("status %q", h.status())
	}
	h.panes()[0].Tapped(nil)
	h.loop.until(t, "the inspector", 10*time.Second, func() bool { return h.viewer() != nil })
	h.shortcut(fyne.KeyW)
	assertEmpty(t, h)
	if (*opened)[0].closed == 0 {
		t.Error("closing the case did not close the inspector")
	}
}

func TestExtraImagesAreInspectable(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	opened := fakeViewers(h)
	h.open(simulator.RecaptureID)
	buttons := h.extraImageButtons()
	if len(buttons) == 0 {
		t.Fatal("no inspectable image in the strip")
	}
	for _, b := range buttons {
		b.OnTapped()
		h.loop.until(t, "the inspector", 10*time.Second, func() bool { return h.viewer() != nil })
		h.key(fyne.KeyEscape)
	}
	if len(*opened) != len(buttons) {
		t.Errorf("%d inspectors for %d buttons", len(*opened), len(buttons))
	}
}

func TestAttachmentOpensPDFViewer(t *testing.T) {
	if raceEnabled {
		t.Skip("the PDF engine's WebAssembly compile takes minutes under -race; runs without -race")
	}
	eng := imaging.NewPDFEngine(t.TempDir())
	t.Cleanup(func() { eng.Close() })
	h := newHarness(t, Options{Env: eval.Demo, PDF: eng})
	opened := fakeViewers(h)
	h.typeAndEnter(simulator.HappyID)
	h.loop.until(t, "page counts", 3*time.Minute, func() bool {
		return h.running() == 0 && !h.r.sess.Fetching()
	})
	rows := h.attachments()
	if len(rows) != 2 {
		t.Fatalf("%d attachments", len(rows))
	}
	for _, row := range rows {
		// A page count shown ("· 1 page"), not a failure ("cannot be opened").
		if row.info.Importance == widget.DangerImportance || !strings.Contains(row.info.Text, " page") {
			t.Errorf("%s: %q", row.name, row.info.Text)
		}
		if row.thumb.Image == nil {
			t.Errorf("%s: no thumbnail", row.name)
		}
	}
	test.Tap(rows[0].open)
	f := (*opened)[0]
	att := h.r.sess.Case().Case().Attachments()[0]
	if h.viewer() != f || f.title != att.Name || rows[0].name != att.Name || string(f.data) != string(att.Data) {
		t.Fatal("Open did not show the PDF viewer with the attachment")
	}
	h.key(fyne.KeyEscape)
	if h.viewer() != nil {
		t.Error("Esc did not close the PDF viewer")
	}
}

func TestAttachmentsWithoutPDFEngine(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	h.open(simulator.HappyID)
	rows := h.attachments()
	if len(rows) == 0 {
		t.Fatal("no attachments listed")
	}
	for _, row := range rows {
		if !row.open.Disabled() || !strings.Contains(row.info.Text, "PDF") {
			t.Errorf("%s: %q, open enabled %v", row.name, row.info.Text, !row.open.Disabled())
		}
	}
}

func TestRealInspectorZoomsTo100(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	h.open(simulator.HappyID)
	h.key(fyne.Key1)
	h.loop.until(t, "the inspector", 10*time.Second, func() bool { return h.viewer() != nil })
	insp := h.viewer().(*inspector)
	h.loop.until(t, "the full-resolution decode", 60*time.Second, func() bool {
		select {
		case <-insp.ready:
			return true
		default:
			return false
		}
	})
	if insp.full == nil {
		t.Fatal("no full-resolution image")
	}
	h.shortcut(fyne.Key0) // Ctrl+0: 100 %
	if z := insp.view.ZoomPercent(); z < 99.5 || z > 100.5 {
		t.Errorf("zoom after Ctrl+0: %.1f %%", z)
	}
	h.key(fyne.KeyEscape)
	if h.viewer() != nil || insp.full != nil {
		t.Error("Esc did not close the inspector and drop its copy")
	}
	if !strings.HasPrefix(h.status(), "Loaded ") {
		t.Errorf("status after closing the inspector: %q", h.status())
	}
	h.idle()
}

func TestAboutListsNotices(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	h.menu("Help", "About")
	screen := markupOf(h.win.Canvas().Overlays().Top())
	for _, want := range []string{"DocV Review " + riskos.Version, "Third-party notices", "PDFium"} {
		if !strings.Contains(screen, want) {
			t.Errorf("About lacks %q", want)
		}
	}
}

func Test4OpensTheFirstAttachment(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	opened := fakeViewers(h)
	h.open(simulator.HappyID)
	h.setPDFEngine(imaging.NewPDFEngine("")) // never started: the viewer is a fake
	h.key(fyne.Key4)
	if len(*opened) != 1 || (*opened)[0].title != h.attachments()[0].name || h.viewer() == nil {
		t.Fatalf("4 opened %d viewers", len(*opened))
	}
	h.key(fyne.KeyEscape)
	h.open(simulator.RecaptureID) // no attachments
	h.key(fyne.Key4)
	if h.viewer() != nil || !strings.Contains(h.status(), "no attachment") {
		t.Errorf("4 without attachments: viewer %v, status %q", h.viewer(), h.status())
	}
}

func TestCtrlLSelectsTheEvalIDForRetyping(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	h.open(simulator.PassportID)
	h.shortcut(fyne.KeyL)
	e := h.evalEntry()
	if h.win.Canvas().Focused() != e || e.SelectedText() != simulator.PassportID {
		t.Fatalf("focus %v, selection %q", h.win.Canvas().Focused(), e.SelectedText())
	}
	test.Type(e, simulator.MilitaryID) // replaces the selection
	if e.Text != simulator.MilitaryID {
		t.Errorf("entry %q", e.Text)
	}
	h.shortcut(fyne.KeyW)
	if e.Text != "" {
		t.Errorf("Close case left %q in the eval_id box", e.Text)
	}
}
