package ui

import (
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
	"docvreview/fetch/simulator"
)

// captionRE is "W×H px, shown w×h (N %) · size".
var captionRE = regexp.MustCompile(`^\d+×\d+ px, shown \d+×\d+ \([\d.]+ %\) · [\d.]+ [kMG]?B$`)

// testNow is a fixed clock, so ages and expiry flags do not drift.
var testNow = func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }

func TestHappyCaseShowsThreeImagesWithCaptions(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	start := time.Now()
	h.open(simulator.HappyID)
	t.Logf("Enter → three images decoded in %s (test driver, panes %v)", time.Since(start), h.panes()[0].Size())

	if len(h.panes()) != 3 {
		t.Fatalf("centre shows outcome %q, want the evidence", h.outcomeKind())
	}
	for i, p := range h.panes() {
		if p.display == nil || p.img.Image == nil {
			t.Fatalf("pane %d (%s): no image; message %q", i, p.role, p.msg.Text)
		}
		if p.msg.Visible() {
			t.Errorf("pane %d: placeholder still visible: %q", i, p.msg.Text)
		}
		if !strings.HasPrefix(p.title.Text, roleTitle(p.role)) {
			t.Errorf("pane %d title %q", i, p.title.Text)
		}
		c := p.caption.Text
		if !captionRE.MatchString(c) {
			t.Errorf("pane %d caption %q lacks full size, shown size or file size", i, c)
		}
		b := p.display.Image.Bounds()
		if b.Dx() > p.boxW || b.Dy() > p.boxH {
			t.Errorf("pane %d decoded at %v, larger than its box %dx%d", i, b, p.boxW, p.boxH)
		}
	}
	selfie := h.panes()[2].display
	if selfie.Info.Orientation != 6 {
		t.Errorf("selfie orientation %d, want 6", selfie.Info.Orientation)
	}
	if b := selfie.Image.Bounds(); b.Dx() > b.Dy() {
		t.Errorf("selfie shown %v: not turned upright", b)
	}
	if got := len(h.attachments()); got != 2 {
		t.Errorf("attachments listed: %d, want 2", got)
	}
	if _, shown := h.extraImages(); shown {
		t.Error("the happy case has no other images, but the strip is shown")
	}
	if !strings.HasPrefix(h.status(), "Loaded "+simulator.HappyID) {
		t.Errorf("status %q", h.status())
	}
	if got := h.win.Title(); got != "DocV Review — Demo" {
		t.Errorf("window title %q names more than the environment", got)
	}
	if recent := h.recentIDs(); len(recent) == 0 || recent[0] != simulator.HappyID {
		t.Errorf("recent eval_ids %v", recent)
	}
}

func TestPastedDashboardURLIsAccepted(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	h.open("https://dashboard.socure.com/riskos/evaluations/" + strings.ToUpper(simulator.PassportID) + "?tab=documents")
	if got := h.evalEntry().Text; got != simulator.PassportID {
		t.Errorf("entry shows %q after fetch, want the canonical eval_id", got)
	}
	if h.r.sess.Case() == nil {
		t.Fatalf("no case; outcome %q", h.outcomeKind())
	}
}

func TestInvalidEvalIDIsNotFetched(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	for _, text := range []string{"", "  ", "not-a-uuid", "1111-2222"} {
		h.typeAndEnter(text)
		h.idle()
		if _, ok := h.r.sess.Request(); ok {
			t.Fatalf("%q started a fetch", text)
		}
		if h.status() == "" {
			t.Errorf("%q: no status explaining what to type", text)
		}
	}
	if err := validateEvalID("nonsense"); err == nil {
		t.Error("validator accepts nonsense")
	}
	if err := validateEvalID(" " + simulator.HappyID + " "); err != nil {
		t.Errorf("validator refuses a padded eval_id: %v", err)
	}
	if err := validateEvalID(""); err != nil {
		t.Errorf("validator complains about an empty box: %v", err)
	}
}

func TestDemoScenarios(t *testing.T) {
	cases := map[string]struct {
		id    string
		check func(t *testing.T, h *harness)
	}{
		"passport has no back": {simulator.PassportID, func(t *testing.T, h *harness) {
			p := h.panes()
			if p[0].display == nil || p[2].display == nil {
				t.Fatal("front or selfie not shown")
			}
			if p[1].entry != nil || p[1].msg.Text != msgNoBack || !p[1].msg.Visible() {
				t.Errorf("back pane: entry %v, message %q", p[1].entry, p[1].msg.Text)
			}
			if n := len(h.attachments()); n != 1 {
				t.Errorf("attachments %d, want 1", n)
			}
		}},
		"military": {simulator.MilitaryID, noDocs(riskos.ReasonMilitary)},
		"minor": {simulator.MinorID, func(t *testing.T, h *harness) {
			noDocs(riskos.ReasonMinor)(t, h)
			if md := markupOf(h.tab("Details")); !strings.Contains(md, "⚠ UNDER 18") {
				t.Errorf("details:\n%s\nthe under-18 DOB is not flagged", md)
			}
		}},
		"retention":  {simulator.RetentionID, noDocs(riskos.ReasonRetention)},
		"not found":  {simulator.NotFoundID, failure(outcomeNotFound, "404", false)},
		"flaky ends": {simulator.FlakyID, loadedWithImages(3)},
		"hostile": {simulator.HostileID, func(t *testing.T, h *harness) {
			if h.panes()[0].display == nil {
				t.Fatalf("the good front is not shown: %q", h.panes()[0].msg.Text)
			}
			if len(h.r.sess.Case().Case().Warnings) == 0 || !strings.Contains(markupOf(h.tab("Details")), "Warnings") {
				t.Error("the case's warnings are not listed in Details")
			}
			if !strings.Contains(h.status(), "warning") {
				t.Errorf("status %q does not mention the warnings", h.status())
			}
			if !anyCorrupt(h) {
				t.Error("the corrupt JPEG is not reported as corrupt anywhere")
			}
			bad := 0
			for _, row := range h.attachments() {
				if strings.Contains(row.info.Text, "cannot be opened") && row.open.Disabled() {
					bad++
				}
			}
			if bad == 0 {
				t.Error("the fake PDF is listed as openable")
			}
		}},
		"re-captures": {simulator.RecaptureID, func(t *testing.T, h *harness) {
			front := h.panes()[0]
			if front.entry == nil || front.entry.Capture != 2 || !strings.Contains(front.title.Text, "capture 2 of 2") {
				t.Errorf("front pane shows %q", front.title.Text)
			}
			if buttons, shown := h.extraImages(); len(buttons) != 3 || !shown {
				t.Errorf("other images strip: %d buttons (visible %v), want Front_1, Selfie_1 and the PNG",
					len(buttons), shown)
			}
			if len(h.r.sess.Case().Case().Others()) == 0 || !strings.Contains(markupOf(h.tab("Attachments")), "Other files") {
				t.Error("the unknown file is not listed")
			}
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, Options{Env: eval.Demo, Now: testNow})
			h.open(tc.id)
			tc.check(t, h)
		})
	}
}

func noDocs(reason riskos.NoDocsReason) func(*testing.T, *harness) {
	return func(t *testing.T, h *harness) {
		t.Helper()
		if k := h.outcomeKind(); k != outcomeNoDocuments {
			t.Fatalf("outcome %q, want the no-documents explanation", k)
		}
		nd := h.r.sess.NoDocs()
		if nd == nil || nd.Explanation.Reason != reason {
			t.Fatalf("explanation %+v, want reason %s", nd, reason)
		}
		if _, body, _ := h.outcomeText(); body != nd.Explanation.Summary || body == "" {
			t.Errorf("body %q, want the explanation %q", body, nd.Explanation.Summary)
		}
		if h.outcomeButton("Retry") != nil {
			t.Error("Retry offered for an expected no-documents outcome")
		}
		if nd.Evaluation != nil && (!strings.Contains(markupOf(h.tab("Details")), "Document verification") || h.sideTabs().SelectedIndex() != 0) {
			t.Error("the evaluation is not shown in Details")
		}
	}
}

func failure(kind, titlePart string, retry bool) func(*testing.T, *harness) {
	return func(t *testing.T, h *harness) {
		t.Helper()
		title, _, hint := h.outcomeText()
		if got := h.outcomeKind(); got != kind {
			t.Fatalf("outcome %q (%q), want %q", got, title, kind)
		}
		if !strings.Contains(title, titlePart) {
			t.Errorf("title %q lacks %q", title, titlePart)
		}
		if hint == "" {
			t.Error("no hint saying what to check")
		}
		if shown := h.outcomeButton("Retry") != nil; shown != retry {
			t.Errorf("Retry visible %v, want %v", shown, retry)
		}
		if h.r.sess.Case() != nil {
			t.Error("a case is open after a failure")
		}
	}
}

func loadedWithImages(n int) func(*testing.T, *harness) {
	return func(t *testing.T, h *harness) {
		t.Helper()
		if h.r.sess.Case() == nil {
			_, body, _ := h.outcomeText()
			t.Fatalf("no case; outcome %q: %q", h.outcomeKind(), body)
		}
		got := 0
		for _, p := range h.panes() {
			if p.display != nil {
				got++
			}
		}
		if got != n {
			t.Errorf("%d images shown, want %d", got, n)
		}
	}
}

func anyCorrupt(h *harness) bool {
	for _, p := range h.panes() {
		if strings.Contains(p.msg.Text, "corrupt") || strings.Contains(p.msg.Text, "not the image") ||
			strings.Contains(markupOf(p), "unreadable") {
			return true
		}
	}
	buttons, _ := h.extraImages()
	for _, b := range buttons {
		if strings.Contains(b.Text, "unreadable") {
			return true
		}
	}
	return false
}

// markupOf collects the text of every label, button and canvas text in
// o's tree, shown or hidden (an unselected tab is hidden), one per line.
func markupOf(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			b.WriteString(x.Text + "\n")
			return
		case *widget.Button:
			b.WriteString(x.Text + "\n")
		case *canvas.Text:
			b.WriteString(x.Text + "\n")
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
			return
		}
		if w, ok := o.(fyne.Widget); ok {
			for _, c := range test.WidgetRenderer(w).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return b.String()
}

func TestCancelMidDownload(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	h.typeAndEnter(simulator.SlowID)
	h.loop.until(t, "download progress", 20*time.Second, func() bool { return h.progressBar().Value > 0 })
	if text := h.progressBar().TextFormatter(); !h.progressBar().Visible() || !strings.Contains(text, " of ") {
		t.Errorf("progress %q (visible %v): want bytes and total", text, h.progressBar().Visible())
	}
	start := time.Now()
	h.key(fyne.KeyEscape)
	if h.outcomeKind() != outcomeCancelled || h.r.sess.Fetching() {
		t.Fatalf("after Esc: outcome %q, fetching %v", h.outcomeKind(), h.r.sess.Fetching())
	}
	h.idle()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the download took %s to stop after Esc", d)
	}
	if h.r.sess.Case() != nil || h.progressBar().Visible() || !h.buttonIn(h.win.Canvas().Content(), "Cancel").Disabled() {
		t.Error("state not reset after cancel")
	}
	// The next fetch works: no stuck state.
	h.open(simulator.PassportID)
	loadedWithImages(2)(t, h)
}

func TestCloseCaseEmptiesEveryPane(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo, Now: testNow})
	h.open(simulator.HappyID)
	c := h.r.sess.Case().Case()
	entries := append([]*casefile.Entry(nil), c.Entries...)
	h.shortcut(fyne.KeyW)
	h.idle()
	assertEmpty(t, h)
	if !c.Closed() {
		t.Error("the case was not closed")
	}
	for _, e := range entries {
		if e.Data != nil {
			t.Errorf("%s still holds its bytes", e.Path)
		}
	}
}

func assertEmpty(t *testing.T, h *harness) {
	t.Helper()
	ev := h.evidenceView() // off the canvas now: what it still holds
	for i, p := range ev.panes {
		if p.img.Image != nil || p.entry != nil || p.display != nil {
			t.Errorf("pane %d still holds the image", i)
		}
	}
	if h.r.sess.Case() != nil || h.viewer() != nil {
		t.Error("case or viewer still open")
	}
	if k := h.outcomeKind(); k != outcomeWelcome {
		t.Errorf("centre shows %q, want the welcome text", k)
	}
	if len(h.attachments()) != 0 || len(ev.extras.Objects) != 0 || ev.extrasBar.Visible() {
		t.Error("attachments or other images still listed")
	}
	for _, m := range []string{markupOf(h.tab("Details")), markupOf(h.tab("Attachments"))} {
		if !strings.Contains(m, "No case open.") {
			t.Errorf("panel not emptied:\n%s", m)
		}
	}
}

func TestIdleClearsTheCase(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	h.open(simulator.PassportID)
	h.setIdleAfter(150 * time.Millisecond)
	h.loop.until(t, "the idle clear", 10*time.Second, func() bool { return !h.r.sess.HasCase() })
	assertEmpty(t, h)
	if !strings.Contains(h.status(), "without activity") {
		t.Errorf("status %q", h.status())
	}
}

// TestActivityPostponesIdleClear runs in a synctest bubble: the idle timer
// and the clock the window reads both follow the bubble's time, which moves
// only when every goroutine of the test waits.
func TestActivityPostponesIdleClear(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHarness(t, Options{Env: eval.Demo})
		h.open(simulator.PassportID)
		h.setIdleAfter(300 * time.Millisecond)
		// 600 ms of activity, twice the timeout: a pointer move every 50 ms.
		for range 12 {
			time.Sleep(50 * time.Millisecond)
			synctest.Wait()
			h.loop.drain()
			h.panes()[0].MouseMoved(nil) // the last one at 600 ms
		}
		if !h.r.sess.HasCase() {
			t.Fatal("the case was cleared while the reviewer was active")
		}
		// Then nothing: the case is cleared once 300 ms have passed since the last move.
		time.Sleep(250 * time.Millisecond)
		synctest.Wait()
		h.loop.drain()
		if !h.r.sess.HasCase() {
			t.Fatalf("the case was cleared before the idle time had passed: %q", h.status())
		}
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		h.loop.drain()
		if h.r.sess.HasCase() {
			t.Fatal("the case was not cleared 350 ms after the last activity")
		}
	})
}

func TestEmptyWindowMarkup(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	test.AssertRendersToMarkup(t, "empty_window.xml", h.win.Canvas())
}

func TestNoDocumentsMarkup(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo, Now: testNow})
	h.open(simulator.MilitaryID)
	test.AssertObjectRendersToMarkup(t, "no_documents.xml", h.outcomeRoot())
}

func TestProductionIsMarked(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	if mark, _ := h.productionMarked(); mark {
		t.Fatal("Demo marked as Production")
	}
	h.env(eval.Production)
	if mark, line := h.productionMarked(); !mark || !line {
		t.Error("Production not marked")
	}
	if got := h.win.Title(); got != "DocV Review — Production" {
		t.Errorf("title %q", got)
	}
	if got := h.app.Preferences().String(prefEnv); got != string(eval.Production) {
		t.Errorf("environment preference %q", got)
	}
}

func TestQuitDropsTheCase(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	h.open(simulator.PassportID)
	c := h.r.sess.Case().Case()
	h.shortcut(fyne.KeyQ)
	if h.r.sess.Case() != nil || !c.Closed() {
		t.Error("Ctrl+Q left the case in memory")
	}
}
