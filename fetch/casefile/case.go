package casefile

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"docvreview/fetch/eval"
)

// Case is one evaluation's evidence held in memory. Close drops it.
//
// The methods are safe for concurrent use with Close; after Close they
// return nothing. The exported fields are set by NewCase and cleared by
// Close; read them only while the case is open.
//
// The case is the one owner of its byte buffers (Entry.Data). Code that
// reads them after handing control back (a viewer, a background decode)
// holds a Lease instead of copying them: Close zeroes every buffer once
// the last lease is released (see lease.go).
type Case struct {
	EvalID      string
	Env         eval.Environment
	Entries     []*Entry         // sorted: role order, then capture, then path
	Evaluation  *eval.Evaluation // nil when the summary was not fetched
	Warnings    []string         // no PII
	ArchiveSize int64

	archive []byte // the ZIP, when entries are read in place from it; zeroed with them

	mu     sync.RWMutex
	closed bool
	leases int      // leases not yet released
	held   []*Entry // set by Close: the entries zeroed when the last lease goes
}

// NewCase reads the ZIP (taking ownership of zipBytes) and classifies its
// entries. Stored entries are read in place (ReadOptions.InPlace): the case
// keeps zipBytes for them and zeroes it on Close; every other byte of
// zipBytes is zeroed at once, and all of it on error. A zero lim means
// DefaultLimits().
func NewCase(evalID string, env eval.Environment, zipBytes []byte, ev *eval.Evaluation, lim Limits) (*Case, error) {
	return NewCaseWith(context.Background(), evalID, env, zipBytes, ev, ReadOptions{Limits: lim})
}

// NewCaseWith is NewCase through ReadArchiveWith: cancellable, and each
// entry is handed to o.OnEntry as soon as it is inflated. On any error
// (ctx's included) every buffer, zipBytes too, is zeroed (after o.Drain).
func NewCaseWith(ctx context.Context, evalID string, env eval.Environment, zipBytes []byte, ev *eval.Evaluation, o ReadOptions) (*Case, error) {
	o.InPlace = true
	entries, warnings, err := ReadArchiveWith(ctx, zipBytes, o)
	if err != nil {
		clear(zipBytes)
		return nil, fmt.Errorf("read documents archive: %w", err)
	}
	kept := clearOutside(zipBytes, entries)
	SortEntries(entries)
	return &Case{
		archive:     kept,
		EvalID:      evalID,
		Env:         env,
		Entries:     entries,
		Evaluation:  ev,
		Warnings:    warnings,
		ArchiveSize: int64(len(zipBytes)),
	}, nil
}

// clearOutside zeroes every byte of archive that no entry reads in place
// and returns archive when some entry does (nil otherwise).
func clearOutside(archive []byte, entries []*Entry) []byte {
	var spans [][2]int64
	for _, e := range entries {
		if e.inPlace && e.Data != nil {
			spans = append(spans, [2]int64{e.offset, e.offset + int64(len(e.Data))})
		}
	}
	if len(spans) == 0 {
		clear(archive)
		return nil
	}
	slices.SortFunc(spans, func(a, b [2]int64) int { return cmp.Compare(a[0], b[0]) })
	var at int64
	for _, s := range spans {
		if s[0] > at {
			clear(archive[at:s[0]])
		}
		at = max(at, s[1])
	}
	clear(archive[at:])
	return archive
}

// SortEntries orders entries as a Case holds them: role order (front,
// back, selfie, image, attachment, other), then capture, then path.
func SortEntries(entries []*Entry) {
	slices.SortStableFunc(entries, func(a, b *Entry) int {
		return cmp.Or(
			cmp.Compare(a.Role.rank(), b.Role.rank()),
			cmp.Compare(a.Capture, b.Capture),
			cmp.Compare(a.Path, b.Path),
		)
	})
}

// Primary is the entry to display for a role: the newest capture that has
// no error, else the newest; nil when the role is absent.
func (c *Case) Primary(r Role) *Entry {
	list := c.ByRole(r)
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Err == nil {
			return list[i]
		}
	}
	if len(list) == 0 {
		return nil
	}
	return list[len(list)-1]
}

// ByRole lists the entries of a role, oldest capture first.
func (c *Case) ByRole(r Role) []*Entry {
	return c.filter(func(e *Entry) bool { return e.Role == r })
}

// Images lists front, back, selfie and other images in display order.
func (c *Case) Images() []*Entry {
	return c.filter(func(e *Entry) bool { return e.Role.IsImage() })
}

// Attachments lists the attachment entries.
func (c *Case) Attachments() []*Entry {
	return c.filter(func(e *Entry) bool { return e.Role == RoleAttachment })
}

// Others lists entries that are neither images nor attachments.
func (c *Case) Others() []*Entry {
	return c.filter(func(e *Entry) bool { return !e.Role.IsImage() && e.Role != RoleAttachment })
}

// filter returns the entries that satisfy keep, in case order.
func (c *Case) filter(keep func(*Entry) bool) []*Entry {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []*Entry
	for _, e := range c.Entries {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}

// Close drops every reference the case's fields hold and zeroes every
// buffer the case owns: at once when no lease is held, else when the last
// lease is released. Lease fails with ErrCaseClosed from now on. Safe to
// call twice.
func (c *Case) Close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.closed = true
	c.held = c.Entries
	c.Entries = nil
	c.Evaluation = nil
	c.Warnings = nil
	if c.leases == 0 {
		c.zeroLocked()
	}
}

// zeroLocked zeroes every held buffer (to its capacity) and drops it.
// Call with c.mu held for writing, once closed and no lease is left.
func (c *Case) zeroLocked() {
	for _, e := range c.held {
		clear(e.Data[:cap(e.Data)])
		e.Data = nil
	}
	clear(c.held)
	c.held = nil
	clear(c.archive)
	c.archive = nil
}

// Closed reports whether Close was called.
func (c *Case) Closed() bool {
	if c == nil {
		return true
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.closed
}
