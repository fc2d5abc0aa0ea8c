package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/eval"
	"docvreview/fetch/queue"
)

// queuePanel lists the open queue: position, eval_id, status and mark of
// every case, the problems of the list it came from, and the mark buttons.
type queuePanel struct {
	items    []queue.Item
	decided  map[int]string // "ACCEPT / CLOSED" for the rows decided in this window
	current  int
	list     *widget.List
	summary  *widget.Label
	problems *widget.Label
	root     fyne.CanvasObject

	onGoto func(i int)
}

func newQueuePanel(rq *reviewQueue, r *review) *queuePanel {
	p := &queuePanel{items: rq.q.Snapshot(), decided: map[int]string{}, current: -1, onGoto: r.queueGoto}
	p.summary = widget.NewLabelWithStyle(queueSummary(rq.sq.List), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.summary.Wrapping = fyne.TextWrapWord
	p.problems = widget.NewLabel(strings.Join(queueProblemLines(rq.sq.List, 8), "\n"))
	p.problems.Wrapping = fyne.TextWrapWord
	p.problems.Importance = widget.WarningImportance
	if p.problems.Text == "" {
		p.problems.Hide()
	}
	p.list = widget.NewList(
		func() int { return len(p.items) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("000. 00000000-0000-0000-0000-000000000000  no_documents  second look ✎")
			l.TextStyle.Monospace = true
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(p.items) {
				row := queueRow(p.items[id], id == p.current)
				if d := p.decided[id]; d != "" {
					row += "  → " + d
				}
				o.(*widget.Label).SetText(row)
			}
		},
	)
	p.list.OnSelected = func(id widget.ListItemID) {
		if id != p.current && p.onGoto != nil {
			p.onGoto(id)
		}
	}
	buttons := container.NewGridWithColumns(2,
		widget.NewButtonWithIcon("Previous (P)", theme.NavigateBackIcon(), func() { r.queueMove(-1) }),
		widget.NewButtonWithIcon("Next (N)", theme.NavigateNextIcon(), func() { r.queueMove(1) }),
		widget.NewButtonWithIcon("Looks fine (O)", theme.ConfirmIcon(), func() { r.queueMark(queue.MarkLooksFine) }),
		widget.NewButtonWithIcon("Second look (S)", theme.WarningIcon(), func() { r.queueMark(queue.MarkSecondLook) }),
		widget.NewButtonWithIcon("Note… (T)", theme.DocumentCreateIcon(), r.queueNote),
		widget.NewButtonWithIcon("Clear mark", theme.ContentClearIcon(), func() { r.queueMark(queue.MarkNone) }),
		widget.NewButtonWithIcon("Export checklist…", theme.DocumentSaveIcon(), r.exportChecklist),
		widget.NewButtonWithIcon("Close queue", theme.WindowCloseIcon(), r.closeQueue),
	)
	top := container.NewVBox(p.summary, p.problems, buttons)
	p.root = container.NewBorder(top, nil, nil, nil, p.list)
	return p
}

// refresh takes the queue's new state and redraws row i.
func (p *queuePanel) refresh(i int, items []queue.Item) {
	p.items = items
	p.list.RefreshItem(i)
}

// setDecided shows the decision recorded for row i.
func (p *queuePanel) setDecided(i int, s eval.CaseState) {
	p.decided[i] = orDash(s.Decision) + " / " + orDash(s.Status)
	p.list.RefreshItem(i)
}

// setCurrent marks row i as the case on screen and scrolls to it.
func (p *queuePanel) setCurrent(i int) {
	old := p.current
	p.current = i
	if old >= 0 {
		p.list.RefreshItem(old)
	}
	p.list.Select(i) // OnSelected ignores the current row
	p.list.ScrollTo(i)
	p.list.RefreshItem(i)
}

// queueSummary counts what a parsed list held.
func queueSummary(list queue.List) string {
	s := "Queue of " + plural(len(list.IDs), "case")
	if n := len(list.Problems) - list.Blanks + list.MoreProblems; n > 0 {
		s += fmt.Sprintf(" · %s not added", plural(n, "line"))
	}
	return s
}

// queueRow is one line of the queue list.
func queueRow(it queue.Item, current bool) string {
	mark := ""
	switch it.Mark {
	case queue.MarkLooksFine:
		mark = "✓ looks fine"
	case queue.MarkSecondLook:
		mark = "⚑ second look"
	}
	if it.Note != "" {
		mark += " ✎"
	}
	status := it.Status.String()
	if it.Status == queue.StatusNoDocuments {
		status = "no documents"
	}
	cur := "  "
	if current {
		cur = "▶ "
	}
	return strings.TrimRight(fmt.Sprintf("%s%d. %s  %-12s %s", cur, it.Index+1, it.ID, status, mark), " ")
}
