package ui

import (
	"image"
	"math"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/casefile"
	"docvreview/imaging"
)

const (
	// compareZoomStep is the zoom of + and − in compare mode.
	compareZoomStep = 1.25
	// compareCropSize is the side of the normalised face crops (pixels).
	compareCropSize = 320
	// compareFaceFill is how much of the view's height a face box fills
	// when compare opens on two faces.
	compareFaceFill = 0.55
	// compareCropMargin is the margin added around a face box, per side,
	// as a fraction of the box.
	compareCropMargin = 0.3
)

// compareDetectSides are the copy sizes faces are searched on, in order
// until one finds a face: Pigo's scores swing with the scale, and the
// simulator's drawn selfie (12 MP) is missed on the 800 px copy but found
// on a 640 px one (scores measured: 0 at 800, 30 at 640).
var compareDetectSides = []int{imaging.DefaultDetectSide, 640}

// compareInput is what the window hands the compare view.
type compareInput struct {
	Front, Selfie []byte // the case's own bytes, read under a lease
	Release       func() // called once both are decoded (no longer read); may be nil
	Canvas        fyne.Canvas
	OnClose       func()
	Do            func(func()) // nil = fyne.Do

	// decode replaces imaging.DecodeFull and detector
	// imaging.DefaultFaceDetector in tests.
	decode   func([]byte, imaging.Options) (*image.RGBA, imaging.Info, error)
	detector func() (*imaging.FaceDetector, error)
}

// compareFace is what detection found on one image.
type compareFace struct {
	face  imaging.Face
	found bool
	crop  *image.RGBA
}

// compareView shows the selfie next to the ID front with synchronized zoom
// and pan, face crops below them, and a 4× loupe while Shift is held. It
// holds one full-size decoded copy of each image while open.
type compareView struct {
	in      compareInput
	sides   [2]*compareSide // 0 ID front, 1 selfie
	crops   *cropPanel
	content fyne.CanvasObject

	faces    [2]compareFace
	hasFaces bool // detection finished (found or not) for both

	shift       bool
	oldKeyDown  func(*fyne.KeyEvent)
	oldKeyUp    func(*fyne.KeyEvent)
	hookedKeys  bool
	closed      atomic.Bool
	lastHover   int // side the pointer is over (-1 none)
	lastHoverAt fyne.Position

	// ready is closed once both images were decoded and searched for faces.
	ready chan struct{}
}

// newCompareView builds the view and starts decoding and face detection in
// the background.
func newCompareView(in compareInput) *compareView {
	c := &compareView{in: in, ready: make(chan struct{}), lastHover: -1}
	titles := [2]string{"ID front", "Selfie"}
	for i := range c.sides {
		s := newCompareSide(titles[i])
		s.view.do = in.Do
		k := i
		s.view.OnViewChanged = func(v viewState) { c.follow(k, v) }
		s.onHover = func(pos fyne.Position, shift bool) { c.hover(k, pos, shift) }
		s.onOut = func() { c.hoverOut(k) }
		c.sides[i] = s
	}
	c.crops = newCropPanel(in.Do)
	c.buildUI()
	c.hookShift()
	front, selfie := in.Front, in.Selfie
	c.in.Front, c.in.Selfie = nil, nil
	go c.load(front, selfie)
	return c
}

func (c *compareView) buildUI() {
	help := widget.NewLabel("Wheel / drag / + − 0: zoom and pan both · hold Shift: 4× loupe · F: crop view · Esc: close")
	help.Truncation = fyne.TextTruncateEllipsis
	closeButton := widget.NewButtonWithIcon("Close", theme.WindowCloseIcon(), c.onClose)
	fit := widget.NewButtonWithIcon("Fit", theme.ZoomFitIcon(), c.fitBoth)
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(fit, closeButton), help)
	images := container.NewGridWithColumns(2, c.sides[0].root, c.sides[1].root)
	c.content = container.NewBorder(bar, c.crops.root, nil, nil, images)
}

// Object is the compare view's content.
func (c *compareView) Object() fyne.CanvasObject { return c.content }

// Close drops both full-size copies and the crops, and gives the canvas
// its key handlers back. Idempotent.
func (c *compareView) Close() {
	if c.closed.Swap(true) {
		return
	}
	for _, s := range c.sides {
		s.view.SetSource(nil)
		s.hideLoupe()
	}
	c.faces = [2]compareFace{}
	c.crops.clear()
	if c.hookedKeys {
		dc := c.in.Canvas.(desktop.Canvas)
		dc.SetOnKeyDown(c.oldKeyDown)
		dc.SetOnKeyUp(c.oldKeyUp)
		c.hookedKeys = false
	}
}

func (c *compareView) onClose() {
	c.Close()
	if c.in.OnClose != nil {
		c.in.OnClose()
	}
}

// TypedKey handles compare's keys: Esc closes, + = − zoom both, 0 fits
// both, F cycles the crop view.
func (c *compareView) TypedKey(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyEscape:
		c.onClose()
	case fyne.KeyPlus, fyne.KeyEqual:
		c.sides[0].view.ZoomBy(compareZoomStep)
	case fyne.KeyMinus:
		c.sides[0].view.ZoomBy(1 / compareZoomStep)
	case fyne.Key0:
		c.fitBoth()
	case fyne.KeyF:
		c.crops.cycle()
	case desktop.KeyShiftLeft, desktop.KeyShiftRight:
		// handled by key down/up
	default:
		return false
	}
	return true
}

func (c *compareView) fitBoth() {
	c.sides[0].view.Fit()
	c.sides[1].view.SetView(c.mapView(0, c.sides[0].view.View()))
}

// hookShift follows the Shift key through the canvas's key down/up
// handlers (desktop drivers only), chaining the previous handlers.
func (c *compareView) hookShift() {
	dc, ok := c.in.Canvas.(desktop.Canvas)
	if !ok {
		return
	}
	c.oldKeyDown, c.oldKeyUp = dc.OnKeyDown(), dc.OnKeyUp()
	c.hookedKeys = true
	dc.SetOnKeyDown(func(ev *fyne.KeyEvent) {
		if isShift(ev.Name) {
			c.setShift(true)
		}
		if c.oldKeyDown != nil {
			c.oldKeyDown(ev)
		}
	})
	dc.SetOnKeyUp(func(ev *fyne.KeyEvent) {
		if isShift(ev.Name) {
			c.setShift(false)
		}
		if c.oldKeyUp != nil {
			c.oldKeyUp(ev)
		}
	})
}

func isShift(k fyne.KeyName) bool { return k == desktop.KeyShiftLeft || k == desktop.KeyShiftRight }

// setShift shows or hides the loupes.
func (c *compareView) setShift(on bool) {
	if c.shift == on {
		return
	}
	c.shift = on
	if on && c.lastHover >= 0 {
		c.showLoupes(c.lastHover, c.lastHoverAt)
		return
	}
	if !on {
		c.hideLoupes()
	}
}

// load decodes both images at full size and searches each for a face on
// an 800 px copy; runs on its own goroutine.
func (c *compareView) load(front, selfie []byte) {
	decode := c.in.decode
	if decode == nil {
		decode = imaging.DecodeFull
	}
	newDetector := c.in.detector
	if newDetector == nil {
		newDetector = imaging.DefaultFaceDetector
	}
	var wg sync.WaitGroup
	var faces [2]compareFace
	for i, data := range [2][]byte{front, selfie} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			img, _, decErr := decode(data, imaging.Options{})
			viewerDo(c.in.Do, func() { c.onDecoded(i, img, decErr) })
			if decErr != nil || img == nil || c.closed.Load() {
				return
			}
			d, detErr := newDetector()
			if detErr != nil {
				return
			}
			for _, side := range compareDetectSides {
				if f, ok := imaging.Largest(d.DetectScaled(img, side)); ok {
					faces[i] = compareFace{face: f, found: true,
						crop: imaging.CropFace(img, f, compareCropSize, compareCropMargin)}
					break
				}
			}
		}()
	}
	wg.Wait()
	if c.in.Release != nil {
		c.in.Release() // both decoded: the case's bytes are not read again
	}
	viewerDo(c.in.Do, func() {
		defer close(c.ready)
		if !c.closed.Load() {
			c.onFaces(faces)
		}
	})
}

// onDecoded shows one decoded image, or why it cannot be shown.
func (c *compareView) onDecoded(i int, img *image.RGBA, err error) {
	if c.closed.Load() {
		return
	}
	s := c.sides[i]
	if err != nil || img == nil {
		s.setMessage(inspDecodeMessage(err))
		return
	}
	s.setMessage("")
	s.view.SetSource(img)
	other := c.sides[1-i].view
	if other.Source() != nil {
		s.view.SetView(c.mapView(1-i, other.View()))
	}
}

// onFaces records the faces and shows the crops; the views now follow
// each other through the face boxes.
func (c *compareView) onFaces(faces [2]compareFace) {
	c.faces = faces
	c.hasFaces = true
	c.crops.show(faces)
	a := c.sides[0].view
	if c.facesAligned() && a.View() == fitView {
		c.frameFace(a, faces[0].face.Rect)
	}
	c.sides[1].view.SetView(c.mapView(0, a.View()))
}

// frameFace zooms z onto a face box so that it fills compareFaceFill of
// the view's height (the other side then shows its face at the same size).
func (c *compareView) frameFace(z *zoomView, face image.Rectangle) {
	fit, ok := z.fitScale(0)
	_, hp := z.physicalSize()
	b := z.Source().Bounds()
	if !ok || face.Dy() <= 0 || hp <= 0 {
		return
	}
	v := z.View()
	v.CenterX = (float64(face.Min.X+face.Max.X)/2 - float64(b.Min.X)) / float64(b.Dx())
	v.CenterY = (float64(face.Min.Y+face.Max.Y)/2 - float64(b.Min.Y)) / float64(b.Dy())
	v.Scale = max(1, compareFaceFill*float64(hp)/float64(face.Dy())/fit)
	z.SetView(v)
}

// follow makes the other view show what view `from` shows.
func (c *compareView) follow(from int, v viewState) {
	to := c.sides[1-from]
	to.view.SetView(c.mapView(from, v))
	if c.shift && c.lastHover >= 0 {
		c.showLoupes(c.lastHover, c.lastHoverAt)
	}
}

// facesAligned reports whether both images have a face to align on.
func (c *compareView) facesAligned() bool {
	return c.faces[0].found && c.faces[1].found &&
		c.sides[0].view.Source() != nil && c.sides[1].view.Source() != nil
}

// mapPoint maps a relative source point of side from to the other side:
// through the face boxes when both have one (so the eyes on one are the
// eyes on the other), else at the same relative position.
func (c *compareView) mapPoint(from int, x, y float64) (float64, float64) {
	if !c.facesAligned() {
		return x, y
	}
	a, b := c.sides[from].view.Source().Bounds(), c.sides[1-from].view.Source().Bounds()
	fa, fb := c.faces[from].face.Rect, c.faces[1-from].face.Rect
	ka := float64(max(fa.Dx(), 1))
	kb := float64(max(fb.Dx(), 1))
	px := x*float64(a.Dx()) - float64(fa.Min.X+fa.Max.X)/2
	py := y*float64(a.Dy()) - float64(fa.Min.Y+fa.Max.Y)/2
	tx := float64(fb.Min.X+fb.Max.X)/2 + px/ka*kb
	ty := float64(fb.Min.Y+fb.Max.Y)/2 + py/ka*kb
	return tx / float64(b.Dx()), ty / float64(b.Dy())
}

// mapView is the view of the other side that matches view v of side from:
// the same relative position and zoom, or with faces, the same point of
// the face at the same face size on screen.
func (c *compareView) mapView(from int, v viewState) viewState {
	to := c.sides[1-from].view
	out := to.View()
	out.CenterX, out.CenterY = c.mapPoint(from, v.CenterX, v.CenterY)
	out.Scale = v.Scale
	if c.facesAligned() {
		fa, okA := c.sides[from].view.fitScale(v.Turns)
		fb, okB := to.fitScale(out.Turns)
		if okA && okB {
			ka := float64(max(c.faces[from].face.Rect.Dx(), 1))
			kb := float64(max(c.faces[1-from].face.Rect.Dx(), 1))
			// physical pixels per face box the same on both sides
			out.Scale = fa * v.Scale * ka / (kb * fb)
		}
	}
	return out
}

// hover follows the pointer over side i; with Shift the loupes show.
func (c *compareView) hover(i int, pos fyne.Position, shift bool) {
	c.lastHover, c.lastHoverAt = i, pos
	if shift && !c.shift {
		c.shift = true
	}
	if c.shift {
		c.showLoupes(i, pos)
	}
}

func (c *compareView) hoverOut(i int) {
	if c.lastHover == i {
		c.lastHover = -1
		c.hideLoupes()
	}
}

// showLoupes shows the loupe at pos on side i, and on the other side at
// the matching point.
func (c *compareView) showLoupes(i int, pos fyne.Position) {
	s := c.sides[i]
	x, y, ok := viewPointToSource(s.view, pos)
	if !ok {
		c.hideLoupes()
		return
	}
	s.showLoupe(x, y)
	ox, oy := c.mapPoint(i, x, y)
	c.sides[1-i].showLoupe(ox, oy)
}

func (c *compareView) hideLoupes() {
	for _, s := range c.sides {
		s.hideLoupe()
	}
}

// viewPointToSource maps a widget position to a relative point of the
// unrotated source; false when there is no source or size.
func viewPointToSource(z *zoomView, pos fyne.Position) (float64, float64, bool) {
	fit, ok := z.fitScale(z.view.Turns)
	if !ok {
		return 0, 0, false
	}
	v := z.view
	wp, hp := z.physicalSize()
	cs := float64(viewerCanvasScale(z))
	dw, dh := zoomDisplaySize(z.src.Bounds().Size(), v.Turns)
	s := fit * v.Scale
	cu, cv := zoomToDisplay(v.CenterX, v.CenterY, v.Turns)
	u := (cu*dw + (float64(pos.X)*cs-float64(wp)/2)/s) / dw
	w := (cv*dh + (float64(pos.Y)*cs-float64(hp)/2)/s) / dh
	if u < 0 || u > 1 || w < 0 || w > 1 {
		return 0, 0, false
	}
	x, y := zoomFromDisplay(u, w, v.Turns)
	return x, y, true
}

// sourceToViewPoint is the inverse of viewPointToSource.
func sourceToViewPoint(z *zoomView, x, y float64) (fyne.Position, bool) {
	fit, ok := z.fitScale(z.view.Turns)
	if !ok {
		return fyne.Position{}, false
	}
	v := z.view
	wp, hp := z.physicalSize()
	cs := float64(viewerCanvasScale(z))
	dw, dh := zoomDisplaySize(z.src.Bounds().Size(), v.Turns)
	s := fit * v.Scale
	cu, cv := zoomToDisplay(v.CenterX, v.CenterY, v.Turns)
	u, w := zoomToDisplay(x, y, v.Turns)
	px := ((u-cu)*dw*s + float64(wp)/2) / cs
	py := ((w-cv)*dh*s + float64(hp)/2) / cs
	return fyne.NewPos(float32(px), float32(py)), true
}

// compareLoupe is the loupe's side (Fyne units) and magnification
// relative to the view's current scale.
const (
	compareLoupeSide = 160
	compareLoupeZoom = 4
)

// loupeRegion is the source rectangle a loupe centred on source pixel
// (px, py) shows at magnification mag (physical pixels per source pixel)
// in n physical pixels, kept inside bounds.
func loupeRegion(bounds image.Rectangle, px, py, mag float64, n int) image.Rectangle {
	side := max(1, int(math.Round(float64(n)/mag)))
	side = min(side, bounds.Dx(), bounds.Dy())
	x0 := int(math.Round(px)) - side/2
	y0 := int(math.Round(py)) - side/2
	x0 = min(max(x0, bounds.Min.X), bounds.Max.X-side)
	y0 = min(max(y0, bounds.Min.Y), bounds.Max.Y-side)
	return image.Rect(x0, y0, x0+side, y0+side)
}

// openCompare opens compare mode on the case's primary ID front and
// selfie. Like the inspector it reads the case's own bytes under a lease it
// releases once both are decoded, and holds one full-size decoded copy of
// each image while open.
func (r *review) openCompare() {
	r.touch()
	if r.modal() {
		return
	}
	if r.sess.Case() == nil {
		r.bar.setStatus("Open a case first: compare shows its selfie next to its ID front.")
		return
	}
	c := r.sess.Case().Case()
	front, selfie := c.Primary(casefile.RoleFront), c.Primary(casefile.RoleSelfie)
	usable := func(e *casefile.Entry) bool { return e != nil && e.Err == nil && e.Data != nil }
	switch {
	case !usable(front) && !usable(selfie):
		r.bar.setStatus("Compare needs an ID front and a selfie: this case has neither readable.")
		return
	case !usable(front):
		r.bar.setStatus("Compare needs an ID front: this case has no readable front image.")
		return
	case !usable(selfie):
		r.bar.setStatus("Compare needs a selfie: this case has no readable selfie.")
		return
	}
	lease, bufs, err := leaseEntries(c, front, selfie)
	if err != nil {
		return
	}
	r.showViewer(r.makeCompare(compareInput{
		Front:   bufs[0],
		Selfie:  bufs[1],
		Release: lease.Release,
		Canvas:  r.win.Canvas(),
		OnClose: r.closeViewer,
		Do:      r.opts.Do,
	}))
	r.bar.setStatus("Comparing the selfie with the ID front — Esc returns to the case.")
}
