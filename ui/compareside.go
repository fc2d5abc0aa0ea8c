package ui

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"docvreview/imaging"
)

// compareSide is one image of the compare view: a zoomView with a loupe
// drawn over it. It reports pointer movement (desktop.Hoverable) so the
// loupe can follow; wheel and drag go to the zoomView underneath.
type compareSide struct {
	widget.BaseWidget

	view   *zoomView
	loupe  *canvas.Image
	frame  *canvas.Rectangle
	msg    *widget.Label
	root   fyne.CanvasObject
	loupeC fyne.Position // loupe centre (widget coordinates)

	onHover func(pos fyne.Position, shift bool)
	onOut   func()
}

func newCompareSide(title string) *compareSide {
	s := &compareSide{view: newZoomView()}
	s.loupe = &canvas.Image{FillMode: canvas.ImageFillStretch, ScaleMode: canvas.ImageScaleFastest}
	s.loupe.Hide()
	s.frame = canvas.NewRectangle(color.Transparent)
	s.frame.StrokeColor = theme.Color(theme.ColorNamePrimary)
	s.frame.StrokeWidth = 2
	s.frame.Hide()
	s.msg = widget.NewLabel(inspLoadingMsg)
	s.msg.Alignment = fyne.TextAlignCenter
	s.msg.Wrapping = fyne.TextWrapWord
	s.ExtendBaseWidget(s)
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.root = container.NewBorder(heading, nil, nil, nil, container.NewStack(s, container.NewCenter(s.msg)))
	return s
}

// setMessage shows msg over the image ("" hides it).
func (s *compareSide) setMessage(msg string) {
	s.msg.SetText(msg)
	if msg == "" {
		s.msg.Hide()
	} else {
		s.msg.Show()
	}
}

// showLoupe magnifies 4× (relative to the view) the source around the
// relative point (x, y) and shows it centred there.
func (s *compareSide) showLoupe(x, y float64) {
	z := s.view
	src := z.Source()
	fit, ok := z.fitScale(z.view.Turns)
	pos, okPos := sourceToViewPoint(z, x, y)
	if src == nil || !ok || !okPos {
		s.hideLoupe()
		return
	}
	cs := float64(viewerCanvasScale(z))
	n := int(math.Round(compareLoupeSide * cs))
	mag := fit * z.view.Scale * compareLoupeZoom
	b := src.Bounds()
	region := loupeRegion(b, float64(b.Min.X)+x*float64(b.Dx()), float64(b.Min.Y)+y*float64(b.Dy()), mag, n)
	var img *image.RGBA
	if mag >= zoomPixelGridScale {
		img = zoomNearest(src, region, n, n)
	} else {
		img = imaging.RenderRegion(src, region, n, n)
	}
	if t := zoomNormTurns(z.view.Turns); t != 0 {
		img = imaging.Rotate(img, t)
	}
	s.loupe.Image = img
	s.loupeC = pos
	s.layoutLoupe(s.Size())
	s.loupe.Show()
	s.frame.Show()
	s.loupe.Refresh()
	s.frame.Refresh()
}

// hideLoupe removes the loupe and its pixels.
func (s *compareSide) hideLoupe() {
	s.loupe.Hide()
	s.frame.Hide()
	s.loupe.Image = nil
}

// layoutLoupe places the loupe centred on loupeC, inside the widget.
func (s *compareSide) layoutLoupe(size fyne.Size) {
	side := float32(compareLoupeSide)
	x := min(max(s.loupeC.X-side/2, 0), max(size.Width-side, 0))
	y := min(max(s.loupeC.Y-side/2, 0), max(size.Height-side, 0))
	s.loupe.Move(fyne.NewPos(x, y))
	s.loupe.Resize(fyne.NewSquareSize(side))
	s.frame.Move(fyne.NewPos(x, y))
	s.frame.Resize(fyne.NewSquareSize(side))
}

// MouseIn implements desktop.Hoverable.
func (s *compareSide) MouseIn(ev *desktop.MouseEvent) { s.MouseMoved(ev) }

// MouseMoved reports the pointer and whether Shift is held.
func (s *compareSide) MouseMoved(ev *desktop.MouseEvent) {
	if s.onHover != nil {
		s.onHover(ev.Position, ev.Modifier&fyne.KeyModifierShift != 0)
	}
}

// MouseOut implements desktop.Hoverable.
func (s *compareSide) MouseOut() {
	if s.onOut != nil {
		s.onOut()
	}
}

// CreateRenderer implements fyne.Widget.
func (s *compareSide) CreateRenderer() fyne.WidgetRenderer { return &compareSideRenderer{s: s} }

type compareSideRenderer struct{ s *compareSide }

func (r *compareSideRenderer) Layout(size fyne.Size) {
	r.s.view.Move(fyne.NewPos(0, 0))
	r.s.view.Resize(size)
	r.s.layoutLoupe(size)
}

func (r *compareSideRenderer) MinSize() fyne.Size { return r.s.view.MinSize() }

func (r *compareSideRenderer) Refresh() {
	r.s.frame.StrokeColor = theme.Color(theme.ColorNamePrimary)
	r.s.frame.Refresh()
	r.s.view.Refresh()
}

func (r *compareSideRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.s.view, r.s.loupe, r.s.frame}
}

func (r *compareSideRenderer) Destroy() {}
