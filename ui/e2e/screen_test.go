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
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
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

// key sends key strokes (xdotool names, e.g. "ctrl+w", "Escape", "1") to
// the focused window. The X server delivers them in order and the window
// handles each before the next; a caller that needs a key's effect before
// its next step waits for it on screen.
func (d *display) key(t *testing.T, keys ...string) {
	t.Helper()
	for _, k := range keys {
		d.xdotool(t, "key", "--clearmodifiers", k)
	}
}

// typeText types s into the focused widget, 20 ms between keystrokes (a
// fast typist; xdotool's own default is 12 ms).
func (d *display) typeText(t *testing.T, s string) {
	t.Helper()
	d.xdotool(t, "type", "--delay", "20", s)
}

// focusWindow gives the keyboard focus to the first visible window named
// like name and resizes it to w×h (there is no window manager to do either).
func (d *display) focusWindow(t *testing.T, name string, w, h int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", name)
		cmd.Env = append(os.Environ(), "DISPLAY="+d.name)
		out, err := cmd.Output()
		if ids := strings.Fields(string(out)); err == nil && len(ids) > 0 {
			focus := exec.Command("xdotool", "windowfocus", "--sync", ids[0])
			focus.Env = cmd.Env
			if focus.Run() == nil {
				d.xdotool(t, "windowsize", "--sync", ids[0], strconv.Itoa(w), strconv.Itoa(h))
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no window named %q appeared", name)
		}
		time.Sleep(pollInterval)
	}
}

// region is a rectangle of the screen that holds a photograph.
type region struct {
	image.Rectangle
}

func (r region) aspect() float64 { return float64(r.Dx()) / float64(r.Dy()) }

// photoRegions finds the rectangles of the screen that show photographs: UI
// chrome and text are drawn in a handful of flat colours and grey
// anti-aliasing, photographs in many colours. Blocks with many distinct
// chromatic colours are joined into connected areas; each area is
// split at pixel columns drawn in a few flat colours (the gaps between
// side-by-side panes), trimmed to its busy rows, and kept when it is large.
// The regions are returned left to right, and top to bottom within a
// column (regions whose columns overlap: a licence's stacked front and back).
func photoRegions(img image.Image, minArea int) []region {
	var out []region
	for _, area := range busyAreas(img) {
		for _, r := range splitAtFlatColumns(img, area) {
			if r.Dx()*r.Dy() >= minArea {
				out = append(out, region{Rectangle: r})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Min.X < b.Max.X && b.Min.X < a.Max.X {
			return a.Min.Y < b.Min.Y
		}
		return a.Min.X < b.Min.X
	})
	return out
}

// busyAreas are the bounding boxes of connected blocks with many colours.
func busyAreas(img image.Image) []image.Rectangle {
	const block, minColours = 12, 16
	b := img.Bounds()
	bw, bh := b.Dx()/block, b.Dy()/block
	mark := make([]bool, bw*bh)
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			r := image.Rect(bx*block, by*block, (bx+1)*block, (by+1)*block).Add(b.Min)
			mark[by*bw+bx] = distinctChromatic(img, r, minColours+1) > minColours
		}
	}
	seen := make([]bool, len(mark))
	var out []image.Rectangle
	for i := range mark {
		if !mark[i] || seen[i] {
			continue
		}
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
		out = append(out, image.Rect(minX*block, minY*block, (maxX+1)*block, (maxY+1)*block).Add(b.Min))
	}
	return out
}

// splitAtFlatColumns splits area at columns of few colours and trims each
// part to the rows that have many colours.
func splitAtFlatColumns(img image.Image, area image.Rectangle) []image.Rectangle {
	const flat, busy = 4, 12
	var parts []image.Rectangle
	start := -1
	for x := area.Min.X; x <= area.Max.X; x++ {
		isFlat := x == area.Max.X || distinctColours(img, image.Rect(x, area.Min.Y, x+1, area.Max.Y), flat+1) <= flat
		switch {
		case !isFlat && start < 0:
			start = x
		case isFlat && start >= 0:
			parts = append(parts, image.Rect(start, area.Min.Y, x, area.Max.Y))
			start = -1
		}
	}
	var out []image.Rectangle
	for _, p := range parts {
		top, bottom := -1, -1
		for y := p.Min.Y; y < p.Max.Y; y++ {
			if distinctColours(img, image.Rect(p.Min.X, y, p.Max.X, y+1), busy+1) > busy {
				if top < 0 {
					top = y
				}
				bottom = y + 1
			}
		}
		if top >= 0 {
			out = append(out, image.Rect(p.Min.X, top, p.Max.X, bottom))
		}
	}
	return out
}

// distinctChromatic counts the distinct colours in r that are not grey, stopping at limit.
func distinctChromatic(img image.Image, r image.Rectangle, limit int) int {
	seen := make(map[uint32]struct{}, limit)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			cr, cg, cb = cr>>8, cg>>8, cb>>8
			if max(cr, cg, cb)-min(cr, cg, cb) < 12 {
				continue
			}
			seen[cr<<16|cg<<8|cb] = struct{}{}
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}

// distinctColours counts the distinct colours in r, stopping at limit.
func distinctColours(img image.Image, r image.Rectangle, limit int) int {
	seen := make(map[uint32]struct{}, limit)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			seen[(cr>>8)<<16|(cg>>8)<<8|cb>>8] = struct{}{}
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
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

// app is the binary running in a desktop-like session on a display.
type app struct {
	cmd    *exec.Cmd
	out    bytes.Buffer
	exited chan struct{} // closed when the app has exited
}

// startApp runs prog (the binary, possibly behind strace) inside
// dbus-run-session with env: a desktop session has a D-Bus session bus (Fyne
// asks it for the colour scheme); without one, D-Bus would autolaunch a
// daemon of its own. The app and its helpers are killed when the test ends.
func startApp(t *testing.T, env []string, prog ...string) *app {
	t.Helper()
	need(t, "dbus-run-session")
	a := &app{exited: make(chan struct{})}
	a.cmd = exec.Command("dbus-run-session", append([]string{"--"}, prog...)...)
	a.cmd.Env = env
	a.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so that the whole group is killed together
	a.cmd.WaitDelay = 5 * time.Second
	a.cmd.Stdout, a.cmd.Stderr = &a.out, &a.out
	if err := a.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = a.cmd.Wait(); close(a.exited) }()
	t.Cleanup(func() {
		select {
		case <-a.exited:
		default:
			_ = syscall.Kill(-a.cmd.Process.Pid, syscall.SIGKILL)
			<-a.exited
		}
		if t.Failed() {
			t.Logf("app output:\n%s", a.out.String())
		}
	})
	return a
}

// quit presses Ctrl+Q and waits for the app to exit.
func (a *app) quit(t *testing.T, d *display) {
	t.Helper()
	d.key(t, "ctrl+q")
	select {
	case <-a.exited:
	case <-time.After(20 * time.Second):
		t.Fatal("the app did not quit on Ctrl+Q")
	}
}

// keepScreen saves img as ui/testdata/screens/name when DOCV_SCREENSHOTS
// names the repository to refresh (`make screenshot`).
func keepScreen(t *testing.T, name string, img image.Image) {
	t.Helper()
	if shots := os.Getenv("DOCV_SCREENSHOTS"); shots != "" {
		dir := filepath.Join(shots, "ui", "testdata", "screens")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		savePNG(t, filepath.Join(dir, name), img)
	}
}
