package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"docvreview/assets"
	"docvreview/fetch/riskos"
	"docvreview/imaging"
)

// showAbout shows the version and the third-party notices: a list of the
// components, and the notice of the one selected.
func (r *review) showAbout() {
	r.touch()
	if r.modal() {
		return
	}
	head := widget.NewLabel("DocV Review " + riskos.Version + " — inspect the identity evidence behind a Socure RiskOS " +
		"evaluation. Everything stays in memory unless you export it. JPEG decoder: " + imaging.Backend() + ".")
	head.Wrapping = fyne.TextWrapWord

	notices := assets.NoticeList()
	text := widget.NewLabel("")
	text.Wrapping = fyne.TextWrapWord
	text.SizeName = theme.SizeNameCaptionText
	textScroll := container.NewVScroll(text)
	list := widget.NewList(
		func() int { return len(notices) },
		func() fyne.CanvasObject { return widget.NewLabel("component name") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(notices[i].Name) },
	)
	list.OnSelected = func(i widget.ListItemID) {
		text.SetText(notices[i].Text)
		textScroll.ScrollToTop()
	}
	split := container.NewHSplit(list, textScroll)
	split.Offset = 0.3
	content := container.NewBorder(container.NewVBox(head, bold("Third-party notices")), nil, nil, nil, split)
	d := dialog.NewCustom("About DocV Review", "Close", content, r.win)
	d.Resize(fyne.NewSize(820, 600))
	r.showDialog(d)
	if len(notices) > 0 {
		list.Select(0)
	}
}
