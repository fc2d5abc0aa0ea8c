package ui

import (
	"errors"
	"fmt"
	"strings"

	"docvreview/fetch/casefile"
	"docvreview/fetch/riskos"
	"docvreview/ui/session"
)

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
	r.startFetch(session.Request{Env: r.bar.env(), EvalID: id, APIVersion: r.prefs.apiVersion})
}

// retry repeats the last request.
func (r *review) retry() {
	r.touch()
	if !r.sess.Retry() {
		r.bar.setStatus("Nothing to retry yet.")
	}
}

// startFetch drops the current case and fetches req in the background
// (the Fetching, Loaded and Failed events put it on screen).
func (r *review) startFetch(req session.Request) {
	r.storeLoadPlan()
	r.sess.Fetch(req)
}

// onSession wires the panels to the session's events.
func (r *review) onSession(e session.Event) {
	switch e.Kind {
	case session.Fetching:
		r.showFetching(e)
	case session.Progress:
		r.bar.setProgress(e.Progress)
	case session.Loaded:
		r.bar.setFetching(false)
		d, _ := e.Pre.(*session.Decoded)
		r.showCase(e.Case, e.Client, d)
		if e.Queue != nil {
			r.bar.setStatus(fmt.Sprintf("Queue %d of %d · %s", e.Index+1, e.Queue.Q.Len(), caseSummary(e.Case.Case())))
		}
	case session.Failed:
		r.bar.setFetching(false)
		r.showFailure(e.Err, e.Client)
	case session.Superseded:
		r.bar.setFetching(false)
		r.evidence.clear()
		r.bar.setStatus("The queue moved on before this case was shown.")
	case session.Dropped:
		r.clearPanels()
	case session.QueueChanged:
		if r.queue != nil && r.queue.sq == e.Queue {
			r.queue.panel.refresh(e.Index, e.Queue.Q.Snapshot())
		}
	case session.IdleExpired:
		r.clearCase(fmt.Sprintf("The case was cleared after %s without activity.", idleText(e.After)))
	}
}

// showFetching shows that req is loading (a fetch, or a move in the queue).
func (r *review) showFetching(e session.Event) {
	req := e.Req
	if e.Queue != nil {
		r.bar.entry.SetText(req.EvalID)
	}
	r.addRecent(req.EvalID)
	r.evidence.showLoading()
	r.setBase(r.evidence.root)
	r.bar.setFetching(true)
	if e.Queue == nil {
		r.bar.setStatus(fmt.Sprintf("Fetching %s from %s…", req.EvalID, req.Env.Title()))
		r.win.Canvas().Unfocus()
		return
	}
	r.bar.setStatus(fmt.Sprintf("Queue %d of %d: loading %s…", e.Index+1, e.Queue.Q.Len(), req.EvalID))
	if r.queue != nil && r.queue.sq == e.Queue {
		r.queue.panel.setCurrent(e.Index)
		r.storeLoadPlan()
	}
}

// showCase puts a case on screen (the session owns ref from now on). The
// images the load decoded (pre) are shown at once when they fit the
// panes; the others are decoded.
func (r *review) showCase(ref *session.CaseRef, client *riskos.Client, pre *session.Decoded) {
	c := ref.Case()
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
func (r *review) showFailure(err error, client *riskos.Client) {
	var nd *riskos.NoDocumentsError
	if errors.As(err, &nd) {
		r.files.showMessage("RiskOS has no documents for this evaluation.")
		if nd.Evaluation != nil {
			r.setCaseEvaluation(nd.EvalID, r.decidedOr(nd.EvalID, nd.Evaluation), nil, client)
			r.tabs.SelectIndex(0)
			r.armIdle()
		}
	}
	req, _ := r.sess.Request()
	o := describeFailure(err, req)
	r.outcome.show(o)
	r.setBase(r.outcome.root)
	r.bar.setStatus(o.status)
}

// cancelFetch stops the download in flight.
func (r *review) cancelFetch() {
	r.touch()
	if !r.sess.Cancel() {
		return
	}
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

// dropCase cancels work in flight and closes the case (the session's
// Dropped event empties the panels). Results still on their way are stale
// from now on.
func (r *review) dropCase() { r.sess.Drop() }

// clearPanels closes the viewers and empties every panel of the case.
func (r *review) clearPanels() {
	r.closeViewer()
	r.evidence.clear()
	r.details.clear()
	r.dropChecks()
	r.files.clear()
	r.decide.clearCase()
	if r.feedback != nil {
		r.feedback.notes.SetText("")
		r.feedback = nil
	}
	r.tabs.Items[1].Text = "Attachments"
	r.tabs.Refresh()
	r.bar.setFetching(false)
}

// hasCaseData reports whether anything from a case is on screen.
func (r *review) hasCaseData() bool {
	return r.sess.HasCase()
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
	if r.sess.Case() != nil {
		r.app.Clipboard().SetContent(r.sess.Case().Case().EvalID)
	} else if r.sess.NoDocs() != nil {
		r.app.Clipboard().SetContent(r.sess.NoDocs().EvalID)
	}
	r.bar.setStatus("eval_id copied to the clipboard.")
}
