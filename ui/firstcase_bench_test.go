package ui

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
)

// BenchmarkFirstCaseToPanes is a window's first case after launch: from
// Enter to the Demo happy case's front, back and selfie on their panes
// (what the reviewer waits for; the checks follow in the background). Each
// iteration opens a new window. When djpeg is installed, each iteration
// also times djpeg decoding the same three files at full size, three
// processes (the reference), and the benchmark reports x-djpeg: this
// path's time over djpeg's, measured interleaved in the same run.
func BenchmarkFirstCaseToPanes(b *testing.B) {
	zipped := simulator.CaseZIP(simulator.HappyID) // drawn once, untimed
	djpeg, _ := exec.LookPath("djpeg")
	paths := caseJPEGs(b, zipped)
	var ref time.Duration
	n := 0
	b.StopTimer()
	for range b.N {
		h := newHarness(b, Options{Env: eval.Demo})
		h.win.Resize(laptop)
		e := h.evalEntry()
		h.win.Canvas().Focus(e)
		test.Type(e, simulator.HappyID)
		b.StartTimer()
		e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		h.loop.until(b, "the three panes", time.Minute, func() bool {
			panes := h.panesWithImages()
			for _, p := range panes {
				if p.display == nil && p.err == nil {
					return false
				}
			}
			return len(panes) == 3
		})
		b.StopTimer()
		h.idle()
		h.shortcut(fyne.KeyW)
		h.idle()
		if djpeg == "" {
			continue
		}
		n++
		start := time.Now()
		for _, p := range paths {
			if out, err := exec.Command(djpeg, "-outfile", os.DevNull, p).CombinedOutput(); err != nil {
				b.Fatalf("djpeg: %v: %s", err, out)
			}
		}
		ref += time.Since(start)
	}
	if n > 0 {
		b.ReportMetric(float64(ref.Nanoseconds())/float64(n), "djpeg-ns/op")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(ref.Nanoseconds()), "x-djpeg")
	}
}

// caseJPEGs writes the JPEG entries of the documents ZIP zipped to files.
func caseJPEGs(b *testing.B, zipped []byte) []string {
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	var paths []string
	for i, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".jpg") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			b.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			b.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprintf("%d.jpg", i))
		if err := os.WriteFile(p, data, 0o600); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}
