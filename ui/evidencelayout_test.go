package ui

import (
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
)

// equalColumnsLeast is the smallest fitted image area when the images get
// three equal columns of area (the layout before evidenceLayout).
func equalColumnsLeast(aspects []float64, area fyne.Size, gap, chrome float32) float64 {
	w := (area.Width - 2*gap) / 3
	least := math.Inf(1)
	for _, a := range aspects {
		least = math.Min(least, fittedArea(paneRect{size: fyne.NewSize(w, area.Height)}, a, chrome))
	}
	return least
}

func TestBestArrangement(t *testing.T) {
	const gap, chrome = 4, 60
	licence := []float64{cardShape, cardShape, selfieShape}
	passport := []float64{125.0 / 88.0, selfieShape}
	for _, tt := range []struct {
		name    string
		aspects []float64
		area    fyne.Size
		want    string
	}{
		{"licence, 1600×1000 window", licence, fyne.NewSize(1110, 900), arrangePairBeside},
		{"licence, 1280×720 window", licence, fyne.NewSize(885, 620), arrangePairBeside},
		{"passport, 1600×1000 window", passport, fyne.NewSize(1110, 900), arrangeSideBySide},
		{"passport, 1280×720 window", passport, fyne.NewSize(885, 620), arrangeSideBySide},
		{"three landscapes, very wide", []float64{1.5, 1.5, 1.5}, fyne.NewSize(3000, 500), arrangeColumns},
		{"three landscapes, very tall", []float64{1.5, 1.5, 1.5}, fyne.NewSize(500, 3000), arrangeRows},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ar := bestArrangement(tt.aspects, tt.area, gap, chrome)
			if ar.name != tt.want {
				t.Errorf("arrangement %q, want %q", ar.name, tt.want)
			}
			least, _ := ar.score(tt.aspects, chrome)
			if len(tt.aspects) == 3 && tt.want != arrangeColumns {
				if eq := equalColumnsLeast(tt.aspects, tt.area, gap, chrome); least < 1.5*eq {
					t.Errorf("smallest image %.0f px², equal columns give %.0f: want at least 1.5×", least, eq)
				}
			}
			checkInside(t, ar, tt.area)
		})
	}
}

// checkInside fails when a rect leaves the area or two rects overlap.
func checkInside(t *testing.T, ar arrangement, area fyne.Size) {
	t.Helper()
	const eps = 0.5
	for i, r := range ar.rects {
		if r.pos.X < -eps || r.pos.Y < -eps || r.pos.X+r.size.Width > area.Width+eps || r.pos.Y+r.size.Height > area.Height+eps {
			t.Errorf("pane %d at %v size %v leaves %v", i, r.pos, r.size, area)
		}
		for j, s := range ar.rects[:i] {
			if r.pos.X+eps < s.pos.X+s.size.Width && s.pos.X+eps < r.pos.X+r.size.Width &&
				r.pos.Y+eps < s.pos.Y+s.size.Height && s.pos.Y+eps < r.pos.Y+r.size.Height {
				t.Errorf("panes %d and %d overlap", i, j)
			}
		}
	}
}

func TestBestArrangementHostileShapes(t *testing.T) {
	for _, aspects := range [][]float64{
		{0, -1, math.NaN()}, {math.Inf(1), 1e-9, 1e9}, {1, 1}, {2},
	} {
		for _, area := range []fyne.Size{{}, fyne.NewSize(10, 10), fyne.NewSize(1200, 800)} {
			ar := bestArrangement(aspects, area, 4, 60)
			if len(ar.rects) != len(aspects) {
				t.Fatalf("%v in %v: %d rects", aspects, area, len(ar.rects))
			}
			if area.Width > 100 {
				checkInside(t, ar, area)
			}
		}
	}
}

// TestEvidenceLayoutInWindow opens a licence and a passport at two window
// sizes: the licence's front and back are stacked beside the portrait
// selfie, the passport's front is beside the selfie, every image gets more
// area than equal columns would give it, and each pane is decoded for its
// own size. (At 1280×720 the licence's 4:3 cards are limited by the
// height, so the gain there is about 1.2×.)
func TestEvidenceLayoutInWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes full-size simulator images")
	}
	for _, size := range []fyne.Size{fyne.NewSize(1600, 1000), fyne.NewSize(1280, 720)} {
		for _, tt := range []struct {
			id, want string
		}{
			{simulator.HappyID, arrangePairBeside},
			{simulator.PassportID, arrangeSideBySide},
		} {
			t.Run(tt.want+"@"+itoaF(size.Width)+"x"+itoaF(size.Height), func(t *testing.T) {
				h := newHarness(t, Options{Env: eval.Demo})
				h.win.Resize(size)
				h.open(tt.id)
				v := h.evidenceView()
				if v.arrangement != tt.want {
					t.Fatalf("arrangement %q, want %q", v.arrangement, tt.want)
				}
				area := v.grid.Size()
				gap, chrome := theme.Padding(), paneChrome(v.panes[0])
				var aspects []float64
				for _, p := range v.panesWithImages() {
					aspects = append(aspects, p.aspect())
				}
				eq := equalColumnsLeast(aspects, area, gap, chrome)
				for _, p := range v.panesWithImages() {
					got := fittedArea(paneRect{size: p.Size()}, p.aspect(), chrome)
					t.Logf("%s: pane %v, image %.0f px² (equal columns: smallest %.0f)", roleTitle(p.role), p.Size(), got, eq)
					if got < 1.15*eq {
						t.Errorf("%s: image %.0f px², want ≥ 1.15 × the equal-column %.0f", roleTitle(p.role), got, eq)
					}
					// Decoded for its own pane (within the tolerance a resize
					// has), not for the whole evidence area.
					if w, hh := h.paneBox(p); needsRedecode(p.display.Info, p.boxW, p.boxH, w, hh) {
						t.Errorf("%s decoded for %d×%d, its pane is %d×%d", roleTitle(p.role), p.boxW, p.boxH, w, hh)
					}
				}
				// The keys still inspect each image.
				h.key(fyne.Key1)
				h.idle()
				if h.viewer() == nil {
					t.Fatal("1 did not open the inspector")
				}
				h.key(fyne.KeyEscape)
			})
		}
	}
}

func itoaF(f float32) string {
	return string(rune('0'+int(f)/1000)) + string(rune('0'+int(f)/100%10)) + string(rune('0'+int(f)/10%10)) + string(rune('0'+int(f)%10))
}
