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
//
// Its widgets live as long as the window: rows are reused from case to
// case and blanked on clear, so no case's text lingers in widgets (or in
// their cached renderers) after it, and opening cases does not pile up
// widgets.
type checksPanel struct {
	root       *fyne.Container
	status     *widget.Label
	findings   *fyne.Container
	rows       []*findingRow
	tableTitle *widget.Label
	grid       *fyne.Container
	cells      [][3]*widget.Label // the table's rows after its heading row
	table      *fyne.Container

	shown checksSummary // what is on screen (tests read it)

	onInspect func(e *casefile.Entry, title string)
}

// findingRow is one reusable line of findings.
type findingRow struct {
	root   *fyne.Container
	label  *widget.Label
	button *widget.Button
	f      finding
}

func newChecksPanel() *checksPanel {
	c := &checksPanel{}
	c.status = widget.NewLabel("")
	c.status.Wrapping = fyne.TextWrapWord
	c.findings = container.NewVBox()
	c.tableTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.tableTitle.Wrapping = fyne.TextWrapWord
	c.grid = container.New(layout.NewGridLayoutWithColumns(3))
	for _, h := range []string{"Field", "Barcode", "Document data"} {
		c.grid.Add(widget.NewLabelWithStyle(h, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	c.table = container.NewVBox(c.tableTitle, c.grid)
	c.root = container.NewVBox(heading("Checks"), c.status, c.findings)
	c.clear()
	return c
}

// attachChecks puts the Checks section in Details: its findings at the top,
// under the raised flags, where an investigator sees them first, and the long
// barcode table at the end, so the document data and the decision stay in
// view.
func attachChecks(d *detailsPanel, c *checksPanel) {
	objs := d.box.Objects
	at := len(objs)
	for i, o := range objs {
		if o == d.warn {
			at = i + 1
		}
	}
	out := append([]fyne.CanvasObject{}, objs[:at]...)
	out = append(out, c.root)
	out = append(out, objs[at:]...)
	d.box.Objects = append(out, c.table)
	d.box.Refresh()
}

// clear blanks and hides everything the last case put there.
func (c *checksPanel) clear() {
	for _, r := range c.rows {
		r.f = finding{}
		r.label.SetText("")
		r.root.Hide()
	}
	for _, row := range c.cells {
		for _, l := range row {
			l.SetText("")
			l.Hide()
		}
	}
	c.tableTitle.SetText("")
	c.table.Hide()
	c.shown = checksSummary{}
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

// show replaces the section's content with s. Only what changed is
// refreshed: the section is shown again after every checked image, and a
// wrapped label shapes its text again on every refresh.
func (c *checksPanel) show(s checksSummary) {
	c.shown = s
	c.status.SetText(msgChecksRunning)
	setVisible(c.status, s.running)
	for k, f := range s.findings {
		r := c.row(k)
		r.f = f
		setLabel(r.label, f.text, f.imp, f.imp == widget.DangerImportance)
		setVisible(r.button, f.entry != nil)
		r.root.Show()
	}
	for _, r := range c.rows[len(s.findings):] {
		r.f = finding{}
		setLabel(r.label, "", widget.MediumImportance, false)
		r.root.Hide()
	}
	rows := 0
	if t := s.table; t != nil {
		rows = len(t.rows)
		c.tableTitle.SetText(t.title)
		for k, row := range t.rows {
			imp := widget.MediumImportance
			name := row.field
			if row.mismatch {
				imp = widget.DangerImportance
				name = "⚠ " + name
			}
			for j, v := range []string{name, dash(row.barcode), dash(row.document)} {
				l := c.cell(k, j)
				setLabel(l, v, imp, row.mismatch)
				l.Show()
			}
		}
		c.table.Show()
	} else {
		c.tableTitle.SetText("")
		c.table.Hide()
	}
	for _, row := range c.cells[min(rows, len(c.cells)):] {
		for _, l := range row {
			setLabel(l, "", widget.MediumImportance, false)
			l.Hide()
		}
	}
	c.root.Show()
}

// row returns the k-th finding row, made on first use.
func (c *checksPanel) row(k int) *findingRow {
	for len(c.rows) <= k {
		r := &findingRow{label: widget.NewLabel("")}
		r.label.Wrapping = fyne.TextWrapWord
		r.button = widget.NewButtonWithIcon("Inspect", theme.ZoomInIcon(), func() {
			if r.f.entry != nil && c.onInspect != nil {
				c.onInspect(r.f.entry, r.f.title)
			}
		})
		r.button.Importance = widget.LowImportance
		r.root = container.NewBorder(nil, nil, nil, r.button, r.label)
		c.rows = append(c.rows, r)
		c.findings.Add(r.root)
	}
	return c.rows[k]
}

// cell returns column j of the table's k-th row, made on first use.
func (c *checksPanel) cell(k, j int) *widget.Label {
	for len(c.cells) <= k {
		var row [3]*widget.Label
		for n := range row {
			row[n] = widget.NewLabel("")
			row[n].Wrapping = fyne.TextWrapWord
			c.grid.Add(row[n])
		}
		c.cells = append(c.cells, row)
	}
	return c.cells[k][j]
}

// setLabel sets l's text and style, refreshing it only when they change.
func setLabel(l *widget.Label, s string, imp widget.Importance, bold bool) {
	if l.Text == s && l.Importance == imp && l.TextStyle.Bold == bold {
		return
	}
	l.Importance = imp
	l.TextStyle.Bold = bold
	l.SetText(s)
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
