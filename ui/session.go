package ui

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
	"docvreview/fetch/riskos"
)

// request is one fetch the user asked for (kept for Retry).
type request struct {
	env        eval.Environment
	evalID     string
	apiVersion string
}

// session is the case on screen and the work in flight for it. gen grows
// with every fetch and every close: a result carrying an older gen is stale
// and is dropped (its case closed).
type session struct {
	gen      uint64
	ctx      context.Context // cancelled when the case is dropped
	cancel   context.CancelFunc
	req      request
	hasReq   bool
	fetching bool
	cur      *caseRef // nil when no case is open
	noDocs   *riskos.NoDocumentsError
	// client made the case's reads; its writes go through it too (in Demo
	// each client has its own simulator). nil when no case is open.
	client *riskos.Client
	// ev is the evaluation as loaded, or as the last recorded decision
	// answered; nil without one. Decisions use its precondition.
	ev *eval.Evaluation
	// evalID is the case's eval_id (set with ev).
	evalID string
}

// caseRef counts the goroutines still reading a case's buffers, so that
// closing the case (which zeroes them) waits for the last reader.
type caseRef struct {
	c      *casefile.Case
	mu     sync.Mutex
	refs   int
	owners int // the session and, for a queued case, the queue
	closed bool
}

func newCaseRef(c *casefile.Case) *caseRef { return &caseRef{c: c, owners: 1} }

// share adds an owner (the session showing a case the queue holds); false
// when the case is already closed. Each owner calls close once.
func (r *caseRef) share() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	r.owners++
	return true
}

// acquire registers a reader; false when the case is already closed.
func (r *caseRef) acquire() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	r.refs++
	return true
}

// release ends a reader; the last one closes a case marked closed.
func (r *caseRef) release() {
	r.mu.Lock()
	r.refs--
	closeNow := r.closed && r.refs == 0
	r.mu.Unlock()
	if closeNow {
		r.c.Close()
	}
}

// close drops an owner; after the last one it marks the case closed and
// zeroes it once no reader is left.
func (r *caseRef) close() {
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

// fetchEntered validates the eval_id entry and fetches it.
func (r *review) fetchEntered() {
	r.touch()
	id, err := riskos.ParseEvalID(r.bar.entry.Text)
	if err != nil {
		if strings.TrimSpace(r.bar.entry.Text) == "" {
			r.bar.setStatus("Type or paste an eval_id (or a Dashboard URL), then press Enter.")
		} else {
			r.bar.setStatus("That is not an eval_id: paste the UUID, or the Dashboard URL that contains it.")
		}
		return
	}
	r.bar.entry.SetText(id)
	r.startFetch(request{env: r.bar.env(), evalID: id, apiVersion: r.prefs.apiVersion})
}

// retry repeats the last request.
func (r *review) retry() {
	r.touch()
	if !r.sess.hasReq {
		r.bar.setStatus("Nothing to retry yet.")
		return
	}
	r.startFetch(r.sess.req)
}

// startFetch drops the current case and fetches req in the background.
func (r *review) startFetch(req request) {
	r.dropCase()
	ctx, cancel := context.WithCancel(context.Background())
	r.sess.ctx, r.sess.cancel = ctx, cancel
	r.sess.req, r.sess.hasReq = req, true
	r.sess.fetching = true
	gen := r.sess.gen
	r.addRecent(req.evalID)
	r.evidence.showLoading()
	r.setBase(r.evidence.root)
	r.bar.setFetching(true)
	r.bar.setStatus(fmt.Sprintf("Fetching %s from %s…", req.evalID, req.env.Title()))
	r.win.Canvas().Unfocus()

	kc, newClient, now := r.opts.Keychain, r.opts.NewClient, r.opts.Now
	progress := r.progressReporter(gen)
	r.background(func() {
		c, client, err := fetchCase(ctx, req, kc, newClient, now, progress)
		r.opts.Do(func() { r.onFetched(gen, c, client, err) })
	})
}

// fetchCase runs off the Fyne goroutine: the keychain may wait for an
// unlock prompt, and the download takes as long as it takes. It returns the
// client that made the reads (also on a failed fetch, when one was made):
// the case's writes go through it.
func fetchCase(ctx context.Context, req request, kc *keychain.Keychain,
	newClient func(riskos.Options) (*riskos.Client, error), now func() time.Time,
	progress func(riskos.Progress)) (*casefile.Case, *riskos.Client, error) {
	o := riskos.Options{Env: req.env, APIVersion: req.apiVersion, Now: now}
	if req.env.NeedsKey() {
		if kc == nil {
			return nil, nil, fmt.Errorf("read the %s API key: %w", req.env.Title(), keychain.ErrKeyNotFound)
		}
		key, _, err := kc.Get(req.env)
		if err != nil {
			return nil, nil, fmt.Errorf("read the %s API key: %w", req.env.Title(), err)
		}
		o.APIKey = key
	}
	client, err := newClient(o)
	if err != nil {
		return nil, nil, fmt.Errorf("set up the %s client: %w", req.env.Title(), err)
	}
	c, err := client.FetchCase(ctx, req.evalID, progress)
	return c, client, err
}

// clientError carries the client of a failed fetch to the window (a case
// without documents can still be decided); it unwraps to the failure.
type clientError struct {
	err    error
	client *riskos.Client
}

func (e *clientError) Error() string { return e.err.Error() }
func (e *clientError) Unwrap() error { return e.err }

// progressReporter forwards download progress to the bar at most every
// 50 ms (and always at the end).
func (r *review) progressReporter(gen uint64) func(riskos.Progress) {
	var mu sync.Mutex
	var last time.Time
	return func(p riskos.Progress) {
		mu.Lock()
		t := time.Now()
		skip := t.Sub(last) < 50*time.Millisecond && p.Done != p.Total
		if !skip {
			last = t
		}
		mu.Unlock()
		if skip {
			return
		}
		r.opts.Do(func() {
			if gen == r.sess.gen && r.sess.fetching {
				r.bar.setProgress(p)
			}
		})
	}
}

// onFetched shows the result of a fetch, unless it is stale.
func (r *review) onFetched(gen uint64, c *casefile.Case, client *riskos.Client, err error) {
	if gen != r.sess.gen {
		if c != nil {
			c.Close()
		}
		return
	}
	r.sess.fetching = false
	r.bar.setFetching(false)
	if err != nil {
		if client != nil {
			err = &clientError{err: err, client: client}
		}
		r.showFailure(err)
		return
	}
	r.showCase(newCaseRef(c), client, nil)
}

// showCase puts a case on screen (the session owns ref from now on). The
// images pre decoded for the panes (a queued case) are shown at once when
// they fit the panes; the others are decoded.
func (r *review) showCase(ref *caseRef, client *riskos.Client, pre *queuedCase) {
	c := ref.c
	r.sess.cur = ref
	r.evidence.setCase(c)
	r.setBase(r.evidence.root)
	r.setCaseEvaluation(c.EvalID, r.decidedOr(c.EvalID, c.Evaluation), c.Warnings, client)
	r.files.show(c)
	r.tabs.Items[1].Text = filesTabTitle(len(c.Attachments()), len(c.Others()))
	r.tabs.Refresh()
	r.bar.setStatus(caseSummary(c))
	r.decodePanes(r.applyPredecoded(pre, r.evidence.panesWithImages()))
	r.checksCaseShown()
	r.scanAttachments()
	r.armIdle()
}

// filesTabTitle counts the attachments, and the other files when there are any.
func filesTabTitle(attachments, others int) string {
	if others == 0 {
		return fmt.Sprintf("Attachments (%d)", attachments)
	}
	return fmt.Sprintf("Attachments (%d) + %d other", attachments, others)
}

// caseSummary is the status line of a loaded case (no PII: counts only).
func caseSummary(c *casefile.Case) string {
	s := fmt.Sprintf("Loaded %s (%s): %s, %s", c.EvalID, c.Env.Title(),
		plural(len(c.Images()), "image"), plural(len(c.Attachments()), "attachment"))
	if n := len(c.Others()); n > 0 {
		s += ", " + plural(n, "other file")
	}
	if n := len(c.Warnings); n > 0 {
		s += " — " + plural(n, "warning") + " (see Details)"
	}
	return s + "."
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// showFailure puts a failed fetch in the centre: no-documents gets its calm
// explanation (and the evaluation, when fetched, in Details).
func (r *review) showFailure(err error) {
	var nd *riskos.NoDocumentsError
	if errors.As(err, &nd) {
		r.sess.noDocs = nd
		r.files.showMessage("RiskOS has no documents for this evaluation.")
		if nd.Evaluation != nil {
			var ce *clientError
			var client *riskos.Client
			if errors.As(err, &ce) {
				client = ce.client
			}
			r.setCaseEvaluation(nd.EvalID, r.decidedOr(nd.EvalID, nd.Evaluation), nil, client)
			r.tabs.SelectIndex(0)
			r.armIdle()
		}
	}
	o := describeFailure(err, r.sess.req)
	r.outcome.show(o)
	r.setBase(r.outcome.root)
	r.bar.setStatus(o.status)
}

// cancelFetch stops the download in flight.
func (r *review) cancelFetch() {
	r.touch()
	if !r.sess.fetching {
		return
	}
	r.dropCase()
	r.outcome.show(outcome{kind: outcomeCancelled, title: "Fetch cancelled",
		body: "Nothing was kept. Press Enter to fetch again, or Ctrl+R to retry the same eval_id.", retry: true})
	r.setBase(r.outcome.root)
	r.bar.setStatus("Fetch cancelled.")
}

// closeCase is the user's Close case (Ctrl+W).
func (r *review) closeCase() {
	r.touch()
	r.clearCase("Case closed. Nothing from it is kept in memory.")
	r.bar.entry.SetText("")
}

// clearCase drops everything (the queue too) and returns to the empty window.
func (r *review) clearCase(status string) {
	r.closeQueue()
	r.dropCase()
	r.showWelcome()
	r.bar.setStatus(status)
}

// dropCase cancels work in flight, closes the viewers and the case, and
// empties every panel. Results still on their way are stale from now on.
func (r *review) dropCase() {
	r.sess.gen++
	if r.sess.cancel != nil {
		r.sess.cancel()
		r.sess.cancel = nil
	}
	r.sess.fetching = false
	r.sess.noDocs = nil
	r.closeViewer()
	if r.sess.cur != nil {
		r.sess.cur.close()
		r.sess.cur = nil
		// Give the case's memory back to the OS (a full GC: off the Fyne
		// goroutine). What a viewer still leases is returned on a later drop.
		go debug.FreeOSMemory()
	}
	r.evidence.clear()
	r.details.clear()
	r.dropChecks()
	r.files.clear()
	r.sess.client, r.sess.ev, r.sess.evalID = nil, nil, ""
	r.decide.clearCase()
	if r.feedback != nil {
		r.feedback.notes.SetText("")
		r.feedback = nil
	}
	r.tabs.Items[1].Text = "Attachments"
	r.tabs.Refresh()
	r.bar.setFetching(false)
	r.idle.stop()
}

// hasCaseData reports whether anything from a case is on screen.
func (r *review) hasCaseData() bool {
	return r.sess.cur != nil || r.sess.fetching || r.sess.noDocs != nil
}

func (r *review) addRecent(id string) {
	list := []string{id}
	for _, x := range r.recent {
		if x != id && len(list) < 10 {
			list = append(list, x)
		}
	}
	r.recent = list
	r.bar.entry.SetOptions(list)
}

func (r *review) copyEvalID() {
	r.touch()
	if r.sess.cur != nil {
		r.app.Clipboard().SetContent(r.sess.cur.c.EvalID)
	} else if r.sess.noDocs != nil {
		r.app.Clipboard().SetContent(r.sess.noDocs.EvalID)
	}
	r.bar.setStatus("eval_id copied to the clipboard.")
}
