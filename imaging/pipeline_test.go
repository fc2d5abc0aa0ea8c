package imaging

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestDecodeAll(t *testing.T) {
	good := encodeJPEG(t, photoLike(400, 300, 6), 90)
	sources := []Source{
		{Key: 10, Data: good},
		{Key: 11, Data: []byte("not an image")},
		{Key: 12, Data: encodePNG(t, photoLike(120, 90, 7))},
		{Key: 13, Data: good[:len(good)/3]},
		{Key: 14, Data: jpegHeader(0xC0, 8, 65535, 65535, 3)},
		{Key: 15, Data: good},
	}
	var inCall, overlaps atomic.Int32
	got := map[int]Result{}
	DecodeAll(context.Background(), sources, 200, 200, Options{}, func(r Result) {
		if inCall.Add(1) > 1 {
			overlaps.Add(1)
		}
		defer inCall.Add(-1)
		got[r.Key] = r // safe only because calls are serialised
	})
	if overlaps.Load() > 0 {
		t.Error("callback ran concurrently")
	}
	if len(got) != len(sources) {
		t.Fatalf("got %d results, want %d", len(got), len(sources))
	}
	for key, want := range map[int]error{10: nil, 11: ErrUnsupported, 12: nil, 13: ErrCorrupt, 14: ErrTooLarge, 15: nil} {
		r := got[key]
		if !errors.Is(r.Err, want) || (want == nil && r.Err != nil) {
			t.Errorf("key %d: err %v, want %v", key, r.Err, want)
		}
		if (r.Display == nil) != (want != nil) {
			t.Errorf("key %d: display %v with err %v", key, r.Display != nil, r.Err)
		}
		if r.Elapsed <= 0 {
			t.Errorf("key %d: elapsed %v", key, r.Elapsed)
		}
	}
	if d := got[10].Display; d.Image.Rect.Dx() != 200 || d.Image.Rect.Dy() != 150 {
		t.Errorf("display size %v", d.Image.Rect)
	}
}

func TestDecodeAllCancelled(t *testing.T) {
	data := encodeJPEG(t, photoLike(200, 150, 8), 90)
	sources := make([]Source, 50)
	for i := range sources {
		sources[i] = Source{Key: i, Data: data}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	DecodeAll(ctx, sources, 100, 100, Options{}, func(Result) { calls++ })
	if calls != 0 {
		t.Errorf("cancelled before start: %d calls", calls)
	}

	ctx, cancel = context.WithCancel(context.Background())
	var after atomic.Bool
	calls = 0
	DecodeAll(ctx, sources, 100, 100, Options{}, func(Result) {
		if after.Load() {
			t.Error("callback after DecodeAll returned")
		}
		calls++
		if calls == 3 {
			cancel()
		}
	})
	after.Store(true)
	if calls < 3 || calls >= len(sources) {
		t.Errorf("cancelled after 3: %d calls of %d", calls, len(sources))
	}
	// Nil callback and no sources are fine.
	DecodeAll(context.Background(), sources[:2], 10, 10, Options{}, nil)
	DecodeAll(context.Background(), nil, 10, 10, Options{}, func(Result) { t.Error("called") })
}
