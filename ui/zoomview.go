package ui

import (
	"context"
	"image"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"docvreview/imaging"
)

// viewState is what a zoomView shows of its source: the source point at the
// centre of the widget (relative 0..1 in the unrotated source), the scale
// relative to "fit" (1 = the whole image fits the widget) and the number of
// clockwise quarter turns (0..3). Relative values let two views of images of
// different sizes follow each other (compare view).
type viewState struct {
	CenterX, CenterY float64
	Scale            float64
	Turns            int
}

const (
	// zoomDebounce is how long the renderer waits to coalesce view changes.
	zoomDebounce = 20 * time.Millisecond
	// zoomMaxPixelScale caps magnification: physical pixels per source pixel.
	zoomMaxPixelScale = 16
	// zoomMaxFrameSide caps the frame (physical pixels) whatever the widget size.
	zoomMaxFrameSide = 8192
	// zoomWheelNotch is the scroll distance of one wheel notch in Fyne's
	// desktop driver, and zoomWheelFactor the zoom of one notch.
	zoomWheelNotch  = 25
	zoomWheelFactor = 1.25
	// zoomMinSize is the widget's minimum size (Fyne units).
	zoomMinSize = 64
)

// fitView is the initial view: the whole image, centred, upright.
var fitView = viewState{CenterX: 0.5, CenterY: 0.5, Scale: 1}

// zoomView shows a full-resolution source image at any zoom, pan and
// rotation, with tone adjustments. The pixels on screen always come from a
// render of just the visible region at the widget's physical pixel size,
// done off the Fyne goroutine; the previous frame stays up meanwhile.
//
// All methods must be called on the Fyne goroutine.
type zoomView struct {
	widget.BaseWidget

	// OnViewChanged is called (on the Fyne goroutine) after the view changed
	// through user interaction or a method other than SetView and SetSource.
	OnViewChanged func(viewState)

	// onChange is called after any change of view or size (zoom label).
	onChange func()

	// do runs a function on the Fyne goroutine (nil = fyne.Do). Set it
	// before the first SetSource; the window's tests inject their queue.
	do func(func())

	img        *canvas.Image // long-lived; its Image is swapped per frame
	src        *image.RGBA
	view       viewState
	adj        imaging.Adjustments
	wantActual bool // ActualSize was asked before the widget had a size
	lastW      int  // physical size at the last layout
	lastH      int

	worker *renderWorker[*zoomRenderRequest, *image.RGBA] // made at the first render (do is set by then)
	mu     sync.Mutex                                     // guards cache
	cache  *zoomRenderCache                               // used by the worker's goroutine; dropped with the source

	gen      atomic.Uint64 // generation of the latest render request
	cutoff   atomic.Uint64 // frames with gen <= cutoff are stale (source changed)
	shownGen uint64        // generation on screen; touched only when showing a frame

	// rendered and renderNotify let tests wait for a frame: rendered holds
	// the generation last shown, renderNotify gets a non-blocking send after
	// each shown frame.
	rendered     atomic.Uint64
	renderNotify chan struct{}
}

// zoomRenderRequest is an immutable snapshot of what to render.
type zoomRenderRequest struct {
	gen  uint64
	src  *image.RGBA
	view viewState
	adj  imaging.Adjustments
	w, h int // physical pixels
}

// newZoomView returns an empty zoom view; call SetSource to show an image.
func newZoomView() *zoomView {
	z := &zoomView{
		view:         fitView,
		renderNotify: make(chan struct{}, 1),
	}
	z.img = &canvas.Image{FillMode: canvas.ImageFillStretch, ScaleMode: canvas.ImageScaleFastest}
	z.ExtendBaseWidget(z)
	return z
}

// CreateRenderer implements fyne.Widget.
func (z *zoomView) CreateRenderer() fyne.WidgetRenderer {
	return &zoomViewRenderer{z: z}
}

// SetSource shows img (nil clears the view) from the fit view, upright.
// The previous image is removed at once, never shown with the new one.
func (z *zoomView) SetSource(img *image.RGBA) {
	z.src = img
	z.view = fitView
	z.wantActual = false
	z.cutoff.Store(z.gen.Load())
	z.mu.Lock()
	z.cache = nil // frees the reduced copies of the old source
	z.mu.Unlock()
	z.img.Image = nil
	z.img.Refresh()
	z.requestRender()
	z.changed()
}

// ReplaceSource shows img in place of the source on the same view (zoom,
// pan and rotation): an image of the source's size computed from it, such
// as its error level analysis. The current frame stays up until img's
// first frame replaces it. An image of another size is shown from the fit
// view, as SetSource does.
func (z *zoomView) ReplaceSource(img *image.RGBA) {
	if z.src == nil || img == nil || img.Rect.Size() != z.src.Rect.Size() {
		z.SetSource(img)
		return
	}
	if img == z.src {
		return
	}
	z.src = img
	z.cutoff.Store(z.gen.Load()) // a frame of the old source never follows
	z.mu.Lock()
	z.cache = nil
	z.mu.Unlock()
	z.requestRender()
}

// Source returns the image shown (nil when none).
func (z *zoomView) Source() *image.RGBA { return z.src }

// View returns the current view.
func (z *zoomView) View() viewState { return z.view }

// SetView sets the view (clamped) without calling OnViewChanged, so two
// views can follow each other without looping.
func (z *zoomView) SetView(v viewState) { z.setView(v, false) }

// Fit shows the whole image, centred.
func (z *zoomView) Fit() {
	z.wantActual = false
	v := z.view
	v.CenterX, v.CenterY, v.Scale = 0.5, 0.5, 1
	z.setView(v, true)
}

// ActualSize zooms to 100 %: one source pixel per physical screen pixel,
// keeping the centre.
func (z *zoomView) ActualSize() {
	f, ok := z.fitScale(z.view.Turns)
	if !ok {
		z.wantActual = true
		return
	}
	v := z.view
	v.Scale = 1 / f
	z.setView(v, true)
}

// ZoomBy multiplies the zoom by f around the centre of the widget.
func (z *zoomView) ZoomBy(f float64) {
	s := z.Size()
	z.ZoomAt(f, fyne.NewPos(s.Width/2, s.Height/2))
}

// ZoomAt multiplies the zoom by f keeping the source point under pos (in
// the widget's coordinates) where it is.
func (z *zoomView) ZoomAt(f float64, pos fyne.Position) {
	if f <= 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return
	}
	v := z.view
	fit, ok := z.fitScale(v.Turns)
	if !ok || z.src == nil {
		v.Scale *= f
		z.setView(v, true)
		return
	}
	wp, hp := z.physicalSize()
	cs := float64(viewerCanvasScale(z))
	dw, dh := zoomDisplaySize(z.src.Bounds().Size(), v.Turns)
	s := fit * v.Scale
	cu, cv := zoomToDisplay(v.CenterX, v.CenterY, v.Turns)
	offU := float64(pos.X)*cs - float64(wp)/2
	offV := float64(pos.Y)*cs - float64(hp)/2
	pu := cu*dw + offU/s // display-space source pixel under pos
	pv := cv*dh + offV/s
	v.Scale = z.clampScale(v.Scale*f, fit)
	s = fit * v.Scale
	cu = (pu - offU/s) / dw
	cv = (pv - offV/s) / dh
	v.CenterX, v.CenterY = zoomFromDisplay(cu, cv, v.Turns)
	z.setView(v, true)
}

// PanBy moves the image by dx, dy (Fyne units) as a drag would: positive
// dx shows more of the left side.
func (z *zoomView) PanBy(dx, dy float32) {
	fit, ok := z.fitScale(z.view.Turns)
	if !ok || z.src == nil {
		return
	}
	v := z.view
	cs := float64(viewerCanvasScale(z))
	dw, dh := zoomDisplaySize(z.src.Bounds().Size(), v.Turns)
	s := fit * v.Scale
	cu, cv := zoomToDisplay(v.CenterX, v.CenterY, v.Turns)
	cu -= float64(dx) * cs / s / dw
	cv -= float64(dy) * cs / s / dh
	v.CenterX, v.CenterY = zoomFromDisplay(cu, cv, v.Turns)
	z.setView(v, true)
}

// Rotate turns the image 90° clockwise, keeping the centre, and fit when
// at fit, else the magnification (so 100 % stays 100 %).
func (z *zoomView) Rotate() {
	v := z.view
	v.Turns = (v.Turns + 1) % 4
	if !z.atFit() {
		f0, ok0 := z.fitScale(z.view.Turns)
		f1, ok1 := z.fitScale(v.Turns)
		if ok0 && ok1 {
			v.Scale *= f0 / f1
		}
	}
	z.setView(v, true)
}

// SetAdjustments sets the tone adjustments applied to the rendered pixels.
func (z *zoomView) SetAdjustments(a imaging.Adjustments) {
	if a == z.adj {
		return
	}
	z.adj = a
	z.requestRender()
}

// Adjustments returns the tone adjustments in use.
func (z *zoomView) Adjustments() imaging.Adjustments { return z.adj }

// ZoomPercent is the current magnification in percent (100 = one source
// pixel per physical pixel); 0 when unknown (no source or no size).
func (z *zoomView) ZoomPercent() float64 {
	f, ok := z.fitScale(z.view.Turns)
	if !ok {
		return 0
	}
	return f * z.view.Scale * 100
}

// atFit reports whether the view shows the whole image.
func (z *zoomView) atFit() bool { return math.Abs(z.view.Scale-1) < 1e-6 }

// Scrolled zooms with the mouse wheel around the pointer.
func (z *zoomView) Scrolled(ev *fyne.ScrollEvent) {
	d := ev.Scrolled.DY
	if d == 0 {
		d = ev.Scrolled.DX
	}
	if d == 0 {
		return
	}
	z.ZoomAt(math.Pow(zoomWheelFactor, float64(d)/zoomWheelNotch), ev.Position)
}

// Dragged pans.
func (z *zoomView) Dragged(ev *fyne.DragEvent) { z.PanBy(ev.Dragged.DX, ev.Dragged.DY) }

// DragEnd implements fyne.Draggable.
func (z *zoomView) DragEnd() {}

// DoubleTapped toggles between fit and 100 % at the tapped point.
func (z *zoomView) DoubleTapped(ev *fyne.PointEvent) {
	if !z.atFit() {
		z.Fit()
		return
	}
	fit, ok := z.fitScale(z.view.Turns)
	if !ok {
		return
	}
	target := 1 / fit // 100 %
	if math.Abs(target-1) < 1e-6 {
		target = 2 // the image fits at exactly 100 %: zoom 2× instead
	}
	z.ZoomAt(target/z.view.Scale, ev.Position)
}

// setView clamps v, stores it, renders and notifies when it changed.
func (z *zoomView) setView(v viewState, notify bool) {
	v = z.clampView(v)
	if v == z.view {
		return
	}
	z.view = v
	z.requestRender()
	z.changed()
	if notify && z.OnViewChanged != nil {
		z.OnViewChanged(v)
	}
}

func (z *zoomView) changed() {
	if z.onChange != nil {
		z.onChange()
	}
}

// layoutChanged is called by the renderer when the widget got a new size.
// A zoomed view keeps its magnification; a fitted view stays fitted.
func (z *zoomView) layoutChanged() {
	f, ok := z.fitScale(z.view.Turns)
	old, okOld := z.fitScaleFor(z.lastW, z.lastH, z.view.Turns)
	switch {
	case !ok:
	case z.wantActual:
		z.wantActual = false
		z.view.Scale = 1 / f
	case okOld && !z.atFit():
		z.view.Scale *= old / f
	}
	z.lastW, z.lastH = z.physicalSize()
	z.view = z.clampView(z.view)
	z.requestRender()
	z.changed()
}

// clampView normalises turns, bounds the scale and keeps the viewport on
// the image (centred on an axis where the image is smaller than the view).
func (z *zoomView) clampView(v viewState) viewState {
	v.Turns = zoomNormTurns(v.Turns)
	if math.IsNaN(v.Scale) || v.Scale <= 0 {
		v.Scale = 1
	}
	if math.IsNaN(v.CenterX) {
		v.CenterX = 0.5
	}
	if math.IsNaN(v.CenterY) {
		v.CenterY = 0.5
	}
	fit, ok := z.fitScale(v.Turns)
	if !ok || z.src == nil {
		v.CenterX = math.Min(math.Max(v.CenterX, 0), 1)
		v.CenterY = math.Min(math.Max(v.CenterY, 0), 1)
		v.Scale = math.Min(math.Max(v.Scale, 1.0/zoomMaxPixelScale), zoomMaxPixelScale*64)
		return v
	}
	v.Scale = z.clampScale(v.Scale, fit)
	wp, hp := z.physicalSize()
	dw, dh := zoomDisplaySize(z.src.Bounds().Size(), v.Turns)
	s := fit * v.Scale
	cu, cv := zoomToDisplay(v.CenterX, v.CenterY, v.Turns)
	cu = zoomClampAxis(cu, float64(wp)/(2*s)/dw)
	cv = zoomClampAxis(cv, float64(hp)/(2*s)/dh)
	v.CenterX, v.CenterY = zoomFromDisplay(cu, cv, v.Turns)
	return v
}

// clampScale bounds a fit-relative scale: no smaller than fit (or 100 %
// when that is smaller), no larger than zoomMaxPixelScale (or fit).
func (z *zoomView) clampScale(scale, fit float64) float64 {
	lo := math.Min(1, 1/fit)
	hi := math.Max(1, zoomMaxPixelScale/fit)
	return math.Min(math.Max(scale, lo), hi)
}

// zoomClampAxis keeps a relative centre c so that a half-extent h stays
// inside 0..1, or centres it when the image is smaller than the view.
func zoomClampAxis(c, h float64) float64 {
	if h >= 0.5 {
		return 0.5
	}
	return math.Min(math.Max(c, h), 1-h)
}

// fitScale is the physical pixels per source pixel that fit the image.
func (z *zoomView) fitScale(turns int) (float64, bool) {
	wp, hp := z.physicalSize()
	return z.fitScaleFor(wp, hp, turns)
}

// fitScaleFor is fitScale for a widget of wp×hp physical pixels.
func (z *zoomView) fitScaleFor(wp, hp, turns int) (float64, bool) {
	if z.src == nil {
		return 0, false
	}
	sz := z.src.Bounds().Size()
	if wp <= 0 || hp <= 0 || sz.X <= 0 || sz.Y <= 0 {
		return 0, false
	}
	dw, dh := zoomDisplaySize(sz, turns)
	return math.Min(float64(wp)/dw, float64(hp)/dh), true
}

// viewerDo runs fn through do, or fyne.Do when do is nil.
func viewerDo(do func(func()), fn func()) {
	if do == nil {
		do = fyne.Do
	}
	do(fn)
}

// viewerCanvasScale is the scale of the canvas showing o (1 when not shown).
func viewerCanvasScale(o fyne.CanvasObject) float32 {
	a := fyne.CurrentApp()
	if a == nil || o == nil {
		return 1
	}
	d := a.Driver()
	if d == nil || len(d.AllWindows()) == 0 {
		return 1 // the test driver's CanvasForObject needs a window
	}
	if c := d.CanvasForObject(o); c != nil && c.Scale() > 0 {
		return c.Scale()
	}
	return 1
}

// physicalSize is the widget's size in physical pixels (capped).
func (z *zoomView) physicalSize() (int, int) {
	size := z.Size()
	cs := viewerCanvasScale(z)
	w := int(math.Round(float64(size.Width * cs)))
	h := int(math.Round(float64(size.Height * cs)))
	return min(w, zoomMaxFrameSide), min(h, zoomMaxFrameSide)
}

// requestRender queues a render of the current state on the view's render
// worker (latest request wins, after a zoomDebounce pause).
func (z *zoomView) requestRender() {
	if z.src == nil {
		return
	}
	w, h := z.physicalSize()
	if w <= 0 || h <= 0 {
		return
	}
	if z.worker == nil {
		z.worker = newRenderWorker(context.Background(), zoomDebounce, z.do, z.renderFrame, z.deliverFrame)
	}
	z.worker.request(&zoomRenderRequest{gen: z.gen.Add(1), src: z.src, view: z.view, adj: z.adj, w: w, h: h})
}

// renderFrame renders req through the cache of reduced copies of its source
// (on the worker's goroutine).
func (z *zoomView) renderFrame(_ context.Context, req *zoomRenderRequest) *image.RGBA {
	z.mu.Lock()
	if z.cache == nil || z.cache.src != req.src {
		z.cache = &zoomRenderCache{src: req.src}
	}
	cache := z.cache
	z.mu.Unlock()
	return cache.render(req)
}

// deliverFrame shows a rendered frame (on the Fyne goroutine).
func (z *zoomView) deliverFrame(req *zoomRenderRequest, frame *image.RGBA) {
	z.showFrame(req.gen, frame)
}

// showFrame puts a finished frame on screen unless a newer one is there or
// the source changed since it was requested.
func (z *zoomView) showFrame(gen uint64, frame *image.RGBA) {
	if gen <= z.shownGen || gen <= z.cutoff.Load() {
		return
	}
	z.shownGen = gen
	z.img.Image = frame
	z.img.Refresh()
	z.rendered.Store(gen)
	select {
	case z.renderNotify <- struct{}{}:
	default:
	}
}

// zoomViewRenderer lays the frame image over the whole widget.
type zoomViewRenderer struct {
	z *zoomView
}

func (r *zoomViewRenderer) Layout(size fyne.Size) {
	r.z.img.Move(fyne.NewPos(0, 0))
	r.z.img.Resize(size)
	r.z.layoutChanged()
}

func (r *zoomViewRenderer) MinSize() fyne.Size { return fyne.NewSquareSize(zoomMinSize) }

func (r *zoomViewRenderer) Refresh() {
	r.z.requestRender() // the canvas scale or theme may have changed
	canvas.Refresh(r.z.img)
}

func (r *zoomViewRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.z.img} }

func (r *zoomViewRenderer) Destroy() {}
