package ui

import (
	"image"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
	"docvreview/imaging"
)

// openCompare opens compare mode on the happy case and waits until both
// images are decoded and searched for faces.
func openCompareOnHappy(t *testing.T) (*harness, *compareView) {
	t.Helper()
	h := newHarness(t, Options{Env: eval.Demo})
	h.open(simulator.HappyID)
	h.key(fyne.KeyC)
	c, ok := h.viewer().(*compareView)
	if !ok {
		t.Fatalf("C opened %T; status %q", h.viewer(), h.status())
	}
	waitCompare(t, h.loop, c)
	return h, c
}

// waitCompare runs the loop until c has applied its faces.
func waitCompare(t *testing.T, l *uiLoop, c *compareView) {
	t.Helper()
	l.until(t, "compare to decode and detect", 30*time.Second, func() bool {
		select {
		case <-c.ready:
			return true
		default:
			return false
		}
	})
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

// TestCompareMode opens compare on the happy case once and checks, in
// order: the mirrored loupe, following through the face boxes, following
// at the same relative position (no faces), fit, and Esc.
func TestCompareMode(t *testing.T) {
	h, c := openCompareOnHappy(t)
	t.Run("loupe", func(t *testing.T) { checkMirroredLoupes(t, c) })
	t.Run("face boxes", func(t *testing.T) { checkFollowThroughFaces(t, c) })
	t.Run("relative", func(t *testing.T) { checkFollowRelative(t, h, c) })
}

func checkFollowRelative(t *testing.T, h *harness, c *compareView) {
	a, b := c.sides[0].view, c.sides[1].view
	if a.Source() == nil || b.Source() == nil {
		t.Fatalf("sources not shown: %v %v", a.Source() != nil, b.Source() != nil)
	}
	if a.Size().Width < 100 || b.Size().Width < 100 {
		t.Fatalf("views not laid out: %v %v", a.Size(), b.Size())
	}
	t.Logf("faces found: front %v, selfie %v; crops: %q", c.faces[0].found, c.faces[1].found, c.crops.msg.Text)
	// With faces the views follow through the face boxes (next test);
	// here the plain relative mapping is under test.
	c.faces = [2]compareFace{}
	a.Fit()
	s := a.Size()
	a.ZoomAt(4, fyne.NewPos(s.Width*0.45, s.Height*0.55))
	va, vb := a.View(), b.View()
	if va.Scale < 3.9 {
		t.Fatalf("zoom did not apply: %+v", va)
	}
	if !near(va.CenterX, vb.CenterX) || !near(va.CenterY, vb.CenterY) || !near(va.Scale, vb.Scale) {
		t.Errorf("after zoom: front %+v, selfie %+v", va, vb)
	}
	b.PanBy(-30, 20) // the other way round: the selfie leads
	va, vb = a.View(), b.View()
	if vb == (viewState{}) || !near(va.CenterX, vb.CenterX) || !near(va.CenterY, vb.CenterY) {
		t.Errorf("after pan: front %+v, selfie %+v", va, vb)
	}
	h.key(fyne.Key0)
	if a.View().Scale != 1 || b.View().Scale != 1 {
		t.Errorf("0 did not fit both: %+v %+v", a.View(), b.View())
	}
	h.key(fyne.KeyEscape)
	if h.viewer() != nil || a.Source() != nil || b.Source() != nil {
		t.Error("Esc left compare open or its full-size copies held")
	}
	if len(h.panes()) != 3 {
		t.Error("Esc did not return to the case")
	}
}

func checkFollowThroughFaces(t *testing.T, c *compareView) {
	a, b := c.sides[0].view, c.sides[1].view
	ab, bb := a.Source().Bounds(), b.Source().Bounds()
	// Faces as detection would report them: different places and sizes.
	c.faces[0] = compareFace{found: true, face: imaging.Face{Rect: image.Rect(ab.Dx()/10, ab.Dy()/4, ab.Dx()/10+400, ab.Dy()/4+400)}}
	c.faces[1] = compareFace{found: true, face: imaging.Face{Rect: image.Rect(bb.Dx()/3, bb.Dy()/3, bb.Dx()/3+300, bb.Dy()/3+300)}}
	fa, fb := c.faces[0].face.Rect, c.faces[1].face.Rect
	// The centre of the front's face box (left eye level, say).
	x := (float64(fa.Min.X) + 200) / float64(ab.Dx())
	y := (float64(fa.Min.Y) + 140) / float64(ab.Dy())
	v := a.View()
	v.CenterX, v.CenterY, v.Scale = x, y, 6
	a.SetView(v)
	c.follow(0, a.View())
	got := b.View()
	wantX := (float64(fb.Min.X) + 150) / float64(bb.Dx())
	wantY := (float64(fb.Min.Y) + 105) / float64(bb.Dy())
	if math.Abs(got.CenterX-wantX) > 1e-3 || math.Abs(got.CenterY-wantY) > 1e-3 {
		t.Errorf("selfie centre %.4f,%.4f, want the same spot of its face %.4f,%.4f", got.CenterX, got.CenterY, wantX, wantY)
	}
	// Same face size on screen: physical pixels per face box width.
	fitA, _ := a.fitScale(0)
	fitB, _ := b.fitScale(0)
	pa := fitA * a.View().Scale * float64(fa.Dx())
	pb := fitB * got.Scale * float64(fb.Dx())
	if math.Abs(pa-pb)/pa > 1e-3 {
		t.Errorf("face width on screen: front %.1f px, selfie %.1f px", pa, pb)
	}
}

func checkMirroredLoupes(t *testing.T, c *compareView) {
	a := c.sides[0]
	s := a.Size()
	pos := fyne.NewPos(s.Width*0.4, s.Height*0.5)
	a.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos}})
	if a.loupe.Visible() {
		t.Fatal("loupe shown without Shift")
	}
	a.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos}, Modifier: fyne.KeyModifierShift})
	for i, side := range c.sides {
		if !side.loupe.Visible() || side.loupe.Image == nil {
			t.Fatalf("side %d: no loupe with Shift held", i)
		}
		if b := side.loupe.Image.Bounds(); b.Dx() != compareLoupeSide || b.Dy() != compareLoupeSide {
			t.Errorf("side %d: loupe %v", i, b)
		}
	}
	x, y, _ := viewPointToSource(a.view, pos)
	x, y = c.mapPoint(0, x, y) // the same spot of the other image (through the faces when found)
	ox, oy, ok := viewPointToSource(c.sides[1].view, c.sides[1].loupeC)
	if !ok || math.Abs(ox-x) > 0.01 || math.Abs(oy-y) > 0.01 {
		t.Errorf("mirrored loupe at %.3f,%.3f, want %.3f,%.3f", ox, oy, x, y)
	}
	c.setShift(false)
	if a.loupe.Visible() || c.sides[1].loupe.Visible() {
		t.Error("loupes stay after Shift was released")
	}
}

func TestCompareNeedsFrontAndSelfie(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	h.key(fyne.KeyC)
	if h.viewer() != nil || !strings.Contains(h.status(), "Open a case first") {
		t.Errorf("C without a case: viewer %v, status %q", h.viewer(), h.status())
	}
	h.open(simulator.HostileID) // one good front, no selfie
	h.key(fyne.KeyC)
	if h.viewer() != nil || !strings.Contains(h.status(), "selfie") {
		t.Errorf("C without a selfie: viewer %v, status %q", h.viewer(), h.status())
	}
}

// pigoSample reads pigo's sample photo from the module cache.
func pigoSampleBytes(t *testing.T) []byte {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/esimov/pigo").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("pigo's module directory is not available (go list: %v): no sample face to test on", err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "testdata", "sample.jpg"))
	if err != nil {
		t.Skipf("pigo's testdata/sample.jpg is absent from the module cache: %v", err)
	}
	return data
}

func TestFaceCropsOnPigoSample(t *testing.T) {
	data := pigoSampleBytes(t)
	a := test.NewTempApp(t)
	w := a.NewWindow("compare")
	loop := newUILoop()
	c := newCompareView(compareInput{Front: data, Selfie: data, Canvas: w.Canvas(), Do: loop.Do})
	w.SetContent(c.Object())
	w.Resize(fyne.NewSize(1000, 700))
	defer w.Close()
	start := time.Now()
	waitCompare(t, loop, c)
	t.Logf("decode + detection of both images: %s (under -race: slower)", time.Since(start))
	for i, f := range c.faces {
		if !f.found {
			t.Fatalf("image %d: no face on pigo's sample", i)
		}
		if b := f.crop.Bounds(); b.Dx() != compareCropSize || b.Dy() != compareCropSize {
			t.Errorf("crop %d is %v, want %d px square", i, b, compareCropSize)
		}
	}
	if !c.facesAligned() {
		t.Error("faces found but the views are not aligned on them")
	}
	p := c.crops
	if p.left.Image != p.crops[0] || p.right.Image != p.crops[1] || !p.right.Visible() {
		t.Error("side by side does not show both crops")
	}
	c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF})
	if p.mode != cropSplit || p.left.Image != p.split || p.right.Visible() {
		t.Errorf("F: mode %v", p.mode)
	}
	// The split's left half is the front crop, its right half the selfie's.
	if p.split.RGBAAt(10, 160) != p.crops[0].RGBAAt(10, 160) || p.split.RGBAAt(300, 160) != p.crops[1].RGBAAt(300, 160) {
		t.Error("the split is not half of each crop")
	}
	c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF})
	if p.mode != cropFlicker {
		t.Fatalf("F twice: mode %v", p.mode)
	}
	before := p.left.Image
	loop.until(t, "the flicker to swap the crop", 5*time.Second, func() bool { return p.left.Image != before })
	c.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF})
	if p.mode != cropSideBySide || p.ticker != nil {
		t.Errorf("F three times: mode %v, flicker running %v", p.mode, p.ticker != nil)
	}
	c.Close()
	if p.crops[0] != nil || c.sides[0].view.Source() != nil {
		t.Error("Close kept the crops or a full-size copy")
	}
}

func TestCropPanelSaysWhichImageHasNoFace(t *testing.T) {
	crop := image.NewRGBA(image.Rect(0, 0, compareCropSize, compareCropSize))
	found := compareFace{found: true, crop: crop}
	cases := map[string]struct {
		faces    [2]compareFace
		msg      string
		left     bool // a crop is shown
		canCycle bool
	}{
		"neither":   {[2]compareFace{}, "No face found on the ID front or the selfie — compare manually.", false, false},
		"no front":  {[2]compareFace{{}, found}, "No face found on the ID front — compare manually.", true, false},
		"no selfie": {[2]compareFace{found, {}}, "No face found on the selfie — compare manually.", true, false},
		"both":      {[2]compareFace{found, found}, "Face crops", true, true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			test.NewTempApp(t)
			p := newCropPanel(func(f func()) { f() })
			p.show(tc.faces)
			if !strings.HasPrefix(p.msg.Text, tc.msg) {
				t.Errorf("message %q, want %q", p.msg.Text, tc.msg)
			}
			if (p.left.Image != nil) != tc.left {
				t.Errorf("crop shown %v, want %v", p.left.Image != nil, tc.left)
			}
			p.cycle()
			if (p.mode == cropSplit) != tc.canCycle {
				t.Errorf("F moved to %v", p.mode)
			}
			p.clear()
		})
	}
}
