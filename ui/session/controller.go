package session

import (
	"context"
	"errors"
	"runtime/debug"
	"sync"
	"time"

	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
)

// Config sets a Controller up. Do is required; the rest has defaults.
type Config struct {
	// Do runs fn on the owner's goroutine (fyne.Do in the window); every
	// event from a goroutine of the controller goes through it.
	Do func(fn func())
	// Go runs fn on a new goroutine; default `go fn()`. The window counts
	// its goroutines through it.
	Go func(fn func())
	// Load fetches a case; default ChainLoader(nil, riskos.NewClient, Now).
	Load Loader
	// Now is the clock of the idle timeout; default time.Now.
	Now func() time.Time
	// AfterFunc starts a timer and returns its stop; default time.AfterFunc.
	AfterFunc func(d time.Duration, fn func()) (stop func() bool)
	// IdleAfter is the idle timeout.
	IdleAfter time.Duration
	// ProgressEvery spaces Progress events; default 50 ms.
	ProgressEvery time.Duration
	// FreeMemory runs after a case is closed and once it has settled, on
	// its own goroutine; default debug.FreeOSMemory (gives the memory back
	// to the OS).
	FreeMemory func()
}

// Controller is the case lifetime. Its methods run on the owner's
// goroutine only (the one Config.Do runs functions on) and never block.
type Controller struct {
	cfg    Config
	subs   []func(Event)
	gen    uint64
	ctx    context.Context
	cancel context.CancelFunc
	req    Request
	hasReq bool
	// fetching: a load for gen is in flight.
	fetching bool
	cur      *CaseRef
	noDocs   *riskos.NoDocumentsError
	client   *riskos.Client
	ev       *eval.Evaluation
	evalID   string
	queue    *Queue
	idle     idleClock
	draft    Draft
}

// New makes a controller with no case.
func New(cfg Config) *Controller {
	if cfg.Do == nil {
		panic("session.New: Config.Do is required")
	}
	if cfg.Go == nil {
		cfg.Go = func(fn func()) { go fn() }
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Load == nil {
		cfg.Load = ChainLoader(nil, riskos.NewClient, cfg.Now)
	}
	if cfg.AfterFunc == nil {
		cfg.AfterFunc = func(d time.Duration, fn func()) func() bool { return time.AfterFunc(d, fn).Stop }
	}
	if cfg.ProgressEvery == 0 {
		cfg.ProgressEvery = 50 * time.Millisecond
	}
	if cfg.FreeMemory == nil {
		cfg.FreeMemory = debug.FreeOSMemory
	}
	c := &Controller{cfg: cfg, ctx: context.Background()}
	c.idle.after = cfg.IdleAfter
	c.idle.last = cfg.Now()
	return c
}

// Subscribe adds fn to the handlers of every event, called in the order
// they subscribed.
func (c *Controller) Subscribe(fn func(Event)) { c.subs = append(c.subs, fn) }

func (c *Controller) emit(e Event) {
	if e.Gen == 0 {
		e.Gen = c.gen
	}
	for _, fn := range c.subs {
		fn(e)
	}
}

// Gen is the generation: it grows with every fetch and every drop; a
// result carrying an older one is stale.
func (c *Controller) Gen() uint64 { return c.gen }

// Current reports whether gen is still the session's generation.
func (c *Controller) Current(gen uint64) bool { return gen == c.gen }

// Context is cancelled when the case is dropped (work for the case runs
// under it).
func (c *Controller) Context() context.Context { return c.ctx }

// Case is the case on screen, nil when none is open.
func (c *Controller) Case() *CaseRef { return c.cur }

// Fetching reports whether a load is in flight.
func (c *Controller) Fetching() bool { return c.fetching }

// NoDocs is the last fetch's no-documents answer, if it was one.
func (c *Controller) NoDocs() *riskos.NoDocumentsError { return c.noDocs }

// Request is the last request and whether there is one (Retry repeats it).
func (c *Controller) Request() (Request, bool) { return c.req, c.hasReq }

// HasCase reports whether anything of a case is open: the case, its
// fetch, or a no-documents answer.
func (c *Controller) HasCase() bool { return c.cur != nil || c.fetching || c.noDocs != nil }

// SetEvaluation records the case's eval_id, evaluation (the window's own
// copy) and the client its writes go through.
func (c *Controller) SetEvaluation(evalID string, ev *eval.Evaluation, client *riskos.Client) {
	c.evalID, c.ev, c.client = evalID, ev, client
}

// SetEval replaces the evaluation (as a recorded decision answered).
func (c *Controller) SetEval(ev *eval.Evaluation) { c.ev = ev }

// Evaluation is the case's evaluation, nil without one.
func (c *Controller) Evaluation() *eval.Evaluation { return c.ev }

// Client made the case's reads and makes its writes; nil without a case.
func (c *Controller) Client() *riskos.Client { return c.client }

// EvalID is the case's eval_id ("" without an evaluation).
func (c *Controller) EvalID() string { return c.evalID }

// Fetch drops the current case and fetches req in the background; Loaded
// or Failed follows unless the session moves on first.
func (c *Controller) Fetch(req Request) {
	ctx, gen := c.begin(req)
	c.emit(Event{Kind: Fetching, Req: req, Index: -1})
	progress := c.progressReporter(gen)
	load := c.cfg.Load
	c.cfg.Go(func() {
		res, err := load(ctx, req, progress)
		c.cfg.Do(func() { c.fetched(gen, req, res, err) })
	})
}

// Retry repeats the last request; false when there is none.
func (c *Controller) Retry() bool {
	if !c.hasReq {
		return false
	}
	c.Fetch(c.req)
	return true
}

// begin drops the case and starts a new generation for req.
func (c *Controller) begin(req Request) (context.Context, uint64) {
	c.Drop()
	ctx, cancel := context.WithCancel(context.Background())
	c.ctx, c.cancel = ctx, cancel
	c.req, c.hasReq = req, true
	c.fetching = true
	return ctx, c.gen
}

func (c *Controller) fetched(gen uint64, req Request, res Result, err error) {
	cs, client := res.Case, res.Client
	if gen != c.gen {
		if cs != nil {
			cs.Close()
		}
		return
	}
	c.fetching = false
	if err != nil {
		c.fail(req, withClient(err, client), client)
		return
	}
	c.cur = NewCaseRef(cs)
	c.emit(Event{Kind: Loaded, Req: req, Case: c.cur, Client: client, Pre: res.Pre, Index: -1})
}

func (c *Controller) fail(req Request, err error, client *riskos.Client) {
	var nd *riskos.NoDocumentsError
	if errors.As(err, &nd) {
		c.noDocs = nd
	}
	c.emit(Event{Kind: Failed, Req: req, Err: err, Client: client, Index: -1})
}

// progressReporter forwards progress of gen's download as Progress events,
// at most every ProgressEvery (and always at the end).
func (c *Controller) progressReporter(gen uint64) func(riskos.Progress) {
	var mu sync.Mutex
	var last time.Time
	every := c.cfg.ProgressEvery
	return func(p riskos.Progress) {
		mu.Lock()
		t := time.Now() // wall time: the throttle is about the screen
		skip := t.Sub(last) < every && p.Done != p.Total
		if !skip {
			last = t
		}
		mu.Unlock()
		if skip {
			return
		}
		c.cfg.Do(func() {
			if gen == c.gen && c.fetching {
				c.emit(Event{Kind: Progress, Progress: p})
			}
		})
	}
}

// Cancel stops the load in flight (dropping the session); false when
// nothing was loading.
func (c *Controller) Cancel() bool {
	if !c.fetching {
		return false
	}
	c.Drop()
	return true
}

// Settled tells the controller that the current case has finished its
// background work (its images decoded and checked): the memory that work
// passed through is given back to the OS (Config.FreeMemory, off the
// owner's goroutine), so a case that is open costs what it holds, not what
// loading it took.
func (c *Controller) Settled() {
	if c.cur != nil {
		go c.cfg.FreeMemory()
	}
}

// Drop cancels the work in flight and closes the case: results still on
// their way are stale from now on. Subscribers see Dropped before the case
// is closed, so that viewers reading it end first.
func (c *Controller) Drop() {
	c.gen++
	if c.cancel != nil {
		c.cancel()
		c.cancel = nil
	}
	c.fetching = false
	c.noDocs = nil
	c.emit(Event{Kind: Dropped, Index: -1})
	c.idle.stop()
	if c.cur != nil {
		c.cur.Close()
		c.cur = nil
		// A full GC: off the owner's goroutine. What a viewer still leases
		// is returned on a later drop.
		go c.cfg.FreeMemory()
	}
	c.client, c.ev, c.evalID = nil, nil, ""
	c.draft.Clear()
	c.idle.stop()
}

// Close ends the session: the queue and the case.
func (c *Controller) Close() {
	c.CloseQueue()
	c.Drop()
	c.idle.stop()
}
