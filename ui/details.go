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

	"docvreview/fetch"
)

// Flags the details panel raises (tests read them).
const (
	flagExpired = "expired"
	flagMinor   = "minor"
)

// detailsPanel is the evaluation summary next to the images: decision,
// status, queues, tags, the DocV result and the document data, so the
// reviewer can compare what DocV read with what the card shows.
type detailsPanel struct {
	box  *fyne.Container
	root fyne.CanvasObject

	flags []string // raised flags of the case shown

	onCopyEvalID func()
}

func newDetailsPanel() *detailsPanel {
	d := &detailsPanel{box: container.NewVBox()}
	d.root = container.NewVScroll(d.box)
	d.clear()
	return d
}

// clear empties the panel.
func (d *detailsPanel) clear() {
	d.flags = nil
	d.box.Objects = []fyne.CanvasObject{widget.NewLabel("No case open.")}
	d.box.Refresh()
}

// show fills the panel; ev may be nil (summary not fetched). now is the
// clock for the age and expiry checks.
func (d *detailsPanel) show(evalID string, ev *fetch.Evaluation, warnings []string, now time.Time) {
	d.flags = nil
	var objs []fyne.CanvasObject
	copyBtn := widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() {
		if d.onCopyEvalID != nil {
			d.onCopyEvalID()
		}
	})
	copyBtn.Importance = widget.LowImportance
	idLabel := widget.NewLabel(evalID)
	idLabel.Truncation = fyne.TextTruncateEllipsis
	objs = append(objs, container.NewBorder(nil, nil, bold("eval_id"), copyBtn, idLabel))

	if len(warnings) > 0 {
		objs = append(objs, heading("Warnings"))
		for _, w := range warnings {
			l := widget.NewLabel("⚠ " + w)
			l.Wrapping = fyne.TextWrapWord
			l.Importance = widget.WarningImportance
			objs = append(objs, l)
		}
	}

	if ev == nil {
		l := widget.NewLabel("The evaluation summary could not be fetched; only the documents are shown.")
		l.Wrapping = fyne.TextWrapWord
		objs = append(objs, l)
		d.set(objs)
		return
	}

	objs = append(objs, heading("Evaluation"))
	rows := form()
	addRow(rows, "Decision", ev.Decision, decisionImportance(ev.Decision))
	addRow(rows, "Status", ev.Status, widget.MediumImportance)
	addRow(rows, "Sub-status", ev.SubStatus, widget.MediumImportance)
	if ev.Score != nil {
		addRow(rows, "Score", strconv.FormatFloat(*ev.Score, 'f', -1, 64), widget.MediumImportance)
	}
	addRow(rows, "Queues", strings.Join(ev.ReviewQueues, ", "), widget.MediumImportance)
	addRow(rows, "Tags", strings.Join(ev.Tags, ", "), widget.MediumImportance)
	addRow(rows, "Workflow", ev.Workflow, widget.MediumImportance)
	objs = append(objs, rows)

	if dv := ev.DocV; dv != nil {
		objs = append(objs, heading("Document verification"))
		rows := form()
		addRow(rows, "Type", dv.DocumentType.Type, widget.MediumImportance)
		addRow(rows, "Country", dv.DocumentType.Country, widget.MediumImportance)
		addRow(rows, "State", dv.DocumentType.State, widget.MediumImportance)
		dec := dv.Decision.Value
		if dv.Decision.Name != "" && dec != "" {
			dec += " (" + dv.Decision.Name + ")"
		}
		addRow(rows, "DocV decision", dec, decisionImportance(dv.Decision.Value))
		addRow(rows, "Reason codes", strings.Join(dv.ReasonCodes, ", "), widget.MediumImportance)
		objs = append(objs, rows)

		objs = append(objs, heading("Document data"))
		rows = form()
		dd := dv.Data
		addRow(rows, "Name", dd.Name(), widget.MediumImportance)
		dob, dobImp := dd.DOB, widget.MediumImportance
		if age, ok := dd.AgeAt(now); ok {
			dob = fmt.Sprintf("%s (age %d)", dd.DOB, age)
			if age < 18 {
				dob = fmt.Sprintf("⚠ %s (age %d — UNDER 18)", dd.DOB, age)
				dobImp = widget.DangerImportance
				d.flags = append(d.flags, flagMinor)
			}
		}
		addRow(rows, "Date of birth", dob, dobImp)
		addRow(rows, "Document number", dd.DocumentNumber, widget.MediumImportance)
		exp, expImp := dd.ExpirationDate, widget.MediumImportance
		if dd.ExpiredAt(now) {
			exp = "⚠ " + dd.ExpirationDate + " — EXPIRED"
			expImp = widget.DangerImportance
			d.flags = append(d.flags, flagExpired)
		}
		addRow(rows, "Expires", exp, expImp)
		addRow(rows, "Issued", dd.IssueDate, widget.MediumImportance)
		addRow(rows, "Address", dd.Address, widget.MediumImportance)
		objs = append(objs, rows)
	} else {
		l := widget.NewLabel("The evaluation has no document verification result.")
		l.Wrapping = fyne.TextWrapWord
		objs = append(objs, l)
	}
	d.set(objs)
}

func (d *detailsPanel) set(objs []fyne.CanvasObject) {
	d.box.Objects = objs
	d.box.Refresh()
}

func heading(s string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

func bold(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func form() *fyne.Container { return container.New(layout.NewFormLayout()) }

// addRow adds "name: value"; an empty value shows as a dash.
func addRow(c *fyne.Container, name, value string, imp widget.Importance) {
	if value == "" {
		value = "—"
	}
	v := widget.NewLabel(value)
	v.Wrapping = fyne.TextWrapWord
	v.Importance = imp
	if imp == widget.DangerImportance {
		v.TextStyle.Bold = true
	}
	c.Add(widget.NewLabelWithStyle(name, fyne.TextAlignTrailing, fyne.TextStyle{}))
	c.Add(v)
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
