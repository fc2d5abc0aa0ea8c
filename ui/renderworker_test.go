package ui

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// renderRecorder records what a worker rendered and delivered.
type renderRecorder struct {
	mu        sync.Mutex
	rendered  []int
	delivered []int
	block     chan struct{} // when set, the render of 1 waits on it
}

func (r *renderRecorder) worker(ctx context.Context, debounce time.Duration) *renderWorker[int, int] {
	return newRenderWorker(ctx, debounce, func(fn func()) { fn() },
		func(_ context.Context, n int) int {
			if n == 1 && r.block != nil {
				<-r.block
			}
			r.mu.Lock()
			r.rendered = append(r.rendered, n)
			r.mu.Unlock()
			return n * 10
		},
		func(n, res int) {
			r.mu.Lock()
			r.delivered = append(r.delivered, res)
			r.mu.Unlock()
		})
}

func (r *renderRecorder) snapshot() (rendered, delivered []int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int(nil), r.rendered...), append([]int(nil), r.delivered...)
}

func TestRenderWorkerLatestWins(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &renderRecorder{block: make(chan struct{})}
		w := rec.worker(t.Context(), 0)
		w.request(1) // starts rendering and blocks
		synctest.Wait()
		for n := 2; n <= 5; n++ { // queued while 1 renders: only 5 survives
			w.request(n)
		}
		close(rec.block)
		synctest.Wait()
		rendered, delivered := rec.snapshot()
		if len(rendered) != 2 || rendered[0] != 1 || rendered[1] != 5 {
			t.Errorf("rendered %v, want [1 5]", rendered)
		}
		if len(delivered) != 2 || delivered[1] != 50 {
			t.Errorf("delivered %v, want [10 50]", delivered)
		}
	})
}

func TestRenderWorkerDebounceCoalesces(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &renderRecorder{}
		w := rec.worker(t.Context(), 20*time.Millisecond)
		for n := 1; n <= 10; n++ { // a burst faster than the debounce
			w.request(n)
			time.Sleep(time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond)
		synctest.Wait()
		if rendered, _ := rec.snapshot(); len(rendered) != 1 || rendered[0] != 10 {
			t.Errorf("a burst of 10 rendered %v, want only the last", rendered)
		}
		w.request(11) // the worker starts again for a later request
		time.Sleep(50 * time.Millisecond)
		synctest.Wait()
		if rendered, _ := rec.snapshot(); len(rendered) != 2 || rendered[1] != 11 {
			t.Errorf("rendered %v, want [10 11]", rendered)
		}
	})
}

func TestRenderWorkerStopsWithItsContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		rec := &renderRecorder{}
		w := rec.worker(ctx, time.Second)
		w.request(1)
		cancel() // before the debounce ends: nothing renders, the goroutine ends
		synctest.Wait()
		if rendered, _ := rec.snapshot(); len(rendered) != 0 {
			t.Errorf("rendered %v after cancel", rendered)
		}
		w.mu.Lock()
		running := w.running
		w.mu.Unlock()
		if running {
			t.Error("the worker goroutine is still running after cancel")
		}
	})
}
