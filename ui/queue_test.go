package ui

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"docvreview/fetch/eval"
	"docvreview/fetch/queue"
	"docvreview/fetch/riskos"
	"docvreview/fetch/simulator"
	"docvreview/ui/session"
)

// queueServer serves the simulator on loopback; when every is set, any
// eval_id is answered as that scenario (a queue of many real cases).
// It counts documents requests per eval_id as asked.
type queueServer struct {
	sim   *simulator.Server
	every string
	total atomic.Int64 // documents requests, any id
}

func (s *queueServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/documents") {
		s.total.Add(1)
	}
	if s.every != "" {
		const prefix = "/api/evaluation/"
		if rest, ok := strings.CutPrefix(r.URL.Path, prefix); ok && len(rest) >= 36 {
			r.URL.Path = prefix + s.every + rest[36:]
		}
	}
	s.sim.ServeHTTP(w, r)
}

// queueHarness is a window whose Sandbox client talks to a loopback
// simulator with the accepted key.
func queueHarness(t *testing.T, every string, opts ...func(*Options)) (*harness, *queueServer) {
	t.Helper()
	qs := &queueServer{sim: simulator.New(simulator.Config{APIKey: "good"}), every: every}
	srv := httptest.NewServer(qs)
	t.Cleanup(srv.Close)
	newClient := func(o riskos.Options) (*riskos.Client, error) {
		o.BaseURL = srv.URL
		o.MaxAttempts = 1
		return riskos.NewClient(o)
	}
	o := Options{Env: eval.Sandbox, Keychain: sessionKeychain(t, "good"), NewClient: newClient, Now: testNow}
	for _, f := range opts {
		f(&o)
	}
	h := newHarness(t, o)
	return h, qs
}

// waitQueue runs the loop until cond holds on the queue's snapshot.
func waitQueue(t *testing.T, h *harness, what string, cond func([]queue.Item) bool) {
	t.Helper()
	h.loop.until(t, what, 60*time.Second, func() bool {
		q := h.r.sess.Queue()
		return q != nil && cond(q.Q.Snapshot())
	})
}

func TestPastedMessyQueueIsListedWithItsProblems(t *testing.T) {
	h, _ := queueHarness(t, "")
	text := "\n" + simulator.HappyID + "\r\n  \nnot an id at all\n" + strings.ToUpper(simulator.HappyID) +
		"\nhttps://dashboard.example/evaluations/" + simulator.MilitaryID + "?tab=docs\n" + simulator.NotFoundID + "\n"
	h.pasteQueue(text)
	h.idle()
	rq := h.r.sess.Queue()
	if rq == nil || !h.hasTab("Queue") {
		t.Fatal("no queue opened")
	}
	want := []string{simulator.HappyID, simulator.MilitaryID, simulator.NotFoundID}
	if n := h.queueLength(); n != len(want) {
		t.Fatalf("panel lists %d cases, want %d", n, len(want))
	}
	for i, id := range want {
		if row := h.queueRowText(i); !strings.Contains(row, " "+id+" ") {
			t.Errorf("row %d: %q, want %s", i+1, row, id)
		}
	}
	summary, problems := h.queueLabels()
	for _, s := range []string{"line 4", "no eval_id", "line 5: duplicate of line 2", "2 blank lines skipped"} {
		if !strings.Contains(problems.Text, s) || !problems.Visible() {
			t.Errorf("problems %q lack %q", problems.Text, s)
		}
	}
	if !strings.Contains(summary.Text, "3 cases") || !strings.Contains(summary.Text, "2 lines not added") {
		t.Errorf("summary %q", summary.Text)
	}
	tabs := h.sideTabs()
	last := tabs.Items[len(tabs.Items)-1]
	if last.Text != "Queue (3)" || tabs.Selected() != last {
		t.Errorf("queue tab %q selected %v", last.Text, tabs.Selected() == last)
	}
	// The first case is on screen, its row marked current and loaded.
	if h.r.sess.Case() == nil || h.r.sess.Case().Case().EvalID != simulator.HappyID {
		t.Fatal("the first case is not shown")
	}
	for i, pane := range h.panes() {
		if pane.display == nil {
			t.Errorf("pane %d not decoded", i)
		}
	}
	if row := h.queueRowText(0); !strings.HasPrefix(row, "▶ 1. "+simulator.HappyID+"  loaded") {
		t.Errorf("row 1 %q", row)
	}
	// Next: no documents, then 404; statuses in the panel.
	h.key(fyne.KeyN)
	h.idle()
	if k := h.outcomeKind(); k != outcomeNoDocuments {
		t.Errorf("no-documents case shows %v", k)
	}
	h.key(fyne.KeyPageDown)
	h.idle()
	waitQueue(t, h, "statuses", func(items []queue.Item) bool {
		return items[1].Status == queue.StatusNoDocuments && items[2].Status == queue.StatusError
	})
	if got := h.queueRowText(1); !strings.Contains(got, "no documents") {
		t.Errorf("row 2 %q", got)
	}
	h.key(fyne.KeyN) // past the end: says so, stays
	if !strings.Contains(h.status(), "last case") {
		t.Errorf("status at the end %q", h.status())
	}
	h.key(fyne.KeyP)
	h.idle()
	if cur, row := rq.Q.Position(), h.queueRowText(1); cur != 1 || !strings.HasPrefix(row, "▶ ") {
		t.Errorf("P moved to %d (panel row 2 %q), want 1", cur, row)
	}
}

func TestQueueOfNothingSaysWhy(t *testing.T) {
	h, _ := queueHarness(t, "")
	h.pasteQueue("\n\nfoo\n")
	if h.hasTab("Queue") || !h.dialogShown() {
		t.Fatalf("queue tab %v, dialog %v", h.hasTab("Queue"), h.dialogShown())
	}
	h.key(fyne.KeyEscape)
	h.key(fyne.KeyN)
	if !strings.Contains(h.status(), "No queue is open") {
		t.Errorf("N without a queue: %q", h.status())
	}
}

func TestNextShowsThePrefetchedCaseWithoutANewRequest(t *testing.T) {
	h, qs := queueHarness(t, "")
	h.pasteQueue(simulator.HappyID + "\n" + simulator.PassportID + "\n")
	h.idle()
	waitQueue(t, h, "the second case to be prefetched", func(items []queue.Item) bool {
		return items[1].Status == queue.StatusLoaded && items[1].Held
	})
	if n := qs.sim.Requests(simulator.PassportID); n != 1 {
		t.Fatalf("prefetch made %d documents requests, want 1", n)
	}
	start := time.Now()
	h.key(fyne.KeyN)
	// The prefetched images are on screen as the move is handled — before
	// any decode (a later re-decode for the new layout's pane sizes, after
	// redecodeDelay, is another matter).
	// (The re-decode goes through the loop: the check below runs before it can.)
	h.loop.until(t, "the passport case on screen", 30*time.Second, func() bool {
		return h.r.sess.Case() != nil && h.r.sess.Case().Case().EvalID == simulator.PassportID
	})
	_, qc := h.r.sess.Queue().Q.Current()
	front, selfie := h.panes()[0], h.panes()[2]
	pre := qc.Pre.(*session.Decoded)
	if front.display == nil || front.display != pre.Images[front.entry].Display || selfie.display != pre.Images[selfie.entry].Display {
		t.Error("the panes were decoded again instead of showing the prefetched images")
	}
	t.Logf("N → prefetched case on screen in %s", time.Since(start))
	h.idle()
	if n := qs.sim.Requests(simulator.PassportID); n != 1 {
		t.Errorf("moving to the prefetched case made %d requests in all, want 1", n)
	}
	// P goes back to the first case, still held: no request either.
	h.key(fyne.KeyP)
	h.idle()
	if n := qs.sim.Requests(simulator.HappyID); n != 1 {
		t.Errorf("going back made %d requests for the first case, want 1", n)
	}
}

// TestQueueHoldsAtMostThreeCasesWhileWalking walks a queue of 30 cases (12
// under -race, where each case is ten times slower: keeping every case
// walked past would still add eight of them against a one-case bound).
func TestQueueHoldsAtMostThreeCasesWhileWalking(t *testing.T) {
	if testing.Short() {
		t.Skip("walks 30 cases")
	}
	n := 30
	if raceEnabled {
		n = 12
	}
	h, qs := queueHarness(t, simulator.HappyID)
	var ids []string
	for i := range n {
		ids = append(ids, fmt.Sprintf("%08x-0000-4000-8000-%012x", i+1, i+1))
	}
	h.pasteQueue(strings.Join(ids, "\n"))
	h.idle()
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var base uint64
	for i := 1; i < n; i++ {
		h.key(fyne.KeyN)
		h.idle()
		held := 0
		for _, it := range h.r.sess.Queue().Q.Snapshot() {
			if it.Held {
				held++
			}
		}
		if held > 3 {
			t.Fatalf("at case %d the queue holds %d cases", i+1, held)
		}
		if i == 3 {
			waitQueue(t, h, "the prefetch", func(items []queue.Item) bool { return items[4].Held })
			base = heap()
		}
	}
	after := heap()
	t.Logf("heap with three cases held: %d MiB at case 4, %d MiB at case %d; %d documents requests",
		base>>20, after>>20, n, qs.total.Load())
	// Cases 4 and n both hold three cases: the heap must not grow by even one
	// case's bytes (keeping every case walked past would add n-4 of them).
	if caseBytes := uint64(len(simulator.CaseZIP(simulator.HappyID))); after > base+caseBytes {
		t.Errorf("heap grew from %d MiB to %d MiB while walking the queue (bound: one case, %d MiB)",
			base>>20, after>>20, caseBytes>>20)
	}
	if got := qs.total.Load(); got > int64(n) {
		t.Errorf("%d documents requests for %d cases", got, n)
	}
	h.shortcut(fyne.KeyW) // Close case
	h.idle()
	if h.hasTab("Queue") {
		t.Error("Close case left the queue open")
	}
}

func TestExportChecklistWritesExactlyTheCSV(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "checklist.csv")
	var asked int
	save := func(_ fyne.Window, done func(io.WriteCloser, error)) {
		asked++
		f, err := os.Create(path)
		done(f, err)
	}
	h, _ := queueHarness(t, "", func(o *Options) {
		o.SaveChecklist = func(w fyne.Window, done func(io.WriteCloser, error)) { save(w, done) }
	})
	h.pasteQueue(simulator.HappyID + "\n" + simulator.RetentionID + "\n" + simulator.PassportID + "\n")
	h.idle()
	h.key(fyne.KeyO)
	h.key(fyne.KeyT)
	if !h.dialogTitled("Note for case 1") {
		t.Fatal("T/Note opened no dialog")
	}
	h.tapDialog("Cancel") // the dialog's Save is exercised through SetMark below
	if err := h.r.sess.Queue().Q.SetMark(0, queue.MarkLooksFine, "=check the DOB"); err != nil {
		t.Fatal(err)
	}
	h.key(fyne.KeyN)
	h.idle()
	h.key(fyne.KeyS)
	// Case 3 is prefetched in the background while case 2 is shown: wait for that, not for luck.
	waitQueue(t, h, "case 3 prefetched", func(items []queue.Item) bool {
		return len(items) == 3 && items[2].Status == queue.StatusLoaded
	})
	h.exportChecklistKey()
	if asked != 1 {
		t.Fatalf("asked for a path %d times", asked)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "position,eval_id,status,mark,note\n" +
		"1," + simulator.HappyID + ",loaded,looks_fine,'=check the DOB\n" +
		"2," + simulator.RetentionID + ",no_documents,second_look,\n" +
		"3," + simulator.PassportID + ",loaded,,\n"
	if string(got) != want {
		t.Errorf("checklist:\n%s\nwant:\n%s", got, want)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files written, want only the checklist", len(entries))
	}
	if !strings.Contains(h.status(), "Checklist of 3 cases exported") {
		t.Errorf("status %q", h.status())
	}
	// A failing destination is reported, not silent.
	save = func(_ fyne.Window, done func(io.WriteCloser, error)) {
		done(nil, errors.New("disk full"))
	}
	h.exportChecklistKey()
	if !h.dialogShown() {
		t.Error("a failed export showed no error")
	}
}

func TestOpenQueueFileParsesIt(t *testing.T) {
	h, _ := queueHarness(t, "", func(o *Options) {
		o.OpenQueueFile = func(_ fyne.Window, done func(io.ReadCloser, error)) {
			done(io.NopCloser(strings.NewReader("eval_id;note\n"+simulator.PassportID+";x\n")), nil)
		}
	})
	h.shortcut(fyne.KeyO)
	h.idle()
	if q := h.r.sess.Queue(); q == nil || len(q.List.IDs) != 1 || q.List.IDs[0] != simulator.PassportID {
		t.Fatalf("queue %+v", q)
	}
}
