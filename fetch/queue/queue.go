package queue

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"docvreview/fetch/riskos"
)

// Status is what a review queue knows about one case.
type Status int

// Queue statuses.
const (
	StatusPending     Status = iota // not loaded yet
	StatusLoading                   // a load is in flight
	StatusLoaded                    // loaded at least once (see Item.Held)
	StatusNoDocuments               // the load failed with riskos.ErrNoDocuments
	StatusError                     // the load failed otherwise
)

// String returns the status as written in the checklist CSV.
func (s Status) String() string {
	switch s {
	case StatusPending:
		return "pending"
	case StatusLoading:
		return "loading"
	case StatusLoaded:
		return "loaded"
	case StatusNoDocuments:
		return "no_documents"
	case StatusError:
		return "error"
	}
	return "status(" + strconv.Itoa(int(s)) + ")"
}

// Mark is a supervisor's spot-check verdict on one case.
type Mark int

// Marks.
const (
	MarkNone       Mark = iota // not marked
	MarkLooksFine              // looks fine
	MarkSecondLook             // needs a second look
)

// String returns the mark as written in the checklist CSV ("" for MarkNone).
func (m Mark) String() string {
	switch m {
	case MarkNone:
		return ""
	case MarkLooksFine:
		return "looks_fine"
	case MarkSecondLook:
		return "second_look"
	}
	return "mark(" + strconv.Itoa(int(m)) + ")"
}

// Errors of Queue navigation and marking.
var (
	ErrRange   = errors.New("no such position in the queue")
	ErrClosed  = errors.New("queue closed")
	ErrBadMark = errors.New("unknown mark")
)

// MaxNote is the longest note SetMark keeps, in runes.
const MaxNote = 2000

// DefaultRateLimitPause is how long a Queue stops prefetching after a load
// failed with riskos.ErrRateLimited.
const DefaultRateLimitPause = 30 * time.Second

// Item is a snapshot of one position of a Queue.
type Item struct {
	Index  int    // 0-based position
	ID     string // eval_id
	Status Status
	Err    error // the last load error (StatusNoDocuments, StatusError), else nil
	Held   bool  // the loaded value is in memory now
	Mark   Mark
	Note   string
}

// queueSlot is the state of one position.
type queueSlot[T any] struct {
	id     string
	status Status
	err    error
	val    T
	held   bool
	retry  bool // a move onto this errored item asked for one more attempt
	mark   Mark
	note   string
}

// queueJob is the single load in flight.
type queueJob struct {
	index  int
	prev   Status // status to restore if the job is cancelled
	cancel context.CancelFunc
}

// Queue is an in-memory review queue for supervisors spot-checking a list
// of cases. One position is current; moving (Next, Prev, Goto) loads the
// target if needed, blocking the caller until it is loaded or the caller's
// context ends, then prefetches the following case in the background.
//
// Guarantees: at most one load in flight, never more than one case ahead of
// the current one; only the current, previous and next values are held, the
// others are released as soon as a move leaves them behind; after a load
// fails with riskos.ErrRateLimited, prefetching pauses (RateLimitPause) and failed
// cases are never retried in the background, only when the user moves onto
// them again.
//
// All methods are safe for concurrent use. Values returned by Current stay
// valid until the queue releases them: after a move of more than one
// position away, or Close.
type Queue[T any] struct {
	// OnChange, if set, is called after position i changed (status, mark,
	// held value, or becoming current), from any goroutine and never with
	// the queue's lock held. Set it before the first move.
	OnChange func(i int)
	// RateLimitPause is how long prefetching stops after riskos.ErrRateLimited;
	// zero means DefaultRateLimitPause. Set it before the first move.
	RateLimitPause time.Duration
	// Now is the clock (tests); nil means time.Now. Set it before the first move.
	Now func() time.Time

	load    func(ctx context.Context, id string) (T, error)
	release func(T)

	base  context.Context
	stop  context.CancelFunc
	jobs  sync.WaitGroup
	mu    sync.Mutex
	items []queueSlot[T]
	cur   int
	job   *queueJob
	// releasing counts moves releasing values outside the lock; no load
	// starts meanwhile.
	releasing int
	wake      chan struct{} // closed (and replaced) when a load ends or a release is done
	pause     time.Time     // no prefetch before this instant
	closed    bool
}

// New returns a queue over ids (which should be distinct, as
// ParseList makes them) with no current position (Current reports
// index -1) and nothing loaded. load fetches one case; it must honour ctx
// and, when it returns an error, return nothing that needs releasing.
// release frees a value the queue no longer holds (for *Case, (*Case).Close);
// it may be nil.
func New[T any](ids []string, load func(ctx context.Context, id string) (T, error), release func(T)) *Queue[T] {
	base, stop := context.WithCancel(context.Background())
	q := &Queue[T]{load: load, release: release, base: base, stop: stop, cur: -1, wake: make(chan struct{})}
	q.items = make([]queueSlot[T], len(ids))
	for i, id := range ids {
		q.items[i].id = id
	}
	return q
}

// Len is the number of positions.
func (q *Queue[T]) Len() int { return len(q.items) }

// Current returns the current position's item (Index -1, status pending,
// before the first move) and its value when held (else the zero T).
func (q *Queue[T]) Current() (Item, T) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var val T
	if q.cur < 0 {
		return Item{Index: -1, Status: StatusPending}, val
	}
	if s := &q.items[q.cur]; s.held {
		val = s.val
	}
	return q.item(q.cur), val
}

// Position returns the current position, -1 before the first move.
func (q *Queue[T]) Position() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.cur
}

// Next moves to the following position (see Goto).
func (q *Queue[T]) Next(ctx context.Context) error {
	q.mu.Lock()
	i := q.cur + 1
	q.mu.Unlock()
	return q.Goto(ctx, i)
}

// Prev moves to the preceding position (see Goto).
func (q *Queue[T]) Prev(ctx context.Context) error {
	q.mu.Lock()
	i := q.cur - 1
	if q.cur < 0 {
		i = -1
	}
	q.mu.Unlock()
	return q.Goto(ctx, i)
}

// Goto makes position i current and blocks until its case is loaded (or
// failed), then starts prefetching position i+1 in the background. A move
// onto a case whose load failed tries it once more; a case with no
// documents is not reloaded. It returns ErrRange (and does not move)
// when i is out of range, ErrClosed after Close, and ctx.Err() when
// ctx ends first (the move stays made and the load goes on in the
// background). A load failure is not an error of Goto: read it with
// Current. Call it off the UI goroutine.
func (q *Queue[T]) Goto(ctx context.Context, i int) error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return ErrClosed
	}
	if i < 0 || i >= len(q.items) {
		q.mu.Unlock()
		return fmt.Errorf("%w: %d of %d", ErrRange, i+1, len(q.items))
	}
	changed := []int{i}
	if q.cur >= 0 && q.cur != i {
		changed = append(changed, q.cur)
	}
	q.cur = i
	if q.items[i].status == StatusError {
		q.items[i].retry = true
	}
	if q.job != nil && q.job.index != i && q.job.index != i+1 {
		q.job.cancel() // never load more than one case ahead, or far behind
	}
	// Release what the move left behind before any new load starts (see
	// schedule), so no more than three values are alive at any moment.
	if drop := q.collectReleases(); len(drop) > 0 {
		q.releasing++
		q.mu.Unlock()
		q.releaseAll(drop)
		q.mu.Lock()
		q.releasing--
		q.broadcast()
	}
	if started := q.schedule(); started >= 0 && started != i {
		changed = append(changed, started)
	}
	q.mu.Unlock()
	q.notify(changed) // the move (and a load starting) shows at once

	q.mu.Lock()
	defer q.mu.Unlock()
	return q.waitLoaded(ctx, i)
}

// waitLoaded waits, with q.mu held (released while waiting), until
// position i is loaded or failed, another move superseded this one, the
// queue closed or ctx ended.
func (q *Queue[T]) waitLoaded(ctx context.Context, i int) error {
	for {
		switch {
		case q.closed:
			return ErrClosed
		case q.cur != i:
			return nil // superseded by another move
		case !q.needsLoad(i) && q.items[i].status != StatusLoading:
			return nil // loaded or failed
		case q.job != nil && q.job.index != i:
			q.job.cancel() // the current case comes first
		case q.job == nil:
			if q.schedule() >= 0 {
				continue
			}
		}
		wake := q.wake
		q.mu.Unlock()
		select {
		case <-wake:
			q.mu.Lock()
		case <-ctx.Done():
			q.mu.Lock()
			return ctx.Err()
		}
	}
}

// broadcast wakes every waitLoaded. Called with q.mu held.
func (q *Queue[T]) broadcast() {
	close(q.wake)
	q.wake = make(chan struct{})
}

// needsLoad reports whether position i must be loaded to be shown.
func (q *Queue[T]) needsLoad(i int) bool {
	s := &q.items[i]
	switch s.status {
	case StatusPending:
		return true
	case StatusLoaded:
		return !s.held
	case StatusError:
		return s.retry
	}
	return false
}

// canPrefetch reports whether position i may be loaded in the background.
func (q *Queue[T]) canPrefetch(i int) bool {
	if i < 0 || i >= len(q.items) {
		return false
	}
	s := &q.items[i]
	return s.status == StatusPending || s.status == StatusLoaded && !s.held
}

// wanted reports whether a value at position i is kept.
func (q *Queue[T]) wanted(i int) bool {
	return q.cur >= 0 && i >= q.cur-1 && i <= q.cur+1
}

// now reads the queue's clock.
func (q *Queue[T]) now() time.Time {
	if q.Now != nil {
		return q.Now()
	}
	return time.Now()
}

// schedule starts the next load when none is in flight: the current case
// if it needs one, else a prefetch of the next. It returns the position
// whose load started (its status changed), or -1. Called with q.mu held.
func (q *Queue[T]) schedule() int {
	if q.closed || q.job != nil || q.releasing > 0 || q.cur < 0 {
		return -1
	}
	target := -1
	switch {
	case q.needsLoad(q.cur):
		target = q.cur
	case q.canPrefetch(q.cur+1) && !q.now().Before(q.pause):
		target = q.cur + 1
	}
	if target < 0 {
		return -1
	}
	ctx, cancel := context.WithCancel(q.base)
	s := &q.items[target]
	j := &queueJob{index: target, prev: s.status, cancel: cancel}
	if s.status == StatusError {
		j.prev = StatusPending // a cancelled retry is simply not tried
	}
	s.status = StatusLoading
	s.retry = false
	q.job = j
	id := s.id
	q.jobs.Add(1)
	go q.run(ctx, j, id)
	return target
}

// run performs one load and files its result.
func (q *Queue[T]) run(ctx context.Context, j *queueJob, id string) {
	defer q.jobs.Done()
	val, err := q.load(ctx, id)
	cancelled := ctx.Err() != nil
	j.cancel()

	q.mu.Lock()
	s := &q.items[j.index]
	var drop []T
	switch {
	case cancelled && (err != nil || q.closed):
		s.status = j.prev // cancelled by a move or Close: not the case's fault
		if err == nil {
			drop = append(drop, val)
		}
	case err == nil:
		s.status, s.err = StatusLoaded, nil
		if q.closed || !q.wanted(j.index) {
			drop = append(drop, val)
		} else {
			s.val, s.held = val, true
		}
	case errors.Is(err, riskos.ErrNoDocuments):
		s.status, s.err = StatusNoDocuments, err
	default:
		s.status, s.err = StatusError, err
		if errors.Is(err, riskos.ErrRateLimited) {
			pause := q.RateLimitPause
			if pause <= 0 {
				pause = DefaultRateLimitPause
			}
			q.pause = q.now().Add(pause)
		}
	}
	if len(drop) > 0 {
		// Release before the next load may start (q.job is still set).
		q.mu.Unlock()
		q.releaseAll(drop)
		q.mu.Lock()
	}
	q.job = nil
	q.broadcast()
	changed := []int{j.index}
	if started := q.schedule(); started >= 0 && started != j.index {
		changed = append(changed, started)
	}
	q.mu.Unlock()
	q.notify(changed)
}

// collectReleases takes the held values outside current±1 out of the
// queue. Called with q.mu held; release them with releaseAll, unlocked.
func (q *Queue[T]) collectReleases() []T {
	var drop []T
	for i := range q.items {
		s := &q.items[i]
		if s.held && !q.wanted(i) {
			drop = append(drop, s.val)
			var zero T
			s.val, s.held = zero, false
		}
	}
	return drop
}

// releaseAll releases values; called without the lock.
func (q *Queue[T]) releaseAll(drop []T) {
	if q.release != nil {
		for _, v := range drop {
			q.release(v)
		}
	}
}

// notify reports changed positions; called without the lock.
func (q *Queue[T]) notify(changed []int) {
	if f := q.OnChange; f != nil {
		for _, i := range changed {
			f(i)
		}
	}
}

// SetMark records the spot-check mark and note of position i (notes longer
// than MaxNote runes are cut; invalid UTF-8 is replaced).
func (q *Queue[T]) SetMark(i int, m Mark, note string) error {
	if m < MarkNone || m > MarkSecondLook {
		return fmt.Errorf("%w: %d", ErrBadMark, int(m))
	}
	note = cleanNote(note)
	q.mu.Lock()
	if i < 0 || i >= len(q.items) {
		q.mu.Unlock()
		return fmt.Errorf("%w: %d of %d", ErrRange, i+1, len(q.items))
	}
	q.items[i].mark, q.items[i].note = m, note
	q.mu.Unlock()
	q.notify([]int{i})
	return nil
}

// cleanNote makes a note valid UTF-8 of at most MaxNote runes.
func cleanNote(s string) string {
	if !utf8.ValidString(s) {
		s = string([]rune(s)) // replaces invalid bytes with U+FFFD
	}
	if utf8.RuneCountInString(s) > MaxNote {
		s = string([]rune(s)[:MaxNote])
	}
	return s
}

// Snapshot returns the state of every position.
func (q *Queue[T]) Snapshot() []Item {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Item, len(q.items))
	for i := range q.items {
		out[i] = q.item(i)
	}
	return out
}

// item describes position i; the caller holds q.mu.
func (q *Queue[T]) item(i int) Item {
	s := &q.items[i]
	return Item{Index: i, ID: s.id, Status: s.status, Err: s.err, Held: s.held, Mark: s.mark, Note: s.note}
}

// WriteChecklistCSV writes the spot-check checklist: a header
// "position,eval_id,status,mark,note" and one row per position (1-based).
// It holds only eval_ids, statuses, marks and notes — no document data, no
// error text. Cells are CSV-quoted as needed, and a cell starting with
// = + - @, a tab or a carriage return gets a leading ' so spreadsheets do
// not run it as a formula.
func (q *Queue[T]) WriteChecklistCSV(w io.Writer) error {
	items := q.Snapshot()
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"position", "eval_id", "status", "mark", "note"}); err != nil {
		return fmt.Errorf("write checklist: %w", err)
	}
	for _, it := range items {
		row := []string{strconv.Itoa(it.Index + 1), it.ID, it.Status.String(), it.Mark.String(), it.Note}
		for k := range row {
			row[k] = guardFormula(row[k])
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write checklist: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write checklist: %w", err)
	}
	return nil
}

// guardFormula prefixes ' to a cell a spreadsheet would treat as a formula.
func guardFormula(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Close cancels any load in flight, waits for it, and releases every held
// value. The queue is unusable afterwards. Safe to call twice.
func (q *Queue[T]) Close() {
	q.mu.Lock()
	q.closed = true
	if q.job != nil {
		q.job.cancel()
	}
	q.broadcast()
	var drop []T
	for i := range q.items {
		s := &q.items[i]
		if s.held {
			drop = append(drop, s.val)
			var zero T
			s.val, s.held = zero, false
		}
	}
	q.mu.Unlock()
	q.stop()
	q.releaseAll(drop)
	q.jobs.Wait()
}
