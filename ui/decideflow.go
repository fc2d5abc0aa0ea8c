package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
)

// writeTimeout bounds one decision or feedback write, read-back included.
const writeTimeout = 2 * time.Minute

// decisionTab is the index of the Decision tab (Details 0, Attachments 1).
const decisionTab = 2

// setCaseEvaluation records the case's evaluation and client, fills Details
// and the Decision panel, and describes the reason codes in the background.
func (r *review) setCaseEvaluation(evalID string, ev *eval.Evaluation, warnings []string, client *riskos.Client) {
	if ev != nil {
		cp := *ev // the window's own copy: descriptions and recorded states go here
		cp.ReasonCodes = append([]eval.ReasonCode(nil), ev.ReasonCodes...)
		ev = &cp
	}
	r.sess.SetEvaluation(evalID, ev, client)
	r.details.show(evalID, ev, warnings, r.opts.Now())
	r.decide.load(ev, client != nil, r.queue != nil, feedbackBlocked(ev))
	r.describeReasons()
}

// decidedOr is the evaluation a decision recorded in this queue answered
// for evalID, else ev.
func (r *review) decidedOr(evalID string, ev *eval.Evaluation) *eval.Evaluation {
	if r.queue != nil {
		if d, ok := r.queue.sq.Decided[evalID]; ok && d != nil {
			return d
		}
	}
	return ev
}

// feedbackBlocked says why feedback cannot be sent for ev ("" when it can).
func feedbackBlocked(ev *eval.Evaluation) string {
	switch {
	case ev == nil:
		return "Feedback needs the evaluation summary, which was not fetched."
	case strings.TrimSpace(ev.ID) == "" || strings.EqualFold(strings.TrimSpace(ev.ID), ev.EvalID):
		return "Feedback is unavailable: RiskOS records it under the evaluation's customer id (its \"id\"), and this evaluation has none."
	}
	return ""
}

// prefillDecision is A / J / V: it fills the Decision panel and shows it;
// it never sends.
func (r *review) prefillDecision(decision string) {
	r.touch()
	if !r.decide.open {
		r.bar.setStatus("Open a case first: a decision needs its evaluation.")
		return
	}
	r.tabs.SelectIndex(decisionTab)
	r.decide.prefill(decision)
	r.bar.setStatus(fmt.Sprintf("Decision %s prefilled — add notes if needed, then Ctrl+Enter to review and send.", decision))
}

// decideSubmit is Ctrl+Enter and the Send buttons: check the draft and ask
// for confirmation.
func (r *review) decideSubmit(next bool) {
	r.touch()
	if r.modal() {
		return
	}
	p := r.decide
	if !p.open || r.sess.Evaluation() == nil || r.sess.Client() == nil {
		r.bar.setStatus("No case open to decide.")
		return
	}
	if p.draft.Sending() {
		r.bar.setStatus("The decision is being sent…")
		return
	}
	r.tabs.SelectIndex(decisionTab)
	ch, err := p.change().Normalize()
	if err != nil {
		msg := "Check the draft: " + strings.TrimPrefix(err.Error(), riskos.ErrInvalidWrite.Error()+": ") + "."
		if p.decision.Selected == "" || p.status.Selected == "" {
			msg = "Choose a decision and a status first (A / J / V prefill them)."
		}
		p.setResult(msg, "", widget.WarningImportance)
		r.bar.setStatus(msg)
		return
	}
	r.confirmDecision(ch, r.sess.Evaluation().Precondition(), next, nil)
}

// confirmDecision asks before sending ch; changed is set when RiskOS
// changed since the case was loaded (the question is asked again).
func (r *review) confirmDecision(ch riskos.StateChange, pre eval.Precondition, next bool, changed *riskos.ChangedError) {
	ev, env := r.sess.Evaluation(), r.sess.Client().Env()
	cur := ev.State()
	if changed != nil {
		cur = changed.Now
	}
	envObj, _ := envMarker(env)
	grid := container.New(layout.NewFormLayout(),
		bold("Environment"), envObj,
		bold("eval_id"), widget.NewLabel(r.sess.EvalID()),
		bold("Decision"), widget.NewLabel(orDash(cur.Decision)+"  →  "+ch.Decision),
		bold("Status"), widget.NewLabel(orDash(cur.Status)+"  →  "+ch.Status),
	)
	if ch.SubStatus != "" {
		grid.Add(bold("Sub-status"))
		grid.Add(widget.NewLabel(orDash(cur.SubStatus) + "  →  " + ch.SubStatus))
	}
	if ch.Notes != "" {
		grid.Add(bold("Notes"))
		grid.Add(widget.NewLabel(plural(len([]rune(ch.Notes)), "character")))
	}
	for _, a := range ch.Attachments {
		grid.Add(bold("Attachment"))
		grid.Add(widget.NewLabel(fmt.Sprintf("%s (%s)", a.FileName, humanBytes(int64(len(a.Data))))))
	}
	box := container.NewVBox()
	if changed != nil {
		l := widget.NewLabel(fmt.Sprintf("The case changed since you loaded it: RiskOS now says %s (it said %s). "+
			"Someone else may have acted on it. Nothing was sent. Send your decision over theirs?",
			stateText(changed.Now), stateText(eval.CaseState{Decision: changed.Before.Decision, Status: changed.Before.Status})))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		l.TextStyle.Bold = true
		box.Add(l)
	}
	box.Add(grid)
	if ev.InProgress() {
		l := widget.NewLabel("The evaluation is " + evalStatusWord(ev) + ": its current decision is not final.")
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		box.Add(l)
	}
	title := "Send this decision to " + env.Title() + "?"
	if changed != nil {
		title = "The case changed — send anyway?"
	}
	d := dialog.NewCustomConfirm(title, "Send", "Cancel", box, func(ok bool) {
		r.decideConfirm = nil
		if ok {
			r.sendDecision(ch, pre, next)
		}
	}, r.win)
	d.SetConfirmImportance(widget.HighImportance)
	if env == eval.Production {
		d.SetConfirmImportance(widget.DangerImportance)
	}
	d.Resize(fyne.NewSize(520, 0))
	r.decideConfirm = d
	r.showDialog(d)
	r.win.Canvas().Unfocus()
}

// envMarker names env in a write's dialog: Production in red, with a
// warning icon.
func envMarker(env eval.Environment) (fyne.CanvasObject, *widget.Label) {
	l := widget.NewLabelWithStyle(env.Title(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	if env != eval.Production {
		return l, l
	}
	l.SetText("PRODUCTION — a real case")
	l.Importance = widget.DangerImportance
	return container.NewHBox(widget.NewIcon(theme.WarningIcon()), l), l
}

// sendDecision sends ch in the background through the case's client; the
// precondition is the state the reviewer saw.
func (r *review) sendDecision(ch riskos.StateChange, pre eval.Precondition, next bool) {
	r.touch()
	client, id, gen := r.sess.Client(), r.sess.EvalID(), r.sess.Gen()
	if client == nil {
		return
	}
	p := r.decide
	p.setSending(true)
	p.setResult("Sending to "+client.Env().Title()+"…", "", widget.MediumImportance)
	r.bar.setStatus(fmt.Sprintf("Sending the decision for %s to %s…", id, client.Env().Title()))
	r.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
		defer cancel()
		res, err := client.UpdateState(ctx, id, ch, pre)
		r.opts.Do(func() { r.onDecisionSent(gen, id, client.Env(), ch, next, res, err) })
	})
}

// onDecisionSent shows the outcome of a state change. A result for a case
// no longer on screen only reaches the status line.
func (r *review) onDecisionSent(gen uint64, id string, env eval.Environment, ch riskos.StateChange, next bool,
	res *riskos.StateResult, err error) {
	p := r.decide
	stale := gen != r.sess.Gen()
	if !stale {
		p.setSending(false)
	}
	if stale {
		if err == nil {
			r.bar.setStatus(fmt.Sprintf("The decision for %s was recorded in %s: %s.", id, env.Title(), stateText(res.After)))
		} else {
			r.bar.setStatus(fmt.Sprintf("The decision for %s (closed meanwhile) failed: %s", id, firstLine(err)))
		}
		return
	}
	var changed *riskos.ChangedError
	switch {
	case err == nil:
		r.decisionRecorded(id, env, res, next)
	case errors.As(err, &changed):
		r.caseChanged(changed)
		p.setResult("Not sent: the case changed in RiskOS (now "+stateText(changed.Now)+").", changed.Hint(), widget.WarningImportance)
		r.bar.setStatus("Not sent: " + id + " changed in RiskOS — now " + stateText(changed.Now) + ".")
		r.confirmDecision(ch, eval.Precondition{Decision: changed.Now.Decision, Status: changed.Now.Status}, next, changed)
	default:
		title, body, hint := describeWriteError(err, env, "decision")
		p.setResult(title+" "+body, hint+" Your notes are still in the panel.", widget.DangerImportance)
		r.bar.setStatus(title)
		r.showWriteError(title, body, hint)
	}
}

// decisionRecorded shows a recorded decision: Details from the answer, the
// status line, the queue's row; "Decide and next" moves on.
func (r *review) decisionRecorded(id string, env eval.Environment, res *riskos.StateResult, next bool) {
	p := r.decide
	ev := res.Evaluation
	if ev == nil {
		cp := *r.sess.Evaluation()
		cp.Decision, cp.Status, cp.SubStatus = res.After.Decision, res.After.Status, res.After.SubStatus
		ev = &cp
	}
	ev.ReasonCodes = keepDescriptions(ev.ReasonCodes, r.sess.Evaluation().ReasonCodes)
	var warnings []string
	if r.sess.Case() != nil {
		warnings = r.sess.Case().Case().Warnings
	}
	r.sess.SetEval(ev)
	r.details.show(id, ev, warnings, r.opts.Now())
	r.details.setReasonCodes(ev.ReasonCodes)
	p.showState(ev)
	p.draft.Sent()
	p.clearDraft()
	when := ""
	if !ev.DecisionAt.IsZero() {
		when = " at " + ev.DecisionAt.Local().Format("2006-01-02 15:04")
	}
	msg := fmt.Sprintf("Recorded in %s: %s (was %s)%s.", env.Title(), stateText(res.After), stateText(res.Before), when)
	hint := ""
	if res.ReadBack {
		hint = "The answer was lost on the way back; reading the evaluation again shows the change (it was not sent twice)."
	}
	p.setResult(msg, hint, widget.SuccessImportance)
	r.bar.setStatus(msg)
	r.tabs.SelectIndex(0) // Details, scrolled to the recorded state
	r.details.revealEvaluation()
	if rq := r.queue; rq != nil {
		rq.sq.Decided[id] = ev
		if cur := rq.q.Position(); cur >= 0 {
			rq.panel.setDecided(cur, res.After)
		}
		if next {
			r.queueMove(1)
		}
	}
}

// caseChanged shows the state RiskOS reported in Details (the rest of the
// evaluation is as loaded).
func (r *review) caseChanged(ch *riskos.ChangedError) {
	if r.sess.Evaluation() == nil {
		return
	}
	cp := *r.sess.Evaluation()
	cp.Decision, cp.Status, cp.SubStatus = ch.Now.Decision, ch.Now.Status, ch.Now.SubStatus
	var warnings []string
	if r.sess.Case() != nil {
		warnings = r.sess.Case().Case().Warnings
	}
	r.details.show(r.sess.EvalID(), &cp, warnings, r.opts.Now())
	r.details.setReasonCodes(cp.ReasonCodes)
	r.decide.showState(&cp)
}

// keepDescriptions gives codes the descriptions already known in old.
func keepDescriptions(codes, old []eval.ReasonCode) []eval.ReasonCode {
	known := map[string]string{}
	for _, rc := range old {
		known[strings.ToUpper(rc.Code)] = rc.Description
	}
	out := make([]eval.ReasonCode, len(codes))
	for i, rc := range codes {
		out[i] = rc
		if rc.Description == "" {
			out[i].Description = known[strings.ToUpper(rc.Code)]
		}
	}
	return out
}

// showWriteError shows a failed write in a dialog.
func (r *review) showWriteError(title, body, hint string) {
	l := widget.NewLabel(body)
	l.Wrapping = fyne.TextWrapWord
	h := widget.NewLabel(hint)
	h.Wrapping = fyne.TextWrapWord
	h.TextStyle.Italic = true
	d := dialog.NewCustom(title, "Close", container.NewVBox(l, h), r.win)
	d.Resize(fyne.NewSize(520, 0))
	r.showDialog(d)
}

// describeWriteError says what a failed write means and what to do: what
// happened (title), the error (body) and the hint.
func describeWriteError(err error, env eval.Environment, what string) (title, body, hint string) {
	body = firstLine(err)
	var unknown *riskos.OutcomeUnknownError
	var ae *riskos.APIError
	switch {
	case errors.As(err, &unknown):
		return "Could not tell whether the " + what + " was recorded.", body,
			unknown.Hint() + " Check in RiskOS before acting again: nothing is re-sent automatically."
	case errors.Is(err, riskos.ErrInvalidWrite):
		title, hint = "The "+what+" was not sent: check it.", "Nothing was sent."
	case errors.Is(err, riskos.ErrNoCustomerID):
		title, hint = "Feedback is unavailable for this evaluation.", "RiskOS records feedback under the customer id; this evaluation has none."
	case errors.Is(err, riskos.ErrBadRequest):
		title, hint = "RiskOS refused the "+what+" (400).", "Nothing was changed. Correct what the message names, then send again."
	case errors.Is(err, riskos.ErrUnauthorized):
		title, hint = "The "+env.Title()+" API key was refused (401).", "Open Settings (Ctrl+,) and enter the "+env.Title()+" key again. Nothing was changed."
	case errors.Is(err, riskos.ErrForbidden):
		title, hint = "RiskOS refused the "+what+" (403).", "The key may lack permission for this change, or the account's IP allow-list rejected this machine: ask your Socure administrator."
	case errors.Is(err, riskos.ErrNotFound):
		title, hint = "RiskOS does not know this evaluation in "+env.Title()+" (404).", "Check the environment; nothing was changed."
	case errors.Is(err, riskos.ErrRateLimited):
		title, hint = "RiskOS is limiting requests (429).", "Nothing was changed; wait a minute and send again."
	case errors.Is(err, riskos.ErrServer):
		title, hint = "RiskOS had a problem (5xx).", "The "+what+" may or may not have been made: reload the case (Ctrl+R) and check before sending again."
	case errors.Is(err, riskos.ErrNetwork):
		title, hint = "RiskOS could not be reached.", "Check the network, reload the case (Ctrl+R) and check before sending again."
	default:
		title, hint = "The "+what+" failed.", "Reload the case (Ctrl+R) and check before sending again."
	}
	if errors.As(err, &ae) && ae.Hint != "" {
		hint = ae.Hint
		if errors.Is(err, riskos.ErrUnauthorized) {
			hint += " Open Settings (Ctrl+,) to check the key."
		}
	}
	return title, body, hint
}

// firstLine is err's text without trailing newlines (errors never hold notes).
func firstLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// attachFile asks for a file and adds it to the draft, read in the
// background (at most riskos.MaxAttachmentBytes; nothing copied to disk).
func (r *review) attachFile() {
	r.touch()
	if r.modal() || !r.decide.open {
		return
	}
	gen := r.sess.Gen()
	r.opts.OpenAttachment(r.win, func(name string, rc io.ReadCloser, err error) {
		if err != nil {
			r.decide.setResult("The file could not be opened: "+err.Error()+".", "", widget.WarningImportance)
			return
		}
		if rc == nil {
			return
		}
		r.background(func() {
			data, rerr := io.ReadAll(io.LimitReader(rc, riskos.MaxAttachmentBytes+1))
			rc.Close()
			var att riskos.Attachment
			if rerr == nil {
				att, rerr = riskos.NewAttachment(name, data)
			}
			if rerr != nil {
				clear(data)
			}
			r.opts.Do(func() {
				if gen != r.sess.Gen() || !r.decide.open {
					clear(data)
					return
				}
				if rerr != nil {
					r.decide.setResult("Not attached: "+strings.TrimPrefix(rerr.Error(), riskos.ErrInvalidWrite.Error()+": ")+".", "", widget.WarningImportance)
					return
				}
				r.decide.addAttachment(att)
			})
		})
	})
}

// openAttachmentDialog is the default Options.OpenAttachment: Fyne's file
// dialog for PDF, JPEG and PNG files.
func openAttachmentDialog(parent fyne.Window, done func(string, io.ReadCloser, error)) {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		fyne.CurrentApp().Preferences().RemoveValue("fyne:fileDialogLastFolder")
		if err != nil || rc == nil {
			done("", nil, err)
			return
		}
		done(rc.URI().Name(), rc, nil)
	}, parent)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pdf", ".jpg", ".jpeg", ".png"}))
	d.Show()
}
