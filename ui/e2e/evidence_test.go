//go:build e2e

package e2e

import (
	"image"
	"image/color"
	"testing"
	"time"

	"docvreview/fetch/simulator"
)

// dangerRed is the theme's error colour (mismatches, editor traces).
var dangerRed = color.RGBA{244, 67, 54, 255}

// TestEvidence runs the release binary under Xvfb at 1600×1000 and 1280×720:
// the licence's front and back are stacked beside the portrait selfie, each
// larger than a third of the evidence area would allow; on cccc… the Checks
// section shows its mismatches in red; E in the inspector shows the ELA.
// With DOCV_SCREENSHOTS set it keeps the screenshots under
// ui/testdata/screens/.
func TestEvidence(t *testing.T) {
	bin := binary(t)
	for _, size := range []struct {
		w, h   int
		suffix string
	}{{1600, 1000, "1600x1000"}, {1280, 720, "1280x720"}} {
		t.Run(size.suffix, func(t *testing.T) {
			d := startXvfb(t, size.w, size.h)
			env := sandboxEnv(t, t.TempDir(), "DISPLAY="+d.name)
			startApp(t, env, bin, "--env", "demo", "--eval-id", simulator.HappyID)
			d.focusWindow(t, "DocV Review", size.w, size.h)
			minArea := size.w * size.h / 100
			layout := waitScreen(t, d, 120*time.Second, "the licence stacked beside the selfie", func(img image.Image) string {
				regs := photoRegions(img, minArea)
				if len(regs) < 3 {
					return "found " + itoa(len(regs)) + " photo regions"
				}
				front, back, selfie := regs[0], regs[1], regs[2]
				if front.aspect() < 1.15 || back.aspect() < 1.15 || selfie.aspect() > 0.9 {
					return "aspects " + ftoa(front.aspect()) + " " + ftoa(back.aspect()) + " " + ftoa(selfie.aspect())
				}
				if back.Min.Y <= front.Max.Y || back.Min.X >= front.Max.X || selfie.Min.X < front.Max.X {
					return "front " + front.String() + ", back " + back.String() + ", selfie " + selfie.String() + ": not stacked beside the selfie"
				}
				// A third of the evidence area (about 58 % of the width) would
				// show a card at most this wide.
				if third := size.w * 58 / 100 / 3; front.Dx() <= third {
					return "front " + itoa(front.Dx()) + " px wide, no wider than equal columns (" + itoa(third) + ")"
				}
				return ""
			})
			keepScreen(t, "layout-"+size.suffix+".png", layout)
			if size.w != 1600 {
				return
			}

			// cccc…: the Checks section and its table, mismatches in red.
			d.key(t, "ctrl+l", "ctrl+a")
			d.typeText(t, simulator.SuspectID)
			d.key(t, "Return")
			checks := waitScreen(t, d, 120*time.Second, "the checks of cccc…", func(img image.Image) string {
				if regs := photoRegions(img, minArea); len(regs) < 3 {
					return "the images are not shown"
				}
				if n := countColour(img, sidePanel(img.Bounds()), dangerRed, 40); n < 400 {
					return "only " + itoa(n) + " red pixels in the details"
				}
				return ""
			})
			keepScreen(t, "checks-cccc.png", checks)

			// Scroll Details to its end: the three-way barcode table, the
			// mismatched rows in red.
			d.xdotool(t, "mousemove", "1400", "700", "click", "--repeat", "150", "--delay", "5", "5")
			table := waitScreen(t, d, 30*time.Second, "the barcode table", func(img image.Image) string {
				if !changedFrom(img, checks, sidePanel(img.Bounds())) {
					return "Details did not scroll"
				}
				if n := countColour(img, sidePanel(img.Bounds()), dangerRed, 40); n < 400 {
					return "only " + itoa(n) + " red pixels in the table"
				}
				return ""
			})
			keepScreen(t, "barcode-table-cccc.png", table)

			// The inspector on the edited front, then its ELA.
			d.key(t, "1")
			fit := waitScreen(t, d, 60*time.Second, "the inspector", func(img image.Image) string {
				if r, ok := largestRegionOf(img, minArea); !ok || r.Dx()*r.Dy() < size.w*size.h/6 {
					return "no large image on screen"
				}
				return ""
			})
			fitRegion, _ := largestRegionOf(fit, minArea)
			d.key(t, "e")
			ela := waitScreen(t, d, 60*time.Second, "the ELA", func(img image.Image) string {
				if !changedFrom(img, fit, fitRegion) {
					return "the image has not changed since E"
				}
				if dark := darkFraction(img, fitRegion); dark < 0.5 {
					return "the image is " + ftoa(dark*100) + " % dark, want an ELA (mostly dark)"
				}
				return ""
			})
			keepScreen(t, "ela.png", ela)
		})
	}
}

// largestRegionOf is the largest photograph on screen.
func largestRegionOf(img image.Image, minArea int) (image.Rectangle, bool) {
	var best image.Rectangle
	for _, r := range photoRegions(img, minArea) {
		if r.Dx()*r.Dy() > best.Dx()*best.Dy() {
			best = r.Rectangle
		}
	}
	return best, !best.Empty()
}

// darkFraction is the share of r's pixels whose channels are all below 60.
func darkFraction(img image.Image, r image.Rectangle) float64 {
	r = r.Intersect(img.Bounds())
	if r.Empty() {
		return 0
	}
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr>>8 < 60 && cg>>8 < 60 && cb>>8 < 60 {
				n++
			}
		}
	}
	return float64(n) / float64(r.Dx()*r.Dy())
}
