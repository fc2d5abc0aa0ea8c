//go:build e2e

package e2e

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
	"docvreview/fetch/simulator"
)

// screenW and screenH are a common laptop screen.
const screenW, screenH = 1600, 1000

// TestWindow runs the release binary in a real window under Xvfb, with HOME,
// every XDG_* folder and TMPDIR pointed at fresh empty folders (and under
// strace when it is installed). It opens the demo happy case and checks that
// the three images are on screen, upright and in the simulator's colours,
// opens the inspector at 100 %, a PDF,
// closes the case, shows a no-documents case, fetches the hostile case and
// quits. Then it checks that no file holding personal data appeared.
// With DOCV_SCREENSHOTS set, it keeps the screenshots for the README and
// ui/testdata/screens/.
func TestWindow(t *testing.T) {
	bin := binary(t)
	d := startXvfb(t, screenW, screenH)
	root := t.TempDir()
	env := sandboxEnv(t, root, "DISPLAY="+d.name)
	traceLog := filepath.Join(t.TempDir(), "strace.log")

	prog := []string{bin, "--env", "demo", "--eval-id", simulator.HappyID}
	if _, err := exec.LookPath("strace"); err == nil {
		prog = append([]string{"strace", "-f", "-qq", "-o", traceLog,
			"-e", "trace=open,openat,openat2,creat,rename,renameat,renameat2,link,symlink,mkdir,mkdirat"}, prog...)
	} else {
		traceLog = ""
		t.Log("strace is not installed: checking the files only")
	}
	a := startApp(t, env, prog...)
	keep := func(name string, img image.Image) { keepScreen(t, name, img) }

	refs := referenceImages(t)
	d.focusWindow(t, "DocV Review", screenW, screenH)

	// 1. The happy case: front, back and selfie side by side, upright, in
	// their colours.
	happy := waitScreen(t, d, 120*time.Second, "the three images of the demo case", func(img image.Image) string {
		regs := photoRegions(img, screenW*screenH/100)
		if len(regs) < 3 {
			return "found " + itoa(len(regs)) + " photo regions"
		}
		regs = regs[:3]
		if regs[0].aspect() < 1.15 || regs[1].aspect() < 1.15 || regs[2].aspect() > 0.9 {
			return "aspects " + ftoa(regs[0].aspect()) + " " + ftoa(regs[1].aspect()) + " " + ftoa(regs[2].aspect()) + ", want landscape, landscape, portrait"
		}
		for i, role := range []string{"front", "back", "selfie"} {
			// photoRegions finds the busy, colourful part of each image;
			// the check compares the whole image with the simulator's.
			if why := checkShown(img, imageExtent(img, regs[i].Rectangle), refs[role]); why != "" {
				return role + ": " + why
			}
		}
		return ""
	})
	keep("happy.png", happy)

	// 2. The inspector at 100 %: 1 opens it on the front; once the full
	// resolution is shown (one large image), Ctrl+0 changes the view.
	d.key(t, "1")
	fit := waitScreen(t, d, 60*time.Second, "the inspector", func(img image.Image) string {
		if r, ok := largestRegion(img); !ok || r.Dx()*r.Dy() < screenW*screenH/5 {
			return "no large image on screen"
		}
		return ""
	})
	fitRegion, _ := largestRegion(fit)
	d.key(t, "ctrl+0")
	inspector := waitScreen(t, d, 60*time.Second, "the inspector at 100 %", func(img image.Image) string {
		area := 0
		for _, r := range photoRegions(img, screenW*screenH/100) {
			area += r.Dx() * r.Dy()
		}
		if area < screenW*screenH/5 {
			return "the image covers " + itoa(area) + " px², want a large inspector view"
		}
		if !changedFrom(img, fit, fitRegion) {
			return "the view has not changed since Ctrl+0"
		}
		return ""
	})
	keep("inspector-100.png", inspector)
	d.key(t, "Escape")
	waitScreen(t, d, 30*time.Second, "the case again", threeImages)

	// 3. A PDF (4 opens the first attachment).
	d.key(t, "4")
	pdf := waitScreen(t, d, 60*time.Second, "the PDF viewer", pdfPageShown)
	keep("pdf.png", pdf)
	d.key(t, "Escape")
	waitScreen(t, d, 30*time.Second, "the case again", threeImages)

	// 4. Close the case: nothing left on screen.
	d.key(t, "ctrl+w")
	waitScreen(t, d, 30*time.Second, "an empty window", func(img image.Image) string {
		if regs := photoRegions(img, screenW*screenH/200); len(regs) != 0 {
			return "photo regions remain after closing the case"
		}
		return ""
	})

	// 5. A no-documents case: its evaluation (REVIEW, in orange) in the
	// details, no images, and the fetch over.
	d.key(t, "ctrl+l")
	d.typeText(t, simulator.MilitaryID)
	d.key(t, "Return")
	noDocs := waitScreen(t, d, 60*time.Second, "the no-documents case", func(img image.Image) string {
		if n := countColour(img, sidePanel(img.Bounds()), warningOrange, 8); n < 20 {
			return "no REVIEW decision in the details"
		}
		if idle, why := fetchIdle(img); !idle {
			return why
		}
		if regs := photoRegions(img, screenW*screenH/200); len(regs) != 0 {
			return "photo regions on screen"
		}
		return ""
	})
	keep("no-documents.png", noDocs)

	// 6. The hostile case: the good front shows, nothing else.
	d.key(t, "ctrl+l", "ctrl+a")
	d.typeText(t, simulator.HostileID)
	d.key(t, "Return")
	waitScreen(t, d, 90*time.Second, "the hostile case's good front", func(img image.Image) string {
		if regs := photoRegions(img, screenW*screenH/100); len(regs) != 1 {
			return "found " + itoa(len(regs)) + " photo regions, want one"
		}
		return ""
	})

	// 7. Quit.
	a.quit(t, d)

	checkNoPII(t, root, traceLog)
}

// waitScreen captures the screen until check returns "" or timeout passes.
func waitScreen(t *testing.T, d *display, timeout time.Duration, what string, check func(image.Image) string) image.Image {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		img := d.capture(t)
		why := check(img)
		if why == "" {
			return img
		}
		if time.Now().After(deadline) {
			failed := filepath.Join(os.TempDir(), "docvreview-e2e-failed.png")
			savePNG(t, failed, img)
			t.Fatalf("waiting for %s: %s (screen saved to %s)", what, why, failed)
		}
		time.Sleep(pollInterval)
	}
}

// threeImages is "" when the screen shows at least three photographs (a
// case's front, back and selfie).
func threeImages(img image.Image) string {
	if regs := photoRegions(img, screenW*screenH/100); len(regs) < 3 {
		return "found " + itoa(len(regs)) + " photo regions, want the three images"
	}
	return ""
}

// largestRegion is the largest photograph on screen.
func largestRegion(img image.Image) (image.Rectangle, bool) {
	var best image.Rectangle
	for _, r := range photoRegions(img, screenW*screenH/100) {
		if r.Dx()*r.Dy() > best.Dx()*best.Dy() {
			best = r.Rectangle
		}
	}
	return best, !best.Empty()
}

// piiNeedles are byte strings that must not be found in any file the app
// wrote: the SHA-256 of every entry of the cases it opened and the document
// data of their evaluations.
func piiNeedles(t *testing.T) [][]byte {
	t.Helper()
	var needles [][]byte
	for _, id := range []string{simulator.HappyID, simulator.HostileID, simulator.MilitaryID} {
		if z := simulator.CaseZIP(id); z != nil {
			zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range zr.File {
				rc, err := f.Open()
				if err != nil {
					continue
				}
				h := sha256.New()
				_, _ = io.Copy(h, rc)
				rc.Close()
				needles = append(needles, []byte(hex.EncodeToString(h.Sum(nil))))
			}
		}
		srv := httptest.NewServer(simulator.New(simulator.Config{}))
		c, err := riskos.NewClient(riskos.Options{Env: eval.Sandbox, BaseURL: srv.URL, APIKey: "e2e"})
		if err != nil {
			t.Fatal(err)
		}
		ev, err := c.Evaluation(t.Context(), id)
		srv.Close()
		if err != nil || ev.DocV == nil {
			t.Fatalf("evaluation of %s: %v", id, err)
		}
		dd := ev.DocV.Data
		for _, s := range []string{dd.FirstName, dd.SurName, dd.FullName, dd.Address, dd.DocumentNumber, dd.DOB} {
			if len(s) >= 4 {
				needles = append(needles, []byte(s))
			}
		}
		needles = append(needles, []byte(id))
	}
	return needles
}

// allowedFile reports whether the app may write the file at rel (relative to
// the sandbox root): Fyne's font index and preferences, the PDF engine's
// compiled-code cache, and the reason-code catalogue's cache.
func allowedFile(rel string) (ok, compiledCode bool) {
	rel = filepath.ToSlash(rel)
	switch {
	case strings.HasPrefix(rel, "cache/docvreview/pdfium-wasm/"):
		return true, true
	case rel == "cache/font_index_v5.cache" || strings.HasPrefix(rel, "cache/fyne/") && strings.HasSuffix(rel, ".cache"):
		return true, false
	case strings.HasPrefix(rel, "cache/docvreview/reason-codes-") && strings.HasSuffix(rel, ".json"),
		strings.HasPrefix(rel, "cache/docvreview/.reason-codes-") && strings.HasSuffix(rel, ".tmp"):
		return true, false // the reason-code catalogue (no personal data), written through a temporary file
	case strings.HasPrefix(rel, "config/fyne/com.docvreview.app/") && strings.HasSuffix(rel, "preferences.json"):
		return true, false
	}
	return false, false
}

// checkNoPII lists every file under root, requires each to be allowed, and
// scans each for image and PDF signatures and the cases' personal data; with
// a strace log it also fails on any write outside root's allowed paths.
func checkNoPII(t *testing.T, root, traceLog string) {
	t.Helper()
	files := listFiles(t, root)
	t.Logf("files written by the app: %s", fmtFiles(files))
	needles := piiNeedles(t)
	signatures := map[string][]byte{"JPEG": {0xFF, 0xD8, 0xFF}, "PNG": []byte("\x89PNG\r\n\x1a\n"), "PDF": []byte("%PDF-")}
	for _, rel := range files {
		ok, compiled := allowedFile(rel)
		if !ok {
			t.Errorf("unexpected file %s", rel)
		}
		data, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		if !compiled { // compiled PDFium code contains these byte strings as constants
			for name, sig := range signatures {
				if bytes.Contains(data, sig) {
					t.Errorf("%s contains a %s signature", rel, name)
				}
			}
		}
		for _, n := range needles {
			if bytes.Contains(data, n) {
				t.Errorf("%s contains personal data or a case hash (%.12s…)", rel, n)
			}
		}
	}
	if traceLog == "" {
		return
	}
	log, err := os.ReadFile(traceLog)
	if err != nil {
		t.Fatal(err)
	}
	writes := 0
	for _, line := range strings.Split(string(log), "\n") {
		path, write := tracedWrite(line)
		if !write {
			continue
		}
		writes++
		if !allowedWrite(root, path) {
			t.Errorf("write outside the allowed paths: %s", strings.TrimSpace(line))
		}
	}
	t.Logf("strace: %d writes, all to allowed paths unless reported above", writes)
}

// tracedWrite extracts the path of a strace line that creates or writes a file.
func tracedWrite(line string) (string, bool) {
	i := strings.Index(line, "\"")
	if i < 0 {
		return "", false
	}
	j := strings.Index(line[i+1:], "\"")
	if j < 0 {
		return "", false
	}
	path := line[i+1 : i+1+j]
	switch {
	case strings.Contains(line, "rename"), strings.Contains(line, "link("), strings.Contains(line, "mkdir"), strings.Contains(line, "creat("):
	case strings.Contains(line, "O_WRONLY"), strings.Contains(line, "O_RDWR"), strings.Contains(line, "O_CREAT"):
	default:
		return "", false
	}
	if strings.Contains(line, "= -1 ") { // the call failed: nothing was written
		return "", false
	}
	return path, true
}

// allowedWrite reports whether a write to path is allowed: the allowed files
// under root (and their folders), and devices.
func allowedWrite(root, path string) bool {
	if strings.HasPrefix(path, "/dev/") {
		return true
	}
	rel, err := filepath.Rel(root, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return false
	}
	rel = filepath.ToSlash(rel)
	for _, dir := range []string{"cache", "cache/fyne", "config", "config/fyne", "config/fyne/com.docvreview.app", "cache/docvreview", "cache/docvreview/pdfium-wasm"} {
		if rel == dir {
			return true
		}
	}
	if ok, _ := allowedFile(rel); ok {
		return true
	}
	// Fyne writes preferences through a temporary file next to them.
	return strings.HasPrefix(rel, "config/fyne/com.docvreview.app/")
}

func itoa(i int) string     { return strconv.Itoa(i) }
func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// whiteFraction is the share of the screen's pixels that are near white.
// pdfPageShown is "" when the screen shows a rendered PDF page: mostly
// white paper (the dark theme has none) with ink on it.
func pdfPageShown(img image.Image) string {
	if white := whiteFraction(img); white < 0.15 {
		return "no page on screen (" + ftoa(white*100) + " % white)"
	}
	if !pageInk(img) {
		return "the page is blank"
	}
	return ""
}

func whiteFraction(img image.Image) float64 {
	b := img.Bounds()
	white, n := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 >= 245 && g>>8 >= 245 && bl>>8 >= 245 {
				white++
			}
			n++
		}
	}
	return float64(white) / float64(n)
}
