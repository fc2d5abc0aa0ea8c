package ui

import (
	"context"
	"sync"
	"time"
)

// renderWorker renders the latest of a stream of requests on one goroutine,
// the shape every viewer needs (the zoom view, hence the inspector and
// compare, and the PDF viewer):
//   - latest wins: a request made while another renders replaces any request
//     still waiting, so a drag or a scroll never queues stale frames;
//   - debounce: the goroutine waits that long before taking a request, so a
//     burst of requests costs one render (zero: no wait);
//   - cancel: once ctx ends no render starts and the goroutine returns;
//   - results reach the widgets through do (the window's fyne.Do).
//
// The goroutine runs only while there is work: it starts with a request and
// returns when none is waiting.
type renderWorker[Req, Res any] struct {
	ctx      context.Context
	debounce time.Duration
	render   func(context.Context, Req) Res // off the Fyne goroutine
	deliver  func(Req, Res)                 // on the Fyne goroutine, through do
	do       func(func())

	mu      sync.Mutex
	pending *Req
	running bool
}

// newRenderWorker returns a worker; a nil do means fyne.Do.
func newRenderWorker[Req, Res any](ctx context.Context, debounce time.Duration, do func(func()),
	render func(context.Context, Req) Res, deliver func(Req, Res)) *renderWorker[Req, Res] {
	return &renderWorker[Req, Res]{ctx: ctx, debounce: debounce, do: do, render: render, deliver: deliver}
}

// request queues req in place of any request still waiting.
func (w *renderWorker[Req, Res]) request(req Req) {
	w.mu.Lock()
	w.pending = &req
	start := !w.running
	w.running = true
	w.mu.Unlock()
	if start {
		go w.loop()
	}
}

// loop renders the latest waiting request until none is left.
func (w *renderWorker[Req, Res]) loop() {
	for {
		if w.debounce > 0 {
			t := time.NewTimer(w.debounce)
			select {
			case <-t.C:
			case <-w.ctx.Done():
				t.Stop()
			}
		}
		w.mu.Lock()
		req := w.pending
		w.pending = nil
		if req == nil || w.ctx.Err() != nil {
			w.running = false
			w.mu.Unlock()
			return
		}
		w.mu.Unlock()
		res := w.render(w.ctx, *req)
		viewerDo(w.do, func() { w.deliver(*req, res) })
	}
}
