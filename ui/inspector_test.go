package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"docvreview/imaging"
)

// inspTestJPEG encodes a w×h image of one colour at top quality.
func inspTestJPEG(t *testing.T, w, h int, c color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func inspTestMeta(data []byte) imaging.Metadata {
	sum := sha256.Sum256(data)
	return imaging.Metadata{
		Bytes:  len(data),
		SHA256: hex.EncodeToString(sum[:]),
		Info: imaging.Info{Format: imaging.JPEG, Width: 64, Height: 48, Orientation: 6,
			Subsampling: "4:2:0", Progressive: true},
		EXIF: &imaging.EXIF{Make: "TestCam", Model: "T-1000", Software: "Firmware 2.1",
			DateTimeOriginal: "2024:05:06 07:08:09+02:00", Orientation: 6,
			HasGPS: true, HasThumbnail: true, ThumbnailBytes: 1234},
		Warnings: []string{"EXIF thumbnail is larger than the image"},
	}
}

// inspWaitReady waits for the background decode to be applied.
func inspWaitReady(t *testing.T, i *inspector) {
	t.Helper()
	select {
	case <-i.ready:
	case <-time.After(10 * time.Second):
		t.Fatal("full-resolution decode never finished")
	}
}

// inspTexts collects the text of every label under o. It lays o out
// again: wait for a render before touching the inspector.
func inspTexts(o fyne.CanvasObject) []string {
	var out []string
	for _, obj := range test.LaidOutObjects(o) {
		if l, ok := obj.(*widget.Label); ok && l.Visible() {
			out = append(out, l.Text)
		}
	}
	return out
}

func inspHasText(texts []string, want string) bool {
	for _, s := range texts {
		if strings.Contains(s, want) {
			return true
		}
	}
	return false
}

// inspOpen makes an inspector on data, waits for the decode, then shows it.
func inspOpen(t *testing.T, in inspectorInput) (*inspector, fyne.Window) {
	t.Helper()
	i := newInspector(in)
	inspWaitReady(t, i) // before the window: nothing else touches the widgets meanwhile
	win := test.NewTempWindow(t, i.Object())
	zoomWaitRendered(t, i.view) // each layout step may render: wait before the next
	win.Resize(fyne.NewSize(1000, 600))
	zoomWaitRendered(t, i.view)
	return i, win
}

func TestInspectorShowsMetadataAndCopiesOnlyTheHash(t *testing.T) {
	test.NewTempApp(t)
	data := inspTestJPEG(t, 64, 48, color.RGBA{200, 100, 50, 255})
	meta := inspTestMeta(data)
	clip := test.NewClipboard()
	clip.SetContent("something else")
	i, _ := inspOpen(t, inspectorInput{Title: "ID front", Data: data, Meta: meta, Clipboard: clip})
	defer i.Close()

	texts := inspTexts(i.Object())
	zoomWaitRendered(t, i.view) // collecting lays out again, which may render
	for _, want := range []string{
		"ID front", fmt.Sprintf("%d bytes", len(data)), meta.SHA256, "JPEG, progressive",
		"64 × 48 px", "48 × 64 px", "4:2:0", "TestCam", "T-1000", "Firmware 2.1",
		"2024:05:06 07:08:09+02:00", "6 (rotated 90° clockwise)", "1.2 KiB (1,234 bytes)",
		"EXIF thumbnail is larger than the image",
	} {
		if !inspHasText(texts, want) {
			t.Errorf("panel lacks %q; has %q", want, texts)
		}
	}
	if i.status.Visible() {
		t.Errorf("status still shown after decode: %q", i.status.Text)
	}

	test.Tap(i.copyButton)
	if got := clip.Content(); got != meta.SHA256 {
		t.Errorf("clipboard = %q, want exactly the SHA-256 %q", got, meta.SHA256)
	}
}

func TestInspectorCopyDisabledWithoutClipboard(t *testing.T) {
	test.NewTempApp(t)
	data := inspTestJPEG(t, 8, 8, color.RGBA{A: 255})
	i, _ := inspOpen(t, inspectorInput{Title: "Selfie", Data: data, Meta: inspTestMeta(data)})
	defer i.Close()
	if !i.copyButton.Disabled() {
		t.Error("Copy enabled with no clipboard")
	}
	test.Tap(i.copyButton) // harmless
}

func TestInspectorMetadataRowsWithoutEXIF(t *testing.T) {
	rows := inspMetadataRows(imaging.Metadata{Bytes: 999, Info: imaging.Info{Format: imaging.PNG, Width: 3, Height: 2, Orientation: 1}})
	want := []inspRow{{"Size", "999 bytes"}, {"Format", "PNG"}, {"Stored", "3 × 2 px"}, {"Displayed", "3 × 2 px"}, {"EXIF", "none"}}
	if fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("rows = %v, want %v", rows, want)
	}
	rows = inspMetadataRows(imaging.Metadata{EXIF: &imaging.EXIF{}})
	for _, r := range rows {
		if r.value == "" {
			t.Errorf("row %q is empty", r.label)
		}
	}
}

func TestInspBytes(t *testing.T) {
	for n, want := range map[int]string{
		0: "0 bytes", 999: "999 bytes", 1024: "1.0 KiB (1,024 bytes)",
		5_242_880: "5.0 MiB (5,242,880 bytes)", -1234: "-1,234 bytes",
	} {
		if got := inspBytes(n); got != want {
			t.Errorf("inspBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestInspectorKeys(t *testing.T) {
	test.NewTempApp(t)
	data := inspTestJPEG(t, 800, 600, color.RGBA{255, 255, 255, 255})
	closed := 0
	i, _ := inspOpen(t, inspectorInput{Title: "ID back", Data: data, Meta: inspTestMeta(data), OnClose: func() { closed++ }})
	z := i.view
	key := func(k fyne.KeyName) {
		t.Helper()
		if !i.TypedKey(&fyne.KeyEvent{Name: k}) {
			t.Fatalf("key %s not handled", k)
		}
	}

	if !i.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.Key0, Modifier: fyne.KeyModifierControl}) {
		t.Fatal("Ctrl+0 not handled")
	}
	zoomWaitRendered(t, z)
	if p := z.ZoomPercent(); p < 99.9 || p > 100.1 {
		t.Errorf("Ctrl+0 gives %v %%", p)
	}
	if got := i.zoomLabel.Text; got != "100 %" {
		t.Errorf("zoom label %q, want \"100 %%\"", got)
	}

	before := z.View()
	key(fyne.KeyRight)
	key(fyne.KeyDown)
	zoomWaitRendered(t, z)
	if v := z.View(); v.CenterX <= before.CenterX || v.CenterY <= before.CenterY {
		t.Errorf("Right, Down: centre %v → %v, want both larger", before, v)
	}
	for range 100 {
		i.TypedKey(&fyne.KeyEvent{Name: fyne.KeyLeft})
		i.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	}
	zoomWaitRendered(t, z)
	if v := z.View(); v.CenterX <= 0 || v.CenterY <= 0 || v.CenterX >= 0.5 || v.CenterY >= 0.5 {
		t.Errorf("panned to the top-left edge: centre %v, want clamped inside (0, 0.5)", v)
	}

	scale := z.View().Scale
	key(fyne.KeyPlus)
	key(fyne.KeyEqual)
	zoomWaitRendered(t, z)
	if got, want := z.View().Scale, scale*inspZoomStep*inspZoomStep; !zoomNear(got, want) {
		t.Errorf("+ = : scale %v, want %v", got, want)
	}
	key(fyne.KeyMinus)
	zoomWaitRendered(t, z)
	if got, want := z.View().Scale, scale*inspZoomStep; !zoomNear(got, want) {
		t.Errorf("-: scale %v, want %v", got, want)
	}
	key(fyne.KeyR)
	key(fyne.Key0)
	zoomWaitRendered(t, z)
	zoomAssertView(t, z.View(), viewState{0.5, 0.5, 1, 1})

	if i.TypedKey(&fyne.KeyEvent{Name: fyne.KeyQ}) {
		t.Error("Q handled")
	}
	if i.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.Key0, Modifier: fyne.KeyModifierAlt}) {
		t.Error("Alt+0 handled")
	}
	if i.TypedShortcut(&fyne.ShortcutCopy{}) {
		t.Error("Ctrl+C handled")
	}

	key(fyne.KeyEscape)
	if closed != 1 {
		t.Errorf("OnClose called %d times, want 1", closed)
	}
	if i.full != nil || z.Source() != nil || z.img.Image != nil {
		t.Error("Esc kept the full-size image")
	}
}

func TestInspectorToneControls(t *testing.T) {
	test.NewTempApp(t)
	data := inspTestJPEG(t, 64, 48, color.RGBA{255, 255, 255, 255})
	i, _ := inspOpen(t, inspectorInput{Title: "ID front", Data: data, Meta: inspTestMeta(data)})
	defer i.Close()
	centre := func() color.RGBA {
		f := zoomWaitRendered(t, i.view)
		return f.RGBAAt(f.Bounds().Dx()/2, f.Bounds().Dy()/2)
	}
	if c := centre(); c.R < 250 {
		t.Fatalf("white shows as %v", c)
	}
	i.invert.SetChecked(true)
	if c := centre(); c.R > 5 || c.G > 5 || c.B > 5 {
		t.Errorf("inverted white shows as %v, want black", c)
	}
	i.invert.SetChecked(false)
	i.bright.SetValue(-50)
	if c := centre(); c.R > 200 || c.R < 50 {
		t.Errorf("brightness −50 %% shows white as %v", c)
	}
	if got := i.view.Adjustments(); !zoomNear(got.Brightness, -0.5) || got.Invert {
		t.Errorf("adjustments %+v", got)
	}

	// The keys B, C, G, I drive the same controls.
	i.bright.SetValue(0)
	zoomWaitRendered(t, i.view)
	for _, k := range []fyne.KeyName{fyne.KeyB, fyne.KeyC, fyne.KeyC, fyne.KeyG, fyne.KeyI} {
		if !i.TypedKey(&fyne.KeyEvent{Name: k}) {
			t.Fatalf("key %s not handled", k)
		}
		zoomWaitRendered(t, i.view)
	}
	want := imaging.Adjustments{Brightness: 0.25, Contrast: 0.5, Grayscale: true, Invert: true}
	if got := i.view.Adjustments(); got != want {
		t.Errorf("after B C C G I: %+v, want %+v", got, want)
	}
	if !i.gray.Checked || !i.invert.Checked || i.bright.Value != 25 || i.contrast.Value != 50 {
		t.Error("the toolbar does not show what the keys set")
	}
}

func TestInspNextPreset(t *testing.T) {
	v, seen := 0.0, []float64{}
	for range 5 {
		v = inspNextPreset(v)
		seen = append(seen, v)
	}
	if fmt.Sprint(seen) != "[25 50 -25 0 25]" {
		t.Errorf("presets cycle %v", seen)
	}
	if got := inspNextPreset(13); got != 0 {
		t.Errorf("from an odd value: %v, want 0", got)
	}
}

func TestInspectorShowsLoadingThenImage(t *testing.T) {
	test.NewTempApp(t)
	gate := make(chan struct{})
	data := inspTestJPEG(t, 16, 16, color.RGBA{A: 255})
	i := newInspector(inspectorInput{Title: "Selfie", Data: data, Meta: inspTestMeta(data),
		decode: func(b []byte, o imaging.Options) (*image.RGBA, imaging.Info, error) {
			<-gate
			return imaging.DecodeFull(b, o)
		}})
	win := test.NewTempWindow(t, i.Object())
	win.Resize(fyne.NewSize(900, 600))
	if !i.status.Visible() || i.status.Text != inspLoadingMsg {
		t.Errorf("while decoding: status %q visible %v", i.status.Text, i.status.Visible())
	}
	if got := i.zoomLabel.Text; got != "–" {
		t.Errorf("zoom label before the image: %q", got)
	}
	close(gate)
	inspWaitReady(t, i)
	zoomWaitRendered(t, i.view)
	if i.status.Visible() || i.view.Source() == nil {
		t.Error("decoded image not shown")
	}
	i.Close()
	if i.full != nil || i.view.Source() != nil {
		t.Error("Close kept the full-size image")
	}
	i.Close() // idempotent
}

func TestInspectorCloseWhileDecoding(t *testing.T) {
	test.NewTempApp(t)
	gate := make(chan struct{})
	data := inspTestJPEG(t, 16, 16, color.RGBA{A: 255})
	i := newInspector(inspectorInput{Data: data, decode: func(b []byte, o imaging.Options) (*image.RGBA, imaging.Info, error) {
		<-gate
		return imaging.DecodeFull(b, o)
	}})
	i.Close()
	close(gate)
	inspWaitReady(t, i)
	if i.full != nil || i.view.Source() != nil {
		t.Error("a decode finishing after Close was kept")
	}
}

func TestInspectorDecodeErrors(t *testing.T) {
	good := func(t *testing.T) []byte { return inspTestJPEG(t, 32, 32, color.RGBA{1, 2, 3, 255}) }
	tests := map[string]struct {
		data func(t *testing.T) []byte
		want string
	}{
		"truncated JPEG": {func(t *testing.T) []byte { d := good(t); return d[:len(d)/2] }, "corrupt"},
		"not an image":   {func(*testing.T) []byte { return []byte("%PDF-1.7 this is no picture") }, "not supported"},
		"empty":          {func(*testing.T) []byte { return nil }, "not supported"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			test.NewTempApp(t)
			i, _ := inspOpen(t, inspectorInput{Title: "ID front", Data: tc.data(t)})
			if i.view.Source() != nil {
				t.Fatal("a bad image got a source")
			}
			if !i.status.Visible() || !strings.Contains(i.status.Text, tc.want) {
				t.Errorf("status %q (visible %v), want it to mention %q", i.status.Text, i.status.Visible(), tc.want)
			}
			// Keys and Close stay harmless.
			i.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPlus})
			i.Close()
		})
	}
}

func TestInspDecodeMessage(t *testing.T) {
	for err, want := range map[error]string{
		fmt.Errorf("x: %w", imaging.ErrCorrupt):     "corrupt",
		fmt.Errorf("x: %w", imaging.ErrTooLarge):    "too large",
		fmt.Errorf("x: %w", imaging.ErrUnsupported): "not supported",
		errors.New("other"):                         "could not be decoded",
	} {
		if got := inspDecodeMessage(err); !strings.Contains(got, want) {
			t.Errorf("%v → %q, want %q", err, got, want)
		}
	}
}

// viewerTestQueue stands in for the Fyne goroutine: do queues, the test
// goroutine runs the queue.
type viewerTestQueue struct {
	mu sync.Mutex
	q  []func()
	ch chan struct{}
}

func newViewerTestQueue() *viewerTestQueue { return &viewerTestQueue{ch: make(chan struct{}, 1)} }

func (q *viewerTestQueue) do(fn func()) {
	q.mu.Lock()
	q.q = append(q.q, fn)
	q.mu.Unlock()
	select {
	case q.ch <- struct{}{}:
	default:
	}
}

// runUntil runs queued functions on the test goroutine until cond holds.
func (q *viewerTestQueue) runUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		q.mu.Lock()
		fns := q.q
		q.q = nil
		q.mu.Unlock()
		for _, fn := range fns {
			fn()
		}
		if cond() {
			return
		}
		select {
		case <-q.ch:
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// With an injected Do, all widget work happens where the queue runs: here
// on the test goroutine, as the window's tests drive it.
func TestInspectorReportsThroughInjectedDo(t *testing.T) {
	test.NewTempApp(t)
	q := newViewerTestQueue()
	data := inspTestJPEG(t, 64, 48, color.RGBA{255, 255, 255, 255})
	i := newInspector(inspectorInput{Title: "ID front", Data: data, Meta: inspTestMeta(data), Do: q.do})
	win := test.NewTempWindow(t, i.Object())
	win.Resize(fyne.NewSize(900, 600)) // no waiting needed: nothing runs off the queue
	decoded := func() bool {
		select {
		case <-i.ready:
			return true
		default:
			return false
		}
	}
	q.runUntil(t, "the decode", decoded)
	q.runUntil(t, "a frame", func() bool { return i.view.rendered.Load() == i.view.gen.Load() })
	i.invert.SetChecked(true)
	win.Resize(fyne.NewSize(700, 500))
	q.runUntil(t, "the inverted frame", func() bool { return i.view.rendered.Load() == i.view.gen.Load() })
	f := i.view.img.Image.(*image.RGBA)
	if c := f.RGBAAt(f.Bounds().Dx()/2, f.Bounds().Dy()/2); c.R > 5 {
		t.Errorf("inverted white shows as %v", c)
	}
	i.Close()
}

// The inspector's look: toolbar, image at 100 %, metadata panel.
func TestInspectorRendersToImage(t *testing.T) {
	test.NewTempApp(t)
	src := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			c := color.RGBA{uint8(60 + x/4), uint8(90 + y/4), 160, 255}
			if (x/8+y/8)%2 == 0 {
				c = color.RGBA{240, 240, 240, 255}
			}
			src.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	meta := inspTestMeta(data)
	meta.Info.Width, meta.Info.Height, meta.Info.Orientation, meta.EXIF.Orientation = 640, 480, 1, 1
	i, win := inspOpen(t, inspectorInput{Title: "ID front", Data: data, Meta: meta, Clipboard: test.NewClipboard()})
	defer i.Close()
	i.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.Key0, Modifier: fyne.KeyModifierControl})
	zoomWaitRendered(t, i.view)
	test.AssertImageMatches(t, "inspector_actual_size.png", win.Canvas().Capture())
}
