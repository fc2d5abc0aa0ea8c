package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/casefile"
)

// checksPanel is the Checks section of Details: what the evidence checks
// found, each finding with a button that inspects its image, and the ID
// back's barcode beside the document data.
type checksPanel struct {
	root     *fyne.Container
	status   *widget.Label
	findings *fyne.Container
	table    *fyne.Container
	labels   []*widget.Label // the labels made for a case, blanked on clear

	shown checksSummary // what is on screen (tests read it)

	onInspect func(e *casefile.Entry, title string)
}

func newChecksPanel() *checksPanel {
	c := &checksPanel{}
	c.status = widget.NewLabel("")
	c.status.Wrapping = fyne.TextWrapWord
	c.findings = container.NewVBox()
	c.table = container.NewVBox()
	c.root = container.NewVBox(heading("Checks"), c.status, c.findings, c.table)
	c.clear()
	return c
}

// attachChecks puts the Checks section in Details, under the document data.
func attachChecks(d *detailsPanel, c *checksPanel) {
	objs := d.box.Objects
	at := len(objs)
	for i, o := range objs {
		if o == d.data {
			at = i + 1
		}
	}
	out := append([]fyne.CanvasObject{}, objs[:at]...)
	out = append(out, c.root)
	d.box.Objects = append(out, objs[at:]...)
	d.box.Refresh()
}

// clear blanks and removes everything the last case put there.
func (c *checksPanel) clear() {
	for _, l := range c.labels {
		l.SetText("")
	}
	c.labels = nil
	c.shown = checksSummary{}
	c.findings.RemoveAll()
	c.table.RemoveAll()
	c.status.SetText("")
	c.root.Hide()
}

// showRunning says the checks are on their way.
func (c *checksPanel) showRunning() {
	c.clear()
	c.status.SetText(msgChecksRunning)
	c.status.Show()
	c.root.Show()
}

// show replaces the section's content with s.
func (c *checksPanel) show(s checksSummary) {
	c.clear()
	c.shown = s
	c.status.SetText(msgChecksRunning)
	setVisible(c.status, s.running)
	for _, f := range s.findings {
		c.findings.Add(c.findingRow(f))
	}
	if t := s.table; t != nil {
		c.table.Add(widget.NewLabelWithStyle(t.title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		grid := container.New(layout.NewGridLayoutWithColumns(3))
		for _, h := range []string{"Field", "Barcode", "Document data"} {
			grid.Add(widget.NewLabelWithStyle(h, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		}
		for _, row := range t.rows {
			imp := widget.MediumImportance
			name := row.field
			if row.mismatch {
				imp = widget.DangerImportance
				name = "⚠ " + name
			}
			grid.Add(c.label(name, imp, row.mismatch))
			grid.Add(c.label(dash(row.barcode), imp, row.mismatch))
			grid.Add(c.label(dash(row.document), imp, row.mismatch))
		}
		c.table.Add(grid)
	}
	c.root.Show()
	c.root.Refresh()
}

// findingRow is a finding's text, with an Inspect button when it concerns
// an image.
func (c *checksPanel) findingRow(f finding) fyne.CanvasObject {
	l := c.label(f.text, f.imp, f.imp == widget.DangerImportance)
	if f.entry == nil {
		return l
	}
	e, title := f.entry, f.title
	b := widget.NewButtonWithIcon("Inspect", theme.ZoomInIcon(), func() {
		if c.onInspect != nil {
			c.onInspect(e, title)
		}
	})
	b.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, nil, b, l)
}

// label makes a wrapping label the panel blanks on clear.
func (c *checksPanel) label(s string, imp widget.Importance, bold bool) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = imp
	l.TextStyle.Bold = bold
	c.labels = append(c.labels, l)
	return l
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
