//go:build e2e

package e2e

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"strings"
	"testing"

	"docvreview/fetch/simulator"
	"docvreview/imaging"
)

// The colour check compares a displayed image with the simulator's image
// cell by cell: both are cut into gridCols×gridRows cells and the mean
// colour of each cell is compared. A mean over the whole image cannot see
// an image shown turned by 180° or mirrored (the demo selfie upside down
// moves its mean by 0.4, its worst cell by 153), and hardly a red/blue swap
// (the demo front's mean moves by 0.75, its worst cell by 60).
const gridCols, gridRows = 6, 6

// maxCellDistance is the largest per-channel difference (0–255) allowed
// between a cell of the screen and the same cell of the reference: three
// times the worst measured on the demo case with either JPEG decoder (3.96,
// from resampling, and edges landing on either side of a cell's border).
// The colour faults the check exists for move cells by far more.
const maxCellDistance = 12

// colourGrid is the mean colour (0–255 per channel) of each cell of an
// upright image cut into gridCols×gridRows cells.
type colourGrid [gridRows][gridCols][3]float64

// reference is what the window must show for one image of a case.
type reference struct {
	w, h int // upright size
	grid colourGrid
}

func (r reference) aspect() float64 { return float64(r.w) / float64(r.h) }

// referenceImages decodes the front, back and selfie of the happy case the
// way no part of the app does: the standard library's JPEG decoder at full
// resolution, the EXIF orientation applied by mapping pixel coordinates,
// and plain per-cell means. The reference is thus the same whichever JPEG
// decoder the test process or the binary under test was built with, and a
// fault in the app's decoders, scaler or orientation code cannot hide by
// also being in the reference.
func referenceImages(t *testing.T) map[string]reference {
	t.Helper()
	z := simulator.CaseZIP(simulator.HappyID)
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	refs := map[string]reference{}
	for _, f := range zr.File {
		role := ""
		switch {
		case strings.Contains(f.Name, "front"):
			role = "front"
		case strings.Contains(f.Name, "back"):
			role = "back"
		case strings.Contains(f.Name, "Selfie"):
			role = "selfie"
		default:
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		info, err := imaging.Probe(data) // the EXIF orientation
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("decode the simulator's %s: %v", role, err)
		}
		refs[role] = uprightReference(img, info.Orientation)
	}
	if len(refs) != 3 {
		t.Fatalf("the happy case has %d of the front, back and selfie", len(refs))
	}
	return refs
}

// uprightReference computes the upright size and cell means of img stored
// with EXIF orientation o.
func uprightReference(img image.Image, o int) reference {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	uw, uh := w, h
	if o >= 5 && o <= 8 {
		uw, uh = h, w
	}
	var sum [gridRows][gridCols][3]float64
	var n [gridRows][gridCols]float64
	ycc, _ := img.(*image.YCbCr)
	for y := 0; y < h; y += 2 {
		for x := 0; x < w; x += 2 {
			var r, g, bl uint8
			if ycc != nil {
				c := ycc.YCbCrAt(b.Min.X+x, b.Min.Y+y)
				r, g, bl = color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
			} else {
				c := color.RGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.RGBA)
				r, g, bl = c.R, c.G, c.B
			}
			ux, uy := uprightPoint(o, x, y, w, h)
			cy, cx := uy*gridRows/uh, ux*gridCols/uw
			sum[cy][cx][0] += float64(r)
			sum[cy][cx][1] += float64(g)
			sum[cy][cx][2] += float64(bl)
			n[cy][cx]++
		}
	}
	ref := reference{w: uw, h: uh}
	for cy := range sum {
		for cx := range sum[cy] {
			for c := range 3 {
				ref.grid[cy][cx][c] = sum[cy][cx][c] / n[cy][cx]
			}
		}
	}
	return ref
}

// uprightPoint maps pixel (x, y) of a w×h image stored with EXIF
// orientation o to its position in the upright image.
func uprightPoint(o, x, y, w, h int) (int, int) {
	switch o {
	case 2: // mirrored
		return w - 1 - x, y
	case 3: // turned 180°
		return w - 1 - x, h - 1 - y
	case 4: // mirrored top to bottom
		return x, h - 1 - y
	case 5: // transposed
		return y, x
	case 6: // shown turned 90° clockwise
		return h - 1 - y, x
	case 7: // transversed
		return h - 1 - y, w - 1 - x
	case 8: // shown turned 90° counter-clockwise
		return y, w - 1 - x
	}
	return x, y
}

// screenGrid computes the cell means of the part r of the screen.
func screenGrid(img image.Image, r image.Rectangle) colourGrid {
	var sum colourGrid
	var n [gridRows][gridCols]float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			cy, cx := (y-r.Min.Y)*gridRows/r.Dy(), (x-r.Min.X)*gridCols/r.Dx()
			sum[cy][cx][0] += float64(cr >> 8)
			sum[cy][cx][1] += float64(cg >> 8)
			sum[cy][cx][2] += float64(cb >> 8)
			n[cy][cx]++
		}
	}
	for cy := range sum {
		for cx := range sum[cy] {
			for c := range 3 {
				sum[cy][cx][c] /= max(n[cy][cx], 1)
			}
		}
	}
	return sum
}

// gridDistance is the largest per-channel difference between two grids'
// cells, and where it is.
func gridDistance(a, b colourGrid) (float64, string) {
	worst, where := -1.0, ""
	for cy := range a {
		for cx := range a[cy] {
			for c := range 3 {
				if d := abs(a[cy][cx][c] - b[cy][cx][c]); d > worst {
					worst = d
					where = fmt.Sprintf("cell (%d,%d) %c: screen %.0f, reference %.0f", cx, cy, "RGB"[c], a[cy][cx][c], b[cy][cx][c])
				}
			}
		}
	}
	return worst, where
}

// imageExtent grows r, a busy part of an image on the screen, to the whole
// image: each side moves outwards while the line just outside it (across
// r's current span) is not flat. The pane around a displayed image is one
// flat colour; a photograph's row or column has many colours, even where
// photoRegions finds it too grey to count (the wall behind the selfie).
func imageExtent(img image.Image, r image.Rectangle) image.Rectangle {
	b := img.Bounds()
	flat := func(line image.Rectangle) bool { return distinctColours(img, line, 3) <= 2 }
	for grown := true; grown; {
		grown = false
		if r.Min.Y > b.Min.Y && !flat(image.Rect(r.Min.X, r.Min.Y-1, r.Max.X, r.Min.Y)) {
			r.Min.Y--
			grown = true
		}
		if r.Max.Y < b.Max.Y && !flat(image.Rect(r.Min.X, r.Max.Y, r.Max.X, r.Max.Y+1)) {
			r.Max.Y++
			grown = true
		}
		if r.Min.X > b.Min.X && !flat(image.Rect(r.Min.X-1, r.Min.Y, r.Min.X, r.Max.Y)) {
			r.Min.X--
			grown = true
		}
		if r.Max.X < b.Max.X && !flat(image.Rect(r.Max.X, r.Min.Y, r.Max.X+1, r.Max.Y)) {
			r.Max.X++
			grown = true
		}
	}
	return r
}

// checkShown returns "" when the screen's part r shows ref: the same
// aspect within 3 % and every cell's colour within maxCellDistance.
func checkShown(img image.Image, r image.Rectangle, ref reference) string {
	aspect := float64(r.Dx()) / float64(r.Dy())
	if d := aspect/ref.aspect() - 1; abs(d) > 0.03 {
		return fmt.Sprintf("aspect %.3f on screen (%v), %.3f in the simulator's image", aspect, r, ref.aspect())
	}
	if d, where := gridDistance(screenGrid(img, r), ref.grid); d > maxCellDistance {
		return fmt.Sprintf("colour differs from the simulator's image by %.1f (limit %d) in %s", d, maxCellDistance, where)
	}
	return ""
}
