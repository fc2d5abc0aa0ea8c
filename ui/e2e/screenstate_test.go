//go:build e2e

package e2e

import (
	"image"
	"image/color"
	"time"
)

// What the window shows, read from a screen capture, so that each step of a
// test waits for the state the next step needs instead of for a time.

// Colours of the app's theme (Fyne's dark theme).
var (
	primaryBlue   = color.RGBA{41, 111, 246, 255} // high-importance buttons (Fetch, Retry, Open queue)
	warningOrange = color.RGBA{255, 152, 0, 255}  // warning text (a REVIEW decision)
	selectionBlue = color.RGBA{17, 44, 82, 255}   // the selected row of a list
)

// countColour counts the pixels of r that are within tol of c in every channel.
func countColour(img image.Image, r image.Rectangle, c color.RGBA, tol int) int {
	r = r.Intersect(img.Bounds())
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if near(img.At(x, y), c, tol) {
				n++
			}
		}
	}
	return n
}

func near(p color.Color, c color.RGBA, tol int) bool {
	r, g, b, _ := p.RGBA()
	d := func(v uint32, w uint8) bool { return abs(float64(int(v>>8)-int(w))) <= float64(tol) }
	return d(r, c.R) && d(g, c.G) && d(b, c.B)
}

// toolbar, casePane and sidePanel are the parts of a w×h screen the window
// fills (no window manager: it sits at the top-left, sized to the screen):
// the case bar at the top, the images or viewer on the left, and the
// details panel on the right.
func toolbar(b image.Rectangle) image.Rectangle {
	return image.Rect(b.Min.X, b.Min.Y, b.Max.X, b.Min.Y+b.Dy()*12/100)
}

func casePane(b image.Rectangle) image.Rectangle {
	return image.Rect(b.Min.X, b.Min.Y+b.Dy()*12/100, b.Min.X+b.Dx()*58/100, b.Max.Y)
}

func sidePanel(b image.Rectangle) image.Rectangle {
	return image.Rect(b.Min.X+b.Dx()*62/100, b.Min.Y+b.Dy()*12/100, b.Max.X, b.Max.Y)
}

// fetchIdle reports whether no fetch is running: the Cancel button, right of
// the blue Fetch button, is disabled (drawn without bright text).
func fetchIdle(img image.Image) (bool, string) {
	bar := toolbar(img.Bounds())
	fetch := image.Rectangle{}
	for y := bar.Min.Y; y < bar.Max.Y; y++ {
		for x := bar.Min.X + bar.Dx()/2; x < bar.Max.X; x++ {
			if near(img.At(x, y), primaryBlue, 2) {
				fetch = fetch.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if fetch.Dx() < 20 || fetch.Dy() < 10 {
		return false, "no Fetch button in the case bar"
	}
	cancel := image.Rect(fetch.Max.X, fetch.Min.Y, bar.Max.X, fetch.Max.Y)
	for y := cancel.Min.Y; y < cancel.Max.Y; y++ {
		for x := cancel.Min.X; x < cancel.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if min(r, g, b)>>8 >= 180 {
				return false, "a fetch is running (Cancel is enabled)"
			}
		}
	}
	return true, ""
}

// pageInk reports whether the white page on screen has something printed on
// it: the page is the span of columns and rows that are mostly white, and at
// least 0.2 % of it must be dark.
func pageInk(img image.Image) bool {
	b := img.Bounds()
	white := func(x, y int) bool {
		r, g, bl, _ := img.At(x, y).RGBA()
		return r>>8 >= 245 && g>>8 >= 245 && bl>>8 >= 245
	}
	// Rows with white across a fifth of the screen, then the columns
	// that are white in half of those rows.
	top, bottom := -1, -1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		n := 0
		for x := b.Min.X; x < b.Max.X; x++ {
			if white(x, y) {
				n++
			}
		}
		if n >= b.Dx()/5 {
			if top < 0 {
				top = y
			}
			bottom = y + 1
		}
	}
	if top < 0 {
		return false
	}
	left, right := -1, -1
	for x := b.Min.X; x < b.Max.X; x++ {
		n := 0
		for y := top; y < bottom; y++ {
			if white(x, y) {
				n++
			}
		}
		if n >= (bottom-top)/2 {
			if left < 0 {
				left = x
			}
			right = x + 1
		}
	}
	page := image.Rect(left, top, right, bottom)
	if page.Dx() <= 0 || page.Dy() <= 0 {
		return false
	}
	dark := 0
	for y := page.Min.Y; y < page.Max.Y; y++ {
		for x := page.Min.X; x < page.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if (r>>8)+(g>>8)+(bl>>8) < 3*128 {
				dark++
			}
		}
	}
	return dark*500 >= page.Dx()*page.Dy()
}

// listRowsBelowSelection returns the rows of the list in the side panel that
// follow its selected row (drawn in selectionBlue), top to bottom: the list
// draws a one-pixel black separator between rows.
func listRowsBelowSelection(img image.Image) []image.Rectangle {
	panel := sidePanel(img.Bounds())
	var sel image.Rectangle
	for y := panel.Min.Y; y < panel.Max.Y; y++ {
		if countColour(img, image.Rect(panel.Min.X, y, panel.Max.X, y+1), selectionBlue, 0) >= panel.Dx()/2 {
			if sel.Empty() {
				sel = image.Rect(panel.Min.X, y, panel.Max.X, y+1)
			}
			sel.Max.Y = y + 1
		} else if !sel.Empty() {
			break
		}
	}
	if sel.Empty() {
		return nil
	}
	// The row's width is the selection's: find its columns.
	left, right := panel.Max.X, panel.Min.X
	for x := panel.Min.X; x < panel.Max.X; x++ {
		if near(img.At(x, (sel.Min.Y+sel.Max.Y)/2), selectionBlue, 0) {
			left, right = min(left, x), max(right, x+1)
		}
	}
	separator := func(y int) bool {
		return countColour(img, image.Rect(left, y, right, y+1), color.RGBA{0, 0, 0, 255}, 4) >= (right-left)/2
	}
	var rows []image.Rectangle
	start := -1
	for y := sel.Max.Y; y < panel.Max.Y; y++ {
		if !separator(y) {
			continue
		}
		if start >= 0 && y-start >= 8 {
			rows = append(rows, image.Rect(left, start, right, y))
		}
		start = y + 1
	}
	return rows
}

// lastWordCell is the part of a list row from the widest gap between its
// text onwards: in the queue list, the status after "N. eval_id".
func lastWordCell(img image.Image, row image.Rectangle) image.Rectangle {
	var bg color.Color = img.At(row.Max.X-1, row.Min.Y+row.Dy()/2)
	ink := func(x int) bool {
		for y := row.Min.Y; y < row.Max.Y; y++ {
			if img.At(x, y) != bg {
				return true
			}
		}
		return false
	}
	gapStart, best, bestAt, lastInk := -1, 0, row.Min.X, -1
	for x := row.Min.X; x < row.Max.X; x++ {
		if ink(x) {
			if lastInk >= 0 && gapStart >= 0 && x-gapStart > best {
				best, bestAt = x-gapStart, x
			}
			lastInk, gapStart = x, -1
		} else if gapStart < 0 {
			gapStart = x
		}
	}
	return image.Rect(bestAt, row.Min.Y, row.Max.X, row.Max.Y)
}

// sameShape reports whether the parts a and b of img (aligned at their
// top-left corners, cut to the smaller size) hold the same pixels.
func sameShape(img image.Image, a, b image.Rectangle) bool {
	w, h := min(a.Dx(), b.Dx()), min(a.Dy(), b.Dy())
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if img.At(a.Min.X+x, a.Min.Y+y) != img.At(b.Min.X+x, b.Min.Y+y) {
				return false
			}
		}
	}
	return true
}

// changedFrom reports whether the part r of img differs from the same part
// of before in more than 5 % of its pixels.
func changedFrom(img, before image.Image, r image.Rectangle) bool {
	diff := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			a1, a2, a3, _ := img.At(x, y).RGBA()
			b1, b2, b3, _ := before.At(x, y).RGBA()
			if max(absDiff(a1, b1), absDiff(a2, b2), absDiff(a3, b3))>>8 > 8 {
				diff++
			}
		}
	}
	return diff*20 > r.Dx()*r.Dy()
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// pollInterval is how often a wait looks at the screen again.
const pollInterval = 250 * time.Millisecond
