package ui

import (
	"errors"
	"fmt"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/casefile"
	"docvreview/imaging"
)

// imagePane shows one image of the case (front, back or selfie) with its
// caption, or a placeholder that says why there is none. The canvas.Image
// lives as long as the pane; a case only swaps its pixels in and out.
type imagePane struct {
	widget.BaseWidget

	role    casefile.Role
	key     string // the key that inspects it: "1", "2", "3"
	bg      *canvas.Rectangle
	img     *canvas.Image
	msg     *widget.Label
	title   *widget.Label
	caption *widget.Label

	onTap      func(*imagePane)
	onResize   func()
	onActivity func()

	areaSize fyne.Size // last laid-out image area (logical)

	// case state
	entry      *casefile.Entry  // nil when the role is absent
	captures   int              // how many entries the role has
	display    *imaging.Display // nil until decoded
	err        error            // decode error
	seq        int              // decode requests issued; stale results are dropped
	boxW, boxH int              // the box (physical px) display was decoded for
	shape      float64          // width/height of the upright image; 0 = unknown
}

func newImagePane(role casefile.Role, key string) *imagePane {
	p := &imagePane{role: role, key: key}
	p.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	p.img = canvas.NewImageFromImage(nil)
	p.img.FillMode = canvas.ImageFillContain
	// The display is already area-averaged to fit the pane in physical
	// pixels, so the GPU draws it at about 1:1. ImageScaleSmooth would
	// have Fyne resample it on the CPU into a texture the size of the whole
	// pane first (Catmull-Rom, with a scratch buffer of 32 bytes per
	// output column per source row: about 18 MB for one pane).
	p.img.ScaleMode = canvas.ImageScaleFastest
	p.msg = widget.NewLabel("")
	p.msg.Wrapping = fyne.TextWrapWord
	p.msg.Alignment = fyne.TextAlignCenter
	p.title = widget.NewLabelWithStyle(roleTitle(role), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.title.Truncation = fyne.TextTruncateEllipsis
	p.caption = widget.NewLabel("")
	p.caption.Truncation = fyne.TextTruncateEllipsis
	p.caption.SizeName = theme.SizeNameCaptionText
	p.ExtendBaseWidget(p)
	return p
}

func roleTitle(r casefile.Role) string {
	switch r {
	case casefile.RoleFront:
		return "ID front"
	case casefile.RoleBack:
		return "ID back"
	case casefile.RoleSelfie:
		return "Selfie"
	}
	return "Image"
}

// clear empties the pane and shows msg.
func (p *imagePane) clear(msg string) {
	p.entry, p.display, p.err, p.captures, p.shape = nil, nil, nil, 0, 0
	p.seq++
	p.img.Image = nil
	p.img.Refresh()
	p.title.SetText(roleTitle(p.role))
	p.caption.SetText("")
	p.setMessage(msg)
}

// setEntry puts a case entry in the pane, waiting to be decoded.
func (p *imagePane) setEntry(e *casefile.Entry, captures int, missing string) {
	p.clear("")
	p.entry, p.captures = e, captures
	title := roleTitle(p.role)
	if e != nil && captures > 1 {
		title = fmt.Sprintf("%s — capture %d of %d", title, e.Capture, captures)
	}
	p.title.SetText(title + "  [" + p.key + "]")
	switch {
	case e == nil:
		p.title.SetText(roleTitle(p.role))
		p.setMessage(missing)
	case e.Err != nil:
		p.err = e.Err
		p.caption.SetText(e.Name + " · " + humanBytes(e.Size))
		p.setMessage(entryProblem(e.Err))
	default:
		p.caption.SetText(e.Name + " · " + humanBytes(e.Size))
		p.setMessage("Decoding…")
		// The header only (no pixels): the layout needs the shape before
		// the decode, so that the image is decoded for its final pane.
		if info, err := imaging.Probe(e.Data); err == nil {
			p.shape = infoShape(info)
		}
	}
}

// Typical shapes (width/height) of each role, used until the image's own
// is known: an ID-1 card, a portrait phone photo.
const (
	cardShape   = 85.6 / 53.98
	selfieShape = 3.0 / 4.0
)

// aspect is the shape of the pane's image: its own when known, else the
// role's typical one.
func (p *imagePane) aspect() float64 {
	if p.shape > 0 {
		return p.shape
	}
	switch p.role {
	case casefile.RoleFront, casefile.RoleBack:
		return cardShape
	case casefile.RoleSelfie:
		return selfieShape
	}
	return 1
}

// infoShape is the upright width/height of an image; 0 when unknown.
func infoShape(info imaging.Info) float64 {
	w, h := info.OrientedSize()
	if w <= 0 || h <= 0 {
		return 0
	}
	return float64(w) / float64(h)
}

// setDecoded shows a decoded image, or the reason it could not be decoded.
func (p *imagePane) setDecoded(d *imaging.Display, err error, scale float32) {
	if err != nil || d == nil {
		if err == nil {
			err = imaging.ErrCorrupt
		}
		p.err = err
		p.display = nil
		p.img.Image = nil
		p.img.Refresh()
		p.setMessage(decodeProblem(err))
		return
	}
	p.err = nil
	p.display = d
	p.img.Image = d.Image
	p.img.Refresh()
	p.setMessage("")
	p.updateCaption(scale)
}

// updateCaption says what the pane shows: oriented full size, the size it
// is shown at in physical pixels, and the file size.
func (p *imagePane) updateCaption(scale float32) {
	if p.entry == nil || p.display == nil {
		return
	}
	ow, oh := p.display.Info.OrientedSize()
	aw := float64(p.areaSize.Width * scale)
	ah := float64(p.areaSize.Height * scale)
	shown := ""
	if ow > 0 && oh > 0 && aw > 0 && ah > 0 {
		s := math.Min(aw/float64(ow), ah/float64(oh))
		shown = fmt.Sprintf(", shown %d×%d (%s)", int(math.Round(float64(ow)*s)), int(math.Round(float64(oh)*s)), percent(s))
	}
	p.caption.SetText(fmt.Sprintf("%d×%d px%s · %s", ow, oh, shown, humanBytes(p.entry.Size)))
}

func percent(s float64) string {
	if s < 0.1 {
		return fmt.Sprintf("%.1f %%", s*100)
	}
	return fmt.Sprintf("%.0f %%", s*100)
}

func (p *imagePane) setMessage(msg string) {
	p.msg.SetText(msg)
	if msg == "" {
		p.msg.Hide()
	} else {
		p.msg.Show()
	}
}

// entryProblem explains an entry the archive reader refused.
func entryProblem(err error) string {
	switch {
	case errors.Is(err, casefile.ErrWrongMagic):
		return "This file is not the image its name says: " + err.Error()
	case errors.Is(err, casefile.ErrEntryTooLarge), errors.Is(err, casefile.ErrCompressionRatio), errors.Is(err, casefile.ErrTotalTooLarge):
		return "This image was not opened because it is too large to be safe: " + err.Error()
	case errors.Is(err, casefile.ErrEncryptedEntry):
		return "This image is encrypted in the archive and cannot be shown."
	}
	return "This image is corrupt: " + err.Error()
}

// decodeProblem explains an image that did not decode.
func decodeProblem(err error) string {
	switch {
	case errors.Is(err, imaging.ErrTooLarge):
		return "This image was not decoded because its dimensions are too large to be safe: " + err.Error()
	case errors.Is(err, imaging.ErrUnsupported):
		return "This image is in a format the app cannot show: " + err.Error()
	}
	return "This image is corrupt: " + err.Error()
}

// inspectable reports whether the pane has an image to inspect.
func (p *imagePane) inspectable() bool {
	return p.entry != nil && p.entry.Err == nil && p.entry.Data != nil
}

// Tapped opens the inspector.
func (p *imagePane) Tapped(*fyne.PointEvent) {
	if p.onTap != nil {
		p.onTap(p)
	}
}

// Cursor is a pointer over an inspectable image.
func (p *imagePane) Cursor() desktop.Cursor {
	if p.inspectable() {
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

// MouseIn counts as activity (idle clear).
func (p *imagePane) MouseIn(*desktop.MouseEvent) { p.activity() }

// MouseMoved counts as activity (idle clear).
func (p *imagePane) MouseMoved(*desktop.MouseEvent) { p.activity() }

// MouseOut does nothing.
func (p *imagePane) MouseOut() {}

func (p *imagePane) activity() {
	if p.onActivity != nil {
		p.onActivity()
	}
}

// MinSize keeps the pane usable on a small screen.
func (p *imagePane) MinSize() fyne.Size { return fyne.NewSize(160, 160) }

// CreateRenderer lays out the image area above its title and caption.
func (p *imagePane) CreateRenderer() fyne.WidgetRenderer {
	return &paneRenderer{p: p}
}

type paneRenderer struct{ p *imagePane }

func (r *paneRenderer) Layout(size fyne.Size) {
	p := r.p
	titleH := p.title.MinSize().Height
	capH := p.caption.MinSize().Height
	area := fyne.NewSize(size.Width, fmax(size.Height-titleH-capH, 0))
	p.bg.Move(fyne.NewPos(0, 0))
	p.bg.Resize(area)
	p.img.Move(fyne.NewPos(0, 0))
	p.img.Resize(area)
	pad := theme.Padding()
	mw := fmax(area.Width-4*pad, 0)
	p.msg.Resize(fyne.NewSize(mw, p.msg.MinSize().Height))
	mh := p.msg.MinSize().Height
	p.msg.Resize(fyne.NewSize(mw, mh))
	p.msg.Move(fyne.NewPos(2*pad, fmax((area.Height-mh)/2, 0)))
	p.title.Move(fyne.NewPos(0, area.Height))
	p.title.Resize(fyne.NewSize(size.Width, titleH))
	p.caption.Move(fyne.NewPos(0, area.Height+titleH))
	p.caption.Resize(fyne.NewSize(size.Width, capH))
	if area != p.areaSize {
		p.areaSize = area
		if p.onResize != nil {
			p.onResize()
		}
	}
}

func fmax(a, b float32) float32 {
	if a > b {
		return a
	}
	return b
}

func (r *paneRenderer) MinSize() fyne.Size { return r.p.MinSize() }

func (r *paneRenderer) Refresh() {
	r.p.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.p.bg.Refresh()
	r.Layout(r.p.Size())
}

func (r *paneRenderer) Objects() []fyne.CanvasObject {
	p := r.p
	return []fyne.CanvasObject{p.bg, p.img, p.msg, p.title, p.caption}
}

func (r *paneRenderer) Destroy() {}
