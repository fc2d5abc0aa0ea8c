package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch"
	"docvreview/imaging"
)

// showAbout shows the version and the third-party notices.
func (r *review) showAbout() {
	r.touch()
	head := widget.NewLabel("DocV Review " + fetch.Version + "\n" +
		"Inspect the identity evidence behind a Socure RiskOS evaluation. " +
		"Everything stays in memory unless you export it.\n" +
		"JPEG decoder: " + imaging.Backend())
	head.Wrapping = fyne.TextWrapWord
	notices := widget.NewLabel(thirdPartyNotices())
	notices.Wrapping = fyne.TextWrapBreak
	notices.SizeName = "captionText"
	scroll := container.NewVScroll(notices)
	content := container.NewBorder(container.NewVBox(head, bold("Third-party notices")), nil, nil, nil, scroll)
	d := dialog.NewCustom("About DocV Review", "Close", content, r.win)
	d.Resize(fyne.NewSize(700, 600))
	d.Show()
}

// thirdPartyNotices is the licence text of everything the app ships.
func thirdPartyNotices() string {
	return "See the NOTICE file shipped with the app."
}
