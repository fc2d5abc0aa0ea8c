package session

import (
	"context"
	"docvreview/fetch/casefile"
	"errors"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"docvreview/fetch/eval"
	"docvreview/fetch/queue"
	"docvreview/fetch/riskos"
)

const (
	idA = "11111111-1111-4111-8111-111111111111"
	idB = "22222222-2222-4222-8222-222222222222"
	idC = "33333333-3333-4333-8333-333333333333"
)

func reqOf(id string) Request { return Request{Env: eval.Demo, EvalID: id} }

func TestPackageImportsNoFyne(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "fyne.io/") {
			t.Errorf("ui/session depends on %s", dep)
		}
	}
}

func TestFetchLoadsTheCase(t *testing.T) {
	l, f := newLoop(), newFakeLoader(t)
	c, rec, _ := newTestController(t, l, f)
	c.Fetch(reqOf(idA))
	if !c.Fetching() || !c.HasCase() {
		t.Fatal("not fetching after Fetch")
	}
	if got := rec.kinds(); !slices.Equal(got, []Kind{Dropped, Fetching}) {
		t.Fatalf("events before the load: %v, want Dropped, Fetching", got)
	}
	l.until(t, "the case", func() bool { return rec.count(Loaded) == 1 })
	e, _ := rec.last(Loaded)
	if c.Fetching() || c.Case() == nil || c.Case() != e.Case || e.Case.Case().EvalID != idA || e.Req.EvalID != idA {
		t.Fatalf("after Loaded: fetching %v, case %v, event %+v", c.Fetching(), c.Case(), e)
	}
	if e.Gen != c.Gen() {
		t.Errorf("Loaded gen %d, session gen %d", e.Gen, c.Gen())
	}
}

func TestStaleResultIsDroppedAndClosed(t *testing.T) {
	l, f := newLoop(), newFakeLoader(t)
	c, rec, running := newTestController(t, l, f)
	releaseA := f.hold(idA)
	c.Fetch(reqOf(idA))
	<-f.started
	genA := c.Gen()
	c.Fetch(reqOf(idB))
	if c.Current(genA) {
		t.Fatal("the first fetch's generation is still current after the second")
	}
	l.until(t, "B loaded", func() bool { return rec.count(Loaded) == 1 })
	releaseA() // A's load saw its context cancelled; a late result is stale anyway
	l.until(t, "A's load to end", func() bool { return running() == 0 })
	if e, _ := rec.last(Loaded); rec.count(Loaded) != 1 || e.Case.Case().EvalID != idB {
		t.Fatalf("loaded %d cases, last %+v; want only B", rec.count(Loaded), e)
	}
	if c.Case().Case().EvalID != idB {
		t.Errorf("session shows %s, want B", c.Case().Case().EvalID)
	}
	for _, cs := range f.made {
		if cs.EvalID == idA && !cs.Closed() {
			t.Error("the stale case A was not closed")
		}
	}
}

func TestDropZeroesTheCase(t *testing.T) {
	l, f := newLoop(), newFakeLoader(t)
	c, rec, _ := newTestController(t, l, f)
	c.Fetch(reqOf(idA))
	l.until(t, "the case", func() bool { return rec.count(Loaded) == 1 })
	ref, ctx := c.Case(), c.Context()
	c.SetEvaluation(idA, &eval.Evaluation{EvalID: idA}, nil)
	openWhenDropped := false
	c.Subscribe(func(e Event) {
		if e.Kind == Dropped {
			openWhenDropped = !ref.Case().Closed()
		}
	})
	c.Drop()
	if !openWhenDropped {
		t.Error("the case was closed before the Dropped handlers ran (viewers end first)")
	}
	if !ref.Case().Closed() || !ref.Closed() {
		t.Error("the case is not closed (zeroed) after Drop")
	}
	if ctx.Err() == nil {
		t.Error("the case's context is not cancelled after Drop")
	}
	if c.Case() != nil || c.HasCase() || c.Evaluation() != nil || c.EvalID() != "" || c.Client() != nil {
		t.Errorf("state left after Drop: case %v, ev %v, id %q", c.Case(), c.Evaluation(), c.EvalID())
	}
	if _, ok := c.Request(); !ok {
		t.Error("Drop forgot the request (Retry needs it)")
	}
}

func TestCaseRefClosesAfterLastReader(t *testing.T) {
	c := newTestCase(t, idA)
	ref := NewCaseRef(c)
	if !ref.Acquire() {
		t.Fatal("acquire on an open case")
	}
	ref.Close()
	if c.Closed() {
		t.Fatal("closed while a reader holds it")
	}
	if ref.Acquire() || ref.Share() {
		t.Fatal("acquire or share after close")
	}
	ref.Release()
	if !c.Closed() {
		t.Fatal("not closed after the last reader")
	}
	ref.Close() // twice is fine
}

func TestSharedCaseClosesAfterBothOwners(t *testing.T) {
	c := newTestCase(t, idA)
	ref := NewCaseRef(c)
	if !ref.Share() {
		t.Fatal("share an open case")
	}
	ref.Close()
	if c.Closed() {
		t.Fatal("closed while the second owner holds it")
	}
	ref.Close()
	if !c.Closed() {
		t.Fatal("not closed after the last owner")
	}
}

func TestFailureKeepsNoDocumentsAndClient(t *testing.T) {
	l, f := newLoop(), newFakeLoader(t)
	nd := &riskos.NoDocumentsError{EvalID: idA}
	f.errs[idA] = nd
	f.errs[idB] = errors.New("boom")
	c, rec, _ := newTestController(t, l, f)
	c.Fetch(reqOf(idA))
	l.until(t, "the failure", func() bool { return rec.count(Failed) == 1 })
	if c.NoDocs() != nd || !c.HasCase() || c.Fetching() {
		t.Fatalf("no-docs %v, has case %v, fetching %v", c.NoDocs(), c.HasCase(), c.Fetching())
	}
	e, _ := rec.last(Failed)
	if !errors.Is(e.Err, nd) {
		t.Errorf("Failed carries %v", e.Err)
	}
	c.Fetch(reqOf(idB))
	if c.NoDocs() != nil {
		t.Error("the no-documents answer outlived the next fetch")
	}
	l.until(t, "the second failure", func() bool { return rec.count(Failed) == 2 })
	if c.HasCase() {
		t.Error("a plain failure leaves no case")
	}
}

func TestWithClientWrapsTheFailure(t *testing.T) {
	base := errors.New("boom")
	if withClient(base, nil) != base {
		t.Error("no client: the error itself")
	}
	client, err := riskos.NewClient(riskos.Options{Env: eval.Demo})
	if err != nil {
		t.Skipf("no Demo client without a transport: %v", err)
	}
	var ce *ClientError
	if err := withClient(base, client); !errors.As(err, &ce) || ce.Client != client || !errors.Is(err, base) {
		t.Errorf("wrapped %v", err)
	}
}

func TestRetryRepeatsTheLastRequest(t *testing.T) {
	l, f := newLoop(), newFakeLoader(t)
	c, rec, _ := newTestController(t, l, f)
	if c.Retry() {
		t.Fatal("Retry with no request")
	}
	f.errs[idA] = errors.New("timeout")
	c.Fetch(Request{Env: eval.Sandbox, EvalID: idA, APIVersion: "2025-01-01"})
	l.until(t, "the failure", func() bool { return rec.count(Failed) == 1 })
	if !c.Retry() {
		t.Fatal("Retry after a failure")
	}
	l.until(t, "the retry", func() bool { return rec.count(Failed) == 2 })
	if len(f.calls) != 2 || f.calls[1] != f.calls[0] {
		t.Errorf("requests %+v, want the same twice", f.calls)
	}
}

func TestCancelStopsTheLoad(t *testing.T) {
	l, f := newLoop(), newFakeLoader(t)
	c, rec, running := newTestController(t, l, f)
	if c.Cancel() {
		t.Fatal("Cancel with nothing loading")
	}
	f.hold(idA) // never released: only the context ends it
	c.Fetch(reqOf(idA))
	<-f.started
	ctx := c.Context()
	if !c.Cancel() {
		t.Fatal("Cancel while loading")
	}
	if ctx.Err() == nil || c.Fetching() || c.HasCase() {
		t.Fatalf("after Cancel: ctx %v, fetching %v", ctx.Err(), c.Fetching())
	}
	l.until(t, "the load to end", func() bool { return running() == 0 })
	if rec.count(Loaded) != 0 {
		t.Error("a cancelled load was shown")
	}
	for _, cs := range f.made {
		if !cs.Closed() {
			t.Error("the cancelled load's case was not closed")
		}
	}
}

func TestProgressOnlyForTheCurrentFetch(t *testing.T) {
	l, f := newLoop(), newFakeLoader(t)
	f.progress = []riskos.Progress{{Done: 10, Total: 100}, {Done: 100, Total: 100}}
	c, rec, running := newTestController(t, l, f)
	c.Fetch(reqOf(idA))
	l.until(t, "the case", func() bool { return rec.count(Loaded) == 1 })
	if e, ok := rec.last(Progress); !ok || e.Progress.Done != 100 {
		t.Errorf("last progress %+v (found %v), want the end", e.Progress, ok)
	}
	n := rec.count(Progress)
	release := f.hold(idB)
	c.Fetch(reqOf(idB))
	<-f.started
	c.Drop()
	release()
	l.until(t, "B's load to end", func() bool { return running() == 0 })
	if rec.count(Progress) != n {
		t.Error("progress of a dropped fetch was reported")
	}
}

func TestQueueWalk(t *testing.T) {
	l, f := newLoop(), newFakeLoader(t)
	c, rec, running := newTestController(t, l, f)
	list := queue.List{IDs: []string{idA, idB, idC}}
	q := c.OpenQueue(list, eval.Demo, "", func(_ context.Context, cs *casefile.Case) any {
		return "pre " + cs.EvalID
	})
	if c.Queue() != q || q.Q.Len() != 3 {
		t.Fatalf("queue %v", c.Queue())
	}
	for i, id := range list.IDs {
		c.Goto(i)
		if e, _ := rec.last(Fetching); e.Queue != q || e.Index != i || e.Req.EvalID != id {
			t.Fatalf("Fetching for %d: %+v", i, e)
		}
		l.until(t, "the move", func() bool {
			e, ok := rec.last(Loaded)
			return ok && e.Index == i && e.Queue == q
		})
		e, _ := rec.last(Loaded)
		if e.Case.Case().EvalID != id || c.Case() != e.Case || e.Pre != "pre "+id {
			t.Fatalf("position %d shows %s (pre %v)", i, e.Case.Case().EvalID, e.Pre)
		}
		if q.Q.Position() != i {
			t.Errorf("queue at %d, want %d", q.Q.Position(), i)
		}
	}
	if rec.count(QueueChanged) == 0 {
		t.Error("no QueueChanged while walking the queue")
	}
	before := len(rec.events)
	c.Goto(3)
	c.Goto(-1)
	if len(rec.events) != before {
		t.Error("a move out of the queue did something")
	}
	shown := c.Case()
	c.CloseQueue()
	if c.Queue() != nil {
		t.Fatal("queue still open")
	}
	l.until(t, "the queue to close", func() bool { return running() == 0 })
	if shown.Case().Closed() {
		t.Error("closing the queue closed the case on screen")
	}
	c.Drop()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, cs := range f.made {
		if !cs.Closed() {
			t.Errorf("case %s not closed after the queue and the session", cs.EvalID)
		}
	}
}

func TestQueueMoveFailureCarriesTheReason(t *testing.T) {
	l, f := newLoop(), newFakeLoader(t)
	f.errs[idA] = &riskos.NoDocumentsError{EvalID: idA}
	c, rec, _ := newTestController(t, l, f)
	c.OpenQueue(queue.List{IDs: []string{idA}}, eval.Demo, "", nil)
	c.Goto(0)
	l.until(t, "the failure", func() bool { return rec.count(Failed) == 1 })
	if c.NoDocs() == nil || c.Fetching() {
		t.Errorf("no-docs %v, fetching %v", c.NoDocs(), c.Fetching())
	}
}
