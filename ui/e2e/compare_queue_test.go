//go:build e2e

package e2e

import (
	"image"
	"strings"
	"testing"
	"time"

	"docvreview/fetch/simulator"
)

// TestCompareQueue runs the release binary under Xvfb on the demo happy
// case, opens compare mode (C) and checks that the ID front and the selfie
// are shown side by side with their face crops; then pastes a queue of the
// simulator's eval_ids (Ctrl+Shift+V), checks that its first case shows,
// moves to the next (N) and checks again. With DOCV_SCREENSHOTS set, it
// keeps compare.png and queue.png in ui/testdata/screens/.
func TestCompareQueue(t *testing.T) {
	bin := binary(t)
	need(t, "dbus-run-session")
	d := startXvfb(t, screenW, screenH)
	root := t.TempDir()
	env := sandboxEnv(t, root, "DISPLAY="+d.name)
	a := startApp(t, env, bin, "--env", "demo", "--eval-id", simulator.HappyID)
	keep := func(name string, img image.Image) { keepScreen(t, name, img) }

	d.focusWindow(t, "DocV Review", screenW, screenH)
	waitScreen(t, d, 120*time.Second, "the demo case", threeImages)

	// 1. Compare: the front and the selfie, large, side by side (both
	// framed on their faces when faces were found), the crops below them.
	d.key(t, "c")
	compare := waitScreen(t, d, 60*time.Second, "compare mode", func(img image.Image) string {
		var large, crops []region
		for _, r := range photoRegions(img, screenW*screenH/200) {
			switch {
			case r.Dy() > screenH/3:
				large = append(large, r)
			case r.Dy() > 100 && r.Dy() < 260 && r.Min.Y > screenH/2:
				crops = append(crops, r)
			}
		}
		if len(large) != 2 {
			return "found " + itoa(len(large)) + " large photo regions, want the front and the selfie"
		}
		if large[0].Max.X > large[1].Min.X {
			return "the two images overlap"
		}
		if len(crops) < 1 {
			return "no face crops below the images"
		}
		return ""
	})
	keep("compare.png", compare)
	d.key(t, "Escape")
	waitScreen(t, d, 30*time.Second, "the case again", threeImages)

	// 2. A pasted queue: the panel lists it, its first case shows, N moves on.
	d.key(t, "ctrl+shift+v")
	waitScreen(t, d, 30*time.Second, "the Paste queue dialog", func(img image.Image) string {
		// Its Open queue button, in the middle of the dimmed window.
		b := img.Bounds()
		mid := image.Rect(b.Dx()/5, b.Dy()/5, b.Dx()*4/5, b.Dy()*4/5)
		if countColour(img, mid, primaryBlue, 2) < 300 {
			return "no dialog button in the middle of the window"
		}
		return ""
	})
	ids := []string{simulator.HappyID, simulator.PassportID, simulator.MilitaryID, "not-an-id",
		simulator.RecaptureID, simulator.NotFoundID, simulator.HappyID}
	for i, id := range ids {
		if i > 0 {
			d.key(t, "Return")
		}
		d.typeText(t, id)
	}
	d.key(t, "ctrl+Return") // Open queue
	waitScreen(t, d, 90*time.Second, "the queue's first case", func(img image.Image) string {
		// Rows 2–4 below the selected first row (the last has no separator under it).
		if rows := listRowsBelowSelection(img); len(rows) < 3 {
			return "no queue list with its first case selected"
		}
		if idle, why := fetchIdle(img); !idle {
			return why
		}
		return threeImages(img)
	})
	d.key(t, "n")
	queue := waitScreen(t, d, 90*time.Second, "the queue's second case (a passport)", func(img image.Image) string {
		regs := photoRegions(img, screenW*screenH/100)
		if len(regs) != 2 {
			return "found " + itoa(len(regs)) + " photo regions, want the passport's front and selfie"
		}
		return ""
	})
	// The prefetch of case 3 shows in the panel: its status is no longer
	// drawn like that of case 4 (both "pending" before).
	queue = waitScreen(t, d, 60*time.Second, "the prefetch of case 3 in the queue panel", func(img image.Image) string {
		rows := listRowsBelowSelection(img)
		if len(rows) < 2 {
			return "found " + itoa(len(rows)) + " queue rows after the selected case, want cases 3 and 4"
		}
		if sameShape(img, lastWordCell(img, rows[0]), lastWordCell(img, rows[1])) {
			return "case 3 is still pending"
		}
		return ""
	})
	keep("queue.png", queue)

	a.quit(t, d)
	if s := a.out.String(); strings.Contains(s, "panic") {
		t.Errorf("the app panicked:\n%s", s)
	}
}
