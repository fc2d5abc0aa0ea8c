package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/casefile"
)

// exportState is the export in progress (tests read it).
type exportState struct {
	confirm *dialog.ConfirmDialog // the confirmation on screen
	planned []string              // files named in the confirmation
	result  *casefile.ExportPlan  // what the last export wrote
	err     error                 // why the last export failed
	done    int                   // exports finished (or failed)
}

// exportCase asks for confirmation, naming every file and warning that
// they contain personal data, then for a folder, then writes the case
// there off the Fyne goroutine. Nothing is written without both answers.
func (r *review) exportCase() {
	r.touch()
	if r.modal() {
		return
	}
	ref := r.sess.Case()
	if ref == nil {
		r.bar.setStatus("Open a case first: there is nothing to export.")
		return
	}
	folder := exportFolderName(ref.Case().EvalID)
	plan, err := casefile.PlanExport(ref.Case(), folder)
	if err != nil {
		r.showError(fmt.Errorf("plan the export: %w", err))
		return
	}
	r.export.planned = plan.Files
	list := widget.NewLabel(strings.Join(plan.Files, "\n"))
	list.Wrapping = fyne.TextWrapBreak
	intro := widget.NewLabel(fmt.Sprintf("%s (%s) will be written, with their original bytes and a manifest with "+
		"the SHA-256 of each, to a new folder %s inside the folder you choose next:",
		plural(len(plan.Files), "file"), humanBytes(plan.Bytes), folder))
	intro.Wrapping = fyne.TextWrapWord
	warn := widget.NewLabel("⚠ These files contain personal data: identity document images, a selfie and PDFs. " +
		"Keep them only where your organisation allows, and delete them when the review is done.")
	warn.Wrapping = fyne.TextWrapWord
	warn.Importance = widget.DangerImportance
	scroll := container.NewVScroll(list)
	scroll.SetMinSize(fyne.NewSize(520, 160))
	content := container.NewVBox(intro, scroll, warn)

	gen := r.sess.Gen()
	d := dialog.NewCustomConfirm("Export case", "Choose folder…", "Cancel", content, func(ok bool) {
		r.export.confirm = nil
		if !ok || gen != r.sess.Gen() {
			return
		}
		r.opts.ChooseFolder(r.win, func(dir string, err error) {
			if dir != "" {
				dir = filepath.Join(dir, folder)
			}
			r.exportTo(gen, dir, err)
		})
	}, r.win)
	d.SetConfirmImportance(widget.DangerImportance)
	r.export.confirm = d
	r.showDialog(d)
}

// exportFolderName is the folder an export creates inside the chosen one.
func exportFolderName(evalID string) string { return "docv-" + evalID }

// exportTo writes the case into dir, off the Fyne goroutine.
func (r *review) exportTo(gen uint64, dir string, err error) {
	if err != nil {
		r.showError(fmt.Errorf("choose the export folder: %w", err))
		return
	}
	ref := r.sess.Case()
	if dir == "" || gen != r.sess.Gen() || ref == nil || !ref.Acquire() {
		return
	}
	r.bar.setStatus("Exporting…")
	r.background(func() {
		defer ref.Release()
		plan, err := casefile.Export(ref.Case(), dir)
		r.opts.Do(func() { r.exported(plan, err) })
	})
}

func (r *review) exported(plan casefile.ExportPlan, err error) {
	r.export.done++
	if err != nil {
		r.export.result, r.export.err = nil, err
		r.bar.setStatus("Export failed.")
		if errors.Is(err, casefile.ErrExportExists) {
			err = fmt.Errorf("%w: this case was already exported to that folder; choose another folder or remove the earlier export", err)
		}
		r.showError(fmt.Errorf("export the case: %w", err))
		return
	}
	r.export.result, r.export.err = &plan, nil
	msg := fmt.Sprintf("Wrote %s (%s) to\n%s", plural(len(plan.Files), "file"), humanBytes(plan.Bytes), plan.Dir)
	r.bar.setStatus("Case exported.")
	r.showDialog(dialog.NewInformation("Case exported", msg, r.win))
}
