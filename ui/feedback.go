package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
)

// fraudTypes are the fraud types offered, as shown and as sent.
var fraudTypes = []struct{ label, value string }{
	{"synthetic identity", "synthetic"},
	{"third-party / identity theft", "third_party"},
	{"first-party", "first_party"},
	{"account takeover", "account_takeover"},
	{"document forgery", "document_forgery"},
	{"other (type it below)", "other"},
}

// feedbackForm is the fraud feedback form of the open case; its text stays
// (in memory) until it is sent or the case is closed.
type feedbackForm struct {
	label     *widget.RadioGroup
	fraudType *widget.Select
	other     *widget.Entry
	notes     *widget.Entry
	tags      *widget.Entry
	problem   *widget.Label
}

func newFeedbackForm() *feedbackForm {
	f := &feedbackForm{}
	f.label = widget.NewRadioGroup([]string{riskos.LabelFraud, riskos.LabelNonFraud}, nil)
	f.label.Horizontal = true
	var labels []string
	for _, t := range fraudTypes {
		labels = append(labels, t.label)
	}
	f.fraudType = widget.NewSelect(labels, nil)
	f.fraudType.PlaceHolder = "(optional)"
	f.other = widget.NewEntry()
	f.other.SetPlaceHolder("fraud type, when other")
	f.notes = widget.NewMultiLineEntry()
	f.notes.Wrapping = fyne.TextWrapWord
	f.notes.SetMinRowsVisible(3)
	f.notes.SetPlaceHolder("Notes (optional)")
	f.tags = widget.NewEntry()
	f.tags.SetPlaceHolder("tags, comma-separated (optional)")
	f.problem = widget.NewLabel("")
	f.problem.Wrapping = fyne.TextWrapWord
	f.problem.Importance = widget.DangerImportance
	f.problem.Hide()
	return f
}

// typeValue is the fraud type to send.
func (f *feedbackForm) typeValue() string {
	for _, t := range fraudTypes {
		if t.label == f.fraudType.Selected {
			if t.value == "other" {
				return strings.TrimSpace(f.other.Text)
			}
			return t.value
		}
	}
	return strings.TrimSpace(f.other.Text)
}

func (f *feedbackForm) tagList() []string {
	var out []string
	for _, t := range strings.Split(f.tags.Text, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// showFeedback opens the fraud feedback form for the open case.
func (r *review) showFeedback() {
	r.touch()
	if r.modal() {
		return
	}
	ev, client := r.sess.Evaluation(), r.sess.Client()
	if ev == nil || client == nil {
		r.bar.setStatus("Open a case first: feedback is recorded for its evaluation.")
		return
	}
	if why := feedbackBlocked(ev); why != "" {
		r.bar.setStatus(why)
		return
	}
	if r.feedback == nil {
		r.feedback = newFeedbackForm()
	}
	f := r.feedback
	env := client.Env()
	envObj, _ := envMarker(env)
	by := r.prefs.reviewer
	byText := by
	if by == "" {
		byText = "(not set: Settings → Your name or reviewer id)"
	}
	grid := container.New(layout.NewFormLayout(),
		bold("Environment"), envObj,
		bold("eval_id"), widget.NewLabel(r.sess.EvalID()),
		bold("Customer id"), widget.NewLabel(ev.ID),
		bold("Label"), f.label,
		bold("Fraud type"), f.fraudType,
		widget.NewLabel(""), f.other,
		bold("Notes"), f.notes,
		bold("Tags"), f.tags,
		bold("Recorded by"), widget.NewLabel(byText),
		bold("Recorded at"), widget.NewLabel(r.opts.Now().Format("2006-01-02")),
	)
	d := dialog.NewCustomConfirm("Fraud feedback", "Send feedback", "Cancel", container.NewVBox(f.problem, grid), func(ok bool) {
		if ok {
			r.sendFeedback(f, by)
		}
	}, r.win)
	d.Resize(fyne.NewSize(560, 0))
	r.showDialog(d)
}

// sendFeedback checks the form and sends it in the background; a form
// without a label opens again saying so.
func (r *review) sendFeedback(f *feedbackForm, by string) {
	ev, client, gen := r.sess.Evaluation(), r.sess.Client(), r.sess.Gen()
	if ev == nil || client == nil {
		return
	}
	if f.label.Selected == "" {
		f.problem.SetText("Choose fraud or non-fraud.")
		f.problem.Show()
		r.dialog = nil // the form is closing (its callback runs before its OnClosed)
		r.showFeedback()
		return
	}
	f.problem.Hide()
	fb := riskos.Feedback{FraudLabel: f.label.Selected, FraudType: f.typeValue(), Notes: f.notes.Text,
		RecordedBy: by, RecordedAt: r.opts.Now(), Tags: f.tagList()}
	target := &eval.Evaluation{EvalID: ev.EvalID, ID: ev.ID, Workflow: ev.Workflow}
	if target.EvalID == "" {
		target.EvalID = r.sess.EvalID()
	}
	env := client.Env()
	r.decide.setResult("Sending feedback to "+env.Title()+"…", "", widget.MediumImportance)
	r.background(func() {
		ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
		defer cancel()
		res, err := client.SendFeedback(ctx, target, fb)
		r.opts.Do(func() { r.onFeedbackSent(gen, env, target.ID, res, err) })
	})
}

// onFeedbackSent reports the feedback's outcome; the form keeps its text on
// an error.
func (r *review) onFeedbackSent(gen uint64, env eval.Environment, customerID string, res *riskos.FeedbackResult, err error) {
	if err != nil {
		title, body, hint := describeWriteError(err, env, "feedback")
		r.bar.setStatus(title)
		if gen == r.sess.Gen() {
			r.decide.setResult(title+" "+body, hint+" The form keeps what you typed.", widget.DangerImportance)
			r.showWriteError(title, body, hint)
		}
		return
	}
	msg := fmt.Sprintf("Feedback recorded in %s for customer id %s: %s", env.Title(), customerID, res.Sent.FraudLabel)
	if res.Sent.FraudType != "" {
		msg += " (" + res.Sent.FraudType + ")"
	}
	msg += "."
	hint := ""
	if res.Message != "" {
		hint = "RiskOS: \u201c" + res.Message + "\u201d"
	}
	r.bar.setStatus(msg)
	if gen == r.sess.Gen() {
		r.feedback = nil
		r.decide.setResult(msg, hint, widget.SuccessImportance)
	}
}
