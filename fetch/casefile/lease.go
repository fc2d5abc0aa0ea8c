package casefile

import (
	"errors"
	"fmt"
	"sync/atomic"
)

// Lease errors (Lease itself fails with ErrCaseClosed once Close was called).
var (
	// ErrLeaseReleased is returned by Lease.Bytes after Release.
	ErrLeaseReleased = errors.New("the lease was released")
	// ErrNotInCase is returned by Lease.Bytes for an entry of another case.
	ErrNotInCase = errors.New("the entry is not in this case")
)

// Lease keeps a case's byte buffers readable (not zeroed) until Release,
// even after the case is closed. Whoever reads entry bytes after the code
// that opened them returned (a viewer, a background decode) holds a lease
// and reads the case's own buffers through it, never a copy: then closing
// the case zeroes every byte it ever handed out, once the last holder is
// done.
//
// A Lease is safe for concurrent use. Each one must be released exactly
// once (Release is idempotent); a lease never released keeps the case's
// buffers unzeroed.
type Lease struct {
	c        *Case
	released atomic.Bool
}

// Lease takes a lease on the case; it fails with ErrCaseClosed after Close.
func (c *Case) Lease() (*Lease, error) {
	if c == nil {
		return nil, fmt.Errorf("lease case bytes: %w", ErrCaseClosed)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, fmt.Errorf("lease case bytes: %w", ErrCaseClosed)
	}
	c.leases++
	return &Lease{c: c}, nil
}

// Bytes is e's buffer itself (not a copy), valid until Release; its
// capacity is its length, so appending to it never writes into the case.
// It fails with ErrLeaseReleased after Release, ErrNotInCase when e is not
// one of the case's entries, and wraps e.Err when e could not be read.
func (l *Lease) Bytes(e *Entry) ([]byte, error) {
	if l.released.Load() {
		return nil, fmt.Errorf("read case bytes: %w", ErrLeaseReleased)
	}
	c := l.c
	c.mu.RLock()
	defer c.mu.RUnlock()
	list := c.Entries
	if c.closed {
		list = c.held
	}
	for _, x := range list {
		if x != e {
			continue
		}
		if e.Err != nil {
			return nil, fmt.Errorf("read case bytes: %w", e.Err)
		}
		return e.Data[:len(e.Data):len(e.Data)], nil
	}
	return nil, fmt.Errorf("read case bytes: %w", ErrNotInCase)
}

// Release ends the lease. The last release of a closed case zeroes its
// buffers. Safe to call more than once and on a nil lease.
func (l *Lease) Release() {
	if l == nil || l.released.Swap(true) {
		return
	}
	c := l.c
	c.mu.Lock()
	defer c.mu.Unlock()
	c.leases--
	if c.closed && c.leases == 0 {
		c.zeroLocked()
	}
}
