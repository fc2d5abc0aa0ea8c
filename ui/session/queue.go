package session

import (
	"context"
	"errors"
	"fmt"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/queue"
	"docvreview/fetch/riskos"
)

// Queued is one case of a review queue as loaded: the case, the client
// that made its reads (its writes go through it) and what the window
// prepared ahead for it (its panes' images, decoded in the background).
type Queued struct {
	Ref    *CaseRef
	Client *riskos.Client
	Pre    any
}

// Queue is an open review queue: fetch/queue loads, holds and prefetches
// its cases; the controller moves the session along it.
type Queue struct {
	Q          *queue.Queue[*Queued]
	List       queue.List
	Env        eval.Environment
	APIVersion string
	// Decided holds the evaluations recorded decisions answered, by eval_id
	// (memory only), so that moving back shows the new state.
	Decided map[string]*eval.Evaluation
}

// Prepare works on a queued case after it is fetched, on the queue's
// goroutine; its result replaces the Loader's Pre as Queued.Pre.
type Prepare func(ctx context.Context, c *casefile.Case) any

// Queue is the open queue, nil when none is.
func (c *Controller) Queue() *Queue { return c.queue }

// OpenQueue replaces the open queue with one over list's eval_ids, its
// cases loaded with the controller's Loader in env and prepared by prepare
// (may be nil). It does not move: Goto(0) shows the first case.
func (c *Controller) OpenQueue(list queue.List, env eval.Environment, apiVersion string, prepare Prepare) *Queue {
	c.CloseQueue()
	q := &Queue{List: list, Env: env, APIVersion: apiVersion, Decided: map[string]*eval.Evaluation{}}
	load := c.cfg.Load
	q.Q = queue.New(list.IDs, func(ctx context.Context, id string) (*Queued, error) {
		res, err := load(ctx, Request{Env: env, EvalID: id, APIVersion: apiVersion}, nil)
		if err != nil {
			return nil, withClient(err, res.Client)
		}
		cs := res.Case
		qc := &Queued{Ref: NewCaseRef(cs), Client: res.Client, Pre: res.Pre}
		if prepare != nil {
			qc.Pre = prepare(ctx, cs)
		}
		if err := ctx.Err(); err != nil {
			cs.Close()
			return nil, fmt.Errorf("load %s for the queue: %w", id, err)
		}
		return qc, nil
	}, func(qc *Queued) { qc.Ref.Close() })
	q.Q.OnChange = func(i int) {
		c.cfg.Do(func() {
			if c.queue == q {
				c.emit(Event{Kind: QueueChanged, Queue: q, Index: i})
			}
		})
	}
	c.queue = q
	return q
}

// CloseQueue closes the open queue: its cases are released (the one on
// screen stays until the session drops it). Closing waits for the load in
// flight, so it runs on a goroutine of its own.
func (c *Controller) CloseQueue() {
	q := c.queue
	if q == nil {
		return
	}
	c.queue = nil
	c.cfg.Go(q.Q.Close)
}

// Goto drops the case and moves the session to position i of the open
// queue (0 <= i < Len): the case as loaded or prefetched by the queue
// (Loaded), or the reason it could not be loaded (Failed).
func (c *Controller) Goto(i int) {
	q := c.queue
	if q == nil || i < 0 || i >= q.Q.Len() {
		return
	}
	req := Request{Env: q.Env, EvalID: q.List.IDs[i], APIVersion: q.APIVersion}
	ctx, gen := c.begin(req)
	c.emit(Event{Kind: Fetching, Req: req, Queue: q, Index: i})
	c.cfg.Go(func() {
		moveErr := q.Q.Goto(ctx, i)
		it, val := q.Q.Current()
		shared := it.Index == i && val != nil && val.Ref.Share()
		c.cfg.Do(func() { c.moved(gen, q, req, i, val, shared, it.Err, moveErr) })
	})
}

// moved shows the result of a queue move, unless it is stale.
func (c *Controller) moved(gen uint64, q *Queue, req Request, i int, qc *Queued, shared bool, loadErr, moveErr error) {
	if gen != c.gen || c.queue != q {
		if shared {
			qc.Ref.Close()
		}
		return
	}
	c.fetching = false
	switch {
	case shared:
		c.cur = qc.Ref
		c.emit(Event{Kind: Loaded, Req: req, Case: qc.Ref, Client: qc.Client, Pre: qc.Pre, Queue: q, Index: i})
	case loadErr != nil:
		var ce *ClientError
		var client *riskos.Client
		if errors.As(loadErr, &ce) {
			client = ce.Client
		}
		c.fail(req, loadErr, client)
	case moveErr != nil && !errors.Is(moveErr, context.Canceled):
		c.fail(req, moveErr, nil)
	default:
		c.emit(Event{Kind: Superseded, Req: req, Queue: q, Index: i})
	}
}
