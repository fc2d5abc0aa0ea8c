package imaging

// OWNER: helper "imaging-decode". Contract stub.

import (
	"context"
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
func DecodeAll(ctx context.Context, sources []Source, maxW, maxH int, o Options, each func(Result)) {
	panic("TODO imaging-decode")
}
