package ui

import (
	"errors"
	"fmt"
	"image"
	"strconv"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"docvreview/imaging"
	"docvreview/imaging/forensics"
)

// inspectorInput is what the window hands the inspector for one image.
type inspectorInput struct {
	Title     string // role shown as heading, e.g. "ID front" (no PII)
	Data      []byte // the original image bytes (not copied, not kept after decode)
	Release   func() // called once Data is no longer read (after decoding); may be nil
	Meta      imaging.Metadata
	Clipboard fyne.Clipboard // where Copy puts the SHA-256; nil disables Copy
	OnClose   func()         // called after Close by the Close button and Esc
	// Do runs a function on the Fyne goroutine; nil = fyne.Do. The window
	// passes its own (its tests run the Fyne goroutine's work from a queue).
	Do func(func())

	// Checks is the image's evidence checks (nil when not run or failed,
	// then ChecksErr says why); ChecksPending says they are still running
	// and setChecks will bring them.
	Checks        *forensics.Report
	ChecksErr     error
	ChecksPending bool

	// decode replaces imaging.DecodeFull in tests (nil = imaging.DecodeFull).
	decode func([]byte, imaging.Options) (*image.RGBA, imaging.Info, error)
}

const (
	inspZoomStep   = 1.25
	inspPanFrac    = 0.1 // arrow keys pan by this fraction of the view
	inspPanMin     = 20  // … and at least this many Fyne units
	inspPanelWidth = 300
	inspLoadingMsg = "Loading full resolution…"
)

// inspector shows one image large: zoom, pan, rotate, tone controls, error
// level analysis and the metadata panel with the evidence checks. It holds
// one full-size decoded copy while open, and its ELA once computed.
type inspector struct {
	in      inspectorInput
	view    *zoomView
	content fyne.CanvasObject

	status     *widget.Label // loading / error message over the view
	zoomLabel  *widget.Label
	bright     *widget.Slider
	contrast   *widget.Slider
	gray       *widget.Check
	invert     *widget.Check
	copyButton *widget.Button

	full   *image.RGBA // the one full-size copy (nil until decoded / after Close)
	closed atomic.Bool // read in the decode goroutine's callback

	checksBox  *fyne.Container // the evidence checks in the metadata panel
	ela        elaState
	elaCheck   *widget.Check
	elaQuality *widget.Select
	elaStatus  *widget.Label
	elaNote    *widget.Label

	// ready is closed after the decode result was applied (or dropped).
	ready chan struct{}
}

// newInspector builds the inspector and starts decoding in.Data at full
// resolution in the background.
func newInspector(in inspectorInput) *inspector {
	i := &inspector{in: in, view: newZoomView(), ready: make(chan struct{})}
	i.view.do = in.Do
	i.view.onChange = i.updateZoomLabel
	i.buildUI()
	decode := in.decode
	if decode == nil {
		decode = imaging.DecodeFull
	}
	data := in.Data
	i.in.Data = nil // the window owns the bytes; the inspector keeps none
	go i.decodeFull(decode, data)
	return i
}

// Object is the inspector's content.
func (i *inspector) Object() fyne.CanvasObject { return i.content }

// Close drops the full-size copy and the view's source. Idempotent.
func (i *inspector) Close() {
	i.closed.Store(true)
	i.full = nil
	i.ela.drop()
	i.view.SetSource(nil)
}

// TypedKey handles the inspector's keys; it reports whether ev was used:
// Esc closes, arrows pan, + = − zoom, 0 fits, R rotates, B and C step
// brightness and contrast through inspTonePresets, G and I toggle
// grayscale and invert, E toggles error level analysis.
func (i *inspector) TypedKey(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyEscape:
		i.onClose()
	case fyne.KeyLeft:
		i.view.PanBy(i.panStep(true), 0)
	case fyne.KeyRight:
		i.view.PanBy(-i.panStep(true), 0)
	case fyne.KeyUp:
		i.view.PanBy(0, i.panStep(false))
	case fyne.KeyDown:
		i.view.PanBy(0, -i.panStep(false))
	case fyne.KeyPlus, fyne.KeyEqual:
		i.view.ZoomBy(inspZoomStep)
	case fyne.KeyMinus:
		i.view.ZoomBy(1 / inspZoomStep)
	case fyne.Key0:
		i.view.Fit()
	case fyne.KeyR:
		i.view.Rotate()
	case fyne.KeyB:
		i.bright.SetValue(inspNextPreset(i.bright.Value))
	case fyne.KeyC:
		i.contrast.SetValue(inspNextPreset(i.contrast.Value))
	case fyne.KeyG:
		i.gray.SetChecked(!i.gray.Checked)
	case fyne.KeyI:
		i.invert.SetChecked(!i.invert.Checked)
	case fyne.KeyE:
		i.elaCheck.SetChecked(!i.elaCheck.Checked)
	default:
		return false
	}
	return true
}

// TypedShortcut handles Ctrl+0 (100 %); it reports whether s was used.
// The window must register that shortcut on its canvas and forward it.
func (i *inspector) TypedShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok || cs.KeyName != fyne.Key0 {
		return false
	}
	if cs.Modifier != fyne.KeyModifierControl && cs.Modifier != fyne.KeyModifierSuper {
		return false
	}
	i.view.ActualSize()
	return true
}

// inspTonePresets are the slider values B and C step through, in order.
var inspTonePresets = [...]float64{0, 25, 50, -25}

// inspNextPreset is the preset after v (the first when v is none of them).
func inspNextPreset(v float64) float64 {
	for k, p := range inspTonePresets {
		if v == p {
			return inspTonePresets[(k+1)%len(inspTonePresets)]
		}
	}
	return inspTonePresets[0]
}

func (i *inspector) panStep(horizontal bool) float32 {
	s := i.view.Size()
	d := s.Height
	if horizontal {
		d = s.Width
	}
	return max(d*inspPanFrac, inspPanMin)
}

// decodeFull runs on its own goroutine.
func (i *inspector) decodeFull(decode func([]byte, imaging.Options) (*image.RGBA, imaging.Info, error), data []byte) {
	img, _, err := decode(data, imaging.Options{})
	if i.in.Release != nil {
		i.in.Release() // the case's bytes are not read again
	}
	viewerDo(i.in.Do, func() {
		defer close(i.ready)
		if i.closed.Load() {
			return
		}
		i.onDecoded(img, err)
	})
}

// onDecoded shows the decoded image or the reason it cannot be shown.
func (i *inspector) onDecoded(img *image.RGBA, err error) {
	if err != nil || img == nil {
		i.status.SetText(inspDecodeMessage(err))
		i.status.Importance = widget.DangerImportance
		i.status.Refresh()
		return
	}
	i.full = img
	i.status.Hide()
	i.view.SetSource(img)
	i.applyAdjustments()
	i.refreshELA()
}

// inspDecodeMessage turns a decode error into words a reviewer can act on.
func inspDecodeMessage(err error) string {
	switch {
	case err == nil:
		return "This image could not be decoded."
	case errors.Is(err, imaging.ErrCorrupt):
		return "This image is corrupt: it cannot be shown at full resolution."
	case errors.Is(err, imaging.ErrTooLarge):
		return "This image is too large to open at full resolution."
	case errors.Is(err, imaging.ErrUnsupported):
		return "This image format is not supported."
	}
	return "This image could not be decoded at full resolution."
}

func (i *inspector) onClose() {
	i.Close()
	if i.in.OnClose != nil {
		i.in.OnClose()
	}
}

func (i *inspector) onCopyHash() {
	if i.in.Clipboard != nil && i.in.Meta.SHA256 != "" {
		i.in.Clipboard.SetContent(i.in.Meta.SHA256)
	}
}

func (i *inspector) applyAdjustments() {
	i.view.SetAdjustments(imaging.Adjustments{
		Brightness: i.bright.Value / 100,
		Contrast:   i.contrast.Value / 100,
		Grayscale:  i.gray.Checked,
		Invert:     i.invert.Checked,
	})
}

func (i *inspector) updateZoomLabel() {
	if i.zoomLabel == nil {
		return
	}
	p := i.view.ZoomPercent()
	if p <= 0 {
		i.zoomLabel.SetText("–")
		return
	}
	i.zoomLabel.SetText(strconv.Itoa(int(p+0.5)) + " %")
}

func (i *inspector) buildUI() {
	i.status = widget.NewLabel(inspLoadingMsg)
	i.status.Alignment = fyne.TextAlignCenter
	i.status.Wrapping = fyne.TextWrapWord
	i.zoomLabel = widget.NewLabel("–")

	i.bright = inspSlider(func() { i.applyAdjustments() })
	i.contrast = inspSlider(func() { i.applyAdjustments() })
	i.gray = widget.NewCheck("Grayscale (G)", func(bool) { i.applyAdjustments() })
	i.invert = widget.NewCheck("Invert (I)", func(bool) { i.applyAdjustments() })

	zoomOut := widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { i.view.ZoomBy(1 / inspZoomStep) })
	zoomIn := widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { i.view.ZoomBy(inspZoomStep) })
	fit := widget.NewButtonWithIcon("Fit", theme.ZoomFitIcon(), i.view.Fit)
	actual := widget.NewButton("Actual size", i.view.ActualSize)
	rotate := widget.NewButtonWithIcon("Rotate", theme.ViewRefreshIcon(), i.view.Rotate)
	closeButton := widget.NewButtonWithIcon("Close", theme.WindowCloseIcon(), i.onClose)
	reset := widget.NewButton("Reset", i.resetTone)

	sliderSize := fyne.NewSize(120, i.bright.MinSize().Height)
	elaControls, elaNote := i.elaControls()
	viewRow := container.NewHBox(
		zoomOut, i.zoomLabel, zoomIn, fit, actual, rotate, elaControls, layout.NewSpacer(), closeButton,
	)
	toneRow := container.NewHBox(
		widget.NewLabel("Brightness (B)"), container.NewGridWrap(sliderSize, i.bright),
		widget.NewLabel("Contrast (C)"), container.NewGridWrap(sliderSize, i.contrast),
		i.gray, i.invert, reset,
	)
	bar := container.NewVBox(viewRow, container.NewHScroll(toneRow), elaNote)

	center := container.NewStack(i.view, container.NewCenter(i.status))
	i.content = container.NewBorder(bar, nil, nil, i.metadataPanel(), center)
}

// resetTone puts the tone controls back to neutral.
func (i *inspector) resetTone() {
	i.bright.SetValue(0)
	i.contrast.SetValue(0)
	i.gray.SetChecked(false)
	i.invert.SetChecked(false)
}

func inspSlider(changed func()) *widget.Slider {
	s := widget.NewSlider(-100, 100)
	s.Step = 5
	s.OnChanged = func(float64) { changed() }
	return s
}

// metadataPanel lists what imaging learned about the image.
func (i *inspector) metadataPanel() fyne.CanvasObject {
	m := i.in.Meta
	title := widget.NewLabelWithStyle(i.in.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})

	var rows []*widget.FormItem
	for _, r := range inspMetadataRows(m) {
		l := widget.NewLabel(r.value)
		l.Wrapping = fyne.TextWrapWord
		rows = append(rows, widget.NewFormItem(r.label, l))
	}
	form := widget.NewForm(rows...)

	hash := widget.NewLabelWithStyle(m.SHA256, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	hash.Wrapping = fyne.TextWrapBreak
	i.copyButton = widget.NewButtonWithIcon("Copy SHA-256", theme.ContentCopyIcon(), i.onCopyHash)
	if i.in.Clipboard == nil || m.SHA256 == "" {
		i.copyButton.Disable()
	}

	items := []fyne.CanvasObject{title}
	for _, w := range m.Warnings { // first: they are why a reviewer looks twice
		l := widget.NewLabelWithStyle("⚠ "+w, fyne.TextAlignLeading, fyne.TextStyle{})
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		items = append(items, l)
	}
	i.checksBox = container.NewVBox()
	i.showChecks(i.in.Checks, i.in.ChecksErr, i.in.ChecksPending)
	items = append(items, i.checksBox)
	items = append(items, widget.NewLabel("SHA-256"), hash, i.copyButton, widget.NewSeparator(), form)
	panel := container.NewVScroll(container.NewVBox(items...))
	panel.SetMinSize(fyne.NewSize(inspPanelWidth, 0))
	return panel
}

// inspRow is one line of the metadata panel.
type inspRow struct{ label, value string }

// inspMetadataRows formats m for the panel (values only; no pixel data).
func inspMetadataRows(m imaging.Metadata) []inspRow {
	info := m.Info
	rows := []inspRow{{"Size", inspBytes(m.Bytes)}}
	format := strings.ToUpper(string(info.Format))
	if format == "" {
		format = "unknown"
	}
	if info.Progressive {
		format += ", progressive"
	}
	rows = append(rows, inspRow{"Format", format})
	if info.Width > 0 && info.Height > 0 {
		rows = append(rows, inspRow{"Stored", fmt.Sprintf("%d × %d px", info.Width, info.Height)})
		w, h := inspOrientedSize(info)
		rows = append(rows, inspRow{"Displayed", fmt.Sprintf("%d × %d px", w, h)})
	}
	if info.Subsampling != "" {
		rows = append(rows, inspRow{"Subsampling", info.Subsampling})
	}
	x := m.EXIF
	if x == nil {
		return append(rows, inspRow{"EXIF", "none"})
	}
	for _, r := range []inspRow{
		{"Make", x.Make}, {"Model", x.Model}, {"Software", x.Software},
		{"Taken", x.DateTimeOriginal},
	} {
		if r.value == "" {
			r.value = "—"
		}
		rows = append(rows, r)
	}
	orient := "—"
	if x.Orientation > 0 {
		orient = strconv.Itoa(x.Orientation) + " (" + inspOrientationName(x.Orientation) + ")"
	}
	rows = append(rows, inspRow{"Orientation", orient}, inspRow{"GPS", inspYesNo(x.HasGPS)})
	thumb := "no"
	if x.HasThumbnail {
		thumb = "yes"
		if x.ThumbnailBytes > 0 {
			thumb += ", " + inspBytes(x.ThumbnailBytes)
		}
	}
	return append(rows, inspRow{"Thumbnail", thumb})
}

// inspOrientedSize is the upright size for an EXIF orientation.
func inspOrientedSize(info imaging.Info) (int, int) {
	if info.Orientation >= 5 && info.Orientation <= 8 {
		return info.Height, info.Width
	}
	return info.Width, info.Height
}

func inspOrientationName(o int) string {
	switch o {
	case 1:
		return "upright"
	case 2:
		return "mirrored"
	case 3:
		return "rotated 180°"
	case 4:
		return "mirrored, upside down"
	case 5:
		return "mirrored, rotated 90°"
	case 6:
		return "rotated 90° clockwise"
	case 7:
		return "mirrored, rotated 270°"
	case 8:
		return "rotated 90° counter-clockwise"
	}
	return "invalid"
}

func inspYesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// inspBytes formats a byte count exactly and in readable units.
func inspBytes(n int) string {
	exact := inspGroupDigits(n) + " bytes"
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB (%s)", float64(n)/(1<<20), exact)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB (%s)", float64(n)/(1<<10), exact)
	}
	return exact
}

// inspGroupDigits writes n with thousands separators: 1234567 → "1,234,567".
func inspGroupDigits(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for k, r := range s {
		if k > 0 && (len(s)-k)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
