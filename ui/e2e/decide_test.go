//go:build e2e

package e2e

import (
	"image"
	"image/color"
	"testing"
	"time"

	"docvreview/fetch/simulator"
)

// successGreen is the dark theme's success colour (an ACCEPT decision).
var successGreen = color.RGBA{0x43, 0xf4, 0x36, 255}

// dialogArea is the middle of a w×h screen, where a dialog opens over the
// window.
func dialogArea(b image.Rectangle) image.Rectangle {
	return image.Rect(b.Min.X+b.Dx()/4, b.Min.Y+b.Dy()/4, b.Max.X-b.Dx()/4, b.Max.Y-b.Dy()/4)
}

// TestDecide opens the demo case under review in the real window, prefills
// ACCEPT with A, asks to send with Ctrl+Enter, confirms with Enter and
// waits for the new decision (ACCEPT, in green) in Details; then F opens
// the fraud feedback form, which Esc closes unsent. With DOCV_SCREENSHOTS
// set it keeps the Decision panel, the confirmation and the feedback form.
func TestDecide(t *testing.T) {
	bin := binary(t)
	d := startXvfb(t, screenW, screenH)
	root := t.TempDir()
	env := sandboxEnv(t, root, "DISPLAY="+d.name)
	a := startApp(t, env, bin, "--env", "demo", "--eval-id", simulator.SuspectID)
	keep := func(name string, img image.Image) { keepScreen(t, name, img) }
	d.focusWindow(t, "DocV Review", screenW, screenH)

	// 1. The case under review: REVIEW (orange) in Details, nothing green.
	loaded := waitScreen(t, d, 120*time.Second, "the case under review", func(img image.Image) string {
		if why := threeImages(img); why != "" {
			return why
		}
		if idle, why := fetchIdle(img); !idle {
			return why
		}
		if n := countColour(img, sidePanel(img.Bounds()), warningOrange, 8); n < 20 {
			return "no REVIEW decision in the details"
		}
		return ""
	})
	if n := countColour(loaded, sidePanel(loaded.Bounds()), successGreen, 24); n > 10 {
		t.Fatalf("%d green pixels in the details before any decision", n)
	}

	// 2. A prefills ACCEPT / CLOSED in the Decision tab; nothing is sent.
	d.key(t, "a")
	panel := waitScreen(t, d, 30*time.Second, "the Decision panel", func(img image.Image) string {
		if !changedFrom(img, loaded, sidePanel(img.Bounds())) {
			return "the side panel has not changed since A"
		}
		return ""
	})
	keep("decision-panel.png", panel)

	// 3. Ctrl+Enter asks for confirmation.
	d.key(t, "ctrl+Return")
	confirm := waitScreen(t, d, 30*time.Second, "the confirmation", func(img image.Image) string {
		if !changedFrom(img, panel, dialogArea(img.Bounds())) {
			return "no dialog over the window"
		}
		return ""
	})
	keep("decision-confirm.png", confirm)

	// 4. Enter confirms; Details shows ACCEPT (green).
	d.key(t, "Return")
	recorded := waitScreen(t, d, 60*time.Second, "the recorded decision", func(img image.Image) string {
		if n := countColour(img, sidePanel(img.Bounds()), successGreen, 24); n < 30 {
			return "no ACCEPT in the details (" + itoa(n) + " green pixels)"
		}
		if changedFrom(img, panel, dialogArea(img.Bounds())) && changedFrom(img, loaded, dialogArea(img.Bounds())) {
			return "the dialog is still open"
		}
		return ""
	})
	keep("decision-recorded.png", recorded)

	// 5. F opens the fraud feedback form; Esc closes it without sending.
	d.key(t, "f")
	feedback := waitScreen(t, d, 30*time.Second, "the feedback form", func(img image.Image) string {
		if !changedFrom(img, recorded, dialogArea(img.Bounds())) {
			return "no dialog over the window"
		}
		return ""
	})
	keep("feedback.png", feedback)
	d.key(t, "Escape")
	waitScreen(t, d, 30*time.Second, "the form closed", func(img image.Image) string {
		if changedFrom(img, recorded, dialogArea(img.Bounds())) {
			return "the form is still open"
		}
		return ""
	})

	a.quit(t, d)
}
