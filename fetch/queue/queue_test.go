package queue

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
	"docvreview/fetch/simulator"
)

// fakeVal is a loaded value; the loader tracks which are alive.
type fakeVal struct{ id string }

// fakeLoader counts load calls, holds values until released, and can
// block or fail chosen ids.
type fakeLoader struct {
	t   *testing.T
	pos map[string]int // id → position, for the "ahead" check
	q   func() int     // current position of the queue under test

	mu          sync.Mutex
	calls       map[string]int
	total       int
	live        map[*fakeVal]bool
	maxLive     int
	inflight    int
	maxInflight int
	maxAhead    int
	cancelled   int
	errs        map[string]error
	gates       map[string]chan struct{} // load of id waits for the gate (or ctx)
}

func newFakeLoader(t *testing.T, ids []string) *fakeLoader {
	f := &fakeLoader{t: t, pos: map[string]int{}, calls: map[string]int{}, live: map[*fakeVal]bool{},
		errs: map[string]error{}, gates: map[string]chan struct{}{}}
	for i, id := range ids {
		f.pos[id] = i
	}
	return f
}

func (f *fakeLoader) load(ctx context.Context, id string) (*fakeVal, error) {
	f.mu.Lock()
	f.calls[id]++
	f.total++
	f.inflight++
	f.maxInflight = max(f.maxInflight, f.inflight)
	if f.q != nil {
		f.maxAhead = max(f.maxAhead, f.pos[id]-f.q())
	}
	gate, err := f.gates[id], f.errs[id]
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inflight--
		f.mu.Unlock()
	}()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			f.mu.Lock()
			f.cancelled++
			f.mu.Unlock()
			return nil, fmt.Errorf("load %s: %w", id, ctx.Err())
		}
	}
	if err != nil {
		return nil, err
	}
	v := &fakeVal{id: id}
	f.mu.Lock()
	f.live[v] = true
	f.maxLive = max(f.maxLive, len(f.live))
	f.mu.Unlock()
	return v, nil
}

func (f *fakeLoader) release(v *fakeVal) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v == nil || !f.live[v] {
		f.t.Errorf("release of a value that is not alive: %v", v)
		return
	}
	delete(f.live, v)
}

func (f *fakeLoader) callsOf(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[id]
}

func (f *fakeLoader) liveIDs() map[string]bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]bool{}
	for v := range f.live {
		out[v.id] = true
	}
	return out
}

func (f *fakeLoader) gate(id string) chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	g := make(chan struct{})
	f.gates[id] = g
	return g
}

func queueIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i)
	}
	return ids
}

// newTestQueue builds a queue over n ids with a fake loader and closes it
// at the end of the test, checking nothing stays alive.
func newTestQueue(t *testing.T, n int) (*Queue[*fakeVal], *fakeLoader, []string) {
	t.Helper()
	ids := queueIDs(n)
	f := newFakeLoader(t, ids)
	q := New(ids, f.load, f.release)
	f.q = q.Position
	t.Cleanup(func() {
		q.Close()
		if live := f.liveIDs(); len(live) != 0 {
			t.Errorf("after Close, still alive: %v", live)
		}
	})
	return q, f, ids
}

// waitIdle waits, inside a synctest bubble, until every goroutine of the
// test is blocked, then checks that the queue has no load in flight.
func waitIdle[T any](t *testing.T, q *Queue[T]) {
	t.Helper()
	synctest.Wait()
	q.mu.Lock()
	idle := q.job == nil
	q.mu.Unlock()
	if !idle {
		t.Fatal("a load is still in flight with every goroutine blocked")
	}
}

// waitIdleNet is waitIdle for a queue whose loads use a real socket (which a
// synctest bubble cannot wait for): it polls, bounded by a deadline.
func waitIdleNet[T any](t *testing.T, q *Queue[T]) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		q.mu.Lock()
		idle := q.job == nil
		q.mu.Unlock()
		if idle {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("queue still loading after 30 s")
}

func mustGoto[T any](t *testing.T, q *Queue[T], i int) {
	t.Helper()
	if err := q.Goto(context.Background(), i); err != nil {
		t.Fatalf("Goto(%d): %v", i, err)
	}
}

func TestQueueNextShowsPrefetchedWithoutNewLoad(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q, f, ids := newTestQueue(t, 5)
		if it, v := q.Current(); it.Index != -1 || it.ID != "" || v != nil || it.Status != StatusPending || it.Err != nil {
			t.Fatalf("fresh queue Current = %+v %v", it, v)
		}
		mustGoto(t, q, 0)
		if it, v := q.Current(); it.Index != 0 || it.ID != ids[0] || v == nil || v.id != ids[0] || it.Status != StatusLoaded {
			t.Fatalf("after Goto(0): %+v %v", it, v)
		}
		waitIdle(t, q)
		if f.callsOf(ids[1]) != 1 {
			t.Fatalf("next case not prefetched: %d calls", f.callsOf(ids[1]))
		}
		if it := q.Snapshot()[1]; it.Status != StatusLoaded || !it.Held {
			t.Fatalf("prefetched item = %+v", it)
		}
		if err := q.Next(context.Background()); err != nil {
			t.Fatal(err)
		}
		if it, v := q.Current(); it.Index != 1 || v == nil || v.id != ids[1] || it.Status != StatusLoaded {
			t.Fatalf("after Next: %+v %v", it, v)
		}
		if n := f.callsOf(ids[1]); n != 1 {
			t.Fatalf("Next loaded the prefetched case again: %d calls", n)
		}
	})
}

func TestQueueWalkHoldsAtMostThree(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q, f, ids := newTestQueue(t, 30)
		mustGoto(t, q, 0)
		for i := 1; i < len(ids); i++ {
			waitIdle(t, q)
			if err := q.Next(context.Background()); err != nil {
				t.Fatalf("Next to %d: %v", i, err)
			}
			live := f.liveIDs()
			for id := range live {
				if p := f.pos[id]; p < i-1 || p > i+1 {
					t.Fatalf("at %d, position %d still alive", i, p)
				}
			}
		}
		if err := q.Next(context.Background()); !errors.Is(err, ErrRange) {
			t.Fatalf("Next past the end: %v", err)
		}
		waitIdle(t, q)
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.maxLive > 3 {
			t.Errorf("up to %d values alive at once, want ≤ 3", f.maxLive)
		}
		if f.maxInflight != 1 {
			t.Errorf("up to %d loads in flight, want 1", f.maxInflight)
		}
		if f.maxAhead > 1 {
			t.Errorf("loaded up to %d ahead of the current case, want ≤ 1", f.maxAhead)
		}
		if f.total != len(ids) {
			t.Errorf("%d loads for %d cases walked forward", f.total, len(ids))
		}
	})
}

func TestQueueStatuses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q, f, ids := newTestQueue(t, 4)
		noDocs := fmt.Errorf("documents: %w", riskos.ErrNoDocuments)
		boom := fmt.Errorf("documents: %w", riskos.ErrServer)
		f.errs[ids[1]] = noDocs
		f.errs[ids[2]] = boom
		mustGoto(t, q, 0)
		waitIdle(t, q)
		mustGoto(t, q, 1)
		if it, v := q.Current(); v != nil || it.Status != StatusNoDocuments || !errors.Is(it.Err, riskos.ErrNoDocuments) {
			t.Fatalf("no-documents case: %+v %v", it, v)
		}
		waitIdle(t, q) // prefetches 2, which fails
		snap := q.Snapshot()
		if snap[2].Status != StatusError || !errors.Is(snap[2].Err, riskos.ErrServer) {
			t.Fatalf("failed prefetch: %+v", snap[2])
		}
		// Moving back onto the no-documents case does not reload it.
		mustGoto(t, q, 0)
		mustGoto(t, q, 1)
		if n := f.callsOf(ids[1]); n != 1 {
			t.Errorf("no-documents case loaded %d times, want 1", n)
		}
		waitIdle(t, q)
		if n := f.callsOf(ids[2]); n != 1 {
			t.Errorf("failed case retried in the background: %d calls", n)
		}
		// Moving onto the failed case tries once more; this time it works.
		f.mu.Lock()
		delete(f.errs, ids[2])
		f.mu.Unlock()
		mustGoto(t, q, 2)
		if it, v := q.Current(); v == nil || it.Status != StatusLoaded || it.Err != nil {
			t.Fatalf("retried case: %+v %v", it, v)
		}
		if n := f.callsOf(ids[2]); n != 2 {
			t.Errorf("failed case loaded %d times, want 2", n)
		}
		want := []Status{StatusLoaded, StatusNoDocuments, StatusLoaded}
		for i, it := range q.Snapshot()[:3] {
			if it.Status != want[i] || it.Index != i || it.ID != ids[i] {
				t.Errorf("item %d = %+v, want status %v", i, it, want[i])
			}
		}
	})
}

func TestQueueRateLimitPausesPrefetch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q, f, ids := newTestQueue(t, 5)
		now := time.Unix(1_000_000, 0)
		var clock sync.Mutex
		q.Now = func() time.Time { clock.Lock(); defer clock.Unlock(); return now }
		q.RateLimitPause = 10 * time.Second
		f.errs[ids[1]] = fmt.Errorf("documents: %w", riskos.ErrRateLimited)
		mustGoto(t, q, 0)
		waitIdle(t, q)
		if st := q.Snapshot()[1].Status; st != StatusError {
			t.Fatalf("rate-limited prefetch status %v", st)
		}
		f.mu.Lock()
		delete(f.errs, ids[1])
		f.mu.Unlock()
		mustGoto(t, q, 1) // the user moves on: one foreground retry
		waitIdle(t, q)
		if n := f.callsOf(ids[1]); n != 2 {
			t.Fatalf("rate-limited case loaded %d times, want 2", n)
		}
		if n := f.callsOf(ids[2]); n != 0 {
			t.Fatalf("prefetch ran during the rate-limit pause (%d calls)", n)
		}
		clock.Lock()
		now = now.Add(11 * time.Second)
		clock.Unlock()
		mustGoto(t, q, 2)
		waitIdle(t, q)
		if f.callsOf(ids[2]) != 1 || f.callsOf(ids[3]) != 1 {
			t.Fatalf("after the pause: calls %d, %d; want 1, 1", f.callsOf(ids[2]), f.callsOf(ids[3]))
		}
	})
}

func TestQueuePrevIsInstantAndFarPrefetchCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q, f, ids := newTestQueue(t, 6)
		mustGoto(t, q, 0)
		waitIdle(t, q)
		gate := f.gate(ids[2]) // the prefetch of 2 will hang
		defer close(gate)
		if err := q.Next(context.Background()); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if q.Snapshot()[2].Status != StatusLoading {
			t.Fatal("prefetch of 2 did not start")
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		if err := q.Prev(ctx); err != nil {
			t.Fatalf("Prev: %v", err)
		}
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Errorf("Prev took %v", d)
		}
		if it, v := q.Current(); it.Index != 0 || v == nil || it.Status != StatusLoaded {
			t.Fatalf("after Prev: %+v %v", it, v)
		}
		if n := f.callsOf(ids[0]); n != 1 {
			t.Errorf("Prev reloaded the previous case (%d calls)", n)
		}
		waitIdle(t, q) // the prefetch of 2 (now two ahead) was cancelled
		f.mu.Lock()
		cancelled := f.cancelled
		f.mu.Unlock()
		if cancelled != 1 {
			t.Errorf("%d loads cancelled, want 1", cancelled)
		}
		if it := q.Snapshot()[2]; it.Status != StatusPending || it.Err != nil {
			t.Errorf("cancelled prefetch left %+v", it)
		}
	})
}

func TestQueueGotoFarReleases(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q, f, ids := newTestQueue(t, 30)
		mustGoto(t, q, 0)
		waitIdle(t, q)
		mustGoto(t, q, 1)
		waitIdle(t, q)
		if live := f.liveIDs(); len(live) != 3 {
			t.Fatalf("alive before the jump: %v", live)
		}
		mustGoto(t, q, 20)
		waitIdle(t, q)
		live := f.liveIDs()
		if len(live) != 2 || !live[ids[20]] || !live[ids[21]] {
			t.Fatalf("alive after Goto(20): %v, want 20 and 21", live)
		}
		snap := q.Snapshot()
		if snap[0].Held || snap[0].Status != StatusLoaded {
			t.Errorf("released case: %+v, want loaded, not held", snap[0])
		}
		// Coming back reloads a released case.
		mustGoto(t, q, 1)
		if n := f.callsOf(ids[1]); n != 2 {
			t.Errorf("released case loaded %d times, want 2", n)
		}
	})
}

func TestQueueGotoContextEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q, f, ids := newTestQueue(t, 3)
		gate := f.gate(ids[0])
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if err := q.Goto(ctx, 0); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Goto with a short deadline: %v", err)
		}
		if it, _ := q.Current(); it.Index != 0 || it.Status != StatusLoading {
			t.Fatalf("after the deadline: %+v, want 0 loading", it)
		}
		close(gate)
		mustGoto(t, q, 0) // waits for the same load
		if it, v := q.Current(); v == nil || it.Status != StatusLoaded {
			t.Fatalf("after the gate opened: %+v %v", it, v)
		}
		if n := f.callsOf(ids[0]); n != 1 {
			t.Errorf("%d loads of case 0, want 1", n)
		}
	})
}

func TestQueueBadMoves(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q, _, _ := newTestQueue(t, 2)
		for _, i := range []int{-1, 2, 100} {
			if err := q.Goto(context.Background(), i); !errors.Is(err, ErrRange) {
				t.Errorf("Goto(%d) = %v, want ErrRange", i, err)
			}
		}
		if err := q.Prev(context.Background()); !errors.Is(err, ErrRange) {
			t.Errorf("Prev on a fresh queue = %v", err)
		}
		if err := q.SetMark(2, MarkLooksFine, ""); !errors.Is(err, ErrRange) {
			t.Errorf("SetMark out of range = %v", err)
		}
		if err := q.SetMark(0, Mark(7), ""); !errors.Is(err, ErrBadMark) {
			t.Errorf("SetMark(bad mark) = %v", err)
		}
		q.Close()
		q.Close()
		if err := q.Next(context.Background()); !errors.Is(err, ErrClosed) {
			t.Errorf("Next after Close = %v", err)
		}
		empty := New[int](nil, func(context.Context, string) (int, error) { return 0, nil }, nil)
		defer empty.Close()
		if err := empty.Next(context.Background()); !errors.Is(err, ErrRange) {
			t.Errorf("Next on an empty queue = %v", err)
		}
	})
}

func TestQueueChecklistCSV(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q, f, ids := newTestQueue(t, 7)
		f.errs[ids[1]] = fmt.Errorf("x: %w", riskos.ErrNoDocuments)
		mustGoto(t, q, 0)
		waitIdle(t, q)
		marks := []struct {
			m    Mark
			note string
		}{
			{MarkLooksFine, "ok"},
			{MarkSecondLook, `photo "looks" odd, check hologram`},
			{MarkSecondLook, "=HYPERLINK(\"http://x\")"},
			{MarkNone, "+1 agree\nsecond line"},
			{MarkLooksFine, "-5"},
			{MarkNone, "@SUM(A1)"},
			{MarkSecondLook, "\tcmd"},
		}
		for i, m := range marks {
			if err := q.SetMark(i, m.m, m.note); err != nil {
				t.Fatal(err)
			}
		}
		var b bytes.Buffer
		if err := q.WriteChecklistCSV(&b); err != nil {
			t.Fatal(err)
		}
		want := "position,eval_id,status,mark,note\n" +
			"1," + ids[0] + ",loaded,looks_fine,ok\n" +
			"2," + ids[1] + ",no_documents,second_look,\"photo \"\"looks\"\" odd, check hologram\"\n" +
			"3," + ids[2] + ",pending,second_look,\"'=HYPERLINK(\"\"http://x\"\")\"\n" +
			"4," + ids[3] + ",pending,,\"'+1 agree\nsecond line\"\n" +
			"5," + ids[4] + ",pending,looks_fine,'-5\n" +
			"6," + ids[5] + ",pending,,'@SUM(A1)\n" +
			"7," + ids[6] + ",pending,second_look,'\tcmd\n"
		if got := b.String(); got != want {
			t.Errorf("checklist =\n%s\nwant\n%s", got, want)
		}
		if strings.Contains(b.String(), "x: ") {
			t.Error("checklist carries error text")
		}
		// A failing writer's error is returned.
		if err := q.WriteChecklistCSV(failWriter{}); err == nil {
			t.Error("WriteChecklistCSV to a failing writer: nil error")
		}
	})
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestQueueNoteCleaned(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q, _, _ := newTestQueue(t, 1)
		if err := q.SetMark(0, MarkSecondLook, strings.Repeat("ä", MaxNote+10)+"\xff"); err != nil {
			t.Fatal(err)
		}
		if n := len([]rune(q.Snapshot()[0].Note)); n != MaxNote {
			t.Errorf("note of %d runes kept, want %d", n, MaxNote)
		}
		if err := q.SetMark(0, MarkNone, "a\xffb"); err != nil {
			t.Fatal(err)
		}
		if got := q.Snapshot()[0].Note; got != "a\ufffdb" {
			t.Errorf("invalid UTF-8 note kept as %q", got)
		}
	})
}

func TestQueueOnChange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q, f, ids := newTestQueue(t, 3)
		var mu sync.Mutex
		seen := map[int]int{}
		loadingShown := make(chan struct{}, 1)
		q.OnChange = func(i int) {
			// Called without the lock: reading the queue must not deadlock.
			if i == 0 && q.Snapshot()[0].Status == StatusLoading {
				select {
				case loadingShown <- struct{}{}:
				default:
				}
			}
			mu.Lock()
			seen[i]++
			mu.Unlock()
		}
		gate := f.gate(ids[0])
		done := make(chan error, 1)
		go func() { done <- q.Goto(context.Background(), 0) }()
		synctest.Wait() // the UI hears of the move while the case is still loading
		select {
		case <-loadingShown:
		default:
			t.Fatal("no OnChange while the current case was loading")
		}
		close(gate)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		waitIdle(t, q)
		if err := q.SetMark(2, MarkLooksFine, ""); err != nil {
			t.Fatal(err)
		}
		// Load goroutines report after they let go of the lock.
		synctest.Wait()
		mu.Lock()
		defer mu.Unlock()
		if seen[0] == 0 || seen[1] == 0 || seen[2] == 0 {
			t.Fatalf("OnChange calls per position: %v", seen)
		}
	})
}

func TestQueueCloseWaitsAndReleases(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		before := runtime.NumGoroutine()
		ids := queueIDs(5)
		f := newFakeLoader(t, ids)
		q := New(ids, f.load, f.release)
		mustGoto(t, q, 0)
		gate := f.gate(ids[2])
		defer close(gate)
		mustGoto(t, q, 1) // prefetch of 2 hangs on its gate
		synctest.Wait()
		if q.Snapshot()[2].Status != StatusLoading {
			t.Fatal("prefetch of 2 did not start")
		}
		q.Close()
		if live := f.liveIDs(); len(live) != 0 {
			t.Errorf("alive after Close: %v", live)
		}
		if f.cancelled != 1 {
			t.Errorf("in-flight load not cancelled by Close")
		}
		// Close waited for the load goroutine: none is left behind.
		synctest.Wait()
		if n := runtime.NumGoroutine(); n > before {
			t.Errorf("%d goroutines after Close, %d before", n, before)
		}
	})
}

func TestQueueConcurrentUse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q, f, _ := newTestQueue(t, 12)
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Go(func() {
				for k := 0; k < 40; k++ {
					ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
					switch (g + k) % 4 {
					case 0:
						_ = q.Next(ctx)
					case 1:
						_ = q.Prev(ctx)
					case 2:
						_ = q.Goto(ctx, (g*7+k)%12)
					default:
						_ = q.SetMark(k%12, MarkSecondLook, "n")
						q.Snapshot()
					}
					cancel()
				}
			})
		}
		wg.Wait()
		waitIdle(t, q)
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.maxInflight > 1 {
			t.Errorf("%d loads in flight at once", f.maxInflight)
		}
		if f.maxLive > 3 {
			t.Errorf("%d values alive at once", f.maxLive)
		}
	})
}

// TestQueueSimulatorNextWithoutRequest checks at the HTTP level that moving
// to a prefetched case sends no request.
func TestQueueSimulatorNextWithoutRequest(t *testing.T) {
	sim := simulator.New(simulator.Config{})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	c, err := riskos.NewClient(riskos.Options{Env: eval.Sandbox, BaseURL: srv.URL, APIKey: "test-key"})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{simulator.HappyID, simulator.PassportID, simulator.RecaptureID}
	q := New(ids, func(ctx context.Context, id string) (*casefile.Case, error) { return c.FetchCase(ctx, id, nil) }, (*casefile.Case).Close)
	defer q.Close()
	mustGoto(t, q, 0)
	waitIdleNet(t, q)
	if n := sim.Requests(simulator.PassportID); n != 1 {
		t.Fatalf("next case: %d documents requests after the prefetch, want 1", n)
	}
	if err := q.Next(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := sim.Requests(simulator.PassportID); n != 1 {
		t.Errorf("Next sent another request: %d in all", n)
	}
	it, cs := q.Current()
	st, err := it.Status, it.Err
	if st != StatusLoaded || err != nil || cs == nil || cs.EvalID != simulator.PassportID || cs.Closed() {
		t.Fatalf("current after Next: %v %v %v", cs, st, err)
	}
}

// simulatorDemo serves the Demo environment from the built-in simulator,
// as main.go does.
func simulatorDemo(now func() time.Time) http.RoundTripper {
	return simulator.Transport(simulator.New(simulator.Config{Now: now}))
}

// TestQueueSimulatorWalkHeapBounded walks a 30-case queue (the simulator's
// scenarios, then unknown ids it answers with 404) and checks
// that the heap never holds much more than three cases.
func TestQueueSimulatorWalkHeapBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		if testing.Short() {
			t.Skip("walks 30 cases through the simulator, including its 6 s slow case")
		}
		ids := simulator.IDs()
		for _, id := range ids { // generate (and cache) the simulator's data first
			simulator.CaseZIP(id)
		}
		caseBytes := int64(0)
		for _, id := range ids {
			caseBytes = max(caseBytes, int64(len(simulator.CaseZIP(id))))
		}
		for len(ids) < 30 {
			ids = append(ids, randomUUID(t))
		}
		c, err := riskos.NewClient(riskos.Options{Env: eval.Demo, Demo: simulatorDemo})
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		live := map[*casefile.Case]bool{}
		maxLive := 0
		load := func(ctx context.Context, id string) (*casefile.Case, error) {
			cs, err := c.FetchCase(ctx, id, nil)
			if cs != nil {
				mu.Lock()
				live[cs] = true
				maxLive = max(maxLive, len(live))
				mu.Unlock()
			}
			return cs, err
		}
		release := func(cs *casefile.Case) {
			mu.Lock()
			delete(live, cs)
			mu.Unlock()
			cs.Close()
		}
		q := New(ids, load, release)
		defer q.Close()

		heap := func() int64 {
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			return int64(m.HeapAlloc)
		}
		base := heap()
		// A case holds its inflated entries (JPEGs and PDFs: about its ZIP's
		// size). Three held, plus the ZIP of the one load in flight, plus a
		// little slack for the client and the GC's timing.
		bound := 4*caseBytes + 4<<20
		// The walk ends on three 404s: nothing is held then, so the heap is
		// back at its baseline. Keeping every case (a leak) leaves several
		// cases' bytes behind and fails this bound at any image size.
		endBound := caseBytes + 2<<20
		start := time.Now()
		var peak int64
		for i := range ids {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			err := q.Goto(ctx, i)
			cancel()
			if err != nil {
				t.Fatalf("Goto(%d): %v", i, err)
			}
			if h := heap() - base; h > peak {
				peak = h
			}
		}
		waitIdle(t, q)
		end := heap() - base
		snap := q.Snapshot()
		count := map[Status]int{}
		for _, it := range snap {
			count[it.Status]++
		}
		t.Logf("walk of %d cases in %v; largest ZIP %.1f MB; heap above baseline: peak %.1f MB, end %.1f MB; statuses %v; max %d cases alive",
			len(ids), time.Since(start).Round(time.Millisecond), float64(caseBytes)/1e6, float64(peak)/1e6, float64(end)/1e6, count, maxLive)
		if peak > bound {
			t.Errorf("heap peaked %.1f MB above baseline, bound %.1f MB", float64(peak)/1e6, float64(bound)/1e6)
		}
		if end > endBound {
			t.Errorf("heap ended %.1f MB above baseline with no case held, bound %.1f MB", float64(end)/1e6, float64(endBound)/1e6)
		}
		if maxLive > 3 {
			t.Errorf("%d cases alive at once, want ≤ 3", maxLive)
		}
		// No documents: Military, minor, retention, paused. Errors: the 404
		// scenario and the unknown ids.
		wantErrors := 30 - len(simulator.IDs()) + 1
		if count[StatusLoaded] < 5 || count[StatusNoDocuments] != 4 || count[StatusError] != wantErrors {
			t.Errorf("statuses %v: want ≥ 5 loaded, 4 no documents, %d errors (404s)", count, wantErrors)
		}
		q.Close()
		if n := len(live); n != 0 {
			t.Errorf("%d cases alive after Close", n)
		}
	})
}

// randomUUID returns a random version-4 UUID.
func randomUUID(t *testing.T) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
