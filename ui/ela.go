package ui

import (
	"fmt"
	"image"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"docvreview/imaging/forensics"
)

// elaQualities are the recompression qualities offered for ELA.
var elaQualities = []string{"75", "85", "90", "95"}

// elaNote tells the reviewer how to read an ELA view.
const elaNote = "Error level analysis: the image recompressed as a JPEG, the difference amplified. " +
	"Edges and text light up naturally; a pasted or retouched region stands out by a different " +
	"level from similar areas around it. Compare regions with each other, not with black."

// elaState is the inspector's error level analysis: the ELA of the
// full-size image at one quality, computed once off the Fyne goroutine.
type elaState struct {
	on      bool
	quality int
	img     *image.RGBA // the ELA at forQ (nil until computed)
	forQ    int
	seq     int  // computations started; a stale result is dropped
	busy    bool // a computation is running …
	busyQ   int  // … at this quality
	// done gets a non-blocking send after each result is applied (tests).
	done chan struct{}
}

// drop forgets the ELA image.
func (e *elaState) drop() {
	e.img, e.forQ, e.busy = nil, 0, false
	e.seq++
}

// elaControls are the ELA toggle with its quality, and the note on how to
// read it (shown while ELA is on).
func (i *inspector) elaControls() (controls, note fyne.CanvasObject) {
	i.ela.quality = forensics.DefaultELAQuality
	i.ela.done = make(chan struct{}, 1)
	i.elaStatus = widget.NewLabel("")
	i.elaStatus.Hide()
	i.elaNote = widget.NewLabel(elaNote)
	i.elaNote.Wrapping = fyne.TextWrapWord
	i.elaNote.Importance = widget.LowImportance
	i.elaNote.Hide()
	i.elaCheck = widget.NewCheck("ELA (E)", func(on bool) {
		i.ela.on = on
		i.refreshELA()
	})
	i.elaQuality = widget.NewSelect(elaQualities, func(s string) {
		q, err := strconv.Atoi(s)
		if err != nil || q == i.ela.quality {
			return
		}
		i.ela.quality = q
		i.refreshELA()
	})
	i.elaQuality.SetSelected(strconv.Itoa(forensics.DefaultELAQuality))
	return container.NewHBox(i.elaCheck, widget.NewLabel("at quality"), i.elaQuality, i.elaStatus), i.elaNote
}

// refreshELA shows the original or the ELA at the chosen quality, on the
// same view, computing the ELA first when needed.
func (i *inspector) refreshELA() {
	setVisible(i.elaNote, i.ela.on)
	if !i.ela.on {
		i.elaStatus.Hide()
		if i.full != nil {
			i.view.ReplaceSource(i.full)
		}
		return
	}
	if i.full == nil {
		i.elaStatus.SetText("ELA waits for the full-resolution image…")
		i.elaStatus.Show()
		return
	}
	q := i.ela.quality
	if i.ela.img != nil && i.ela.forQ == q {
		i.elaStatus.Hide()
		i.view.ReplaceSource(i.ela.img)
		return
	}
	i.elaStatus.SetText(fmt.Sprintf("Computing ELA at quality %d…", q))
	i.elaStatus.Importance = widget.MediumImportance
	i.elaStatus.Show()
	if i.ela.busy && i.ela.busyQ == q {
		return
	}
	i.ela.seq++
	i.ela.busyQ = q
	seq, full, do := i.ela.seq, i.full, i.in.Do
	i.ela.busy = true
	go func() {
		out, err := forensics.ELA(full, q, forensics.DefaultELAGain)
		viewerDo(do, func() { i.onELA(seq, q, out, err) })
	}()
}

// onELA applies a finished ELA unless it is stale.
func (i *inspector) onELA(seq, q int, out *image.RGBA, err error) {
	defer func() {
		select {
		case i.ela.done <- struct{}{}:
		default:
		}
	}()
	if i.closed.Load() || seq != i.ela.seq {
		return
	}
	i.ela.busy = false
	if err != nil {
		i.elaStatus.SetText("ELA failed: " + err.Error())
		i.elaStatus.Importance = widget.DangerImportance
		i.elaStatus.Show()
		return
	}
	i.ela.img, i.ela.forQ = out, q
	i.refreshELA()
}
