package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
	"docvreview/ui/session"
)

// commonSubStatuses are offered in the sub-status box (any text may be typed).
var commonSubStatuses = []string{
	"Manual Review Complete", "Awaiting Review", "Fraud Review", "Pending Documents",
	"Escalated", "Customer Contacted", "Duplicate",
}

// draftNote tells the reviewer where the draft lives.
const draftNote = "The draft (notes, attachments) is kept in memory only: closing the case or the idle timeout drops it unsent."

// decisionPanel is the "Decision" tab beside Details: a new decision,
// status, sub-status, notes and attachments for the open case, sent only
// after a confirmation. Feedback (fraud label) starts here too.
type decisionPanel struct {
	root      fyne.CanvasObject
	current   *widget.Label // what RiskOS says now
	notFinal  *widget.Label
	decision  *widget.Select
	status    *widget.Select
	subStatus *widget.SelectEntry
	notes     *submitEntry
	attBox    *fyne.Container
	addAtt    *widget.Button
	send      *widget.Button
	sendNext  *widget.Button
	discard   *widget.Button
	result    *widget.Label
	hint      *widget.Label
	feedback  *widget.Button
	fbWhy     *widget.Label

	// draft is the session's decision draft (ui/session): its attachments
	// and whether a send reads them; the widgets above hold its text.
	draft *session.Draft
	open  bool // a case with an evaluation and its client is open

	onSend       func(next bool)
	onAttach     func()
	onFeedback   func()
	onActivity   func()
	onAttChanged func() // the attachment list changed (tests wait for it)
}

func newDecisionPanel(draft *session.Draft) *decisionPanel {
	p := &decisionPanel{draft: draft}
	act := func() {
		if p.onActivity != nil {
			p.onActivity()
		}
	}
	p.current = widget.NewLabel("")
	p.current.Wrapping = fyne.TextWrapWord
	p.current.TextStyle.Bold = true
	p.notFinal = widget.NewLabel("")
	p.notFinal.Wrapping = fyne.TextWrapWord
	p.notFinal.Importance = widget.WarningImportance
	p.decision = widget.NewSelect(riskos.Decisions(), func(string) { act() })
	p.decision.PlaceHolder = "(choose: A / J / V)"
	p.status = widget.NewSelect(riskos.CaseStatuses(), func(string) { act() })
	p.status.PlaceHolder = "(choose)"
	p.subStatus = widget.NewSelectEntry(commonSubStatuses)
	p.subStatus.SetPlaceHolder("optional")
	p.subStatus.OnChanged = func(string) { act() }
	p.notes = newSubmitEntry()
	p.notes.Wrapping = fyne.TextWrapWord
	p.notes.SetPlaceHolder("Notes for RiskOS (optional). Ctrl+Enter sends.")
	p.notes.SetMinRowsVisible(4)
	p.notes.OnChanged = func(string) { act() }
	p.notes.onSubmit = func() { p.sendPressed(false) }
	p.attBox = container.NewVBox()
	p.addAtt = widget.NewButtonWithIcon("Attach file…", theme.ContentAddIcon(), func() {
		act()
		if p.onAttach != nil {
			p.onAttach()
		}
	})
	p.send = widget.NewButtonWithIcon("Send… (Ctrl+Enter)", theme.MailSendIcon(), func() { p.sendPressed(false) })
	p.send.Importance = widget.HighImportance
	p.sendNext = widget.NewButtonWithIcon("Decide and next…", theme.NavigateNextIcon(), func() { p.sendPressed(true) })
	p.sendNext.Hide()
	p.discard = widget.NewButtonWithIcon("Discard draft", theme.ContentClearIcon(), func() {
		act()
		p.clearDraft()
		p.setResult("Draft discarded.", "", widget.MediumImportance)
	})
	p.result = widget.NewLabel("")
	p.result.Wrapping = fyne.TextWrapWord
	p.hint = widget.NewLabel("")
	p.hint.Wrapping = fyne.TextWrapWord
	p.hint.TextStyle.Italic = true
	p.feedback = widget.NewButtonWithIcon("Fraud feedback…", theme.DocumentCreateIcon(), func() {
		act()
		if p.onFeedback != nil {
			p.onFeedback()
		}
	})
	p.fbWhy = widget.NewLabel("")
	p.fbWhy.Wrapping = fyne.TextWrapWord
	p.fbWhy.Importance = widget.WarningImportance

	note := widget.NewLabel(draftNote)
	note.Wrapping = fyne.TextWrapWord
	note.SizeName = theme.SizeNameCaptionText
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Decision"), p.decision,
		widget.NewLabel("Status"), p.status,
		widget.NewLabel("Sub-status"), p.subStatus,
	)
	box := container.NewVBox(
		heading("Record a decision"), p.current, p.notFinal, form,
		widget.NewLabel("Notes"), p.notes,
		p.attBox, container.NewHBox(p.addAtt),
		p.send, p.sendNext, p.discard,
		p.result, p.hint, note,
		widget.NewSeparator(),
		heading("Fraud feedback"), container.NewHBox(p.feedback), p.fbWhy,
	)
	p.root = container.NewVScroll(box)
	p.clearCase()
	return p
}

func (p *decisionPanel) sendPressed(next bool) {
	if p.onSend != nil {
		p.onSend(next)
	}
}

// load shows the case's current state and enables the panel; feedbackWhy,
// when set, says why feedback cannot be sent.
func (p *decisionPanel) load(ev *eval.Evaluation, canWrite bool, inQueue bool, feedbackWhy string) {
	p.open = canWrite && ev != nil
	p.showState(ev)
	setVisible(p.sendNext, inQueue)
	p.fbWhy.SetText(feedbackWhy)
	setVisible(p.fbWhy, feedbackWhy != "")
	p.refreshEnabled()
}

// showState names what RiskOS says now, and marks a decision that is not final.
func (p *decisionPanel) showState(ev *eval.Evaluation) {
	if ev == nil {
		p.current.SetText("No evaluation loaded.")
		p.notFinal.Hide()
		return
	}
	p.current.SetText("RiskOS now says: " + stateText(ev.State()))
	if ev.InProgress() {
		p.notFinal.SetText("The evaluation is " + evalStatusWord(ev) + ": its current decision is not final.")
		p.notFinal.Show()
	} else {
		p.notFinal.Hide()
	}
}

// refreshEnabled enables the controls when a case is open and nothing is being sent.
func (p *decisionPanel) refreshEnabled() {
	on := p.open && !p.draft.Sending()
	for _, w := range []fyne.Disableable{p.decision, p.status, p.subStatus, p.notes, p.addAtt, p.send, p.sendNext, p.discard} {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	if p.open && !p.draft.Sending() && p.fbWhy.Text == "" {
		p.feedback.Enable()
	} else {
		p.feedback.Disable()
	}
}

// setSending marks a send in flight (the controls wait for it).
func (p *decisionPanel) setSending(on bool) {
	p.draft.SetSending(on)
	p.refreshEnabled()
}

// prefill sets the decision and the status that usually goes with it;
// nothing is sent.
func (p *decisionPanel) prefill(decision string) {
	if !p.open || p.draft.Sending() {
		return
	}
	p.decision.SetSelected(decision)
	switch decision {
	case "ACCEPT", "REJECT":
		p.status.SetSelected("CLOSED")
	case "REVIEW":
		p.status.SetSelected("OPEN")
	}
}

// change is the draft as a state change (the evaluation's workflow).
func (p *decisionPanel) change() riskos.StateChange {
	return p.draft.Change(p.decision.Selected, p.status.Selected, p.subStatus.Text, p.notes.Text)
}

// addAttachment adds a checked file to the draft.
func (p *decisionPanel) addAttachment(a riskos.Attachment) {
	p.draft.Add(a)
	p.showAttachments()
}

func (p *decisionPanel) removeAttachment(i int) {
	if p.draft.Remove(i) {
		p.showAttachments()
	}
}

func (p *decisionPanel) showAttachments() {
	p.attBox.RemoveAll()
	for i, a := range p.draft.Attachments() {
		rm := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { p.removeAttachment(i) })
		rm.Importance = widget.LowImportance
		l := widget.NewLabel(fmt.Sprintf("📎 %s (%s)", a.FileName, humanBytes(int64(len(a.Data)))))
		l.Truncation = fyne.TextTruncateEllipsis
		p.attBox.Add(container.NewBorder(nil, nil, nil, rm, l))
	}
	p.attBox.Refresh()
	if p.onAttChanged != nil {
		p.onAttChanged()
	}
}

// clearDraft empties the draft: the attachments' bytes are zeroed.
func (p *decisionPanel) clearDraft() {
	p.decision.ClearSelected()
	p.status.ClearSelected()
	p.subStatus.SetText("")
	p.notes.SetText("")
	p.draft.Clear()
	p.showAttachments()
}

// clearCase drops the draft and disables the panel (the case was closed).
func (p *decisionPanel) clearCase() {
	p.clearDraft()
	p.open = false
	p.current.SetText("No case open.")
	p.notFinal.Hide()
	p.sendNext.Hide()
	p.fbWhy.SetText("")
	p.fbWhy.Hide()
	p.setResult("", "", widget.MediumImportance)
	p.refreshEnabled()
}

// setResult shows what the last send did and what to do next.
func (p *decisionPanel) setResult(text, hint string, imp widget.Importance) {
	p.result.Importance = imp
	p.result.TextStyle.Bold = imp == widget.DangerImportance || imp == widget.SuccessImportance
	p.result.SetText(text)
	setVisible(p.result, text != "")
	p.hint.SetText(hint)
	setVisible(p.hint, hint != "")
}

// stateText is "REVIEW / OPEN (Awaiting Review)".
func stateText(s eval.CaseState) string {
	t := orDash(s.Decision) + " / " + orDash(s.Status)
	if s.SubStatus != "" {
		t += " (" + s.SubStatus + ")"
	}
	return t
}

// evalStatusWord is "paused" or "in progress".
func evalStatusWord(ev *eval.Evaluation) string {
	if ev.Paused() {
		return "paused"
	}
	return "in progress"
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}
