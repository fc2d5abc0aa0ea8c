package session

import (
	"sync"

	"docvreview/fetch/casefile"
)

// CaseRef counts the goroutines still reading a case's buffers, so that
// closing the case (which zeroes them) waits for the last reader. It has
// owners (the session and, for a queued case, the queue): each calls Close
// once, and the case is closed after the last of them.
type CaseRef struct {
	c      *casefile.Case
	mu     sync.Mutex
	refs   int
	owners int
	closed bool
}

// NewCaseRef wraps c with one owner.
func NewCaseRef(c *casefile.Case) *CaseRef { return &CaseRef{c: c, owners: 1} }

// Case is the case; its buffers are read only between Acquire and Release.
func (r *CaseRef) Case() *casefile.Case { return r.c }

// Share adds an owner (the session showing a case the queue holds); false
// when the case is already closed.
func (r *CaseRef) Share() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	r.owners++
	return true
}

// Acquire registers a reader; false when the case is already closed.
func (r *CaseRef) Acquire() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	r.refs++
	return true
}

// Release ends a reader; the last one closes a case marked closed.
func (r *CaseRef) Release() {
	r.mu.Lock()
	r.refs--
	closeNow := r.closed && r.refs == 0
	r.mu.Unlock()
	if closeNow {
		r.c.Close()
	}
}

// Close drops an owner; after the last one it marks the case closed and
// zeroes it once no reader is left.
func (r *CaseRef) Close() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	if r.owners--; r.owners > 0 {
		r.mu.Unlock()
		return
	}
	r.closed = true
	closeNow := r.refs == 0
	r.mu.Unlock()
	if closeNow {
		r.c.Close()
	}
}

// Closed reports whether the last owner has closed the case.
func (r *CaseRef) Closed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}
