package session

import (
	"sync/atomic"
	"testing"
	"time"
)

// TestSettledGivesMemoryBack: once the window says the case has settled,
// the memory is given back (once per call, off the owner's goroutine);
// without a case nothing is done.
func TestSettledGivesMemoryBack(t *testing.T) {
	l, f := newLoop(), newFakeLoader(t)
	var freed atomic.Int32
	done := make(chan struct{}, 4)
	c := New(Config{Do: l.Do, Load: f.load, FreeMemory: func() { freed.Add(1); done <- struct{}{} }})
	t.Cleanup(c.Close)

	c.Settled()
	if n := freed.Load(); n != 0 {
		t.Fatalf("FreeMemory ran %d times without a case", n)
	}
	rec := &recorder{}
	c.Subscribe(rec.on)
	c.Fetch(reqOf(idA))
	l.until(t, "the case", func() bool { return rec.count(Loaded) == 1 })
	c.Settled()
	select {
	case <-done:
	case <-time.After(30 * time.Second): // a deadline, not a wait
		t.Fatal("FreeMemory did not run after Settled")
	}
	if n := freed.Load(); n != 1 {
		t.Fatalf("FreeMemory ran %d times after Settled, want 1", n)
	}
}
