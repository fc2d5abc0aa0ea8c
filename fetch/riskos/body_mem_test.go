package riskos

import (
	"errors"
	"io"
	"runtime"
	"testing"
	"time"
)

// zeroReader is an endless body (or one of n bytes when n ≥ 0).
type zeroReader struct{ n int64 }

func (z *zeroReader) Read(p []byte) (int, error) {
	if z.n == 0 {
		return 0, io.EOF
	}
	if z.n > 0 && int64(len(p)) > z.n {
		p = p[:z.n]
	}
	clear(p)
	if z.n > 0 {
		z.n -= int64(len(p))
	}
	return len(p), nil
}

// allocated runs f and returns the bytes it allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestBodyReaderMemory: a body of unknown length costs about twice its size
// (segments, then one exact buffer), and an endless one about the limit
// before it is refused. Growing a single buffer by doubling allocated up to
// four times the size and, for an endless body, peaked at three times the
// limit in the app (801 MB RSS for the 256 MiB cap).
func TestBodyReaderMemory(t *testing.T) {
	const mib = 1 << 20
	now := func() time.Time { return time.Time{} }
	var err error
	got := allocated(func() {
		br := &bodyReader{r: &zeroReader{n: -1}, total: -1, max: 32 * mib, now: now}
		_, err = br.read()
	})
	if !errors.Is(err, errBodyTooLarge) {
		t.Fatalf("endless body: %v, want errBodyTooLarge", err)
	}
	if limit := uint64(32*mib) * 13 / 10; got > limit {
		t.Errorf("endless body with a 32 MiB limit allocated %d MiB, want ≤ %d MiB", got/mib, limit/mib)
	}
	t.Logf("endless body, 32 MiB limit: %d MiB allocated", got/mib)

	var data []byte
	got = allocated(func() {
		br := &bodyReader{r: &zeroReader{n: 24 * mib}, total: -1, max: 32 * mib, now: now}
		data, err = br.read()
	})
	if err != nil || len(data) != 24*mib || cap(data) != len(data) {
		t.Fatalf("24 MiB body: %d bytes (cap %d), %v", len(data), cap(data), err)
	}
	if limit := uint64(24*mib) * 12 / 5; got > limit {
		t.Errorf("24 MiB body of unknown length allocated %d MiB, want ≤ %d MiB", got/mib, limit/mib)
	}
	t.Logf("24 MiB body of unknown length: %d MiB allocated", got/mib)
}
