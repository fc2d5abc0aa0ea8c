package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The finders here look for what the reviewer sees: widgets on the canvas
// (or in the dialog on top of it), by type and by their text.

// walkAll calls fn on o and on everything drawn under it: containers'
// objects and, unlike walk, the objects of widgets' renderers (a dialog's
// buttons, the inspector's zoom view, a form's fields).
func walkAll(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	fn(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, child := range c.Objects {
			walkAll(child, fn)
		}
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(c).Objects() {
			walkAll(child, fn)
		}
	}
}

// findAll is every object of type T under root (walkAll) for which keep
// holds (keep may be nil).
func findAll[T fyne.CanvasObject](root fyne.CanvasObject, keep func(T) bool) []T {
	var out []T
	walkAll(root, func(o fyne.CanvasObject) {
		if x, ok := o.(T); ok && (keep == nil || keep(x)) {
			out = append(out, x)
		}
	})
	return out
}

// findFirst is the first object of type T under root for which keep holds.
func findFirst[T fyne.CanvasObject](root fyne.CanvasObject, keep func(T) bool) (T, bool) {
	all := findAll(root, keep)
	if len(all) == 0 {
		var zero T
		return zero, false
	}
	return all[0], true
}

// overlay is the dialog (or pop-up) on top of the window, nil when none is.
func (h *harness) overlay() fyne.CanvasObject { return h.win.Canvas().Overlays().Top() }

// buttonIn is the button under root whose label starts with text.
func (h *harness) buttonIn(root fyne.CanvasObject, text string) *widget.Button {
	h.t.Helper()
	b, ok := findFirst(root, func(b *widget.Button) bool { return strings.HasPrefix(b.Text, text) })
	if !ok {
		h.t.Fatalf("no %q button", text)
	}
	return b
}

// tapDialog taps the button labelled text in the dialog on top (its own
// buttons come last, after any of the same name in its content).
func (h *harness) tapDialog(text string) {
	h.t.Helper()
	top := h.overlay()
	if top == nil {
		h.t.Fatalf("no dialog to press %q in", text)
	}
	bs := findAll(top, func(b *widget.Button) bool { return b.Text == text })
	if len(bs) == 0 {
		h.t.Fatalf("no %q button in the dialog:\n%s", text, markupOf(top))
	}
	test.Tap(bs[len(bs)-1])
}

// dialogTitled reports whether the dialog on top shows title.
func (h *harness) dialogTitled(title string) bool {
	top := h.overlay()
	return top != nil && strings.Contains(markupOf(top), title+"\n")
}

// viewer is the viewer open in the evidence area (inspector, PDF viewer,
// compare), as the canvas holds it; nil when the case (or the welcome
// text) is shown.
func (h *harness) viewer() caseViewer {
	var v caseViewer
	walk(h.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if f, ok := o.(*viewerFrame); ok {
			v = f.viewer
		}
	})
	return v
}

// viewerShows reports whether the viewer on the canvas draws obj (its
// content fills the evidence area).
func (h *harness) viewerShows(obj fyne.CanvasObject) bool {
	found := false
	walk(h.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if f, ok := o.(*viewerFrame); ok {
			objs := test.WidgetRenderer(f).Objects()
			found = len(objs) == 1 && objs[0] == obj
		}
	})
	return found
}

// evalEntry is the case bar's eval_id box.
func (h *harness) evalEntry() *evalEntry {
	h.t.Helper()
	return firstIn[*evalEntry](h.t, h.win.Canvas().Content(), "eval_id box on the canvas")
}

// outcomeTitles tells the outcome cards apart by their title.
var outcomeTitles = []struct{ kind, title string }{
	{outcomeWelcome, "No case open"},
	{outcomeCancelled, "Fetch cancelled"},
	{outcomeNoDocuments, "No documents for this evaluation"},
	{outcomeNoDocuments, "Images may still be processing"},
	{outcomeUnauthorized, "API key was refused (401)"},
	{outcomeForbidden, "may not read this evaluation (403)"},
	{outcomeNotFound, "No evaluation with this eval_id"},
	{outcomeRateLimited, "RiskOS is limiting requests (429)"},
	{outcomeUnavailable, "RiskOS could not be reached"},
	{outcomeNoKey, "No API key for "},
	{outcomeKeychain, "No keychain to read"},
	{outcomeKeychain, "The keychain did not answer"},
	{outcomeBadArchive, "The documents archive could not be read"},
	{outcomeOther, "The fetch failed"},
}

// outcomeRoot is what the centre shows in place of the panes (the welcome
// text or a failure), found on the canvas: nil when the evidence or a
// viewer is shown.
func (h *harness) outcomeRoot() *fyne.Container {
	var root *fyne.Container
	walk(h.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if c, ok := o.(*fyne.Container); ok {
			if _, ok := c.Layout.(*readableLayout); ok && len(c.Objects) == 1 {
				root = c
			}
		}
	})
	return root
}

// outcomeCard is the card in outcomeRoot: icon and title, body, hint,
// buttons.
func (h *harness) outcomeCard() *fyne.Container {
	root := h.outcomeRoot()
	if root == nil {
		return nil
	}
	card, _ := root.Objects[0].(*fyne.Container)
	return card
}

// outcomeText is the title, body and hint of the outcome card on the canvas.
func (h *harness) outcomeText() (title, body, hint string) {
	card := h.outcomeCard()
	if card == nil || len(card.Objects) < 3 {
		return "", "", ""
	}
	labels := findAll[*widget.Label](card.Objects[0], nil)
	if len(labels) > 0 {
		title = labels[0].Text
	}
	if l, ok := card.Objects[1].(*widget.Label); ok {
		body = l.Text
	}
	if l, ok := card.Objects[2].(*widget.Label); ok {
		hint = l.Text
	}
	return title, body, hint
}

// outcomeKind is the kind of the outcome card on the canvas, told by its
// title; "" when no card is shown.
func (h *harness) outcomeKind() string {
	title, _, _ := h.outcomeText()
	if title == "" {
		return ""
	}
	for _, o := range outcomeTitles {
		if strings.Contains(title, o.title) {
			return o.kind
		}
	}
	return "unknown: " + title
}

// outcomeButton is the card's button labelled text, nil when the card does
// not show it.
func (h *harness) outcomeButton(text string) *widget.Button {
	card := h.outcomeCard()
	if card == nil {
		return nil
	}
	b, ok := findFirst(card, func(b *widget.Button) bool { return b.Text == text && b.Visible() })
	if !ok {
		return nil
	}
	return b
}

// decisionLabelAfter is the label that follows the object whose text is
// after in the Decision tab's column.
func (h *harness) decisionLabelAfter(after string) *widget.Label {
	h.t.Helper()
	objs := h.decisionBox().Objects
	for i, o := range objs {
		if l, ok := o.(*widget.Label); ok && l.Text == after && i+1 < len(objs) {
			if next, ok := objs[i+1].(*widget.Label); ok {
				return next
			}
		}
	}
	h.t.Fatalf("no label after %q in the Decision tab", after)
	return nil
}

// decisionCurrent is the Decision tab's line saying what RiskOS says now.
func (h *harness) decisionCurrent() *widget.Label { return h.decisionLabelAfter("Record a decision") }

// decisionNotFinal is the warning under it for a case not finished.
func (h *harness) decisionNotFinal() *widget.Label {
	h.t.Helper()
	objs := h.decisionBox().Objects
	for i, o := range objs {
		if o == h.decisionCurrent() && i+1 < len(objs) {
			return objs[i+1].(*widget.Label)
		}
	}
	h.t.Fatal("no not-final line in the Decision tab")
	return nil
}

// decisionStatus is the Status choice of the Decision tab.
func (h *harness) decisionStatus() *widget.Select {
	h.t.Helper()
	sels := findAll[*widget.Select](h.decisionBox(), nil)
	if len(sels) < 2 {
		h.t.Fatal("no status choice in the Decision tab")
	}
	return sels[1]
}

// decisionButton is the Decision tab's button whose label starts with text.
func (h *harness) decisionButton(text string) *widget.Button {
	h.t.Helper()
	return h.buttonIn(h.decisionBox(), text)
}

// feedbackWhy is the line under "Fraud feedback…" saying why it is off.
func (h *harness) feedbackWhy() *widget.Label {
	h.t.Helper()
	objs := h.decisionBox().Objects
	if l, ok := objs[len(objs)-1].(*widget.Label); ok {
		return l
	}
	h.t.Fatal("no feedback reason in the Decision tab")
	return nil
}

// sideTabs is the side panel's tabs (Details, Attachments, Decision, and
// Queue while one is open).
func (h *harness) sideTabs() *container.AppTabs {
	h.t.Helper()
	return firstIn[*container.AppTabs](h.t, h.win.Canvas().Content(), "tabs on the canvas")
}

// shownAttachment is one row of the Attachments tab as shown.
type shownAttachment struct {
	name  string
	info  *widget.Label // size and pages, or why it cannot be opened
	thumb *canvas.Image
	open  *widget.Button
}

// attachments are the rows of the Attachments tab, in order.
func (h *harness) attachments() []shownAttachment {
	h.t.Helper()
	var rows []shownAttachment
	walk(h.tab("Attachments"), func(o fyne.CanvasObject) {
		c, ok := o.(*fyne.Container)
		if !ok || len(c.Objects) != 3 {
			return
		}
		text, ok1 := c.Objects[0].(*fyne.Container)
		thumbs := findAll[*canvas.Image](c.Objects[1], nil)
		buttons := findAll[*widget.Button](c, func(b *widget.Button) bool { return b.Text == "Open" })
		if !ok1 || len(thumbs) != 1 || len(buttons) != 1 || len(text.Objects) != 2 {
			return
		}
		name, ok2 := text.Objects[0].(*widget.Label)
		info, ok3 := text.Objects[1].(*widget.Label)
		if ok2 && ok3 {
			rows = append(rows, shownAttachment{name: name.Text, info: info, thumb: thumbs[0], open: buttons[0]})
		}
	})
	return rows
}

// menu runs the main menu's item whose label starts with label, under the
// menu titled title, as a click on it would.
func (h *harness) menu(title, label string) {
	h.t.Helper()
	mm := h.win.MainMenu()
	if mm == nil {
		h.t.Fatal("the window has no main menu")
	}
	for _, m := range mm.Items {
		if m.Label != title {
			continue
		}
		for _, it := range m.Items {
			if !it.IsSeparator && strings.HasPrefix(it.Label, label) {
				it.Action()
				return
			}
		}
	}
	h.t.Fatalf("no %s → %s in the menu", title, label)
}

// extraImageButtons are the enabled buttons of the evidence area's strip of
// other images.
func (h *harness) extraImageButtons() []*widget.Button {
	var out []*widget.Button
	walk(h.win.Canvas().Content(), func(o fyne.CanvasObject) {
		c, ok := o.(*fyne.Container)
		if !ok || len(c.Objects) != 2 {
			return
		}
		if l, ok := c.Objects[1].(*widget.Label); !ok || l.Text != "Other images:" {
			return
		}
		out = findAll[*widget.Button](c.Objects[0], func(b *widget.Button) bool { return !b.Disabled() })
	})
	return out
}

// value is the text of the Details row named row.
func (h *harness) value(row string) string {
	h.t.Helper()
	for _, f := range findAll[*fyne.Container](h.tab("Details"), nil) {
		for i := 0; i+1 < len(f.Objects); i += 2 {
			name, ok1 := f.Objects[i].(*widget.Label)
			v, ok2 := f.Objects[i+1].(*widget.Label)
			if ok1 && ok2 && name.Text == row && name.Alignment == fyne.TextAlignTrailing {
				return v.Text
			}
		}
	}
	h.t.Fatalf("no %q row in Details", row)
	return ""
}

// productionMarked reports whether the case bar shows the PRODUCTION mark
// and the red line above it.
func (h *harness) productionMarked() (mark, line bool) {
	walk(h.win.Canvas().Content(), func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				if l, ok := c.(*widget.Label); ok && l.Text == "PRODUCTION" && x.Visible() {
					mark = true
				}
			}
		case *canvas.Rectangle:
			if x.MinSize().Height == 4 && x.Visible() {
				line = true
			}
		}
	})
	return mark, line
}

// shortcutKeys are the keys column of Help → Keyboard shortcuts, one per
// line; the dialog is closed again.
func (h *harness) shortcutKeys() string {
	h.t.Helper()
	h.menu("Help", "Keyboard shortcuts")
	top := h.overlay()
	if !h.dialogTitled("Keyboard shortcuts") {
		h.t.Fatal("Help → Keyboard shortcuts shows no list")
	}
	var keys strings.Builder
	for _, grid := range findAll[*fyne.Container](top, func(c *fyne.Container) bool { return len(c.Objects) > 2 }) {
		for i := 0; i+1 < len(grid.Objects); i += 2 {
			if l, ok := grid.Objects[i].(*widget.Label); ok && l.TextStyle.Bold && l.Alignment == fyne.TextAlignTrailing {
				keys.WriteString(l.Text + "\n")
			}
		}
	}
	h.key(fyne.KeyEscape)
	return keys.String()
}

// copyEvalIDButton is the copy button beside the eval_id in Details.
func (h *harness) copyEvalIDButton() *widget.Button {
	h.t.Helper()
	b, ok := findFirst(h.tab("Details"), func(b *widget.Button) bool {
		return b.Text == "" && b.Icon != nil && b.Icon.Name() == theme.ContentCopyIcon().Name()
	})
	if !ok {
		h.t.Fatal("no copy button beside the eval_id")
	}
	return b
}

// imagesShown is how many panes on the canvas show a decoded image.
func (h *harness) imagesShown() int {
	n := 0
	for _, p := range h.panes() {
		if p.display != nil {
			n++
		}
	}
	return n
}

// queueRowText is row i of the Queue tab's list as drawn.
func (h *harness) queueRowText(i int) string {
	h.t.Helper()
	l, ok := findFirst[*widget.List](h.tab("Queue"), nil)
	if !ok {
		h.t.Fatal("no list in the Queue tab")
	}
	if i >= l.Length() {
		h.t.Fatalf("the queue lists %d rows, not %d", l.Length(), i+1)
	}
	o := l.CreateItem()
	l.UpdateItem(i, o)
	return o.(*widget.Label).Text
}

// queueRowDecided is what row i says was decided in this window ("" if
// nothing).
func (h *harness) queueRowDecided(i int) string {
	_, d, _ := strings.Cut(h.queueRowText(i), "  → ")
	return d
}

// shownFeedback is the fraud feedback form on screen.
type shownFeedback struct {
	label       *widget.RadioGroup
	fraudType   *widget.Select
	notes, tags *widget.Entry
	problem     *widget.Label
}

// feedbackForm is the Fraud feedback dialog's form.
func (h *harness) feedbackForm() shownFeedback {
	h.t.Helper()
	if !h.dialogTitled("Fraud feedback") {
		h.t.Fatal("no fraud feedback form on screen")
	}
	var f shownFeedback
	for _, box := range findAll[*fyne.Container](h.overlay(), func(c *fyne.Container) bool { return len(c.Objects) == 2 }) {
		if l, ok := box.Objects[0].(*widget.Label); ok {
			if grid, ok := box.Objects[1].(*fyne.Container); ok {
				f.problem = l
				field := func(name string) fyne.CanvasObject {
					for i := 0; i+1 < len(grid.Objects); i += 2 {
						if n, ok := grid.Objects[i].(*widget.Label); ok && n.Text == name {
							return grid.Objects[i+1]
						}
					}
					return nil
				}
				f.label, _ = field("Label").(*widget.RadioGroup)
				f.fraudType, _ = field("Fraud type").(*widget.Select)
				f.notes, _ = field("Notes").(*widget.Entry)
				f.tags, _ = field("Tags").(*widget.Entry)
			}
		}
	}
	if f.problem == nil || f.label == nil || f.fraudType == nil || f.notes == nil || f.tags == nil {
		h.t.Fatalf("the feedback form lacks a field: %+v", f)
	}
	return f
}

// setReviewer types name as "Your name or reviewer id" in Settings and
// saves (the window needs a keychain it may probe: keychain.New over
// keyring.MockInit in tests).
func (h *harness) setReviewer(name string) {
	h.t.Helper()
	h.shortcut(fyne.KeyComma)
	if !h.dialogTitled("Settings") {
		h.t.Fatal("Ctrl+, did not open Settings")
	}
	var entry *widget.Entry
	for _, f := range findAll[*widget.Form](h.overlay(), nil) {
		for _, it := range f.Items {
			if it.Text == "Your name or reviewer id" {
				entry, _ = it.Widget.(*widget.Entry)
			}
		}
	}
	if entry == nil {
		h.t.Fatal("no reviewer id in Settings")
	}
	entry.SetText("")
	test.Type(entry, name)
	h.tapDialog("Save")
	h.idle()
}

// queueLabels are the Queue tab's summary line and its list of the
// pasted list's problems.
func (h *harness) queueLabels() (summary, problems *widget.Label) {
	h.t.Helper()
	walk(h.tab("Queue"), func(o fyne.CanvasObject) {
		if c, ok := o.(*fyne.Container); ok && len(c.Objects) == 3 && summary == nil {
			s, ok1 := c.Objects[0].(*widget.Label)
			p, ok2 := c.Objects[1].(*widget.Label)
			if ok1 && ok2 {
				summary, problems = s, p
			}
		}
	})
	if summary == nil {
		h.t.Fatal("no summary in the Queue tab")
	}
	return summary, problems
}

// queueLength is how many rows the Queue tab lists.
func (h *harness) queueLength() int {
	h.t.Helper()
	l, ok := findFirst[*widget.List](h.tab("Queue"), nil)
	if !ok {
		h.t.Fatal("no list in the Queue tab")
	}
	return l.Length()
}

// exportChecklistKey presses Ctrl+Shift+E (File → Export checklist…).
func (h *harness) exportChecklistKey() {
	h.win.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyE,
		Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
}

// panesWithImages are the panes on the canvas that have an image to show.
func (h *harness) panesWithImages() []*imagePane {
	var out []*imagePane
	for _, p := range h.panes() {
		if p.inspectable() {
			out = append(out, p)
		}
	}
	return out
}

// extraImages are the buttons of the evidence area's strip of other images
// (enabled or not), and whether the strip is shown.
func (h *harness) extraImages() (buttons []*widget.Button, shown bool) {
	walk(h.win.Canvas().Content(), func(o fyne.CanvasObject) {
		c, ok := o.(*fyne.Container)
		if !ok || len(c.Objects) != 2 {
			return
		}
		if l, ok := c.Objects[1].(*widget.Label); ok && l.Text == "Other images:" {
			buttons = findAll[*widget.Button](c.Objects[0], nil)
			shown = c.Visible()
		}
	})
	return buttons, shown
}

// recentIDs are the eval_ids the eval_id box's ▾ list offers, in order
// (the list is opened and closed again).
func (h *harness) recentIDs() []string {
	h.t.Helper()
	e := h.evalEntry()
	tap, ok := e.ActionItem.(fyne.Tappable)
	if !ok {
		h.t.Fatal("the eval_id box has no ▾ button")
	}
	test.Tap(tap)
	top := h.overlay()
	if top == nil {
		return nil
	}
	var ids []string
	for _, line := range strings.Split(markupOf(top), "\n") {
		if validateEvalID(line) == nil && line != "" {
			ids = append(ids, line)
		}
	}
	h.win.Canvas().Overlays().Remove(top)
	return ids
}
