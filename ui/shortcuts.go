package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/queue"
)

// keyHelp is one line of Help → Keyboard shortcuts.
type keyHelp struct{ keys, action string }

// shortcutHelp lists every keyboard action of the window.
func shortcutHelp() []keyHelp {
	return []keyHelp{
		{"Enter", "Fetch the eval_id in the box"},
		{"Esc", "Cancel the download; close the inspector, PDF viewer or compare"},
		{"Ctrl+R", "Retry the last fetch"},
		{"Ctrl+W", "Close the case (drops it from memory)"},
		{"Ctrl+L", "Go to the eval_id box (its ▾ button lists this session's eval_ids)"},
		{"1 / 2 / 3", "Inspect the ID front / ID back / selfie"},
		{"4", "Open the first attachment in the PDF viewer"},
		{"C", "Compare the selfie with the ID front (synchronized zoom, face crops)"},
		{"N or PgDn / P or PgUp", "Queue: next / previous case"},
		{"O / S / T", "Queue: mark looks fine / needs a second look / write a note"},
		{"A / J / V", "Prefill the decision: accept / reject / review (never sends)"},
		{"Ctrl+Enter", "Send the decision… (asks for confirmation; Enter confirms)"},
		{"F", "Fraud feedback… (label fraud / non-fraud)"},
		{"Ctrl+E", "Export the case…"},
		{"Ctrl+O / Ctrl+Shift+V", "Open a queue file… / paste a queue…"},
		{"Ctrl+Shift+E", "Export the queue's checklist (eval_ids, marks, notes)…"},
		{"Ctrl+,", "Settings (API keys, X-API-Version, idle timeout)"},
		{"F1 or Ctrl+/", "This list"},
		{"Ctrl+Q", "Quit"},
		{"Inspector: wheel, + / −", "Zoom in and out"},
		{"Inspector: 0 / Ctrl+0", "Fit / 100 %"},
		{"Inspector: drag, arrow keys", "Pan"},
		{"Inspector: R", "Rotate 90°"},
		{"Inspector: B / C", "Step brightness / contrast"},
		{"Inspector: G / I", "Grayscale / invert"},
		{"Compare: wheel, drag, + / − / 0", "Zoom and pan both images together / fit"},
		{"Compare: hold Shift", "4× loupe under the pointer, mirrored on the other image"},
		{"Compare: F", "Face crops side by side → 50/50 split → flicker"},
		{"PDF viewer: PgUp / PgDn, ← / →", "Previous / next page"},
		{"PDF viewer: Home / End", "First / last page"},
		{"PDF viewer: + / − / 0", "Zoom in / out / fit the page"},
	}
}

// windowShortcuts are the Ctrl shortcuts, shared by the menus and the canvas.
type windowShortcuts struct {
	retry, closeCase, focus, export, settings, help *desktop.CustomShortcut
	actual                                          *desktop.CustomShortcut // Ctrl+0 in the inspector
	quit                                            *desktop.CustomShortcut
	openQueue, pasteQueue, exportChecklist          *desktop.CustomShortcut
	decide, decideKeypad                            *desktop.CustomShortcut // Ctrl+Enter (main keyboard, keypad)
}

func newWindowShortcuts() windowShortcuts {
	ctrl := func(k fyne.KeyName) *desktop.CustomShortcut {
		return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
	}
	return windowShortcuts{
		retry:     ctrl(fyne.KeyR),
		closeCase: ctrl(fyne.KeyW),
		focus:     ctrl(fyne.KeyL),
		export:    ctrl(fyne.KeyE),
		settings:  ctrl(fyne.KeyComma),
		help:      ctrl(fyne.KeySlash),
		actual:    ctrl(fyne.Key0),
		quit:      ctrl(fyne.KeyQ),

		openQueue: ctrl(fyne.KeyO),
		pasteQueue: &desktop.CustomShortcut{KeyName: fyne.KeyV,
			Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift},
		exportChecklist: &desktop.CustomShortcut{KeyName: fyne.KeyE,
			Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift},
		decide:       ctrl(fyne.KeyReturn),
		decideKeypad: ctrl(fyne.KeyEnter),
	}
}

// installShortcuts registers the Ctrl shortcuts on the canvas (the menus
// carry them too) and the plain keys.
func (r *review) installShortcuts() {
	sc := newWindowShortcuts()
	c := r.win.Canvas()
	c.AddShortcut(sc.retry, func(fyne.Shortcut) { r.retry() })
	c.AddShortcut(sc.closeCase, func(fyne.Shortcut) { r.closeCase() })
	c.AddShortcut(sc.focus, func(fyne.Shortcut) { r.focusEntry() })
	c.AddShortcut(sc.export, func(fyne.Shortcut) { r.exportCase() })
	c.AddShortcut(sc.settings, func(fyne.Shortcut) { r.showSettings() })
	c.AddShortcut(sc.help, func(fyne.Shortcut) { r.showShortcuts() })
	c.AddShortcut(sc.actual, r.viewerShortcut)
	c.AddShortcut(sc.quit, func(fyne.Shortcut) { r.quit() })
	c.AddShortcut(sc.openQueue, func(fyne.Shortcut) { r.openQueueFile() })
	c.AddShortcut(sc.pasteQueue, func(fyne.Shortcut) { r.pasteQueue() })
	c.AddShortcut(sc.exportChecklist, func(fyne.Shortcut) { r.exportChecklist() })
	c.AddShortcut(sc.decide, func(fyne.Shortcut) { r.decideSubmit(false) })
	c.AddShortcut(sc.decideKeypad, func(fyne.Shortcut) { r.decideSubmit(false) })
	c.SetOnTypedKey(r.typedKey)
}

// installMenus builds File, View and Help.
func (r *review) installMenus() {
	sc := newWindowShortcuts()
	item := func(label string, s fyne.Shortcut, fn func()) *fyne.MenuItem {
		i := fyne.NewMenuItem(label, fn)
		i.Shortcut = s
		return i
	}
	quit := item("Quit", sc.quit, r.quit)
	quit.IsQuit = true
	file := fyne.NewMenu("File",
		fyne.NewMenuItem("Fetch (Enter)", r.fetchEntered),
		item("Retry", sc.retry, r.retry),
		fyne.NewMenuItem("Cancel download (Esc)", r.cancelFetch),
		item("Close case", sc.closeCase, r.closeCase),
		fyne.NewMenuItemSeparator(),
		item("Export case…", sc.export, r.exportCase),
		fyne.NewMenuItemSeparator(),
		item("Open queue…", sc.openQueue, r.openQueueFile),
		item("Paste queue…", sc.pasteQueue, r.pasteQueue),
		item("Export checklist…", sc.exportChecklist, r.exportChecklist),
		fyne.NewMenuItem("Close queue", r.closeQueue),
		fyne.NewMenuItemSeparator(),
		item("Send decision…", sc.decide, func() { r.decideSubmit(false) }),
		fyne.NewMenuItem("Fraud feedback… (F)", r.showFeedback),
		fyne.NewMenuItemSeparator(),
		item("Settings…", sc.settings, r.showSettings),
		fyne.NewMenuItemSeparator(),
		quit,
	)
	view := fyne.NewMenu("View",
		item("Go to eval_id", sc.focus, r.focusEntry),
		fyne.NewMenuItem("Inspect ID front (1)", func() { r.inspectPane(0) }),
		fyne.NewMenuItem("Inspect ID back (2)", func() { r.inspectPane(1) }),
		fyne.NewMenuItem("Inspect selfie (3)", func() { r.inspectPane(2) }),
		fyne.NewMenuItem("Open first attachment (4)", r.openFirstPDF),
		fyne.NewMenuItem("Compare selfie and ID (C)", r.openCompare),
		fyne.NewMenuItem("Next case in queue (N)", func() { r.queueMove(1) }),
		fyne.NewMenuItem("Previous case in queue (P)", func() { r.queueMove(-1) }),
		fyne.NewMenuItem("Close viewer (Esc)", r.closeViewer),
	)
	help := fyne.NewMenu("Help",
		item("Keyboard shortcuts", sc.help, r.showShortcuts),
		fyne.NewMenuItem("About DocV Review", r.showAbout),
	)
	r.win.SetMainMenu(fyne.NewMainMenu(file, view, help))
}

// typedKey handles the plain keys when no widget has the focus; an open
// viewer sees them first.
func (r *review) typedKey(ev *fyne.KeyEvent) {
	r.touch()
	if r.dialog != nil {
		switch {
		case ev.Name == fyne.KeyEscape:
			r.dialog.Dismiss()
		case (ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter) && r.decideConfirm != nil && r.dialog == r.decideConfirm:
			r.decideConfirm.Confirm()
		}
		return
	}
	if r.viewer != nil && r.viewer.TypedKey(ev) {
		return
	}
	r.windowKey(ev)
}

// viewerShortcut forwards a shortcut (Ctrl+0) to the open viewer.
func (r *review) viewerShortcut(s fyne.Shortcut) {
	r.touch()
	if v, ok := r.viewer.(interface{ TypedShortcut(fyne.Shortcut) bool }); ok {
		v.TypedShortcut(s)
	}
}

// entryKey gives the eval_id box the window's keys that do not type text.
func (r *review) entryKey(ev *fyne.KeyEvent) bool {
	r.touch()
	if ev.Name == fyne.KeyF1 {
		r.showShortcuts()
		return true
	}
	return false
}

// windowKey is the window's meaning of a plain key; false when it has none.
func (r *review) windowKey(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyEscape:
		r.escape()
	case fyne.KeyReturn, fyne.KeyEnter:
		r.fetchEntered()
	case fyne.Key1:
		r.inspectPane(0)
	case fyne.Key2:
		r.inspectPane(1)
	case fyne.Key3:
		r.inspectPane(2)
	case fyne.Key4:
		r.openFirstPDF()
	case fyne.KeyC:
		r.openCompare()
	case fyne.KeyN, fyne.KeyPageDown:
		r.queueMove(1)
	case fyne.KeyP, fyne.KeyPageUp:
		r.queueMove(-1)
	case fyne.KeyO:
		r.queueMark(queue.MarkLooksFine)
	case fyne.KeyS:
		r.queueMark(queue.MarkSecondLook)
	case fyne.KeyT:
		r.queueNote()
	case fyne.KeyA:
		r.prefillDecision("ACCEPT")
	case fyne.KeyJ:
		r.prefillDecision("REJECT")
	case fyne.KeyV:
		r.prefillDecision("REVIEW")
	case fyne.KeyF:
		r.showFeedback()
	case fyne.KeyF1:
		r.showShortcuts()
	default:
		return false
	}
	return true
}

// escape closes the viewer, else cancels the download.
func (r *review) escape() {
	if r.viewer != nil {
		r.closeViewer()
		return
	}
	r.cancelFetch()
}

// focusEntry puts the cursor in the eval_id box with its text selected,
// so that typing or pasting replaces it.
func (r *review) focusEntry() {
	r.touch()
	if r.modal() {
		return
	}
	r.closeViewer()
	r.win.Canvas().Focus(r.bar.entry)
	r.bar.entry.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// quit drops the case and quits.
func (r *review) quit() {
	r.shutdown()
	r.app.Quit()
}

// showShortcuts opens Help → Keyboard shortcuts.
func (r *review) showShortcuts() {
	r.touch()
	if r.modal() {
		return
	}
	grid := container.New(layout.NewFormLayout())
	for _, k := range shortcutHelp() {
		grid.Add(widget.NewLabelWithStyle(k.keys, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		grid.Add(widget.NewLabel(k.action))
	}
	d := dialog.NewCustom("Keyboard shortcuts", "Close", container.NewVScroll(grid), r.win)
	d.Resize(fyne.NewSize(620, 560))
	r.showDialog(d)
}
