package ui

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
)

// uiLoop stands in for the Fyne event loop: Do queues, and the test
// goroutine runs the queue. All widget code then runs on one goroutine, as
// in the app, and the race detector sees the hand-over through the queue.
type uiLoop struct {
	mu   sync.Mutex
	q    []func()
	wake chan struct{}
}

func newUILoop() *uiLoop { return &uiLoop{wake: make(chan struct{}, 1)} }

// Do queues fn for the test goroutine.
func (l *uiLoop) Do(fn func()) {
	l.mu.Lock()
	l.q = append(l.q, fn)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// drain runs everything queued, including what the queued functions queue.
func (l *uiLoop) drain() {
	for {
		l.mu.Lock()
		q := l.q
		l.q = nil
		l.mu.Unlock()
		if len(q) == 0 {
			return
		}
		for _, fn := range q {
			fn()
		}
	}
}

// until runs the queue until cond holds (cond runs on the test goroutine,
// the "Fyne goroutine" of the test).
func (l *uiLoop) until(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		l.drain()
		if cond() {
			return
		}
		select {
		case <-l.wake:
		case <-deadline.C:
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
	}
}

// untilEach is until with cond checked after every queued function, for a
// state that comes and goes (work that starts and ends while one drain runs
// the queue).
func (l *uiLoop) untilEach(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		if cond() {
			return
		}
		l.mu.Lock()
		var fn func()
		if len(l.q) > 0 {
			fn, l.q = l.q[0], l.q[1:]
		}
		l.mu.Unlock()
		if fn != nil {
			fn()
			continue
		}
		select {
		case <-l.wake:
		case <-deadline.C:
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
	}
}

// harness is a review window on the test driver.
type harness struct {
	t    testing.TB
	loop *uiLoop
	app  fyne.App
	win  fyne.Window
	r    *review
}

// testSize is small so that the panes decode small images quickly.
var testSize = fyne.NewSize(1100, 700)

// simulatorDemo serves the Demo environment from the built-in simulator,
// as main.go does.
func simulatorDemo(now func() time.Time) http.RoundTripper {
	return simulator.Transport(simulator.New(simulator.Config{Now: now}))
}

func newHarness(t testing.TB, o Options) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	w := a.NewWindow("DocV Review")
	loop := newUILoop()
	o.Do = loop.Do
	if o.Demo == nil {
		o.Demo = simulatorDemo
	}
	r := newReview(a, w, o)
	w.SetContent(r.content)
	w.Resize(testSize)
	h := &harness{t: t, loop: loop, app: a, win: w, r: r}
	t.Cleanup(func() {
		r.shutdown()
		loop.until(t, "background work to end", 30*time.Second, func() bool { return h.running() == 0 })
		w.Close()
	})
	return h
}

// idle waits for every goroutine the window started to report back.
func (h *harness) idle() {
	h.t.Helper()
	h.loop.until(h.t, "the window to be idle", 60*time.Second, func() bool {
		return h.running() == 0 && !h.r.sess.Fetching()
	})
}

// typeAndEnter types id into the eval_id box and presses Enter.
func (h *harness) typeAndEnter(id string) {
	h.t.Helper()
	e := h.evalEntry()
	h.win.Canvas().Focus(e)
	e.SetText("")
	test.Type(e, id)
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// open fetches id and waits until every image is decoded.
func (h *harness) open(id string) {
	h.t.Helper()
	h.typeAndEnter(id)
	h.idle()
}

// key presses a plain key on the window (no widget focused).
func (h *harness) key(name fyne.KeyName) {
	h.win.Canvas().Unfocus()
	h.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: name})
}

// shortcut triggers a Ctrl shortcut as the canvas would.
func (h *harness) shortcut(k fyne.KeyName) {
	h.win.Canvas().(fyne.Shortcutable).TypedShortcut(
		&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault})
}

// env selects an environment in the case bar.
func (h *harness) env(e eval.Environment) {
	h.t.Helper()
	var sel *widget.Select
	walk(h.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok && slices.Contains(s.Options, e.Title()) {
			sel = s
		}
	})
	if sel == nil {
		h.t.Fatal("no environment choice on the canvas")
	}
	sel.SetSelected(e.Title())
}

// walk calls fn on o and, depth first, on the objects of the containers
// under it (splits and scrolls included; other widgets are leaves: their
// renderers are not walked).
func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	fn(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, child := range c.Objects {
			walk(child, fn)
		}
	case *container.Split:
		walk(c.Leading, fn)
		walk(c.Trailing, fn)
	case *container.Scroll:
		walk(c.Content, fn)
	case *widget.PopUp:
		walk(c.Content, fn)
	}
}

// firstIn is the first object of type T under root (walk's order); the
// test fails, saying what was looked for, when there is none.
func firstIn[T fyne.CanvasObject](t testing.TB, root fyne.CanvasObject, what string) T {
	t.Helper()
	var found T
	ok := false
	walk(root, func(o fyne.CanvasObject) {
		if x, is := o.(T); is && !ok {
			found, ok = x, true
		}
	})
	if !ok {
		t.Fatal("no " + what)
	}
	return found
}

// panes are the evidence panes on the canvas, in their order (front, back,
// selfie).
func (h *harness) panes() []*imagePane {
	var out []*imagePane
	walk(h.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if p, ok := o.(*imagePane); ok {
			out = append(out, p)
		}
	})
	return out
}

// statusLabel is the case bar's status line as found on the canvas: the
// label in the row that holds the download progress bar.
func (h *harness) statusLabel() *widget.Label {
	h.t.Helper()
	var found *widget.Label
	walk(h.win.Canvas().Content(), func(o fyne.CanvasObject) {
		c, ok := o.(*fyne.Container)
		if !ok || found != nil {
			return
		}
		var label *widget.Label
		hasBar := false
		for _, child := range c.Objects {
			if l, ok := child.(*widget.Label); ok {
				label = l
			}
			walk(child, func(o fyne.CanvasObject) {
				if _, ok := o.(*widget.ProgressBar); ok {
					hasBar = true
				}
			})
		}
		if label != nil && hasBar {
			found = label
		}
	})
	if found == nil {
		h.t.Fatal("no status line on the canvas")
	}
	return found
}

// status is the text of the status line.
func (h *harness) status() string { return h.statusLabel().Text }

// progressBar is the case bar's download progress bar, found on the canvas.
func (h *harness) progressBar() *widget.ProgressBar {
	h.t.Helper()
	return firstIn[*widget.ProgressBar](h.t, h.win.Canvas().Content(), "progress bar on the canvas")
}

// dialogShown reports whether a dialog is on top of the window.
func (h *harness) dialogShown() bool { return h.win.Canvas().Overlays().Top() != nil }

// tab is the content of the window's tab titled title (as the reviewer
// sees the tab's title, before any count in brackets).
func (h *harness) tab(title string) fyne.CanvasObject {
	h.t.Helper()
	var out fyne.CanvasObject
	walk(h.win.Canvas().Content(), func(o fyne.CanvasObject) {
		tabs, ok := o.(*container.AppTabs)
		if !ok {
			return
		}
		for _, it := range tabs.Items {
			if it.Text == title || strings.HasPrefix(it.Text, title+" (") {
				out = it.Content
			}
		}
	})
	if out == nil {
		h.t.Fatalf("no %q tab on the canvas", title)
	}
	return out
}

// decisionBox is the column of the Decision tab's controls.
func (h *harness) decisionBox() *fyne.Container {
	h.t.Helper()
	s, ok := h.tab("Decision").(*container.Scroll)
	if !ok {
		h.t.Fatal("the Decision tab does not scroll")
	}
	return s.Content.(*fyne.Container)
}

// decisionNotes is the Notes box of the Decision tab.
func (h *harness) decisionNotes() *submitEntry {
	h.t.Helper()
	for _, o := range h.decisionBox().Objects {
		if e, ok := o.(*submitEntry); ok {
			return e
		}
	}
	h.t.Fatal("no notes box in the Decision tab")
	return nil
}

// decisionResult is what the Decision tab says the last send did, and its
// hint: the two labels under "Discard draft".
func (h *harness) decisionResult() (result, hint string) {
	h.t.Helper()
	objs := h.decisionBox().Objects
	for i, o := range objs {
		if b, ok := o.(*widget.Button); ok && b.Text == "Discard draft" && i+2 < len(objs) {
			return objs[i+1].(*widget.Label).Text, objs[i+2].(*widget.Label).Text
		}
	}
	h.t.Fatal("no result line in the Decision tab")
	return "", ""
}

// decisionSelect is the Decision choice of the Decision tab.
func (h *harness) decisionSelect() *widget.Select {
	h.t.Helper()
	return firstIn[*widget.Select](h.t, h.decisionBox(), "decision choice in the Decision tab")
}

// decisionResultText is the Decision tab's result line.
func (h *harness) decisionResultText() string { r, _ := h.decisionResult(); return r }

// decisionHintText is the Decision tab's hint under the result.
func (h *harness) decisionHintText() string { _, hint := h.decisionResult(); return hint }

// pasteQueue opens a queue as the reviewer does: File → Paste queue
// (Ctrl+Shift+V), text pasted into the box, Ctrl+Enter.
func (h *harness) pasteQueue(text string) {
	h.t.Helper()
	h.win.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyV,
		Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	var box *submitEntry
	walk(h.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if e, ok := o.(*submitEntry); ok {
			box = e
		}
	})
	if box == nil {
		h.t.Fatal("no Paste queue box on screen")
	}
	box.SetText(text) // a paste
	box.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault})
}

// hasTab reports whether the window shows a tab titled title (before any
// count in brackets).
func (h *harness) hasTab(title string) bool {
	found := false
	walk(h.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if tabs, ok := o.(*container.AppTabs); ok {
			for _, it := range tabs.Items {
				if it.Text == title || strings.HasPrefix(it.Text, title+" (") {
					found = true
				}
			}
		}
	})
	return found
}
