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

// action is one thing the window does from the keyboard or a menu: the one
// table the canvas shortcuts, the plain-key handler, the menus and Help →
// Keyboard shortcuts all read (see actions).
type action struct {
	keys      string                    // as Help shows them; "" leaves it out of Help
	help      string                    // what it does, for Help
	plain     []fyne.KeyName            // plain keys, when no widget has the focus
	shortcuts []*desktop.CustomShortcut // Ctrl shortcuts (the first one is the menu's)
	menu      string                    // "File", "View", "Help"; "" for none
	label     string                    // the menu item; "-" is a separator
	// labelKeys: the menu item names its keys in its label and carries no
	// shortcut, because a menu shortcut runs before the focused widget sees
	// the keys (Ctrl+Enter must still submit a focused multi-line entry).
	labelKeys bool
	run       func() // nil: a line of Help whose keys a viewer handles
}

// ctrl is Ctrl (⌘ on macOS) with k; shift adds Shift.
func ctrl(k fyne.KeyName, shift bool) *desktop.CustomShortcut {
	m := fyne.KeyModifierShortcutDefault
	if shift {
		m |= fyne.KeyModifierShift
	}
	return &desktop.CustomShortcut{KeyName: k, Modifier: m}
}

// actualSize is Ctrl+0, which the open viewer handles (100 %).
var actualSize = ctrl(fyne.Key0, false)

// actions lists every keyboard and menu action of the window, in menu order.
func (r *review) actions() []action {
	sep := func(menu string) action { return action{menu: menu, label: "-"} }
	decide := func() { r.decideSubmit(false) }
	return []action{
		{keys: "Enter", help: "Fetch the eval_id in the box", plain: []fyne.KeyName{fyne.KeyReturn, fyne.KeyEnter}, menu: "File", label: "Fetch (Enter)", run: r.fetchEntered},
		{keys: "Ctrl+R", help: "Retry the last fetch", shortcuts: []*desktop.CustomShortcut{ctrl(fyne.KeyR, false)}, menu: "File", label: "Retry", run: r.retry},
		{keys: "Esc", help: "Cancel the download; close the inspector, PDF viewer or compare", plain: []fyne.KeyName{fyne.KeyEscape}, run: r.escape},
		{menu: "File", label: "Cancel download (Esc)", run: r.cancelFetch},
		{keys: "Ctrl+W", help: "Close the case (drops it from memory)", shortcuts: []*desktop.CustomShortcut{ctrl(fyne.KeyW, false)}, menu: "File", label: "Close case", run: r.closeCase},
		sep("File"),
		{keys: "Ctrl+E", help: "Export the case…", shortcuts: []*desktop.CustomShortcut{ctrl(fyne.KeyE, false)}, menu: "File", label: "Export case…", run: r.exportCase},
		sep("File"),
		{keys: "Ctrl+O", help: "Open a queue file…", shortcuts: []*desktop.CustomShortcut{ctrl(fyne.KeyO, false)}, menu: "File", label: "Open queue…", run: r.openQueueFile},
		{keys: "Ctrl+Shift+V", help: "Paste a queue…", shortcuts: []*desktop.CustomShortcut{ctrl(fyne.KeyV, true)}, menu: "File", label: "Paste queue…", run: r.pasteQueue},
		{keys: "Ctrl+Shift+E", help: "Export the queue's checklist (eval_ids, marks, notes)…", shortcuts: []*desktop.CustomShortcut{ctrl(fyne.KeyE, true)}, menu: "File", label: "Export checklist…", run: r.exportChecklist},
		{menu: "File", label: "Close queue", run: r.closeQueue},
		sep("File"),
		{keys: "Ctrl+Enter", help: "Send the decision… (asks for confirmation; Enter confirms)", shortcuts: []*desktop.CustomShortcut{ctrl(fyne.KeyReturn, false), ctrl(fyne.KeyEnter, false)}, menu: "File", label: "Send decision… (Ctrl+Enter)", labelKeys: true, run: decide},
		{keys: "F", help: "Fraud feedback… (label fraud / non-fraud)", plain: []fyne.KeyName{fyne.KeyF}, menu: "File", label: "Fraud feedback… (F)", run: r.showFeedback},
		sep("File"),
		{keys: "Ctrl+,", help: "Settings (API keys, X-API-Version, idle timeout, your reviewer id)", shortcuts: []*desktop.CustomShortcut{ctrl(fyne.KeyComma, false)}, menu: "File", label: "Settings…", run: r.showSettings},
		sep("File"),
		{keys: "Ctrl+Q", help: "Quit", shortcuts: []*desktop.CustomShortcut{ctrl(fyne.KeyQ, false)}, menu: "File", label: "Quit", run: r.quit},

		{keys: "Ctrl+L", help: "Go to the eval_id box (its ▾ button lists this session's eval_ids)", shortcuts: []*desktop.CustomShortcut{ctrl(fyne.KeyL, false)}, menu: "View", label: "Go to eval_id", run: r.focusEntry},
		{keys: "1 / 2 / 3", help: "Inspect the ID front / ID back / selfie"},
		{plain: []fyne.KeyName{fyne.Key1}, menu: "View", label: "Inspect ID front (1)", run: func() { r.inspectPane(0) }},
		{plain: []fyne.KeyName{fyne.Key2}, menu: "View", label: "Inspect ID back (2)", run: func() { r.inspectPane(1) }},
		{plain: []fyne.KeyName{fyne.Key3}, menu: "View", label: "Inspect selfie (3)", run: func() { r.inspectPane(2) }},
		{keys: "4", help: "Open the first attachment in the PDF viewer", plain: []fyne.KeyName{fyne.Key4}, menu: "View", label: "Open first attachment (4)", run: r.openFirstPDF},
		{keys: "C", help: "Compare the selfie with the ID front (synchronized zoom, face crops)", plain: []fyne.KeyName{fyne.KeyC}, menu: "View", label: "Compare selfie and ID (C)", run: r.openCompare},
		{keys: "N or PgDn / P or PgUp", help: "Queue: next / previous case"},
		{plain: []fyne.KeyName{fyne.KeyN, fyne.KeyPageDown}, menu: "View", label: "Next case in queue (N)", run: func() { r.queueMove(1) }},
		{plain: []fyne.KeyName{fyne.KeyP, fyne.KeyPageUp}, menu: "View", label: "Previous case in queue (P)", run: func() { r.queueMove(-1) }},
		{menu: "View", label: "Close viewer (Esc)", run: r.closeViewer},
		{keys: "O / S / T", help: "Queue: mark looks fine / needs a second look / write a note"},
		{plain: []fyne.KeyName{fyne.KeyO}, run: func() { r.queueMark(queue.MarkLooksFine) }},
		{plain: []fyne.KeyName{fyne.KeyS}, run: func() { r.queueMark(queue.MarkSecondLook) }},
		{plain: []fyne.KeyName{fyne.KeyT}, run: r.queueNote},
		{keys: "A / J / V", help: "Prefill the decision: accept / reject / review (never sends)"},
		{plain: []fyne.KeyName{fyne.KeyA}, run: func() { r.prefillDecision("ACCEPT") }},
		{plain: []fyne.KeyName{fyne.KeyJ}, run: func() { r.prefillDecision("REJECT") }},
		{plain: []fyne.KeyName{fyne.KeyV}, run: func() { r.prefillDecision("REVIEW") }},

		{keys: "F1 or Ctrl+/", help: "This list", plain: []fyne.KeyName{fyne.KeyF1}, shortcuts: []*desktop.CustomShortcut{ctrl(fyne.KeySlash, false)}, menu: "Help", label: "Keyboard shortcuts", run: r.showShortcuts},
		{menu: "Help", label: "About DocV Review", run: r.showAbout},

		{keys: "Inspector: wheel, + / −", help: "Zoom in and out"},
		{keys: "Inspector: 0 / Ctrl+0", help: "Fit / 100 %", shortcuts: []*desktop.CustomShortcut{actualSize}, run: func() { r.viewerShortcut(actualSize) }},
		{keys: "Inspector: drag, arrow keys", help: "Pan"},
		{keys: "Inspector: R", help: "Rotate 90°"},
		{keys: "Inspector: B / C", help: "Step brightness / contrast"},
		{keys: "Inspector: G / I", help: "Grayscale / invert"},
		{keys: "Inspector: E", help: "Error level analysis on / off (same zoom and pan)"},
		{keys: "Compare: wheel, drag, + / − / 0", help: "Zoom and pan both images together / fit"},
		{keys: "Compare: hold Shift", help: "4× loupe under the pointer, mirrored on the other image"},
		{keys: "Compare: F", help: "Face crops side by side → 50/50 split → flicker"},
		{keys: "PDF viewer: PgUp / PgDn, ← / →", help: "Previous / next page"},
		{keys: "PDF viewer: Home / End", help: "First / last page"},
		{keys: "PDF viewer: + / − / 0", help: "Zoom in / out / fit the page"},
	}
}

// keyHelp is one line of Help → Keyboard shortcuts.
type keyHelp struct{ keys, action string }

// shortcutHelp lists the lines of Help → Keyboard shortcuts, from actions.
func (r *review) shortcutHelp() []keyHelp {
	var out []keyHelp
	for _, a := range r.actions() {
		if a.keys != "" {
			out = append(out, keyHelp{a.keys, a.help})
		}
	}
	return out
}

// installShortcuts registers the actions' Ctrl shortcuts on the canvas and
// their plain keys for windowKey.
func (r *review) installShortcuts() {
	c := r.win.Canvas()
	r.plainKeys = map[fyne.KeyName]func(){}
	for _, a := range r.actions() {
		if a.run == nil {
			continue
		}
		run := a.run
		for _, s := range a.shortcuts {
			c.AddShortcut(s, func(fyne.Shortcut) { run() })
		}
		for _, k := range a.plain {
			r.plainKeys[k] = run
		}
	}
	c.SetOnTypedKey(r.typedKey)
}

// installMenus builds File, View and Help from actions.
func (r *review) installMenus() {
	items := map[string][]*fyne.MenuItem{}
	for _, a := range r.actions() {
		switch {
		case a.menu == "":
			continue
		case a.label == "-":
			items[a.menu] = append(items[a.menu], fyne.NewMenuItemSeparator())
			continue
		}
		it := fyne.NewMenuItem(a.label, a.run)
		if len(a.shortcuts) > 0 && !a.labelKeys {
			it.Shortcut = a.shortcuts[0]
		}
		it.IsQuit = a.label == "Quit"
		items[a.menu] = append(items[a.menu], it)
	}
	r.win.SetMainMenu(fyne.NewMainMenu(
		fyne.NewMenu("File", items["File"]...),
		fyne.NewMenu("View", items["View"]...),
		fyne.NewMenu("Help", items["Help"]...),
	))
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

// windowKey is the window's meaning of a plain key (from actions); false
// when it has none.
func (r *review) windowKey(ev *fyne.KeyEvent) bool {
	run, ok := r.plainKeys[ev.Name]
	if ok {
		run()
	}
	return ok
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
	for _, k := range r.shortcutHelp() {
		grid.Add(widget.NewLabelWithStyle(k.keys, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		grid.Add(widget.NewLabel(k.action))
	}
	d := dialog.NewCustom("Keyboard shortcuts", "Close", container.NewVScroll(grid), r.win)
	d.Resize(fyne.NewSize(620, 560))
	r.showDialog(d)
}
