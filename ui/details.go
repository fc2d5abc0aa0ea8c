package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/eval"
)

// Flags the details panel raises (tests read them).
const (
	flagExpired = "expired"
	flagMinor   = "minor"
)

// detailsPanel is the evaluation summary next to the images: decision,
// status, queues, tags, the DocV result and the document data, so the
// reviewer can compare what DocV read with what the card shows.
//
// Its labels live as long as the window and are emptied on close, so no
// case's text lingers in widgets (or their cached renderers) after it.
type detailsPanel struct {
	box    *fyne.Container
	root   fyne.CanvasObject
	note   *widget.Label
	idRow  *fyne.Container
	evalID *widget.Label
	alerts *widget.Label // the raised flags, at the top where they are seen
	warn   *fyne.Container
	eval   *fyne.Container
	docv   *fyne.Container
	data   *fyne.Container
	values map[string]*widget.Label
	flags  []string // raised flags of the case shown

	onCopyEvalID func()
}

// Rows of the panel, by section.
var (
	evalRows = []string{"Decision", "Status", "Sub-status", "Eval status", "Decided at", "Notes", "Score", "Queues", "Tags", "Workflow", "Environment name"}
	docvRows = []string{"Type", "Country", "State", "DocV decision", "Attempt", "Reason codes"}
	dataRows = []string{"Name", "Date of birth", "Document number", "Expires", "Issued", "Address"}
)

func newDetailsPanel() *detailsPanel {
	d := &detailsPanel{values: map[string]*widget.Label{}}
	d.note = widget.NewLabel("")
	d.note.Wrapping = fyne.TextWrapWord
	copyBtn := widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() {
		if d.onCopyEvalID != nil {
			d.onCopyEvalID()
		}
	})
	copyBtn.Importance = widget.LowImportance
	d.evalID = widget.NewLabel("")
	d.evalID.Truncation = fyne.TextTruncateEllipsis
	d.idRow = container.NewBorder(nil, nil, bold("eval_id"), copyBtn, d.evalID)
	d.alerts = widget.NewLabel("")
	d.alerts.Wrapping = fyne.TextWrapWord
	d.alerts.Importance = widget.DangerImportance
	d.alerts.TextStyle.Bold = true
	d.warn = container.NewVBox()
	d.eval = d.section("Evaluation", evalRows)
	d.docv = d.section("Document verification", docvRows)
	d.data = d.section("Document data", dataRows)
	d.box = container.NewVBox(d.note, d.idRow, d.alerts, d.warn, d.data, d.eval, d.docv)
	d.root = container.NewVScroll(d.box)
	d.clear()
	return d
}

// revealEvaluation scrolls the panel to the Evaluation section (decision,
// status, notes), as after a recorded decision.
func (d *detailsPanel) revealEvaluation() {
	if sc, ok := d.root.(*container.Scroll); ok {
		sc.ScrollToOffset(fyne.NewPos(0, d.eval.Position().Y))
	}
}

// section is a heading over a form of name/value rows.
func (d *detailsPanel) section(title string, rows []string) *fyne.Container {
	f := container.New(layout.NewFormLayout())
	for _, name := range rows {
		v := widget.NewLabel("")
		v.Wrapping = fyne.TextWrapWord
		d.values[name] = v
		f.Add(widget.NewLabelWithStyle(name, fyne.TextAlignTrailing, fyne.TextStyle{}))
		f.Add(v)
	}
	return container.NewVBox(heading(title), f)
}

// clear empties every label and hides the sections.
func (d *detailsPanel) clear() {
	d.flags = nil
	for _, v := range d.values {
		d.setValue(v, "", widget.MediumImportance)
	}
	d.evalID.SetText("")
	d.alerts.SetText("")
	d.warn.RemoveAll()
	for _, o := range []fyne.CanvasObject{d.idRow, d.alerts, d.warn, d.eval, d.docv, d.data} {
		o.Hide()
	}
	d.setNote("No case open.")
}

func (d *detailsPanel) setNote(s string) {
	d.note.SetText(s)
	setVisible(d.note, s != "")
}

// set fills one row; an empty value shows as a dash.
func (d *detailsPanel) set(name, value string, imp widget.Importance) {
	if value == "" {
		value = "—"
	}
	d.setValue(d.values[name], value, imp)
}

func (d *detailsPanel) setValue(v *widget.Label, value string, imp widget.Importance) {
	v.Importance = imp
	v.TextStyle.Bold = imp == widget.DangerImportance
	v.SetText(value)
}

// show fills the panel; ev may be nil (summary not fetched). now is the
// clock for the age and expiry checks.
func (d *detailsPanel) show(evalID string, ev *eval.Evaluation, warnings []string, now time.Time) {
	d.clear()
	d.setNote("")
	d.evalID.SetText(evalID)
	d.idRow.Show()
	if len(warnings) > 0 {
		d.warn.Add(heading("Warnings"))
		for _, w := range warnings {
			l := widget.NewLabel("⚠ " + w)
			l.Wrapping = fyne.TextWrapWord
			l.Importance = widget.WarningImportance
			d.warn.Add(l)
		}
		d.warn.Show()
	}
	if ev == nil {
		d.setNote("The evaluation summary could not be fetched; only the documents are shown.")
		d.box.Refresh()
		return
	}

	d.showState(ev)
	score := ""
	if ev.Score != nil {
		score = strconv.FormatFloat(*ev.Score, 'f', -1, 64)
	}
	d.set("Score", score, widget.MediumImportance)
	d.set("Queues", strings.Join(ev.ReviewQueues, ", "), widget.MediumImportance)
	d.set("Tags", strings.Join(ev.Tags, ", "), widget.MediumImportance)
	d.set("Workflow", ev.Workflow, widget.MediumImportance)
	d.set("Environment name", ev.EnvironmentName, widget.MediumImportance)
	d.eval.Show()

	dv := ev.DocV
	if dv == nil {
		d.setNote("The evaluation has no document verification result.")
		d.box.Refresh()
		return
	}
	d.set("Type", dv.DocumentType.Type, widget.MediumImportance)
	d.set("Country", dv.DocumentType.Country, widget.MediumImportance)
	d.set("State", dv.DocumentType.State, widget.MediumImportance)
	dec := dv.Decision.Value
	if dv.Decision.Name != "" && dec != "" {
		dec += " (" + dv.Decision.Name + ")"
	}
	d.set("DocV decision", dec, decisionImportance(dv.Decision.Value))
	d.set("Attempt", attemptText(ev.DocVAttempts), widget.MediumImportance)
	codes := ev.ReasonCodes
	if len(codes) == 0 {
		for _, c := range dv.ReasonCodes {
			codes = append(codes, eval.ReasonCode{Code: c})
		}
	}
	d.setReasonCodes(codes)
	d.docv.Show()

	dd := dv.Data
	d.set("Name", dd.Name(), widget.MediumImportance)
	dob, dobImp := dd.DOB, widget.MediumImportance
	// The age when the evaluation ran: the rule RiskOS applies to minors.
	if age, ok := ev.AgeAtEvaluation(now); ok {
		dob = fmt.Sprintf("%s (age %d when evaluated)", dd.DOB, age)
		if age < 18 {
			dob = fmt.Sprintf("⚠ %s (age %d when evaluated — UNDER 18)", dd.DOB, age)
			dobImp = widget.DangerImportance
			d.flags = append(d.flags, flagMinor)
		}
	}
	d.set("Date of birth", dob, dobImp)
	d.set("Document number", dd.DocumentNumber, widget.MediumImportance)
	exp, expImp := dd.ExpirationDate, widget.MediumImportance
	if dd.ExpiredAt(now) {
		exp = "⚠ " + dd.ExpirationDate + " — EXPIRED"
		expImp = widget.DangerImportance
		d.flags = append(d.flags, flagExpired)
	}
	d.set("Expires", exp, expImp)
	d.set("Issued", dd.IssueDate, widget.MediumImportance)
	d.set("Address", dd.Address, widget.MediumImportance)
	d.data.Show()
	var alerts []string
	for _, f := range d.flags {
		switch f {
		case flagMinor:
			alerts = append(alerts, "⚠ UNDER 18: the date of birth made the consumer a minor when the evaluation ran.")
		case flagExpired:
			alerts = append(alerts, "⚠ EXPIRED: the document had expired.")
		}
	}
	d.alerts.SetText(strings.Join(alerts, "\n"))
	setVisible(d.alerts, len(alerts) > 0)
	d.box.Refresh()
}

// showState fills the rows a decision changes: decision, status,
// sub-status, eval_status (marked "not final" while paused or in
// progress), decision_at and the notes.
func (d *detailsPanel) showState(ev *eval.Evaluation) {
	dec := ev.Decision
	if ev.InProgress() && dec != "" {
		dec += " (not final)"
	}
	d.set("Decision", dec, decisionImportance(ev.Decision))
	d.set("Status", ev.Status, widget.MediumImportance)
	d.set("Sub-status", ev.SubStatus, widget.MediumImportance)
	es, esImp := ev.EvalStatus, widget.MediumImportance
	if ev.InProgress() {
		es = "⚠ " + es + " — not final"
		if ev.Paused() {
			es += ": the evaluation is paused (e.g. waiting for the document capture)"
		}
		esImp = widget.WarningImportance
	}
	d.set("Eval status", es, esImp)
	at := ""
	if !ev.DecisionAt.IsZero() {
		at = ev.DecisionAt.Local().Format("2006-01-02 15:04:05 MST")
	}
	d.set("Decided at", at, widget.MediumImportance)
	d.set("Notes", ev.Notes, widget.MediumImportance)
}

// setReasonCodes shows the current DocV attempt's reason codes, one a
// line, with their descriptions when known ("R810 — …").
func (d *detailsPanel) setReasonCodes(codes []eval.ReasonCode) {
	lines := make([]string, 0, len(codes))
	for _, rc := range codes {
		if rc.Description != "" {
			lines = append(lines, rc.Code+" — "+rc.Description)
		} else {
			lines = append(lines, rc.Code)
		}
	}
	d.set("Reason codes", strings.Join(lines, "\n"), widget.MediumImportance)
}

// attemptText is "attempt 2 of 2" when the evaluation holds several DocV
// results (the last one is shown), else "".
func attemptText(n int) string {
	if n < 2 {
		return ""
	}
	return fmt.Sprintf("attempt %d of %d (the latest is shown)", n, n)
}

func heading(s string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

func bold(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// decisionImportance colours a decision: reject red, review amber, accept green.
func decisionImportance(s string) widget.Importance {
	switch strings.ToUpper(s) {
	case "REJECT", "DECLINE", "FAIL":
		return widget.DangerImportance
	case "REVIEW", "REFER", "RESUBMIT":
		return widget.WarningImportance
	case "ACCEPT", "APPROVE", "PASS":
		return widget.SuccessImportance
	}
	return widget.MediumImportance
}
