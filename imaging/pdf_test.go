package imaging

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/requests"
)

func readPDFTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "pdf", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// near reports whether c is within tol of want on every channel.
func near(c color.RGBA, want color.RGBA, tol int) bool {
	d := func(a, b uint8) bool { x := int(a) - int(b); return x <= tol && x >= -tol }
	return d(c.R, want.R) && d(c.G, want.G) && d(c.B, want.B) && d(c.A, want.A)
}

var (
	white = color.RGBA{255, 255, 255, 255}
	blue  = color.RGBA{0, 0, 255, 255}
)

func TestPDFOpenAndRender(t *testing.T) {
	e := testPDFEngine(t)
	d := openTestPDF(t, e, makePDF(testPDF{pages: 2}))
	if got := d.Pages(); got != 2 {
		t.Fatalf("Pages = %d, want 2", got)
	}
	tests := []struct {
		name          string
		page          int
		dpi           float64
		width, height int
	}{
		{"page 1 at 72 DPI", 0, 72, 612, 792},
		{"page 2 at 100 DPI", 1, 100, 850, 1100},
		{"fractional DPI rounds", 0, 36.4, 306, 396},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, err := d.Render(context.Background(), tc.page, tc.dpi)
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b != image.Rect(0, 0, tc.width, tc.height) {
				t.Fatalf("bounds %v, want %dx%d", b, tc.width, tc.height)
			}
			s := tc.dpi / 72
			if s != math.Round(tc.dpi)/72 {
				s = math.Round(tc.dpi) / 72
			}
			// Rectangle 72..272 × 72..172 pt from the bottom left.
			inside := img.RGBAAt(int(172*s), tc.height-int(122*s))
			if !near(inside, blue, 2) {
				t.Errorf("inside rectangle = %v, want blue", inside)
			}
			if corner := img.RGBAAt(int(10*s), int(10*s)); !near(corner, white, 0) {
				t.Errorf("corner = %v, want white", corner)
			}
			// The text line near the top leaves dark pixels.
			if !hasDarkPixel(img, image.Rect(int(72*s), int(70*s), int(200*s), int(100*s))) {
				t.Error("no text rendered near the top")
			}
		})
	}
}

func hasDarkPixel(img *image.RGBA, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if c := img.RGBAAt(x, y); c.R < 100 && c.G < 100 && c.B < 100 {
				return true
			}
		}
	}
	return false
}

func TestPDFTransparentPageIsOpaqueOnWhite(t *testing.T) {
	e := testPDFEngine(t)
	d := openTestPDF(t, e, makePDF(testPDF{transparent: true}))
	img, err := d.Render(context.Background(), 0, 72)
	if err != nil {
		t.Fatal(err)
	}
	if c := img.RGBAAt(10, 10); !near(c, white, 0) {
		t.Errorf("background = %v, want opaque white", c)
	}
	if c := img.RGBAAt(172, 792-122); !near(c, blue, 2) {
		t.Errorf("rectangle = %v, want blue", c)
	}
	for i := 3; i < len(img.Pix); i += 4 {
		if img.Pix[i] != 255 {
			t.Fatalf("pixel %d has alpha %d, want opaque", i/4, img.Pix[i])
		}
	}
}

func TestPDFOpenBadInput(t *testing.T) {
	e := testPDFEngine(t)
	good := makePDF(testPDF{pages: 2})
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"nil", nil, ErrNotPDF},
		{"empty", []byte{}, ErrNotPDF},
		{"HTML named .pdf", []byte("<!DOCTYPE html><html><body>Not found</body></html>"), ErrNotPDF},
		{"header beyond 1024 bytes", append(bytes.Repeat([]byte(" "), 1100), good...), ErrNotPDF},
		{"JPEG bytes", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0}, ErrNotPDF},
		{"header only", []byte("%PDF-1.7\n"), ErrPDFCorrupt},
		{"header and garbage", append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{0x9a, 0x00, 0x17}, 300)...), ErrPDFCorrupt},
		{"truncated to 200 bytes", good[:200], ErrPDFCorrupt},
		{"truncated to half", good[:len(good)/2], ErrPDFCorrupt},
		{"password-protected", readPDFTestdata(t, "encrypted-user-password.pdf"), ErrPDFEncrypted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			d, err := e.Open(context.Background(), tc.data)
			if err == nil {
				d.Close()
				t.Fatalf("Open succeeded, want %v", tc.want)
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("Open error = %v, want %v", err, tc.want)
			}
			if el := time.Since(start); el > 5*time.Second {
				t.Errorf("took %v", el)
			}
		})
	}
	// The engine still works after all of that.
	d := openTestPDF(t, e, good)
	if _, err := d.Render(context.Background(), 1, 30); err != nil {
		t.Fatal(err)
	}
}

func TestPDFOwnerPasswordOnlyOpens(t *testing.T) {
	// No user password: viewers open it without asking, and so do we.
	d := openTestPDF(t, testPDFEngine(t), readPDFTestdata(t, "encrypted-owner-password-only.pdf"))
	img, err := d.Render(context.Background(), 0, 72)
	if err != nil {
		t.Fatal(err)
	}
	if c := img.RGBAAt(172, 792-122); !near(c, blue, 2) {
		t.Errorf("rectangle = %v, want blue", c)
	}
}

func TestPDFHugePageCount(t *testing.T) {
	start := time.Now()
	d := openTestPDF(t, testPDFEngine(t), makePDF(testPDF{claimedCount: 1_000_000}))
	if got := d.Pages(); got != 1_000_000 {
		t.Errorf("Pages = %d, want the claimed 1000000", got)
	}
	if _, err := d.Render(context.Background(), 0, 20); err != nil {
		t.Errorf("page 1: %v", err)
	}
	for _, page := range []int{1, 2, 500_000, 999_999, 1_000_000, -1} {
		if _, err := d.Render(context.Background(), page, 20); !errors.Is(err, ErrPDFPage) {
			t.Errorf("page index %d: err = %v, want ErrPDFPage", page, err)
		}
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("took %v", el)
	}
}

func TestPDFRenderBadRequest(t *testing.T) {
	e := testPDFEngine(t)
	d := openTestPDF(t, e, makePDF(testPDF{}))
	big := openTestPDF(t, e, makePDF(testPDF{width: 14400, height: 14400}))
	tests := []struct {
		name string
		doc  *PDFDocument
		page int
		dpi  float64
		want error // nil: any error
	}{
		{"negative page", d, -1, 72, ErrPDFPage},
		{"page past the end", d, 1, 72, ErrPDFPage},
		{"zero DPI", d, 0, 0, nil},
		{"negative DPI", d, 0, -72, nil},
		{"NaN DPI", d, 0, math.NaN(), nil},
		{"infinite DPI", d, 0, math.Inf(1), nil},
		{"DPI above the maximum", d, 0, MaxPDFDPI + 1, nil},
		{"output above 40 MP", d, 0, 800, ErrTooLarge},
		{"huge MediaBox", big, 0, 72, ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, err := tc.doc.Render(context.Background(), tc.page, tc.dpi)
			if err == nil {
				t.Fatalf("Render gave a %v image, want an error", img.Bounds())
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	// Just under the cap renders — within the engine's 30 s render limit, a
	// speed the race detector does not promise: checked in the non-race pass.
	if raceEnabled {
		return
	}
	if img, err := big.Render(context.Background(), 0, 31); err != nil {
		t.Errorf("6200×6200 render: %v", err)
	} else if img.Bounds().Dx() != 6200 {
		t.Errorf("width %d, want 6200", img.Bounds().Dx())
	}
}

func TestPDFConcurrentUse(t *testing.T) {
	e := testPDFEngine(t)
	data := makePDF(testPDF{pages: 3})
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := e.Open(context.Background(), data)
			if err != nil {
				errs <- err
				return
			}
			defer d.Close()
			for p := 0; p < d.Pages(); p++ {
				img, err := d.Render(context.Background(), p, 40)
				if err != nil {
					errs <- err
					return
				}
				if img.Bounds().Dx() != 340 {
					errs <- errors.New("wrong width")
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestPDFCancelledContexts(t *testing.T) {
	e := testPDFEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Open(ctx, makePDF(testPDF{})); !errors.Is(err, context.Canceled) {
		t.Errorf("Open with cancelled ctx: %v, want context.Canceled", err)
	}
	d := openTestPDF(t, e, makePDF(testPDF{}))
	if _, err := d.Render(ctx, 0, 72); !errors.Is(err, context.Canceled) {
		t.Errorf("Render with cancelled ctx: %v, want context.Canceled", err)
	}
	if _, err := d.Render(context.Background(), 0, 72); err != nil {
		t.Errorf("Render after: %v", err)
	}
}

// A render interrupted by its context kills the worker; every open document
// is reloaded into the next one.
func TestPDFRenderInterrupted(t *testing.T) {
	e := testPDFEngine(t)
	// PDFium keeps a parsed page, and parsing is most of the work: time the
	// first render of one copy, then interrupt the first render of another.
	heavy := makePDF(testPDF{heavyOps: 40_000})
	timed := openTestPDF(t, e, heavy)
	victim := openTestPDF(t, e, heavy)
	other := openTestPDF(t, e, makePDF(testPDF{}))

	start := time.Now()
	if _, err := timed.Render(context.Background(), 0, 100); err != nil {
		t.Fatal(err)
	}
	full := time.Since(start)
	if full < 150*time.Millisecond {
		t.Skipf("heavy page renders in %v, too fast to interrupt reliably", full)
	}

	ctx, cancel := context.WithTimeout(context.Background(), full/10)
	defer cancel()
	start = time.Now()
	_, err := victim.Render(ctx, 0, 100)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("interrupted render: %v, want DeadlineExceeded", err)
	}
	if el := time.Since(start); el > full/2+100*time.Millisecond {
		t.Errorf("interruption took %v (full render %v)", el, full)
	}
	for name, d := range map[string]*PDFDocument{"other": other, "victim": victim} {
		if _, err := d.Render(context.Background(), 0, 20); err != nil {
			t.Errorf("%s document after interruption: %v", name, err)
		}
	}
}

func TestPDFEngineInitFailure(t *testing.T) {
	e := NewPDFEngine("")
	e.wasm = []byte("\x00asm but not really")
	t.Cleanup(func() { _ = e.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := e.WaitReady(ctx); !errors.Is(err, ErrPDFEngine) {
		t.Fatalf("WaitReady: %v, want ErrPDFEngine", err)
	}
	_, err := e.Open(ctx, makePDF(testPDF{}))
	if !errors.Is(err, ErrPDFEngine) {
		t.Fatalf("Open: %v, want ErrPDFEngine", err)
	}
	if !strings.Contains(err.Error(), "PDF engine unavailable") {
		t.Errorf("message %q does not say the engine is unavailable", err)
	}
}

func TestPDFOpenWaitsForStartHonouringContext(t *testing.T) {
	skipWithoutEngine(t) // Close waits for the start
	testPDFEngine(t)     // so that this engine's start is warm
	e := newPDFTestEngine()
	t.Cleanup(func() { _ = e.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	_, err := e.Open(ctx, makePDF(testPDF{}))
	// Either the engine was not ready within 1 ms (the usual case) or the
	// open itself saw the expired context.
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Open: %v, want DeadlineExceeded", err)
	}
}

func TestPDFEngineClose(t *testing.T) {
	t.Run("before start", func(t *testing.T) {
		e := NewPDFEngine("")
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Open(context.Background(), makePDF(testPDF{})); !errors.Is(err, ErrPDFEngine) {
			t.Fatalf("Open after Close: %v, want ErrPDFEngine", err)
		}
		e.Start() // no effect, no panic
		if err := e.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
	})
	t.Run("with an open document", func(t *testing.T) {
		e := ownPDFEngine(t)
		d, err := e.Open(context.Background(), makePDF(testPDF{}))
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Render(context.Background(), 0, 72); !errors.Is(err, ErrPDFEngine) {
			t.Errorf("Render after engine Close: %v, want ErrPDFEngine", err)
		}
		if err := d.Close(); err != nil {
			t.Errorf("document Close after engine Close: %v", err)
		}
		if _, err := e.Open(context.Background(), makePDF(testPDF{})); !errors.Is(err, ErrPDFEngine) {
			t.Errorf("Open after Close: %v, want ErrPDFEngine", err)
		}
	})
	t.Run("document closed twice", func(t *testing.T) {
		e := testPDFEngine(t)
		d, err := e.Open(context.Background(), makePDF(testPDF{}))
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Render(context.Background(), 0, 72); !errors.Is(err, ErrPDFEngine) {
			t.Errorf("Render after Close: %v, want ErrPDFEngine", err)
		}
	})
}

func TestPDFWorkerReleasedWhenIdle(t *testing.T) {
	e := testPDFEngine(t) // tests close their documents when they end
	d := openTestPDF(t, e, makePDF(testPDF{}))
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	e.sem <- struct{}{}
	idle := e.inst == nil
	<-e.sem
	if !idle {
		t.Error("worker kept after the last document closed")
	}
	d2 := openTestPDF(t, e, makePDF(testPDF{}))
	if _, err := d2.Render(context.Background(), 0, 30); err != nil {
		t.Fatal(err)
	}
}

// The sandbox is given an empty filesystem: PDFium cannot open a host file
// even by path.
func TestPDFSandboxSeesNoFiles(t *testing.T) {
	e := testPDFEngine(t)
	path := filepath.Join(t.TempDir(), "visible.pdf")
	if err := os.WriteFile(path, makePDF(testPDF{}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := e.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer e.release()
	err := e.call(context.Background(), "open by path", func(inst pdfium.Pdfium) error {
		_, err := inst.OpenDocument(&requests.OpenDocument{FilePath: &path})
		return err
	})
	if err == nil {
		t.Fatal("PDFium opened a host file by path")
	}
}

func TestDefaultPDFCacheDir(t *testing.T) {
	base := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", base)
	if got, want := DefaultPDFCacheDir(), filepath.Join(base, "docvreview", "pdfium-wasm"); got != want {
		t.Errorf("DefaultPDFCacheDir = %q, want %q", got, want)
	}
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	if got := DefaultPDFCacheDir(); got != "" {
		t.Errorf("without a cache directory: %q, want empty", got)
	}
}

func TestPDFCompiledCodeCacheOnDisk(t *testing.T) {
	testPDFEngine(t)
	dir := filepath.Join(os.TempDir(), testPDFCacheDirName)
	before := cacheFiles(t, dir)
	if len(before) == 0 {
		t.Fatal("compiled-code cache is empty")
	}
	// A second engine on the same cache finds its compiled code: a miss
	// would write a new entry.
	e := ownPDFEngine(t)
	t.Logf("warm start: %v", e.InitTime())
	after := cacheFiles(t, dir)
	if len(after) != len(before) {
		t.Errorf("cache went from %d to %d files: the warm start recompiled", len(before), len(after))
	}
	for p, st := range after {
		if before[p] != st {
			t.Errorf("cache entry %s rewritten", p)
		}
	}
}

// cacheFiles lists the files under dir with their size and modification
// time, and checks that only wazero's versioned folders are there.
func cacheFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel != "." && !strings.HasPrefix(rel, "wazero-") {
			t.Errorf("unexpected entry %q in the cache directory", rel)
		}
		if !d.IsDir() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			files[rel] = fmt.Sprint(info.Size(), info.ModTime().UnixNano())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestHasPDFHeader(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"%PDF-1.7", true},
		{"\xef\xbb\xbf%PDF-1.4", true},
		{strings.Repeat(" ", 1019) + "%PDF-", true},
		{strings.Repeat(" ", 1020) + "%PDF-", false},
		{"%PDF", false},
		{"PDF-1.7", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := hasPDFHeader([]byte(tc.in)); got != tc.want {
			t.Errorf("hasPDFHeader(%.20q…) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestCopyRendered(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 3, 1))
	copy(src.Pix, []byte{
		10, 20, 30, 255, // opaque
		200, 100, 0, 0, // fully transparent
		0, 0, 255, 128, // half-transparent blue (straight alpha)
	})
	t.Run("opaque page is copied", func(t *testing.T) {
		out, err := copyRendered(src, false)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Pix, src.Pix) {
			t.Errorf("pixels %v, want %v", out.Pix, src.Pix)
		}
		out.Pix[0] = 99
		if src.Pix[0] == 99 {
			t.Error("output shares memory with the engine's bitmap")
		}
	})
	t.Run("transparent page is composited on white", func(t *testing.T) {
		out, err := copyRendered(src, true)
		if err != nil {
			t.Fatal(err)
		}
		want := []byte{10, 20, 30, 255, 255, 255, 255, 255, 127, 127, 255, 255}
		if !bytes.Equal(out.Pix, want) {
			t.Errorf("pixels %v, want %v", out.Pix, want)
		}
	})
	t.Run("stride wider than the row", func(t *testing.T) {
		wide := &image.RGBA{Pix: make([]byte, 2*12), Stride: 12, Rect: image.Rect(0, 0, 2, 2)}
		wide.Pix[12] = 7 // first pixel of row 2
		out, err := copyRendered(wide, false)
		if err != nil {
			t.Fatal(err)
		}
		if out.Stride != 8 || out.Pix[8] != 7 {
			t.Errorf("row 2 not copied from the stride offset: %v", out.Pix)
		}
	})
	for name, bad := range map[string]*image.RGBA{
		"nil":          nil,
		"empty":        image.NewRGBA(image.Rectangle{}),
		"short pixels": {Pix: make([]byte, 10), Stride: 8, Rect: image.Rect(0, 0, 2, 2)},
		"short stride": {Pix: make([]byte, 64), Stride: 4, Rect: image.Rect(0, 0, 2, 2)},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := copyRendered(bad, false); !errors.Is(err, errBadBitmap) {
				t.Errorf("err = %v, want errBadBitmap", err)
			}
		})
	}
}

// The engine prints nothing, for good or bad documents.
func TestPDFPrintsNothing(t *testing.T) {
	e := testPDFEngine(t)
	good := makePDF(testPDF{})
	inputs := [][]byte{good, good[:300], []byte("%PDF-1.4\n1 0 obj <<>> endobj"), readPDFTestdata(t, "encrypted-user-password.pdf")}
	out := captureOutput(t, func() {
		for _, data := range inputs {
			d, err := e.Open(context.Background(), data)
			if err != nil {
				continue
			}
			_, _ = d.Render(context.Background(), 0, 20)
			_ = d.Close()
		}
	})
	if out != "" {
		t.Errorf("PDF engine printed %q", out)
	}
}

func TestPDFPageSize(t *testing.T) {
	e := testPDFEngine(t)
	d := openTestPDF(t, e, makePDF(testPDF{width: 300, height: 500}))
	w, h, err := d.PageSize(context.Background(), 0)
	if err != nil || w != 300 || h != 500 {
		t.Errorf("PageSize = %v, %v, %v; want 300, 500", w, h, err)
	}
	for _, page := range []int{-1, 1} {
		if _, _, err := d.PageSize(context.Background(), page); !errors.Is(err, ErrPDFPage) {
			t.Errorf("page index %d: %v, want ErrPDFPage", page, err)
		}
	}
	huge := openTestPDF(t, e, makePDF(testPDF{claimedCount: 1_000_000}))
	if _, _, err := huge.PageSize(context.Background(), 5); !errors.Is(err, ErrPDFPage) {
		t.Errorf("missing page of a huge /Count: %v, want ErrPDFPage", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := d.PageSize(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
