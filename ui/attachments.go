package ui

import (
	"context"
	"fmt"
	"image"
	"path"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/casefile"
	"docvreview/imaging"
)

// thumbDPI renders a letter page about 100 px tall.
const thumbDPI = 9

// attachmentsPanel lists the case_attachments (name, size, pages, a
// first-page thumbnail, Open) and the other files (name, size, type).
type attachmentsPanel struct {
	box  *fyne.Container
	root fyne.CanvasObject
	rows []*attachmentRow

	onOpen func(*casefile.Entry)
}

type attachmentRow struct {
	entry *casefile.Entry
	thumb *canvas.Image
	info  *widget.Label
	open  *widget.Button
	pages int
	err   error
}

func newAttachmentsPanel() *attachmentsPanel {
	p := &attachmentsPanel{box: container.NewVBox()}
	p.root = container.NewVScroll(p.box)
	p.clear()
	return p
}

func (p *attachmentsPanel) clear() { p.showMessage("No case open.") }

// showMessage empties the list and says why.
func (p *attachmentsPanel) showMessage(msg string) {
	for _, r := range p.rows {
		r.thumb.Image = nil
		r.thumb.Refresh() // frees its texture
	}
	p.rows = nil
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	p.box.Objects = []fyne.CanvasObject{l}
	p.box.Refresh()
}

// show lists the case's attachments and other files.
func (p *attachmentsPanel) show(c *casefile.Case) {
	p.clear()
	var objs []fyne.CanvasObject
	objs = append(objs, heading("Attachments"))
	atts := c.Attachments()
	if len(atts) == 0 {
		objs = append(objs, widget.NewLabel("No attachments in this case."))
	}
	for _, e := range atts {
		r := p.newRow(e)
		p.rows = append(p.rows, r)
		name := widget.NewLabelWithStyle(e.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		name.Truncation = fyne.TextTruncateEllipsis
		thumb := container.NewGridWrap(fyne.NewSize(64, 80), container.NewStack(
			canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground)), r.thumb))
		objs = append(objs, container.NewBorder(nil, nil, thumb, container.NewCenter(r.open),
			container.NewVBox(name, r.info)))
	}
	others := c.Others()
	if len(others) > 0 {
		objs = append(objs, heading("Other files"))
		for _, e := range others {
			l := widget.NewLabel(fmt.Sprintf("%s · %s · %s", e.Path, humanBytes(e.Size), fileType(e)))
			l.Wrapping = fyne.TextWrapBreak
			objs = append(objs, l)
		}
	}
	p.box.Objects = objs
	p.box.Refresh()
}

func (p *attachmentsPanel) newRow(e *casefile.Entry) *attachmentRow {
	r := &attachmentRow{entry: e, thumb: canvas.NewImageFromImage(nil)}
	r.thumb.FillMode = canvas.ImageFillContain
	r.thumb.ScaleMode = canvas.ImageScaleSmooth
	r.info = widget.NewLabel("")
	r.info.Wrapping = fyne.TextWrapWord
	r.open = widget.NewButtonWithIcon("Open", theme.DocumentIcon(), func() {
		if p.onOpen != nil {
			p.onOpen(e)
		}
	})
	if e.Err != nil {
		r.err = e.Err
		r.info.SetText(humanBytes(e.Size) + " · cannot be opened: " + e.Err.Error())
		r.info.Importance = widget.DangerImportance
		r.open.Disable()
	} else {
		r.info.SetText(humanBytes(e.Size) + " · counting pages…")
	}
	return r
}

// setPages shows the page count and thumbnail of row i, or why there are none.
func (p *attachmentsPanel) setPages(i, pages int, thumb *image.RGBA, err error) {
	if i >= len(p.rows) {
		return
	}
	r := p.rows[i]
	r.pages, r.err = pages, err
	if err != nil {
		r.info.SetText(humanBytes(r.entry.Size) + " · cannot be opened: " + err.Error())
		r.info.Importance = widget.DangerImportance
		r.info.Refresh()
		r.open.Disable()
		return
	}
	r.info.SetText(humanBytes(r.entry.Size) + " · " + plural(pages, "page"))
	if thumb != nil {
		r.thumb.Image = thumb
		r.thumb.Refresh()
	}
}

// setUnavailable says pages cannot be counted (no PDF engine).
func (p *attachmentsPanel) setUnavailable() {
	for _, r := range p.rows {
		if r.err == nil {
			r.info.SetText(humanBytes(r.entry.Size) + " · PDF")
			r.open.Disable()
		}
	}
}

// fileType names what an unclassified file is.
func fileType(e *casefile.Entry) string {
	if e.Format != "" && e.Format != casefile.FormatUnknown {
		return strings.ToUpper(string(e.Format))
	}
	if ext := strings.TrimPrefix(path.Ext(e.Name), "."); ext != "" {
		return strings.ToUpper(ext) + " file (unrecognised content)"
	}
	return "unknown type"
}

// scanAttachments counts the pages of each attachment and renders its
// first page, one after another, off the Fyne goroutine, once the panes'
// images are decoded.
func (r *review) scanAttachments() {
	rows := r.files.rows
	if len(rows) == 0 {
		return
	}
	eng := r.opts.PDF
	if eng == nil {
		r.files.setUnavailable()
		return
	}
	ref := r.sess.Case()
	if ref == nil || !ref.Acquire() {
		return
	}
	type job struct {
		i    int
		data []byte
	}
	var jobs []job
	for i, row := range rows {
		if row.err == nil && row.entry.Data != nil {
			jobs = append(jobs, job{i, row.entry.Data})
		}
	}
	ctx, gen := r.sess.Context(), r.sess.Gen()
	panesDecoded := r.pdfWarm.idle()
	r.background(func() {
		defer ref.Release()
		// The panes' images come first: the PDF engine (its first start
		// compiles for seconds) waits until they are decoded.
		select {
		case <-panesDecoded:
		case <-ctx.Done():
			return
		}
		for _, j := range jobs {
			if ctx.Err() != nil {
				return
			}
			pages, thumb, err := firstPage(ctx, eng, j.data)
			r.opts.Do(func() {
				if gen == r.sess.Gen() {
					r.files.setPages(j.i, pages, thumb, err)
				}
			})
		}
	})
}

// firstPage opens a PDF from memory and renders its first page small.
func firstPage(ctx context.Context, eng *imaging.PDFEngine, data []byte) (int, *image.RGBA, error) {
	doc, err := eng.Open(ctx, data)
	if err != nil {
		return 0, nil, fmt.Errorf("open PDF: %w", err)
	}
	defer doc.Close()
	n := doc.Pages()
	thumb, err := doc.Render(ctx, 0, thumbDPI)
	if err != nil {
		return n, nil, nil // the count is still useful; the viewer will say what is wrong
	}
	return n, thumb, nil
}

// openFirstPDF opens the first attachment that can be opened.
func (r *review) openFirstPDF() {
	r.touch()
	for _, row := range r.files.rows {
		if row.err == nil && row.entry.Data != nil {
			r.openPDF(row.entry)
			return
		}
	}
	if r.sess.Case() != nil {
		r.bar.setStatus("This case has no attachment to open.")
	}
}

// openPDF shows an attachment in the in-app viewer. The viewer reads the
// case's own bytes under a lease it releases once its document is closed,
// so closing the case zeroes them only after that, and no copy is left.
func (r *review) openPDF(e *casefile.Entry) {
	r.touch()
	if r.opts.PDF == nil {
		r.bar.setStatus("PDF rendering is not available in this build.")
		return
	}
	if r.sess.Case() == nil || e.Data == nil {
		return
	}
	lease, bufs, err := leaseEntries(r.sess.Case().Case(), e)
	if err != nil {
		return
	}
	v := r.makePDFViewer(r.opts.PDF, e.Name, bufs[0], lease.Release, r.closeViewer)
	r.showViewer(v)
	r.bar.setStatus("Viewing " + e.Name + " — Esc returns to the case.")
}
