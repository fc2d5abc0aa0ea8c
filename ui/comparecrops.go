package ui

import (
	"image"
	"image/draw"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// cropMode is how the two face crops are shown.
type cropMode int

// Crop modes, in the order F cycles through them.
const (
	cropSideBySide cropMode = iota // ID front crop | selfie crop
	cropSplit                      // left half of the ID front, right half of the selfie
	cropFlicker                    // the two alternating every cropFlickerEvery
	cropModes
)

// cropFlickerEvery is how long each crop stays up in flicker mode.
const cropFlickerEvery = 600 * time.Millisecond

// cropShownSide is the on-screen side of a crop (Fyne units).
const cropShownSide = 170

func (m cropMode) String() string {
	switch m {
	case cropSplit:
		return "50/50 split"
	case cropFlicker:
		return "Flicker"
	}
	return "Side by side"
}

// cropPanel shows the face crops of the ID front and the selfie, or why
// there are none.
type cropPanel struct {
	do     func(func())
	left   *canvas.Image // side by side: ID front; split and flicker: the composite
	right  *canvas.Image // side by side: selfie
	msg    *widget.Label
	modeB  *widget.Button
	root   fyne.CanvasObject
	mode   cropMode
	crops  [2]*image.RGBA
	split  *image.RGBA
	flip   bool          // flicker: the selfie is up
	ticker chan struct{} // closed to stop the flicker goroutine
}

func newCropPanel(do func(func())) *cropPanel {
	p := &cropPanel{do: do}
	mk := func() *canvas.Image {
		img := &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScaleSmooth}
		img.SetMinSize(fyne.NewSquareSize(cropShownSide))
		return img
	}
	p.left, p.right = mk(), mk()
	p.msg = widget.NewLabel("Looking for faces…")
	p.modeB = widget.NewButton("Crops: "+p.mode.String()+" (F)", p.cycle)
	p.modeB.Disable()
	p.right.Hide()
	p.root = container.NewHBox(p.left, p.right,
		container.NewVBox(layout.NewSpacer(), p.msg, container.NewHBox(p.modeB), layout.NewSpacer()))
	return p
}

// show puts the crops up, or says which image has no face.
func (p *cropPanel) show(faces [2]compareFace) {
	switch {
	case !faces[0].found && !faces[1].found:
		p.msg.SetText("No face found on the ID front or the selfie — compare manually.")
	case !faces[0].found:
		p.msg.SetText("No face found on the ID front — compare manually.")
		p.showOne(faces[1].crop)
	case !faces[1].found:
		p.msg.SetText("No face found on the selfie — compare manually.")
		p.showOne(faces[0].crop)
	default:
		p.crops = [2]*image.RGBA{faces[0].crop, faces[1].crop}
		p.split = splitCrops(p.crops[0], p.crops[1])
		p.msg.SetText("Face crops: ID front, selfie (same size, eyes level).")
		p.modeB.Enable()
		p.apply()
		return
	}
	p.modeB.Disable()
}

// showOne shows the one crop found.
func (p *cropPanel) showOne(crop *image.RGBA) {
	p.left.Image = crop
	p.left.Refresh()
}

// splitCrops joins the left half of a and the right half of b.
func splitCrops(a, b *image.RGBA) *image.RGBA {
	r := a.Bounds().Union(b.Bounds())
	out := image.NewRGBA(r)
	mid := r.Min.X + r.Dx()/2
	draw.Draw(out, image.Rect(r.Min.X, r.Min.Y, mid, r.Max.Y), a, image.Pt(r.Min.X, r.Min.Y), draw.Src)
	draw.Draw(out, image.Rect(mid, r.Min.Y, r.Max.X, r.Max.Y), b, image.Pt(mid, r.Min.Y), draw.Src)
	return out
}

// cycle moves to the next crop mode.
func (p *cropPanel) cycle() {
	if p.crops[0] == nil {
		return
	}
	p.mode = (p.mode + 1) % cropModes
	p.apply()
}

// apply shows the crops in the current mode.
func (p *cropPanel) apply() {
	p.stopFlicker()
	p.modeB.SetText("Crops: " + p.mode.String() + " (F)")
	switch p.mode {
	case cropSideBySide:
		p.left.Image, p.right.Image = p.crops[0], p.crops[1]
		p.right.Show()
	case cropSplit:
		p.left.Image = p.split
		p.right.Hide()
	case cropFlicker:
		p.flip = false
		p.left.Image = p.crops[0]
		p.right.Hide()
		p.startFlicker()
	}
	p.left.Refresh()
	p.right.Refresh()
}

// startFlicker alternates the crops until stopFlicker.
func (p *cropPanel) startFlicker() {
	stop := make(chan struct{})
	p.ticker = stop
	go func() {
		t := time.NewTicker(cropFlickerEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				viewerDo(p.do, func() { p.flick(stop) })
			}
		}
	}()
}

// flick swaps the crop shown, unless that flicker was stopped.
func (p *cropPanel) flick(stop chan struct{}) {
	if p.ticker != stop || p.crops[0] == nil {
		return
	}
	p.flip = !p.flip
	if p.flip {
		p.left.Image = p.crops[1]
	} else {
		p.left.Image = p.crops[0]
	}
	p.left.Refresh()
}

func (p *cropPanel) stopFlicker() {
	if p.ticker != nil {
		close(p.ticker)
		p.ticker = nil
	}
}

// clear stops the flicker and drops the crops.
func (p *cropPanel) clear() {
	p.stopFlicker()
	p.crops, p.split = [2]*image.RGBA{}, nil
	p.left.Image, p.right.Image = nil, nil
	p.left.Refresh()
	p.right.Refresh()
}
