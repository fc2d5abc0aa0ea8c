package ui

import (
	"docvreview/fetch/casefile"
	"docvreview/imaging"
)

// inspectPane opens the inspector on pane i (0 front, 1 back, 2 selfie).
func (r *review) inspectPane(i int) {
	r.touch()
	if r.sess.Case() == nil || i < 0 || i >= len(r.evidence.panes) {
		return
	}
	p := r.evidence.panes[i]
	if !p.inspectable() {
		r.bar.setStatus("There is no " + roleTitle(p.role) + " image to inspect in this case.")
		return
	}
	r.inspectEntry(p.entry, paneTitle(p))
}

// inspectEntry reads the image's metadata off the Fyne goroutine, then
// opens the inspector in place of the evidence area. The inspector reads
// the case's own bytes under a lease it releases once it has decoded them,
// so closing the case zeroes them only after that, and no copy is left.
func (r *review) inspectEntry(e *casefile.Entry, title string) {
	r.touch()
	if r.sess.Case() == nil || e == nil || e.Data == nil {
		return
	}
	lease, bufs, err := leaseEntries(r.sess.Case().Case(), e)
	if err != nil {
		return
	}
	data := bufs[0]
	gen := r.sess.Gen()
	r.bar.setStatus("Opening " + title + "…")
	r.background(func() {
		meta := imaging.ReadMetadata(data)
		r.opts.Do(func() {
			if gen != r.sess.Gen() {
				lease.Release()
				return
			}
			rep, repErr, pending := r.checksFor(e)
			r.showViewer(r.makeInspector(inspectorInput{
				Title:     title,
				Data:      data,
				Release:   lease.Release,
				Meta:      meta,
				Clipboard: r.app.Clipboard(),
				OnClose:   r.closeViewer,
				Do:        r.opts.Do,
				Checks:    rep, ChecksErr: repErr, ChecksPending: pending,
			}))
			r.checks.inspecting = e
			r.bar.setStatus("Inspecting " + title + " — Esc returns to the case.")
		})
	})
}
