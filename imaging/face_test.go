package imaging

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"docvreview/assets"
	"docvreview/fetch/simulator"
)

// pigoSample decodes testdata/sample.jpg of the pigo module from the
// module cache (a photo of one face, 320×400), or skips the test.
func pigoSample(t testing.TB) *image.RGBA {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found: cannot locate pigo's testdata/sample.jpg in the module cache")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, goBin, "list", "-m", "-f", "{{.Dir}}", "github.com/esimov/pigo").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("go list -m github.com/esimov/pigo failed (%v): module not in the cache?", err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "testdata", "sample.jpg"))
	if err != nil {
		t.Skipf("pigo's testdata/sample.jpg is absent from the module cache: %v", err)
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode pigo sample: %v", err)
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Rect, img, img.Bounds().Min, draw.Src)
	return rgba
}

func testDetector(t testing.TB) *FaceDetector {
	t.Helper()
	d, err := DefaultFaceDetector()
	if err != nil {
		t.Fatalf("DefaultFaceDetector: %v", err)
	}
	return d
}

func TestDetectSampleFace(t *testing.T) {
	img := pigoSample(t)
	d := testDetector(t)
	faces := d.Detect(img)
	if len(faces) == 0 {
		t.Fatal("no face found on pigo's sample")
	}
	if len(faces) > 1 {
		t.Errorf("%d faces on a one-face photo: %+v", len(faces), faces)
	}
	f := faces[0]
	t.Logf("sample %v: face %v score %.1f angle %.1f° eyes %v %v", img.Rect, f.Rect, f.Score, f.Angle*180/math.Pi, f.Eyes, f.HasEyes)
	// The face fills a good part of the portrait.
	if w := f.Rect.Dx(); w < img.Rect.Dx()/4 || w > img.Rect.Dx() || f.Rect.Dx() != f.Rect.Dy() {
		t.Errorf("implausible face box %v on a %v photo", f.Rect, img.Rect)
	}
	if !f.Rect.In(img.Rect) {
		t.Errorf("face box %v outside the image %v", f.Rect, img.Rect)
	}
	if !f.HasEyes {
		t.Error("pupils not located on an upright frontal face")
	} else if deg := math.Abs(f.Angle) * 180 / math.Pi; deg > 8 {
		t.Errorf("roll %.1f° on an upright face", deg)
	}

	// The same face in other pixel types and at an offset origin.
	ycc := image.NewYCbCr(img.Rect, image.YCbCrSubsampleRatio444)
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			p := img.RGBAAt(x, y)
			yy, cb, cr := color.RGBToYCbCr(p.R, p.G, p.B)
			ycc.Y[ycc.YOffset(x, y)], ycc.Cb[ycc.COffset(x, y)], ycc.Cr[ycc.COffset(x, y)] = yy, cb, cr
		}
	}
	nrgba := image.NewNRGBA(img.Rect)
	draw.Draw(nrgba, nrgba.Rect, img, image.Point{}, draw.Src)
	shifted := img.SubImage(image.Rect(10, 20, img.Rect.Dx(), img.Rect.Dy())).(*image.RGBA)
	for name, im := range map[string]image.Image{"ycbcr": ycc, "nrgba": nrgba, "subimage": shifted} {
		got := d.Detect(im)
		if len(got) == 0 {
			t.Errorf("%s: no face", name)
			continue
		}
		if dx, dy := got[0].Rect.Min.X-f.Rect.Min.X, got[0].Rect.Min.Y-f.Rect.Min.Y; faceAbs(dx) > 12 || faceAbs(dy) > 12 {
			t.Errorf("%s: face %v, RGBA gave %v", name, got[0].Rect, f.Rect)
		}
	}
}

func faceAbs(v int) int { return max(v, -v) }

func TestDetectNoFaceOnBlankOrNoise(t *testing.T) {
	d := testDetector(t)
	blank := image.NewRGBA(image.Rect(0, 0, 800, 600))
	draw.Draw(blank, blank.Rect, image.NewUniform(color.RGBA{200, 200, 200, 255}), image.Point{}, draw.Src)
	rng := rand.New(rand.NewPCG(1, 2))
	noise := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(rng.IntN(256))
		if i%4 == 3 {
			noise.Pix[i] = 255
		}
	}
	// Smooth noise (blobs at face-like scales) is a harder case than white noise.
	blobs := RenderRegion(RenderRegion(noise, noise.Rect, 40, 30), image.Rect(0, 0, 40, 30), 800, 600)
	for name, img := range map[string]image.Image{"blank": blank, "noise": noise, "blobs": blobs, "tiny": image.NewRGBA(image.Rect(0, 0, 10, 10))} {
		if faces := d.Detect(img); len(faces) != 0 {
			t.Errorf("%s: %d faces found: %+v", name, len(faces), faces)
		}
	}
	if faces := d.Detect(nil); faces != nil {
		t.Errorf("nil image: %v", faces)
	}
	if faces := d.DetectScaled(nil, 800); faces != nil {
		t.Errorf("nil image scaled: %v", faces)
	}
}

func TestDetectScaledMapsBack(t *testing.T) {
	img := pigoSample(t)
	d := testDetector(t)
	direct := d.Detect(img)
	if len(direct) == 0 {
		t.Fatal("no face on the sample")
	}
	// Enlarge 3× (960×1200), then detect on an 800 px copy.
	big := RenderRegion(img, img.Rect, 3*img.Rect.Dx(), 3*img.Rect.Dy())
	faces := d.DetectScaled(big, DefaultDetectSide)
	if len(faces) == 0 {
		t.Fatal("DetectScaled found no face")
	}
	want := direct[0].Rect
	got := faces[0].Rect
	if !faceNear(got.Min.X, 3*want.Min.X, 30) || !faceNear(got.Min.Y, 3*want.Min.Y, 30) || !faceNear(got.Dx(), 3*want.Dx(), 40) {
		t.Errorf("scaled face %v, want about 3 × %v", got, want)
	}
	if faces[0].HasEyes && !faces[0].Eyes[0].In(got) {
		t.Errorf("eyes %v outside the mapped face %v", faces[0].Eyes, got)
	}
}

func faceNear(a, b, tol int) bool { return faceAbs(a-b) <= tol }

// rotateImage turns img by deg degrees clockwise on screen (around its
// centre) into a canvas of the same size, for tests.
func rotateImage(img *image.RGBA, deg float64) *image.RGBA {
	sin, cos := math.Sincos(-deg * math.Pi / 180)
	n := max(img.Rect.Dx(), img.Rect.Dy())
	sq := image.NewRGBA(image.Rect(0, 0, n, n))
	draw.Draw(sq, sq.Rect, image.NewUniform(color.RGBA{128, 128, 128, 255}), image.Point{}, draw.Src)
	draw.Draw(sq, img.Rect.Add(image.Pt((n-img.Rect.Dx())/2, (n-img.Rect.Dy())/2)), img, img.Rect.Min, draw.Src)
	return rotateCenter(sq, sin, cos, n)
}

func TestDetectRollAndCropLevelsEyes(t *testing.T) {
	img := pigoSample(t)
	d := testDetector(t)
	for _, deg := range []float64{-10, 10} {
		tilted := rotateImage(img, deg)
		faces := d.Detect(tilted)
		if len(faces) == 0 {
			t.Errorf("%+.0f°: no face", deg)
			continue
		}
		f := faces[0]
		t.Logf("%+.0f°: face %v, measured roll %.1f° (eyes %v, found %v)", deg, f.Rect, f.Angle*180/math.Pi, f.Eyes, f.HasEyes)
		if !f.HasEyes {
			t.Errorf("%+.0f°: pupils not located", deg)
			continue
		}
		if got := f.Angle * 180 / math.Pi; math.Abs(got-deg) > 5 {
			t.Errorf("%+.0f°: measured roll %.1f°", deg, got)
		}
		// The levelled crop shows the eyes level again: detecting on it
		// measures (almost) no roll.
		crop := CropFace(tilted, f, 256, 0.4)
		again := d.Detect(crop)
		if len(again) == 0 || !again[0].HasEyes {
			t.Errorf("%+.0f°: no face or pupils on the levelled crop", deg)
			continue
		}
		if got := again[0].Angle * 180 / math.Pi; math.Abs(got) > 4 {
			t.Errorf("%+.0f°: levelled crop still rolls %.1f°", deg, got)
		}
	}
}

func TestCropFace(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 200, 100))
	for y := 0; y < 100; y++ {
		for x := 0; x < 200; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), 0, 255})
		}
	}
	tests := []struct {
		name   string
		face   Face
		size   int
		margin float64
	}{
		{"inside", Face{Rect: image.Rect(50, 20, 110, 80)}, 64, 0.25},
		{"no margin", Face{Rect: image.Rect(50, 20, 110, 80)}, 60, 0},
		{"negative margin", Face{Rect: image.Rect(50, 20, 110, 80)}, 32, -1},
		{"partly outside", Face{Rect: image.Rect(-30, -30, 30, 30)}, 100, 0.5},
		{"entirely outside", Face{Rect: image.Rect(500, 500, 560, 560)}, 16, 0.2},
		{"rolled", Face{Rect: image.Rect(50, 20, 110, 80), Angle: 0.3}, 128, 0.3},
		{"rolled near edge", Face{Rect: image.Rect(150, 50, 210, 110), Angle: -0.2}, 50, 0.3},
		{"empty box", Face{}, 8, 0.3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := CropFace(img, tt.face, tt.size, tt.margin)
			if c.Rect != image.Rect(0, 0, tt.size, tt.size) {
				t.Fatalf("crop %v, want %d×%d", c.Rect, tt.size, tt.size)
			}
		})
	}
	if c := CropFace(img, tests[0].face, 0, 0.3); !c.Rect.Empty() {
		t.Errorf("size 0: %v", c.Rect)
	}
	if c := CropFace(nil, tests[0].face, 10, 0.3); c.Rect != image.Rect(0, 0, 0, 0) {
		t.Errorf("nil image: %v", c.Rect)
	}

	// Without margin or roll the crop is the face box itself: the centre
	// pixel of a 60 px crop of box (50,20)-(110,80) is source pixel (80,50).
	c := CropFace(img, tests[1].face, 60, 0)
	if p := c.RGBAAt(30, 30); !faceNear(int(p.R), 80, 1) || !faceNear(int(p.G), 50, 1) {
		t.Errorf("centre pixel %v, want about (80, 50)", p)
	}
	// A crop reaching outside the image is transparent there, opaque inside.
	c = CropFace(img, tests[3].face, 100, 0.5)
	if a := c.RGBAAt(5, 5).A; a != 0 {
		t.Errorf("outside pixel alpha %d, want 0", a)
	}
	if a := c.RGBAAt(95, 95).A; a != 255 {
		t.Errorf("inside pixel alpha %d, want 255", a)
	}
	// A rolled crop keeps the face centre at its centre.
	c = CropFace(img, tests[5].face, 128, 0.3)
	if p := c.RGBAAt(64, 64); !faceNear(int(p.R), 80, 2) || !faceNear(int(p.G), 50, 2) {
		t.Errorf("rolled crop centre %v, want about (80, 50)", p)
	}
}

func TestRotateCenterDirection(t *testing.T) {
	// Output point p shows source point centre + R·p: at +90°, the output
	// point 5 px below the centre shows the source point 5 px left of it.
	src := image.NewRGBA(image.Rect(0, 0, 21, 21))
	src.SetRGBA(5, 10, color.RGBA{255, 255, 255, 255}) // left of centre (10,10)
	out := rotateCenter(src, 1, 0, 21)                 // +90°
	if p := out.RGBAAt(10, 15); p.R < 250 {
		t.Errorf("after +90°, pixel below centre = %v, want white", p)
	}
}

func TestFaceDetectorBadCascades(t *testing.T) {
	good := assets.FaceCascade()
	pup := assets.PupilCascade()
	tests := []struct {
		name       string
		face, pupl []byte
	}{
		{"empty face", nil, nil},
		{"short face", good[:15], nil},
		{"truncated face", good[:len(good)-1], nil},
		{"absurd depth", append(append([]byte{}, good[:8]...), 0xff, 0xff, 0xff, 0x7f, 1, 0, 0, 0), nil},
		{"zero trees", append(append([]byte{}, good[:12]...), 0, 0, 0, 0), nil},
		{"truncated pupils", good, pup[:len(pup)-1]},
		{"short pupils", good, pup[:3]},
		{"garbage pupils", good, bytes.Repeat([]byte{0xff}, 64)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := NewFaceDetectorWithPupils(tt.face, tt.pupl)
			if !errors.Is(err, ErrBadCascade) || d != nil {
				t.Fatalf("got %v, %v; want ErrBadCascade", d, err)
			}
		})
	}
	d, err := NewFaceDetector(good)
	if err != nil {
		t.Fatal(err)
	}
	// Without the pupil cascade faces have no roll.
	if img := pigoSampleOrNil(t); img != nil {
		faces := d.Detect(img)
		if len(faces) == 0 || faces[0].HasEyes || faces[0].Angle != 0 {
			t.Errorf("detector without pupils: %+v", faces)
		}
	}
}

// pigoSampleOrNil is pigoSample without skipping.
func pigoSampleOrNil(t *testing.T) (img *image.RGBA) {
	var skipped bool
	t.Run("sample", func(t *testing.T) {
		skipped = true
		img = pigoSample(t)
		skipped = false
	})
	if skipped {
		return nil
	}
	return img
}

func TestLargest(t *testing.T) {
	if _, ok := Largest(nil); ok {
		t.Error("Largest(nil) ok")
	}
	faces := []Face{
		{Rect: image.Rect(0, 0, 10, 10), Score: 50},
		{Rect: image.Rect(0, 0, 30, 30), Score: 10},
		{Rect: image.Rect(5, 5, 35, 35), Score: 20},
	}
	if f, ok := Largest(faces); !ok || f.Score != 20 {
		t.Errorf("Largest = %+v, %v; want the 30 px box with score 20", f, ok)
	}
}

func TestDetectConcurrent(t *testing.T) {
	img := pigoSample(t)
	d := testDetector(t)
	want := d.Detect(img)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Go(func() {
			got := d.Detect(img)
			if len(got) != len(want) || len(got) > 0 && got[0].Rect != want[0].Rect {
				t.Errorf("concurrent Detect: %v, want %v", got, want)
			}
		})
	}
	wg.Wait()
}

// TestSimulatorFaces reports whether the drawn faces of the simulator's
// happy case are found (they are cartoons: logged, not required).
func TestSimulatorFaces(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the simulator's 12 MP images")
	}
	zb := simulatorZIP(t)
	zr, err := zip.NewReader(bytes.NewReader(zb), int64(len(zb)))
	if err != nil {
		t.Fatalf("simulator ZIP: %v", err)
	}
	d := testDetector(t)
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		if !strings.HasSuffix(name, ".jpg") || !(strings.Contains(name, "front") || strings.Contains(name, "selfie")) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		disp, err := DecodeForDisplay(data, DefaultDetectSide, DefaultDetectSide, Options{})
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		start := time.Now()
		faces := d.Detect(disp.Image)
		el := time.Since(start)
		if len(faces) == 0 {
			t.Logf("%s (%v): no face found in %v (a drawing: not required)", f.Name, disp.Image.Rect.Size(), el)
			continue
		}
		big, _ := Largest(faces)
		t.Logf("%s (%v): %d face(s) in %v; largest %v score %.1f roll %.1f° eyes %v",
			f.Name, disp.Image.Rect.Size(), len(faces), el, big.Rect, big.Score, big.Angle*180/math.Pi, big.HasEyes)
	}
}

// simulatorZIP returns the happy case's ZIP, or skips while the simulator
// is a stub.
func simulatorZIP(t *testing.T) (zb []byte) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Skipf("simulator not available yet: %v", r)
		}
	}()
	zb = simulator.CaseZIP(simulator.HappyID)
	if len(zb) == 0 {
		t.Skip("simulator returned no ZIP for the happy case")
	}
	return zb
}
