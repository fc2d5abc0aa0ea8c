package imaging

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"
)

// Source is one image of a case to decode.
type Source struct {
	Key  int // caller's index, echoed in Result
	Data []byte
}

// Result is one decoded source.
type Result struct {
	Key     int
	Display *Display // nil when Err != nil
	Err     error
	Elapsed time.Duration
}

// DecodeAll decodes sources concurrently (bounded by GOMAXPROCS) to fit
// maxW×maxH, calling each as every image finishes (from worker goroutines,
// serialised: never two calls at once). It returns when all are done or ctx
// is cancelled.
//
// On cancellation, sources not yet started are skipped without a call;
// decodes already running finish and are reported. DecodeAll waits for
// them, so each is never called after DecodeAll has returned. A failing
// image is reported in its own Result and does not affect the others.
func DecodeAll(ctx context.Context, sources []Source, maxW, maxH int, o Options, each func(Result)) {
	var (
		mu  sync.Mutex // serialises each
		wg  sync.WaitGroup
		sem = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	)
	for _, src := range sources {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		if ctx.Err() != nil { // both cases were ready; prefer cancellation
			<-sem
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			start := time.Now()
			d, err := DecodeIsolated(src.Data, maxW, maxH, o)
			r := Result{Key: src.Key, Display: d, Err: err, Elapsed: time.Since(start)}
			mu.Lock()
			defer mu.Unlock()
			if each != nil {
				each(r)
			}
		})
	}
	wg.Wait()
}

// DecodeIsolated is DecodeForDisplay with a panic in a decoder turned into
// an error for that image alone (wrapping ErrCorrupt), so one hostile file
// cannot take down the whole case. The panic value is not included: it
// could quote image bytes.
func DecodeIsolated(data []byte, maxW, maxH int, o Options) (d *Display, err error) {
	defer func() {
		if recover() != nil {
			d, err = nil, fmt.Errorf("decode for display: %w: decoder failed unexpectedly", ErrCorrupt)
		}
	}()
	return DecodeForDisplay(data, maxW, maxH, o)
}
