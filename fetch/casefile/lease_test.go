package casefile

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"docvreview/fetch/eval"
)

// leaseTestCase is the re-capture case (eight entries, one PDF).
func leaseTestCase(t *testing.T) *Case {
	t.Helper()
	c, err := NewCase("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", eval.Demo, recaptureZip(t, jpegBytes), nil, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// buffers keeps every entry's buffer to its capacity, to check after Close.
func buffers(c *Case) [][]byte {
	var out [][]byte
	for _, e := range c.Entries {
		if e.Data != nil {
			out = append(out, e.Data[:cap(e.Data)])
		}
	}
	return out
}

func allZero(bufs [][]byte) bool {
	for _, b := range bufs {
		if !allBytes(b, 0) {
			return false
		}
	}
	return true
}

func TestLeaseKeepsBytesUntilTheLastRelease(t *testing.T) {
	c := leaseTestCase(t)
	entries := slices.Clone(c.Entries) // Close clears the case's own list
	all := buffers(c)
	a, err := c.Lease()
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Lease()
	if err != nil {
		t.Fatal(err)
	}
	var handed [][]byte
	for _, e := range entries {
		data, err := a.Bytes(e)
		if err != nil {
			t.Fatalf("%s: %v", e.Path, err)
		}
		if len(data) == 0 || &data[0] != &e.Data[0] {
			t.Fatalf("%s: Bytes is not the case's own buffer", e.Path)
		}
		if cap(data) != len(data) {
			t.Errorf("%s: capacity %d beyond length %d", e.Path, cap(data), len(data))
		}
		handed = append(handed, data)
	}

	c.Close()
	if !c.Closed() || c.Entries != nil {
		t.Fatal("Close did not close the case")
	}
	if allZero(handed) {
		t.Fatal("Close zeroed buffers while leases were held")
	}
	if _, err := c.Lease(); !errors.Is(err, ErrCaseClosed) {
		t.Errorf("Lease after Close: %v, want ErrCaseClosed", err)
	}
	// A held lease still reads the closed case's bytes.
	if data, err := b.Bytes(entries[0]); err != nil || &data[0] != &handed[0][0] {
		t.Errorf("Bytes on a held lease after Close: %v", err)
	}

	a.Release()
	a.Release() // idempotent: must not count as b's release
	if allZero(handed) {
		t.Fatal("buffers zeroed while a lease is still held")
	}
	if _, err := a.Bytes(entries[0]); !errors.Is(err, ErrLeaseReleased) {
		t.Errorf("Bytes after Release: %v, want ErrLeaseReleased", err)
	}
	b.Release()
	if !allZero(handed) || !allZero(all) {
		t.Error("the last release did not zero every buffer")
	}
	for _, e := range entries {
		if e.Data != nil {
			t.Errorf("%s still references its buffer", e.Path)
		}
	}
}

func TestCloseWithoutLeasesZeroesAtOnce(t *testing.T) {
	c := leaseTestCase(t)
	all := buffers(c)
	l, err := c.Lease()
	if err != nil {
		t.Fatal(err)
	}
	l.Release()
	c.Close()
	if !allZero(all) {
		t.Error("Close with every lease released left bytes")
	}
	c.Close() // twice is fine
	var nilLease *Lease
	nilLease.Release()
	var nilCase *Case
	if _, err := nilCase.Lease(); !errors.Is(err, ErrCaseClosed) {
		t.Errorf("nil case: %v", err)
	}
}

func TestLeaseBytesRefusesForeignAndBrokenEntries(t *testing.T) {
	c := leaseTestCase(t)
	other := leaseTestCase(t)
	l, err := c.Lease()
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if _, err := l.Bytes(other.Entries[0]); !errors.Is(err, ErrNotInCase) {
		t.Errorf("foreign entry: %v, want ErrNotInCase", err)
	}
	if _, err := l.Bytes(nil); !errors.Is(err, ErrNotInCase) {
		t.Errorf("nil entry: %v, want ErrNotInCase", err)
	}
	broken := &Entry{Path: "x.jpg", Err: ErrEntryTooLarge}
	c.mu.Lock()
	c.Entries = append(c.Entries, broken)
	c.mu.Unlock()
	if _, err := l.Bytes(broken); !errors.Is(err, ErrEntryTooLarge) {
		t.Errorf("broken entry: %v, want its error", err)
	}
}

// TestLeaseConcurrentWithClose races leases, reads and releases against
// Close (run it with -race): nobody ever reads a zeroed byte through a
// lease, and every buffer handed out is zero at the end.
func TestLeaseConcurrentWithClose(t *testing.T) {
	for round := range 20 {
		c := leaseTestCase(t)
		entries := slices.Clone(c.Entries) // Close clears the case's own list
		all := buffers(c)
		var (
			mu     sync.Mutex
			handed [][]byte
			wg     sync.WaitGroup
			start  = make(chan struct{})
		)
		for g := range 8 {
			wg.Go(func() {
				<-start
				for i := range 20 {
					l, err := c.Lease()
					if errors.Is(err, ErrCaseClosed) {
						return
					}
					if err != nil {
						t.Error(err)
						return
					}
					e := entries[(g+i)%len(entries)]
					data, err := l.Bytes(e)
					if err != nil {
						t.Error(err)
						l.Release()
						return
					}
					if allBytes(data, 0) {
						t.Errorf("round %d: read zeroed bytes through a live lease", round)
					}
					mu.Lock()
					handed = append(handed, data)
					mu.Unlock()
					l.Release()
				}
			})
		}
		close(start)
		c.Close()
		wg.Wait()
		if !allZero(handed) || !allZero(all) {
			t.Fatalf("round %d: a buffer survived the last release", round)
		}
	}
}
