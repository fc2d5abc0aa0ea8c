package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// viewerFrame holds the open viewer (inspector, PDF viewer, compare) in
// the evidence area: it shows the viewer's content and nothing else, and
// it is how the canvas says which viewer is open (the UI tests find it
// there).
type viewerFrame struct {
	widget.BaseWidget
	viewer caseViewer
}

func newViewerFrame(v caseViewer) *viewerFrame {
	f := &viewerFrame{viewer: v}
	f.ExtendBaseWidget(f)
	return f
}

// CreateRenderer shows the viewer's content, filling the frame.
func (f *viewerFrame) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(f.viewer.Object())
}
