package session

import (
	"time"

	"docvreview/fetch/riskos"
)

// Kind says what happened to the session.
type Kind int

// The kinds of Event.
const (
	// Fetching: a fetch (or a move in the queue) started for Req; Queue
	// and Index are set for a queue move. Emitted before the load starts.
	Fetching Kind = iota + 1
	// Progress: the download of the current fetch moved (Progress), at
	// most every Config.ProgressEvery and always at the end.
	Progress
	// Loaded: the case (Case, Client, Pre; Index for a queue move)
	// is now the session's.
	Loaded
	// Failed: the fetch failed with Err (Client set when one was made; a
	// case without documents can still be decided through it).
	Failed
	// Superseded: the queue moved on before this position was shown.
	Superseded
	// Dropped: the case and the work for it are gone; panels clear. Emitted
	// before the case is closed.
	Dropped
	// QueueChanged: an item of the open queue changed (Index: the position
	// shown).
	QueueChanged
	// IdleExpired: nothing happened for IdleAfter while a case was open;
	// the window clears it.
	IdleExpired
)

// Event is what a Controller reports to its subscribers, always on the
// owner's goroutine.
type Event struct {
	Kind     Kind
	Gen      uint64 // the session's generation the event belongs to
	Req      Request
	Progress riskos.Progress
	Case     *CaseRef
	Client   *riskos.Client
	Pre      any // what was prepared ahead for the case (Loaded): the Loader's Pre, or Queued.Pre after a move
	Err      error
	Queue    *Queue // the queue of a move, nil for a plain fetch
	Index    int    // the queue position (moves, QueueChanged)
	After    time.Duration
}
