package ui

import (
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/queue"
	"docvreview/ui/session"
)

// reviewQueue is the window's side of the open queue: the session owns it
// (sq; queue.Queue does the loading, holding and prefetching), the panel
// shows it.
type reviewQueue struct {
	sq    *session.Queue
	q     *queue.Queue[*session.Queued] // sq.Q
	panel *queuePanel
}

// openQueueList opens a parsed queue list (replacing any open queue) and
// moves to its first case.
func (r *review) openQueueList(list queue.List) {
	r.touch()
	if len(list.IDs) == 0 {
		r.showDialog(dialog.NewInformation("No eval_ids in this list",
			"The list holds no valid eval_id.\n\n"+strings.Join(queueProblemLines(list, 8), "\n"), r.win))
		return
	}
	r.closeQueue()
	rq := &reviewQueue{}
	r.storeLoadPlan()
	rq.sq = r.sess.OpenQueue(list, r.bar.env(), r.prefs.apiVersion, nil)
	rq.q = rq.sq.Q
	rq.panel = newQueuePanel(rq, r)
	r.queue = rq
	r.tabs.Append(container.NewTabItem(fmt.Sprintf("Queue (%d)", len(list.IDs)), rq.panel.root))
	r.tabs.SelectIndex(len(r.tabs.Items) - 1)
	r.queueGoto(0)
}

// queueGoto shows position i of the queue: the case as loaded (or
// prefetched) by the queue, or the reason it could not be loaded.
func (r *review) queueGoto(i int) {
	r.touch()
	rq := r.queue
	if rq == nil {
		r.bar.setStatus("No queue is open: File → Open queue… or Paste queue….")
		return
	}
	if r.modal() {
		return
	}
	if i < 0 || i >= rq.q.Len() {
		if i < 0 {
			r.bar.setStatus("This is the first case of the queue.")
		} else {
			r.bar.setStatus("This is the last case of the queue — File → Export checklist… writes the marks.")
		}
		return
	}
	r.sess.Goto(i) // the session's Fetching, Loaded and Failed events show it
}

// queueMove moves by delta positions from the current one.
func (r *review) queueMove(delta int) {
	if r.queue == nil {
		r.queueGoto(-1) // says no queue is open
		return
	}
	cur := r.queue.q.Position()
	r.queueGoto(cur + delta)
}

// queueMark sets the mark of the current case, keeping its note.
func (r *review) queueMark(m queue.Mark) {
	r.touch()
	rq := r.queue
	if rq == nil {
		r.queueGoto(-1)
		return
	}
	cur := rq.q.Position()
	if cur < 0 {
		return
	}
	note := rq.q.Snapshot()[cur].Note
	if err := rq.q.SetMark(cur, m, note); err != nil {
		r.showError(fmt.Errorf("mark case %d: %w", cur+1, err))
	}
}

// queueNote asks for the note of the current case.
func (r *review) queueNote() {
	r.touch()
	rq := r.queue
	if rq == nil {
		r.queueGoto(-1)
		return
	}
	cur := rq.q.Position()
	if cur < 0 || r.modal() {
		return
	}
	it := rq.q.Snapshot()[cur]
	e := widget.NewMultiLineEntry()
	e.SetText(it.Note)
	e.SetPlaceHolder("What a second reviewer should look at (no personal data)")
	d := dialog.NewCustomConfirm(fmt.Sprintf("Note for case %d", cur+1), "Save", "Cancel", e, func(ok bool) {
		if ok && r.queue == rq {
			if err := rq.q.SetMark(cur, rq.q.Snapshot()[cur].Mark, e.Text); err != nil {
				r.showError(fmt.Errorf("note for case %d: %w", cur+1, err))
			}
		}
	}, r.win)
	d.Resize(fyne.NewSize(480, 260))
	r.showDialog(d)
	r.win.Canvas().Focus(e)
}

// closeQueue closes the open queue: its cases are released (the one on
// screen stays until the case is closed).
func (r *review) closeQueue() {
	rq := r.queue
	if rq == nil {
		return
	}
	r.queue = nil
	for k, it := range r.tabs.Items {
		if it.Content == rq.panel.root {
			r.tabs.RemoveIndex(k)
			break
		}
	}
	r.sess.CloseQueue()
}

// pasteQueue asks for a list of eval_ids typed or pasted into a box.
func (r *review) pasteQueue() {
	r.touch()
	if r.modal() {
		return
	}
	e := newSubmitEntry()
	e.SetPlaceHolder("One eval_id (or Dashboard URL) per line, or a CSV with an eval_id column.\nCtrl+Enter opens the queue.")
	e.SetMinRowsVisible(12)
	d := dialog.NewCustomConfirm("Paste queue", "Open queue", "Cancel", e, func(ok bool) {
		if ok {
			r.parseQueueText(e.Text)
		}
	}, r.win)
	e.onSubmit = func() {
		text := e.Text
		d.Hide() // answers "cancel" to the callback above
		r.parseQueueText(text)
	}
	d.Resize(fyne.NewSize(560, 420))
	r.showDialog(d)
	r.win.Canvas().Focus(e)
}

// parseQueueText opens the queue written in text.
func (r *review) parseQueueText(text string) {
	list, err := queue.ParseList(strings.NewReader(text))
	if err != nil {
		r.showError(fmt.Errorf("read the queue: %w", err))
		return
	}
	r.openQueueList(list)
}

// openQueueFile asks for a queue file and opens it.
func (r *review) openQueueFile() {
	r.touch()
	if r.modal() {
		return
	}
	r.opts.OpenQueueFile(r.win, func(rc io.ReadCloser, err error) {
		if err != nil {
			r.showError(fmt.Errorf("open the queue file: %w", err))
			return
		}
		if rc == nil {
			return
		}
		r.background(func() {
			list, err := queue.ParseList(rc)
			rc.Close()
			r.opts.Do(func() {
				if err != nil {
					r.showError(fmt.Errorf("read the queue file: %w", err))
					return
				}
				r.openQueueList(list)
			})
		})
	})
}

// exportChecklist writes the queue's checklist CSV (eval_ids, statuses,
// marks, notes — nothing from the cases) where the user says.
func (r *review) exportChecklist() {
	r.touch()
	rq := r.queue
	if rq == nil {
		r.bar.setStatus("No queue is open: there is no checklist to export.")
		return
	}
	if r.modal() {
		return
	}
	r.opts.SaveChecklist(r.win, func(w io.WriteCloser, err error) {
		if err == nil && w == nil {
			return
		}
		if err == nil {
			err = rq.q.WriteChecklistCSV(w)
			if cerr := w.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("close the checklist: %w", cerr)
			}
		}
		if err != nil {
			r.showError(fmt.Errorf("export the checklist: %w", err))
			return
		}
		r.bar.setStatus(fmt.Sprintf("Checklist of %d cases exported (eval_ids, statuses, marks and notes only).", rq.q.Len()))
	})
}

// openQueueDialog is the default Options.OpenQueueFile: Fyne's file dialog.
func openQueueDialog(parent fyne.Window, done func(io.ReadCloser, error)) {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		fyne.CurrentApp().Preferences().RemoveValue("fyne:fileDialogLastFolder")
		if err != nil || rc == nil {
			done(nil, err)
			return
		}
		done(rc, nil)
	}, parent)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".txt", ".csv"}))
	d.Show()
}

// saveChecklistDialog is the default Options.SaveChecklist: Fyne's save dialog.
func saveChecklistDialog(parent fyne.Window, done func(io.WriteCloser, error)) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		fyne.CurrentApp().Preferences().RemoveValue("fyne:fileDialogLastFolder")
		if err != nil || wc == nil {
			done(nil, err)
			return
		}
		done(wc, nil)
	}, parent)
	d.SetFileName("checklist.csv")
	d.Show()
}

// queueProblemLines describes at most n problems of a parsed list, and
// how many more there are.
func queueProblemLines(list queue.List, n int) []string {
	var out []string
	total := len(list.Problems) + list.MoreProblems
	for _, p := range list.Problems {
		if len(out) == n {
			break
		}
		switch p.Kind {
		case queue.ProblemBlank:
			continue // counted, not listed
		case queue.ProblemDuplicate:
			out = append(out, fmt.Sprintf("line %d: duplicate of line %d (%s)", p.Line, p.FirstLine, p.Text))
		default:
			out = append(out, fmt.Sprintf("line %d: %s: %q", p.Line, p.Reason, p.Text))
		}
	}
	listed := 0
	for _, p := range list.Problems {
		if p.Kind != queue.ProblemBlank {
			listed++
		}
	}
	if more := listed - len(out) + list.MoreProblems; more > 0 && total > 0 {
		out = append(out, fmt.Sprintf("… and %d more", more))
	}
	if list.Blanks > 0 {
		out = append(out, plural(list.Blanks, "blank line")+" skipped")
	}
	return out
}

// applyPredecoded shows in panes the images the load decoded ahead (pre:
// a fetch's or a queued case's) at once; it returns the panes that still
// need a decode: those pre lacks, and those whose own box differs from
// the one the load planned enough to decode again at the pane's size
// (they show pre's image meanwhile).
func (r *review) applyPredecoded(pre *session.Decoded, panes []*imagePane) []*imagePane {
	if pre == nil {
		return panes
	}
	var rest []*imagePane
	for _, p := range panes {
		im, ok := pre.Images[p.entry]
		if !ok || (im.Display == nil && im.Err == nil) {
			rest = append(rest, p)
			continue
		}
		p.seq++
		p.boxW, p.boxH = im.BoxW, im.BoxH
		p.setDecoded(im.Display, im.Err, r.win.Canvas().Scale())
		if w, h := r.paneBox(p); im.Display != nil && needsRedecode(im.Display.Info, im.BoxW, im.BoxH, w, h) {
			rest = append(rest, p)
			continue
		}
		r.evidence.decoded++
	}
	return rest
}

// submitEntry is a multi-line entry where Ctrl+Enter submits (Enter
// starts a new line, Tab is typed).
type submitEntry struct {
	widget.Entry
	onSubmit func()
}

func newSubmitEntry() *submitEntry {
	e := &submitEntry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapOff
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut submits on Ctrl+Enter.
func (e *submitEntry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && (cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter) &&
		cs.Modifier&fyne.KeyModifierShortcutDefault != 0 && e.onSubmit != nil {
		e.onSubmit()
		return
	}
	e.Entry.TypedShortcut(s)
}
