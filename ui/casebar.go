package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
)

// errNotEvalID is the entry's validation error (short: it shows as a tooltip).
var errNotEvalID = errors.New("not an eval_id: paste the UUID or the Dashboard URL")

// caseBar is the top of the window: environment, eval_id, Fetch and Cancel,
// download progress and the status line.
type caseBar struct {
	envSelect *widget.Select
	prodMark  *fyne.Container
	prodLine  *canvas.Rectangle
	entry     *evalEntry
	fetchBtn  *widget.Button
	cancelBtn *widget.Button
	progress  *widget.ProgressBar
	status    *widget.Label
	root      fyne.CanvasObject

	progressText string

	onFetch    func()
	onCancel   func()
	onEnv      func(eval.Environment)
	onActivity func()
}

func newCaseBar(env eval.Environment) *caseBar {
	b := &caseBar{}
	var titles []string
	for _, e := range eval.Environments() {
		titles = append(titles, e.Title())
	}
	b.envSelect = widget.NewSelect(titles, nil)
	b.envSelect.SetSelected(env.Title())
	b.envSelect.OnChanged = b.envChanged

	b.prodLine = canvas.NewRectangle(theme.Color(theme.ColorNameError))
	b.prodLine.SetMinSize(fyne.NewSize(0, 4))
	prodLabel := widget.NewLabelWithStyle("PRODUCTION", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	prodLabel.Importance = widget.DangerImportance
	b.prodMark = container.NewHBox(widget.NewIcon(theme.WarningIcon()), prodLabel)

	b.entry = newEvalEntry()
	b.entry.SetPlaceHolder("eval_id or Dashboard URL")
	b.entry.Validator = validateEvalID
	b.entry.OnSubmitted = func(string) { b.fetch() }
	b.entry.OnChanged = func(string) { b.activity() }

	b.fetchBtn = widget.NewButtonWithIcon("Fetch", theme.DownloadIcon(), b.fetch)
	b.fetchBtn.Importance = widget.HighImportance
	b.cancelBtn = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), b.cancel)
	b.cancelBtn.Disable()

	b.progress = widget.NewProgressBar()
	b.progress.TextFormatter = func() string { return b.progressText }
	b.progress.Hide()
	b.status = widget.NewLabel("Ready.")
	b.status.Truncation = fyne.TextTruncateEllipsis

	left := container.NewHBox(widget.NewLabel("Environment"), b.envSelect, b.prodMark)
	right := container.NewHBox(b.fetchBtn, b.cancelBtn)
	row := container.NewBorder(nil, nil, left, right, b.entry)
	statusRow := container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(260, b.progress.MinSize().Height), b.progress), b.status)
	b.root = container.NewVBox(b.prodLine, container.NewPadded(container.NewVBox(row, statusRow)), widget.NewSeparator())
	b.markEnv(env)
	return b
}

// validateEvalID accepts an empty entry (nothing to complain about yet) and
// anything riskos.ParseEvalID accepts, such as a pasted Dashboard URL.
func validateEvalID(s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	if _, err := riskos.ParseEvalID(s); err != nil {
		return errNotEvalID
	}
	return nil
}

func (b *caseBar) activity() {
	if b.onActivity != nil {
		b.onActivity()
	}
}

func (b *caseBar) fetch() {
	if b.onFetch != nil {
		b.onFetch()
	}
}

func (b *caseBar) cancel() {
	if b.onCancel != nil {
		b.onCancel()
	}
}

// env is the selected environment.
func (b *caseBar) env() eval.Environment {
	for _, e := range eval.Environments() {
		if e.Title() == b.envSelect.Selected {
			return e
		}
	}
	return eval.Demo
}

func (b *caseBar) envChanged(string) {
	env := b.env()
	b.markEnv(env)
	if b.onEnv != nil {
		b.onEnv(env)
	}
}

// markEnv makes Production impossible to miss: a red line across the
// window and a warning label next to the selector.
func (b *caseBar) markEnv(env eval.Environment) {
	if env == eval.Production {
		b.prodMark.Show()
		b.prodLine.Show()
	} else {
		b.prodMark.Hide()
		b.prodLine.Hide()
	}
}

// setFetching switches between the fetching and idle states.
func (b *caseBar) setFetching(on bool) {
	if on {
		b.cancelBtn.Enable()
		b.progressText = "Connecting…"
		b.progress.Max = 1
		b.progress.SetValue(0)
		b.progress.Show()
		return
	}
	b.cancelBtn.Disable()
	b.progress.Hide()
	b.progressText = ""
}

// setProgress shows bytes so far and the total when known.
func (b *caseBar) setProgress(p riskos.Progress) {
	if p.Total > 0 {
		b.progressText = fmt.Sprintf("%s of %s", humanBytes(p.Done), humanBytes(p.Total))
		b.progress.Max = float64(p.Total)
		b.progress.SetValue(float64(min(p.Done, p.Total)))
		return
	}
	b.progressText = humanBytes(p.Done)
	b.progress.Max = 1
	b.progress.SetValue(0)
}

func (b *caseBar) setStatus(s string) { b.status.SetText(s) }

// evalEntry is the eval_id entry with the recent eval_ids in its drop-down.
// Esc cancels a fetch; onKey sees keys first (F1).
type evalEntry struct {
	widget.SelectEntry
	onEscape func()
	onKey    func(*fyne.KeyEvent) bool
}

func newEvalEntry() *evalEntry {
	e := &evalEntry{}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.SetOptions(nil)
	return e
}

// TypedKey handles Esc and the window's keys, then typing.
func (e *evalEntry) TypedKey(ev *fyne.KeyEvent) {
	if e.onKey != nil && e.onKey(ev) {
		return
	}
	if ev.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.SelectEntry.TypedKey(ev)
}

// humanBytes formats a byte count in SI units ("3.1 MB").
func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTP"[exp])
}
