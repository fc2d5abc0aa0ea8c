package ui

import (
	"image"
	"image/color"
	"math"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"docvreview/imaging"
)

// zoomTestPattern is a w×h image whose every pixel has a distinct colour:
// R = x mod 256, G = y mod 256, B = x/256*16 + y/256.
func zoomTestPattern(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, zoomPatternColor(x, y))
		}
	}
	return img
}

func zoomPatternColor(x, y int) color.RGBA {
	return color.RGBA{uint8(x), uint8(y), uint8(x/256*16 + y/256), 255}
}

// zoomWaitRendered waits until the frame of the latest render request is on
// screen (rendering is asynchronous; polling widgets would race). With no
// request made yet it returns nil at once.
func zoomWaitRendered(t *testing.T, z *zoomView) *image.RGBA {
	t.Helper()
	target := z.gen.Load()
	if target == 0 {
		return nil
	}
	deadline := time.After(10 * time.Second)
	for z.rendered.Load() < target {
		select {
		case <-z.renderNotify:
		case <-deadline:
			t.Fatalf("no frame for render %d (last shown %d)", target, z.rendered.Load())
		}
	}
	frame, ok := z.img.Image.(*image.RGBA)
	if !ok {
		t.Fatalf("frame is %T, want *image.RGBA", z.img.Image)
	}
	// Fyne's GL painter uploads Pix as packed rows from the origin.
	if frame.Rect.Min != (image.Point{}) || frame.Stride != 4*frame.Rect.Dx() || len(frame.Pix) != frame.Stride*frame.Rect.Dy() {
		t.Fatalf("frame %v stride %d, %d bytes: not a packed image", frame.Rect, frame.Stride, len(frame.Pix))
	}
	return frame
}

// zoomTestWindow shows z alone in an unpadded w×h test window. Each layout
// step may start a render, which is waited for before the next: in the
// test driver a frame is shown on the render goroutine.
func zoomTestWindow(t *testing.T, z *zoomView, w, h float32) fyne.Window {
	t.Helper()
	win := test.NewTempWindow(t, z)
	zoomWaitRendered(t, z)
	win.SetPadded(false)
	zoomWaitRendered(t, z)
	win.Resize(fyne.NewSize(w, h))
	zoomWaitRendered(t, z)
	return win
}

// zoomAssertOneToOne checks that frame pixel (x, y) is source pixel
// (x+ox, y+oy) for the whole frame.
func zoomAssertOneToOne(t *testing.T, frame *image.RGBA, ox, oy int) {
	t.Helper()
	b := frame.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if got, want := frame.RGBAAt(x, y), zoomPatternColor(x+ox, y+oy); got != want {
				t.Fatalf("frame (%d,%d) = %v, want source (%d,%d) = %v", x, y, got, x+ox, y+oy, want)
			}
		}
	}
}

func zoomNear(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func zoomAssertView(t *testing.T, got, want viewState) {
	t.Helper()
	if !zoomNear(got.CenterX, want.CenterX) || !zoomNear(got.CenterY, want.CenterY) ||
		!zoomNear(got.Scale, want.Scale) || got.Turns != want.Turns {
		t.Fatalf("view = %+v, want %+v", got, want)
	}
}

func TestZoomToFromDisplayRoundTrip(t *testing.T) {
	for turns := -5; turns <= 5; turns++ {
		for _, p := range [][2]float64{{0, 0}, {1, 0}, {0.25, 0.75}, {0.9, 0.1}} {
			u, v := zoomToDisplay(p[0], p[1], turns)
			x, y := zoomFromDisplay(u, v, turns)
			if !zoomNear(x, p[0]) || !zoomNear(y, p[1]) {
				t.Errorf("turns %d: %v → (%v,%v) → (%v,%v)", turns, p, u, v, x, y)
			}
		}
	}
	// A quarter turn clockwise puts the top-left corner at the top-right.
	if u, v := zoomToDisplay(0, 0, 1); u != 1 || v != 0 {
		t.Errorf("top-left after one turn = (%v,%v), want (1,0)", u, v)
	}
}

// The source region found for a rectangle of the turned image, rendered and
// turned, must be exactly that rectangle of the turned image.
func TestZoomDisplayRectToSourceMatchesRotate(t *testing.T) {
	src := zoomTestPattern(7, 5)
	for turns := 0; turns < 4; turns++ {
		turned := imaging.Rotate(src, turns)
		for _, r := range []image.Rectangle{
			image.Rect(0, 0, 1, 1), image.Rect(1, 2, 4, 3), image.Rect(2, 1, 3, 5), turned.Bounds(),
		} {
			if !r.In(turned.Bounds()) {
				continue
			}
			sr := zoomDisplayRectToSource(r, src.Bounds().Size(), turns)
			piece := imaging.Rotate(src.SubImage(sr).(*image.RGBA), turns)
			if piece.Bounds().Dx() != r.Dx() || piece.Bounds().Dy() != r.Dy() {
				t.Fatalf("turns %d rect %v: piece %v", turns, r, piece.Bounds())
			}
			for y := 0; y < r.Dy(); y++ {
				for x := 0; x < r.Dx(); x++ {
					pb := piece.Bounds().Min
					if got, want := piece.RGBAAt(pb.X+x, pb.Y+y), turned.RGBAAt(r.Min.X+x, r.Min.Y+y); got != want {
						t.Fatalf("turns %d rect %v at (%d,%d): %v, want %v", turns, r, x, y, got, want)
					}
				}
			}
		}
	}
}

func TestZoomFrameGeometry(t *testing.T) {
	tests := map[string]struct {
		src  image.Point
		view viewState
		w, h int
		want zoomGeometry
	}{
		"fit wide image letterboxed": {
			src: image.Pt(200, 100), view: fitView, w: 100, h: 100,
			want: zoomGeometry{scale: 0.5, srcRegion: image.Rect(0, 0, 200, 100), renderW: 100, renderH: 50, dst: image.Rect(0, 25, 100, 75)},
		},
		"fit turned image pillarboxed": {
			src: image.Pt(200, 100), view: viewState{0.5, 0.5, 1, 1}, w: 100, h: 100,
			want: zoomGeometry{scale: 0.5, srcRegion: image.Rect(0, 0, 200, 100), renderW: 100, renderH: 50, dst: image.Rect(25, 0, 75, 100)},
		},
		"100 % centre": {
			src: image.Pt(200, 100), view: viewState{0.5, 0.5, 2, 0}, w: 100, h: 100,
			want: zoomGeometry{scale: 1, srcRegion: image.Rect(50, 0, 150, 100), renderW: 100, renderH: 100, dst: image.Rect(0, 0, 100, 100)},
		},
		"400 % top-left corner, sub-pixel centre": {
			src: image.Pt(200, 100), view: viewState{12.6 / 200, 12.6 / 100, 8, 0}, w: 100, h: 100,
			// visible u 0.1..25.1: pixels 0..26 rendered at 4×, shifted 0.4 px left.
			want: zoomGeometry{scale: 4, srcRegion: image.Rect(0, 0, 26, 26), renderW: 104, renderH: 104, dst: image.Rect(0, 0, 104, 104)},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, ok := zoomFrameGeometry(tc.src, tc.view, tc.w, tc.h)
			if !ok {
				t.Fatal("no geometry")
			}
			if !zoomNear(got.scale, tc.want.scale) {
				t.Errorf("scale %v, want %v", got.scale, tc.want.scale)
			}
			got.scale = tc.want.scale
			if got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
	for _, bad := range []struct {
		src  image.Point
		w, h int
		v    viewState
	}{
		{image.Pt(0, 10), 10, 10, fitView},
		{image.Pt(10, 10), 0, 10, fitView},
		{image.Pt(10, 10), 10, 10, viewState{0.5, 0.5, 0, 0}},
		{image.Pt(10, 10), 10, 10, viewState{50, 50, 1, 0}}, // entirely off the image
	} {
		if _, ok := zoomFrameGeometry(bad.src, bad.v, bad.w, bad.h); ok {
			t.Errorf("geometry for %+v: want none", bad)
		}
	}
}

// A 400×300 pattern in a 100×80 widget at scale 1: fit is 0.25 physical
// pixels per source pixel, 100 % is a fit-relative scale of 4.
func TestZoomViewFitActualAndZoom(t *testing.T) {
	test.NewTempApp(t)
	z := newZoomView()
	zoomTestWindow(t, z, 100, 80)
	z.SetSource(zoomTestPattern(400, 300))

	frame := zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), fitView)
	if frame.Bounds() != image.Rect(0, 0, 100, 80) {
		t.Fatalf("frame %v, want the widget's 100×80 pixels", frame.Bounds())
	}
	if a := frame.RGBAAt(50, 0).A; a != 0 {
		t.Errorf("letterbox above the fitted image has alpha %d, want 0", a)
	}
	if c := frame.RGBAAt(50, 40); c.A != 255 {
		t.Errorf("centre pixel %v, want opaque image", c)
	}
	if p := z.ZoomPercent(); !zoomNear(p, 25) {
		t.Errorf("fit zoom %v %%, want 25", p)
	}

	z.ActualSize()
	frame = zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), viewState{0.5, 0.5, 4, 0})
	zoomAssertOneToOne(t, frame, 150, 110)
	if p := z.ZoomPercent(); !zoomNear(p, 100) {
		t.Errorf("100 %% shows as %v %%", p)
	}

	z.ZoomBy(2)
	zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), viewState{0.5, 0.5, 8, 0})

	z.Fit()
	z.ZoomBy(0.5) // below fit: clamped
	zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), fitView)

	z.ZoomBy(1e9) // capped at zoomMaxPixelScale physical pixels per source pixel
	zoomWaitRendered(t, z)
	if p := z.ZoomPercent(); !zoomNear(p, zoomMaxPixelScale*100) {
		t.Errorf("max zoom %v %%, want %v", p, zoomMaxPixelScale*100)
	}
}

func TestZoomViewWheelAndDoubleTap(t *testing.T) {
	test.NewTempApp(t)
	z := newZoomView()
	win := zoomTestWindow(t, z, 100, 80)
	z.SetSource(zoomTestPattern(400, 300))
	zoomWaitRendered(t, z)

	test.Scroll(win.Canvas(), fyne.NewPos(50, 40), 0, zoomWheelNotch) // one notch up
	zoomWaitRendered(t, z)
	if got := z.View().Scale; !zoomNear(got, zoomWheelFactor) {
		t.Errorf("after one wheel notch scale = %v, want %v", got, zoomWheelFactor)
	}
	test.Scroll(win.Canvas(), fyne.NewPos(50, 40), 0, -2*zoomWheelNotch) // two down: back to fit
	zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), fitView)

	// Double tap at fit: 100 % around the tapped point (here the centre).
	z.DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(50, 40)})
	frame := zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), viewState{0.5, 0.5, 4, 0})
	zoomAssertOneToOne(t, frame, 150, 110)

	z.DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(10, 10)})
	zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), fitView)
}

func TestZoomViewZoomAtKeepsPointUnderPointer(t *testing.T) {
	test.NewTempApp(t)
	z := newZoomView()
	zoomTestWindow(t, z, 100, 80)
	z.SetSource(zoomTestPattern(400, 300))
	z.ActualSize()
	zoomWaitRendered(t, z)

	// At 100 % the pixel at (20,30) is source (170,140); at 200 % it must stay there.
	z.ZoomAt(2, fyne.NewPos(20, 30))
	frame := zoomWaitRendered(t, z)
	if got, want := frame.RGBAAt(20, 30), zoomPatternColor(170, 140); got != want {
		t.Errorf("pixel under the pointer = %v, want %v", got, want)
	}
}

func TestZoomViewPanByDragAndClamp(t *testing.T) {
	test.NewTempApp(t)
	z := newZoomView()
	win := zoomTestWindow(t, z, 100, 80)
	z.SetSource(zoomTestPattern(400, 300))
	z.ActualSize()
	zoomWaitRendered(t, z)

	test.Drag(win.Canvas(), fyne.NewPos(50, 40), 10, 5) // content follows the pointer
	frame := zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), viewState{0.5 - 10.0/400, 0.5 - 5.0/300, 4, 0})
	zoomAssertOneToOne(t, frame, 140, 105)

	z.PanBy(-1e6, -1e6) // far past the bottom-right corner: clamped to it
	frame = zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), viewState{1 - 50.0/400, 1 - 40.0/300, 4, 0})
	zoomAssertOneToOne(t, frame, 300, 220)

	z.PanBy(1e6, 1e6)
	frame = zoomWaitRendered(t, z)
	zoomAssertOneToOne(t, frame, 0, 0)

	// At fit there is nothing to pan.
	z.Fit()
	zoomWaitRendered(t, z)
	z.PanBy(30, 30)
	zoomAssertView(t, z.View(), fitView)
}

func TestZoomViewRotateSwaps(t *testing.T) {
	test.NewTempApp(t)
	z := newZoomView()
	zoomTestWindow(t, z, 100, 80)
	z.SetSource(zoomTestPattern(400, 300))
	z.Rotate()
	frame := zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), viewState{0.5, 0.5, 1, 1})
	// Turned, the image is 300×400: it fits at 0.2, 60×80, pillarboxed.
	if a := frame.RGBAAt(10, 40).A; a != 0 {
		t.Errorf("left of the turned image alpha %d, want 0", a)
	}
	if a := frame.RGBAAt(50, 40).A; a != 255 {
		t.Errorf("turned image centre alpha %d, want 255", a)
	}
	if p := z.ZoomPercent(); !zoomNear(p, 20) {
		t.Errorf("turned fit %v %%, want 20", p)
	}

	z.ActualSize()
	frame = zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), viewState{0.5, 0.5, 5, 1})
	// Display (u,v) of the turned image is source (v, 299−u); the frame
	// starts at display (100,160).
	for _, p := range []image.Point{{0, 0}, {99, 0}, {0, 79}, {37, 51}} {
		if got, want := frame.RGBAAt(p.X, p.Y), zoomPatternColor(160+p.Y, 299-(100+p.X)); got != want {
			t.Errorf("turned frame %v = %v, want %v", p, got, want)
		}
	}

	for range 3 {
		z.Rotate()
	}
	frame = zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), viewState{0.5, 0.5, 4, 0}) // still 100 %
	zoomAssertOneToOne(t, frame, 150, 110)

	z.Fit()
	z.Rotate()
	zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), viewState{0.5, 0.5, 1, 1}) // still fit
}

func TestZoomViewAdjustments(t *testing.T) {
	test.NewTempApp(t)
	z := newZoomView()
	zoomTestWindow(t, z, 40, 40)
	white := image.NewRGBA(image.Rect(0, 0, 40, 40))
	for i := range white.Pix {
		white.Pix[i] = 255
	}
	z.SetSource(white)
	if got := zoomWaitRendered(t, z).RGBAAt(20, 20); got != (color.RGBA{255, 255, 255, 255}) {
		t.Fatalf("white shows as %v", got)
	}
	z.SetAdjustments(imaging.Adjustments{Invert: true})
	if got := zoomWaitRendered(t, z).RGBAAt(20, 20); got != (color.RGBA{0, 0, 0, 255}) {
		t.Errorf("inverted white shows as %v, want black", got)
	}
	z.SetAdjustments(imaging.Adjustments{Brightness: -0.5})
	if got := zoomWaitRendered(t, z).RGBAAt(20, 20); got.R >= 200 || got.R != got.G {
		t.Errorf("darkened white shows as %v", got)
	}
	if white.Pix[0] != 255 {
		t.Error("adjusting changed the source")
	}
}

// Two views following each other: a change on one is set on the other
// with SetView, which must not call back.
func TestZoomViewSyncDoesNotLoop(t *testing.T) {
	test.NewTempApp(t)
	a, b := newZoomView(), newZoomView()
	zoomTestWindow(t, a, 100, 80)
	b.Resize(fyne.NewSize(100, 80))
	a.SetSource(zoomTestPattern(400, 300))
	b.SetSource(zoomTestPattern(200, 150)) // other size: same relative view
	var fromA, fromB int
	a.OnViewChanged = func(v viewState) { fromA++; b.SetView(v) }
	b.OnViewChanged = func(v viewState) { fromB++; a.SetView(v) }

	a.ZoomBy(2)
	a.PanBy(-20, 0)
	zoomWaitRendered(t, a)
	zoomWaitRendered(t, b)
	if fromA != 2 || fromB != 0 {
		t.Fatalf("callbacks: a %d, b %d; want 2, 0", fromA, fromB)
	}
	zoomAssertView(t, b.View(), a.View())

	b.Rotate()
	zoomWaitRendered(t, a)
	zoomWaitRendered(t, b)
	if fromA != 2 || fromB != 1 {
		t.Fatalf("callbacks: a %d, b %d; want 2, 1", fromA, fromB)
	}
	zoomAssertView(t, a.View(), b.View())
}

func TestZoomViewCanvasScaleTwo(t *testing.T) {
	test.NewTempApp(t)
	z := newZoomView()
	win := zoomTestWindow(t, z, 100, 80)
	win.Canvas().(interface{ SetScale(float32) }).SetScale(2)
	z.SetSource(zoomTestPattern(400, 300))
	frame := zoomWaitRendered(t, z)
	if frame.Bounds() != image.Rect(0, 0, 200, 160) {
		t.Fatalf("frame %v, want the widget's 200×160 physical pixels", frame.Bounds())
	}
	z.ActualSize() // fit is 0.5 physical pixel per source pixel
	frame = zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), viewState{0.5, 0.5, 2, 0})
	zoomAssertOneToOne(t, frame, 100, 70)
}

// What the canvas paints at 100 % is the source, pixel for pixel.
func TestZoomViewCapturePixelsOneToOne(t *testing.T) {
	test.NewTempApp(t)
	z := newZoomView()
	win := zoomTestWindow(t, z, 100, 80)
	z.SetSource(zoomTestPattern(400, 300))
	z.ActualSize()
	zoomWaitRendered(t, z)
	shot := win.Canvas().Capture()
	for _, p := range []image.Point{{0, 0}, {1, 0}, {99, 79}, {42, 17}} {
		r, g, b, _ := shot.At(p.X, p.Y).RGBA()
		want := zoomPatternColor(150+p.X, 110+p.Y)
		if uint8(r>>8) != want.R || uint8(g>>8) != want.G || uint8(b>>8) != want.B {
			t.Errorf("captured %v = (%d,%d,%d), want %v", p, r>>8, g>>8, b>>8, want)
		}
	}
	z.Rotate()
	z.SetAdjustments(imaging.Adjustments{Invert: true, Contrast: 0.3})
	zoomWaitRendered(t, z)
	test.AssertImageMatches(t, "zoomview_rotated_inverted.png", win.Canvas().Capture())
}

func TestZoomViewSetSourceResetsAndClears(t *testing.T) {
	test.NewTempApp(t)
	z := newZoomView()
	zoomTestWindow(t, z, 100, 80)
	z.SetSource(zoomTestPattern(400, 300))
	z.ActualSize()
	z.Rotate()
	zoomWaitRendered(t, z)

	calls := 0
	z.OnViewChanged = func(viewState) { calls++ }
	z.SetSource(zoomTestPattern(50, 50))
	frame := zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), fitView)
	if calls != 0 {
		t.Errorf("SetSource called OnViewChanged %d times", calls)
	}
	if frame.Bounds() != image.Rect(0, 0, 100, 80) {
		t.Errorf("frame %v", frame.Bounds())
	}

	z.SetSource(nil)
	if z.Source() != nil || z.img.Image != nil {
		t.Error("SetSource(nil) kept the image")
	}
	// Without a source, nothing renders and interactions are harmless.
	before := z.gen.Load()
	z.ZoomBy(2)
	z.PanBy(5, 5)
	z.ActualSize()
	z.DoubleTapped(&fyne.PointEvent{})
	if z.gen.Load() != before {
		t.Error("rendered without a source")
	}
}

// ActualSize before the widget has a size is applied at the first layout.
func TestZoomViewActualSizeBeforeLayout(t *testing.T) {
	test.NewTempApp(t)
	z := newZoomView()
	z.SetSource(zoomTestPattern(400, 300))
	z.ActualSize()
	zoomTestWindow(t, z, 100, 80)
	frame := zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), viewState{0.5, 0.5, 4, 0})
	zoomAssertOneToOne(t, frame, 150, 110)
}

func TestZoomViewRejectsBadFactors(t *testing.T) {
	test.NewTempApp(t)
	z := newZoomView()
	zoomTestWindow(t, z, 100, 80)
	z.SetSource(zoomTestPattern(400, 300))
	zoomWaitRendered(t, z)
	for _, f := range []float64{0, -2, math.NaN(), math.Inf(1)} {
		z.ZoomBy(f)
	}
	z.SetView(viewState{math.NaN(), math.NaN(), math.NaN(), -7})
	zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), viewState{0.5, 0.5, 1, 1})
}

// Resizing keeps a zoomed view's magnification and a fitted view fitted.
func TestZoomViewResizeKeepsMagnification(t *testing.T) {
	test.NewTempApp(t)
	z := newZoomView()
	win := zoomTestWindow(t, z, 100, 80)
	z.SetSource(zoomTestPattern(400, 300))
	z.ActualSize()
	zoomWaitRendered(t, z)

	win.Resize(fyne.NewSize(200, 100))
	frame := zoomWaitRendered(t, z)
	if p := z.ZoomPercent(); !zoomNear(p, 100) {
		t.Errorf("after resize %v %%, want 100", p)
	}
	zoomAssertOneToOne(t, frame, 100, 100)

	z.Fit()
	win.Resize(fyne.NewSize(120, 120))
	zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), fitView)
}

// At 100 % with the view at the source's top-left corner the frame is a
// copy, never a sub-image of the source (whose rows are wider).
func TestZoomRenderCacheFrameIsPacked(t *testing.T) {
	src := zoomTestPattern(400, 300)
	c := &zoomRenderCache{src: src}
	req := &zoomRenderRequest{src: src, view: viewState{50.0 / 400, 40.0 / 300, 4, 0}, w: 100, h: 80}
	f := c.render(req)
	if f.Stride != 400 || f.Rect != image.Rect(0, 0, 100, 80) || len(f.Pix) != 400*80 {
		t.Fatalf("frame %v stride %d", f.Rect, f.Stride)
	}
	zoomAssertOneToOne(t, f, 0, 0)
}

// From 200 % on, every source pixel is a crisp square of whole pixels.
func TestZoomViewShowsPixelGridWhenEnlarged(t *testing.T) {
	src := zoomTestPattern(400, 300)
	c := &zoomRenderCache{src: src}
	// 400 % with the frame's top-left at source (100, 80) exactly.
	view := viewState{(100 + 12.5) / 400, (80 + 10.0) / 300, 16, 0}
	f := c.render(&zoomRenderRequest{src: src, view: view, w: 100, h: 80})
	for y := 0; y < 80; y++ {
		for x := 0; x < 100; x++ {
			if got, want := f.RGBAAt(x, y), zoomPatternColor(100+x/4, 80+y/4); got != want {
				t.Fatalf("400 %% frame (%d,%d) = %v, want source (%d,%d) %v", x, y, got, 100+x/4, 80+y/4, want)
			}
		}
	}
	sub := src.SubImage(image.Rect(1, 1, 400, 300)).(*image.RGBA) // offset origin and wide rows
	for _, tc := range []struct {
		region image.Rectangle
		w, h   int
	}{
		{image.Rect(3, 5, 10, 9), 21, 12}, {image.Rect(1, 1, 2, 2), 5, 3}, {image.Rect(395, 290, 400, 300), 17, 33},
	} {
		n := zoomNearest(sub, tc.region, tc.w, tc.h)
		for y := 0; y < tc.h; y++ {
			for x := 0; x < tc.w; x++ {
				sx := tc.region.Min.X + int((float64(x)+0.5)*float64(tc.region.Dx())/float64(tc.w))
				sy := tc.region.Min.Y + int((float64(y)+0.5)*float64(tc.region.Dy())/float64(tc.h))
				if got, want := n.RGBAAt(x, y), zoomPatternColor(sx, sy); got != want {
					t.Fatalf("nearest %v→%d×%d at (%d,%d) = %v, want %v", tc.region, tc.w, tc.h, x, y, got, want)
				}
			}
		}
	}
	if n := zoomNearest(src, image.Rect(500, 500, 600, 600), 4, 4); n.RGBAAt(1, 1).A != 0 {
		t.Error("a region outside the source is not transparent")
	}
}

// Zoomed out, frames come from reduced copies; they must look like a
// direct reduction of the source.
func TestZoomRenderCacheReducedCopies(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 1203, 901)) // odd sizes
	for y := 0; y < 901; y++ {
		for x := 0; x < 1203; x++ {
			src.SetRGBA(x, y, color.RGBA{uint8(x * 255 / 1202), uint8(y * 255 / 900), uint8((x + y) % 7 * 30), 255})
		}
	}
	c := &zoomRenderCache{src: src}
	for _, tc := range []struct {
		w, h  int
		level int
	}{{600, 450, 1}, {300, 225, 2}, {140, 100, 3}, {30, 30, 4}, {1300, 1000, 0}} {
		req := &zoomRenderRequest{src: src, view: fitView, w: tc.w, h: tc.h}
		if level, _ := c.level(req); level != tc.level {
			t.Errorf("%d×%d: level %d, want %d", tc.w, tc.h, level, tc.level)
		}
		got := c.render(req)
		g, _ := zoomFrameGeometry(src.Bounds().Size(), fitView, tc.w, tc.h)
		want := imaging.RenderRegion(src, g.srcRegion, g.renderW, g.renderH)
		worst := 0
		for y := 0; y < want.Bounds().Dy(); y++ {
			for x := 0; x < want.Bounds().Dx(); x++ {
				a, b := got.RGBAAt(g.dst.Min.X+x, g.dst.Min.Y+y), want.RGBAAt(x, y)
				for _, d := range []int{int(a.R) - int(b.R), int(a.G) - int(b.G)} {
					worst = max(worst, d, -d)
				}
			}
		}
		if worst > 4 {
			t.Errorf("%d×%d: reduced copy differs from a direct reduction by up to %d", tc.w, tc.h, worst)
		}
	}
	if len(c.mips) != zoomMaxMipLevels {
		t.Errorf("%d reduced copies, want %d", len(c.mips), zoomMaxMipLevels)
	}
	var px int
	for _, m := range c.mips {
		px += m.Bounds().Dx() * m.Bounds().Dy()
	}
	if px > 1203*901/3+1000 {
		t.Errorf("reduced copies hold %d pixels, more than a third of the source", px)
	}
}

// BenchmarkZoomRenderFrame renders a 12 MP source into a 1600×1000 frame,
// each iteration a slightly different view (a pan) or tone (a slider),
// with the render goroutine's cache warm as it is in use.
func BenchmarkZoomRenderFrame(b *testing.B) {
	src := zoomTestPattern(4000, 3000)
	actual := 1 / math.Min(1600.0/4000, 1000.0/3000) // 100 %
	for _, bc := range []struct {
		name string
		view viewState
		tone bool
	}{
		{"fit/pan", viewState{0.5, 0.5, 1.2, 0}, false},
		{"fit/tone", fitView, true},
		{"fit-turned/tone", viewState{0.5, 0.5, 1, 1}, true},
		{"100%/pan", viewState{0.5, 0.5, actual, 0}, false},
		{"100%/tone", viewState{0.5, 0.5, actual, 0}, true},
		{"400%/pan+tone", viewState{0.3, 0.6, 4 * actual, 0}, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cache := &zoomRenderCache{src: src}
			req := &zoomRenderRequest{src: src, view: bc.view, w: 1600, h: 1000}
			cache.render(req)
			i := 0
			for b.Loop() {
				i++
				if bc.tone {
					req.adj = imaging.Adjustments{Contrast: float64(i%10) / 20, Invert: true}
				} else {
					req.view.CenterX = bc.view.CenterX + float64(i%2)*0.001
				}
				cache.render(req)
			}
		})
	}
}
