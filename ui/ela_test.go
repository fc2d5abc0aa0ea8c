package ui

import (
	"image"
	"image/color"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"docvreview/imaging"
)

// elaOpen opens an inspector whose callbacks run on loop (the test
// goroutine), in a window, and waits for the full-resolution image.
func elaOpen(t *testing.T, loop *uiLoop) *inspector {
	t.Helper()
	test.NewTempApp(t)
	data := inspTestJPEG(t, 640, 480, color.RGBA{90, 140, 200, 255})
	meta := inspTestMeta(data)
	meta.Info.Width, meta.Info.Height, meta.Info.Orientation, meta.EXIF.Orientation = 640, 480, 1, 1
	i := newInspector(inspectorInput{Title: "ID front", Data: data, Meta: meta, Do: loop.Do})
	t.Cleanup(i.Close)
	loop.until(t, "the full-resolution decode", 10*time.Second, func() bool {
		select {
		case <-i.ready:
			return true
		default:
			return false
		}
	})
	win := test.NewTempWindow(t, i.Object())
	win.Resize(fyne.NewSize(1000, 600))
	elaRendered(t, loop, i.view)
	return i
}

// elaRendered waits until the latest render request is on screen.
func elaRendered(t *testing.T, loop *uiLoop, z *zoomView) {
	t.Helper()
	target := z.gen.Load()
	loop.until(t, "a frame", 10*time.Second, func() bool { return z.rendered.Load() >= target })
}

// elaWait waits for an ELA result to be applied.
func elaWait(t *testing.T, loop *uiLoop, i *inspector) {
	t.Helper()
	loop.until(t, "the ELA", 30*time.Second, func() bool {
		select {
		case <-i.ela.done:
			return true
		default:
			return false
		}
	})
}

// TestELAKeepsTheView: E shows the ELA (after a "computing" state) on the
// same zoom, pan and rotation; E again shows the original on that view; a
// new quality recomputes it.
func TestELAKeepsTheView(t *testing.T) {
	loop := newUILoop()
	i := elaOpen(t, loop)
	full := i.view.Source()
	i.view.ZoomBy(3)
	i.view.PanBy(120, -40)
	i.view.Rotate()
	want := i.view.View()
	if want == fitView {
		t.Fatal("the view did not change")
	}

	i.TypedKey(&fyne.KeyEvent{Name: fyne.KeyE})
	if !i.elaStatus.Visible() || !strings.Contains(i.elaStatus.Text, "Computing ELA at quality 90") {
		t.Errorf("no computing state: %q", i.elaStatus.Text)
	}
	if !i.elaNote.Visible() || !strings.Contains(i.elaNote.Text, "pasted") {
		t.Error("no note on how to read ELA")
	}
	elaWait(t, loop, i)
	ela := i.view.Source()
	if ela == full || ela == nil || ela != i.ela.img {
		t.Fatal("the view does not show the ELA")
	}
	if ela.Rect.Size() != full.Rect.Size() {
		t.Errorf("ELA is %v, the image %v", ela.Rect, full.Rect)
	}
	if got := i.view.View(); got != want {
		t.Errorf("view after ELA %+v, want %+v", got, want)
	}
	if i.elaStatus.Visible() {
		t.Errorf("status %q still shown", i.elaStatus.Text)
	}
	elaRendered(t, loop, i.view)

	// Flat colour, recompressed: the ELA is dark.
	if p := ela.RGBAAt(320, 240); p.R > 80 || p.G > 80 || p.B > 80 {
		t.Errorf("ELA of a flat image at the centre %v, want dark", p)
	}

	i.TypedKey(&fyne.KeyEvent{Name: fyne.KeyE})
	if i.view.Source() != full || i.view.View() != want || i.elaNote.Visible() {
		t.Error("E again does not show the original on the same view")
	}

	// Another quality: computed again, on the same view.
	i.TypedKey(&fyne.KeyEvent{Name: fyne.KeyE})
	if i.view.Source() != ela {
		t.Error("the computed ELA was not reused")
	}
	i.elaQuality.SetSelected("75")
	elaWait(t, loop, i)
	if i.ela.forQ != 75 || i.view.Source() == ela || i.view.Source() == full || i.view.View() != want {
		t.Errorf("quality 75: ELA for %d, view %+v", i.ela.forQ, i.view.View())
	}
}

// TestELABeforeTheDecode: E pressed while the full resolution still loads
// waits for it, then computes.
func TestELABeforeTheDecode(t *testing.T) {
	test.NewTempApp(t)
	loop := newUILoop()
	release := make(chan struct{})
	src := image.NewRGBA(image.Rect(0, 0, 64, 48))
	i := newInspector(inspectorInput{Title: "ID front", Data: []byte{1}, Do: loop.Do,
		decode: func([]byte, imaging.Options) (*image.RGBA, imaging.Info, error) {
			<-release
			return src, imaging.Info{}, nil
		}})
	defer i.Close()
	i.TypedKey(&fyne.KeyEvent{Name: fyne.KeyE})
	if !strings.Contains(i.elaStatus.Text, "waits for the full-resolution image") {
		t.Errorf("status %q", i.elaStatus.Text)
	}
	close(release)
	elaWait(t, loop, i)
	if i.view.Source() != i.ela.img || i.ela.img == nil {
		t.Error("the ELA is not shown once the image arrived")
	}
}
