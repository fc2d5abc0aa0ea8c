package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"docvreview/imaging/forensics"
)

// flagTitles name the EXIF flags in the inspector.
var flagTitles = map[forensics.FlagName]string{
	forensics.FlagEditedSoftware:    "Image editor in the metadata",
	forensics.FlagThumbnailMismatch: "Thumbnail shows another picture",
	forensics.FlagGPSPresent:        "GPS location present",
	forensics.FlagNoCameraMetadata:  "No camera metadata",
}

// setChecks shows the image's evidence checks once they arrive.
func (i *inspector) setChecks(rep *forensics.Report, err error) {
	i.showChecks(rep, err, false)
}

// showChecks fills the Evidence checks part of the metadata panel: the
// JPEG's tells, then each EXIF flag with its one-line explanation.
func (i *inspector) showChecks(rep *forensics.Report, err error, pending bool) {
	box := i.checksBox
	box.RemoveAll()
	box.Add(widget.NewLabelWithStyle("Evidence checks", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	add := func(s string, imp widget.Importance) {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = imp
		box.Add(l)
	}
	switch {
	case rep == nil && pending:
		add("Running…", widget.LowImportance)
	case rep == nil && err != nil:
		add("The checks could not run: "+err.Error(), widget.WarningImportance)
	case rep == nil:
		add("Not run for this image.", widget.LowImportance)
	default:
		for _, row := range jpegTellRows(*rep) {
			add(row.label+": "+row.value, widget.MediumImportance)
		}
		if len(rep.EXIFFlags) == 0 {
			add("No EXIF flag raised.", widget.SuccessImportance)
		}
		for _, f := range rep.EXIFFlags {
			imp := widget.WarningImportance
			if f.Name == forensics.FlagEditedSoftware || f.Name == forensics.FlagThumbnailMismatch {
				imp = widget.DangerImportance
			}
			title := flagTitles[f.Name]
			if title == "" {
				title = string(f.Name)
			}
			add("⚠ "+title+": "+f.Explanation, imp)
		}
	}
	box.Refresh()
}

// jpegTellRows are the JPEG's quality, subsampling and progressive coding.
func jpegTellRows(rep forensics.Report) []inspRow {
	if rep.JPEGQuality == nil && rep.ChromaSubsampling == "" {
		return []inspRow{{"JPEG quality", "not a JPEG"}}
	}
	q := "unknown (no standard quantization table)"
	if rep.JPEGQuality != nil {
		q = strconv.Itoa(*rep.JPEGQuality) + " (estimated from the quantization table)"
	}
	rows := []inspRow{{"JPEG quality", q}}
	if rep.ChromaSubsampling != "" {
		rows = append(rows, inspRow{"Chroma subsampling", rep.ChromaSubsampling})
	}
	return append(rows, inspRow{"Progressive", inspYesNo(rep.Progressive)})
}
