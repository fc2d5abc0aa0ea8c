//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// display is a running Xvfb server.
type display struct {
	name string // ":N"
	cmd  *exec.Cmd
}

// startXvfb starts an Xvfb server of w×h on a free display number.
func startXvfb(t *testing.T, w, h int) *display {
	t.Helper()
	need(t, "Xvfb", "import", "xdotool")
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", w, h), "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{wr}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	wr.Close()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	num := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(r, 16))
		num <- strings.TrimSpace(string(b))
	}()
	select {
	case n := <-num:
		if _, err := strconv.Atoi(n); err != nil {
			t.Fatalf("Xvfb printed display %q", n)
		}
		return &display{name: ":" + n, cmd: cmd}
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not start")
	}
	return nil
}

// capture grabs the whole screen.
func (d *display) capture(t *testing.T) image.Image {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "import", "-display", d.name, "-window", "root", "png:-").Output()
	if err != nil {
		t.Fatalf("capture the screen: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("decode the capture: %v", err)
	}
	return img
}

// xdotool runs xdotool on the display.
func (d *display) xdotool(t *testing.T, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+d.name)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v %s", args, err, out)
	}
}

// key sends key strokes (xdotool names, e.g. "ctrl+w", "Escape", "1") to the focused window.
func (d *display) key(t *testing.T, keys ...string) {
	t.Helper()
	for _, k := range keys {
		d.xdotool(t, "key", "--clearmodifiers", k)
		time.Sleep(150 * time.Millisecond)
	}
}

// typeText types s into the focused widget.
func (d *display) typeText(t *testing.T, s string) {
	t.Helper()
	d.xdotool(t, "type", "--delay", "20", s)
}

// focusWindow gives the keyboard focus to the first window named like name.
func (d *display) focusWindow(t *testing.T, name string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		cmd := exec.Command("xdotool", "search", "--name", name)
		cmd.Env = append(os.Environ(), "DISPLAY="+d.name)
		out, err := cmd.Output()
		if ids := strings.Fields(string(out)); err == nil && len(ids) > 0 {
			d.xdotool(t, "windowfocus", "--sync", ids[0])
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no window named %q appeared", name)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// region is a rectangle of the screen that holds a photograph.
type region struct {
	image.Rectangle
	mean [3]float64
}

func (r region) aspect() float64 { return float64(r.Dx()) / float64(r.Dy()) }

// photoRegions finds the rectangles of the screen that show photographs: UI
// chrome is drawn in a handful of flat colours, photographs in many. Blocks of
// block×block pixels with more than minColours distinct colours are marked,
// joined into connected rectangles, and the large ones returned, left to right.
func photoRegions(img image.Image, minArea int) []region {
	const block, minColours = 12, 40
	b := img.Bounds()
	bw, bh := b.Dx()/block, b.Dy()/block
	mark := make([]bool, bw*bh)
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			seen := make(map[uint32]struct{}, 64)
			for y := 0; y < block; y++ {
				for x := 0; x < block; x++ {
					r, g, bl, _ := img.At(b.Min.X+bx*block+x, b.Min.Y+by*block+y).RGBA()
					seen[(r>>8)<<16|(g>>8)<<8|bl>>8] = struct{}{}
				}
			}
			mark[by*bw+bx] = len(seen) > minColours
		}
	}
	seen := make([]bool, len(mark))
	var out []region
	for i := range mark {
		if !mark[i] || seen[i] {
			continue
		}
		// Flood fill one connected component of marked blocks.
		minX, minY, maxX, maxY := bw, bh, 0, 0
		stack := []int{i}
		seen[i] = true
		for len(stack) > 0 {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := c%bw, c/bw
			minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
			for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				nx, ny := x+d[0], y+d[1]
				if nx < 0 || ny < 0 || nx >= bw || ny >= bh {
					continue
				}
				if n := ny*bw + nx; mark[n] && !seen[n] {
					seen[n] = true
					stack = append(stack, n)
				}
			}
		}
		r := image.Rect(b.Min.X+minX*block, b.Min.Y+minY*block, b.Min.X+(maxX+1)*block, b.Min.Y+(maxY+1)*block)
		if r.Dx()*r.Dy() >= minArea {
			out = append(out, region{Rectangle: r, mean: meanColour(img, r)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Min.X < out[j].Min.X })
	return out
}

// meanColour is the average colour of r in img, 0–255 per channel.
func meanColour(img image.Image, r image.Rectangle) [3]float64 {
	var sum [3]float64
	n := 0.0
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			sum[0] += float64(cr >> 8)
			sum[1] += float64(cg >> 8)
			sum[2] += float64(cb >> 8)
			n++
		}
	}
	return [3]float64{sum[0] / n, sum[1] / n, sum[2] / n}
}

// colourDistance is the largest per-channel difference of two mean colours.
func colourDistance(a, b [3]float64) float64 {
	d := 0.0
	for i := range a {
		d = max(d, abs(a[i]-b[i]))
	}
	return d
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// savePNG writes img to path (only screenshots of synthetic demo data).
func savePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
