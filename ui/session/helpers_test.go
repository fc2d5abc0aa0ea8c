package session

import (
	"archive/zip"
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
)

// loop stands in for the Fyne goroutine: Do queues, the test goroutine
// runs the queue.
type loop struct {
	mu   sync.Mutex
	q    []func()
	wake chan struct{}
}

func newLoop() *loop { return &loop{wake: make(chan struct{}, 1)} }

func (l *loop) Do(fn func()) {
	l.mu.Lock()
	l.q = append(l.q, fn)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

func (l *loop) drain() {
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

// until runs the queue until cond holds.
func (l *loop) until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	for {
		l.drain()
		if cond() {
			return
		}
		select {
		case <-l.wake:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// newTestCase is a small case with one attachment.
func newTestCase(t testing.TB, id string) *casefile.Case {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	f, _ := zw.Create("case_attachments/note.pdf")
	f.Write([]byte("%PDF-1.4\n%%EOF\n"))
	zw.Close()
	c, err := casefile.NewCase(id, eval.Demo, buf.Bytes(), nil, casefile.DefaultLimits())
	if err != nil {
		t.Fatalf("make a case: %v", err)
	}
	return c
}

// fakeLoader answers each eval_id with a case (or the error in errs), after
// the gate of that id opens when there is one. It records the cases it made.
type fakeLoader struct {
	t        *testing.T
	mu       sync.Mutex
	gates    map[string]chan struct{}
	errs     map[string]error
	progress []riskos.Progress
	made     []*casefile.Case
	calls    []Request
	started  chan string // eval_ids as their loads start (buffered)
}

func newFakeLoader(t *testing.T) *fakeLoader {
	return &fakeLoader{t: t, gates: map[string]chan struct{}{}, errs: map[string]error{}, started: make(chan string, 64)}
}

// hold makes the load of id wait until the returned func is called.
func (f *fakeLoader) hold(id string) (release func()) {
	ch := make(chan struct{})
	f.mu.Lock()
	f.gates[id] = ch
	f.mu.Unlock()
	return func() { close(ch) }
}

func (f *fakeLoader) load(ctx context.Context, req Request, progress func(riskos.Progress)) (Result, error) {
	f.mu.Lock()
	gate, err, steps := f.gates[req.EvalID], f.errs[req.EvalID], f.progress
	f.calls = append(f.calls, req)
	f.mu.Unlock()
	f.started <- req.EvalID
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
		}
	}
	if progress != nil {
		for _, p := range steps {
			progress(p)
		}
	}
	if err != nil {
		return Result{}, err
	}
	c := newTestCase(f.t, req.EvalID)
	f.mu.Lock()
	f.made = append(f.made, c)
	f.mu.Unlock()
	return Result{Case: c}, nil
}

// recorder keeps the events a controller emitted.
type recorder struct{ events []Event }

func (r *recorder) on(e Event) { r.events = append(r.events, e) }

func (r *recorder) kinds() []Kind {
	var out []Kind
	for _, e := range r.events {
		out = append(out, e.Kind)
	}
	return out
}

func (r *recorder) count(k Kind) int {
	n := 0
	for _, e := range r.events {
		if e.Kind == k {
			n++
		}
	}
	return n
}

func (r *recorder) last(k Kind) (Event, bool) {
	for i := len(r.events) - 1; i >= 0; i-- {
		if r.events[i].Kind == k {
			return r.events[i], true
		}
	}
	return Event{}, false
}

// newTestController is a controller on l with f's loader, recording its
// events; its goroutines are counted so the test can wait for them.
func newTestController(t *testing.T, l *loop, f *fakeLoader) (*Controller, *recorder, func() int) {
	var running int
	c := New(Config{
		Do:         l.Do,
		Go:         func(fn func()) { running++; go func() { defer l.Do(func() { running-- }); fn() }() },
		Load:       f.load,
		IdleAfter:  time.Hour,
		FreeMemory: func() {},
	})
	rec := &recorder{}
	c.Subscribe(rec.on)
	t.Cleanup(func() {
		c.Close()
		l.until(t, "the controller's goroutines to end", func() bool { return running == 0 })
	})
	return c, rec, func() int { return running }
}
