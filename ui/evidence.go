package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/casefile"
)

// Placeholders of the panes.
const (
	msgNoCase   = "No case open."
	msgLoading  = "Downloading…"
	msgNoFront  = "No front image in this case."
	msgNoBack   = "No back image in this case — passports have one side."
	msgNoSelfie = "No selfie in this case."
)

// evidenceView shows the ID front, ID back and selfie side by side, and a
// strip of buttons for the other images (earlier captures, extra images).
type evidenceView struct {
	panes     [3]*imagePane
	grid      *fyne.Container // the panes, placed by evidenceLayout
	extras    *fyne.Container
	extrasBar *fyne.Container
	root      fyne.CanvasObject

	onInspect  func(e *casefile.Entry, title string)
	onResize   func()
	onActivity func()

	decoded     int    // decode results applied (tests wait on it)
	arrangement string // the panes' last arrangement (arrange* names)
}

func newEvidenceView() *evidenceView {
	v := &evidenceView{}
	roles := []casefile.Role{casefile.RoleFront, casefile.RoleBack, casefile.RoleSelfie}
	grid := container.New(&evidenceLayout{v: v})
	v.grid = grid
	for i, role := range roles {
		p := newImagePane(role, fmt.Sprint(i+1))
		p.onTap = v.tapped
		p.onResize = func() {
			if v.onResize != nil {
				v.onResize()
			}
		}
		p.onActivity = func() {
			if v.onActivity != nil {
				v.onActivity()
			}
		}
		v.panes[i] = p
		grid.Add(p)
	}
	v.extras = container.NewHBox()
	v.extrasBar = container.NewBorder(nil, nil,
		widget.NewLabelWithStyle("Other images:", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil,
		container.NewHScroll(v.extras))
	v.extrasBar.Hide()
	v.root = container.NewBorder(nil, v.extrasBar, nil, nil, grid)
	v.clear()
	return v
}

func (v *evidenceView) tapped(p *imagePane) {
	if v.onActivity != nil {
		v.onActivity()
	}
	if p.inspectable() && v.onInspect != nil {
		v.onInspect(p.entry, paneTitle(p))
	}
}

// paneTitle heads the inspector: the role and capture, never a name.
func paneTitle(p *imagePane) string {
	if p.captures > 1 && p.entry.Capture > 0 {
		return fmt.Sprintf("%s — capture %d of %d", roleTitle(p.role), p.entry.Capture, p.captures)
	}
	return roleTitle(p.role)
}

// area is the image area of the largest pane.
func (v *evidenceView) area() fyne.Size {
	var best fyne.Size
	for _, p := range v.panes {
		if a := p.areaSize; a.Width*a.Height > best.Width*best.Height {
			best = a
		}
	}
	return best
}

// relayout places the panes again for the images they now hold.
func (v *evidenceView) relayout() {
	v.grid.Refresh()
}

// clear empties every pane.
func (v *evidenceView) clear() {
	for _, p := range v.panes {
		p.clear(msgNoCase)
	}
	v.relayout()
	v.setExtras(nil)
	v.decoded = 0
}

// showLoading shows the panes waiting for a download.
func (v *evidenceView) showLoading() {
	for _, p := range v.panes {
		p.clear(msgLoading)
	}
	v.relayout()
	v.setExtras(nil)
	v.decoded = 0
}

// setCase puts the case's primary front, back and selfie in the panes and
// lists every other image in the strip.
func (v *evidenceView) setCase(c *casefile.Case) {
	missing := []string{msgNoFront, msgNoBack, msgNoSelfie}
	shown := map[*casefile.Entry]bool{}
	for i, p := range v.panes {
		e := c.Primary(p.role)
		p.setEntry(e, len(c.ByRole(p.role)), missing[i])
		if e != nil {
			shown[e] = true
		}
	}
	v.relayout()
	var extras []*casefile.Entry
	for _, e := range c.Images() {
		if !shown[e] {
			extras = append(extras, e)
		}
	}
	v.setExtras(extras)
}

// setExtras lists the images that have no pane of their own.
func (v *evidenceView) setExtras(list []*casefile.Entry) {
	v.extras.RemoveAll()
	for _, e := range list {
		v.extras.Add(v.extraButton(e))
	}
	if len(list) == 0 {
		v.extrasBar.Hide()
	} else {
		v.extrasBar.Show()
	}
	v.extrasBar.Refresh()
}

func (v *evidenceView) extraButton(e *casefile.Entry) *widget.Button {
	label := extraLabel(e)
	if e.Err != nil || e.Data == nil {
		b := widget.NewButtonWithIcon(label+" — unreadable", theme.ErrorIcon(), nil)
		b.Disable()
		return b
	}
	title := roleTitle(e.Role)
	if e.Capture > 0 {
		title += fmt.Sprintf(" — capture %d", e.Capture)
	}
	return widget.NewButtonWithIcon(label, theme.ZoomInIcon(), func() {
		if v.onActivity != nil {
			v.onActivity()
		}
		if v.onInspect != nil {
			v.onInspect(e, title)
		}
	})
}

// extraLabel names an image of the strip: its role, capture and size.
func extraLabel(e *casefile.Entry) string {
	s := roleTitle(e.Role)
	if e.Role == casefile.RoleImage {
		s += " " + e.Name
	} else if e.Capture > 0 {
		s += fmt.Sprintf(" capture %d", e.Capture)
	}
	return s + " · " + humanBytes(e.Size)
}

// panesWithImages lists the panes that have an image to decode.
func (v *evidenceView) panesWithImages() []*imagePane {
	var list []*imagePane
	for _, p := range v.panes {
		if p.inspectable() {
			list = append(list, p)
		}
	}
	return list
}
