package ui

import (
	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/imaging/forensics"
)

// checksState is the evidence checks of the case on screen: per image, the
// forensics report. They are personal data (the barcode holds the
// holder's name, birth date and address): memory only, dropped with the
// case. Touched on the Fyne goroutine only.
type checksState struct {
	gen     uint64 // the session generation they belong to
	pending bool   // the case is shown; the checks wait for its panes
	running bool
	done    bool
	order   []*casefile.Entry // the images checked, in the order shown
	reports map[*casefile.Entry]*imageCheck
	doc     *forensics.DocumentData // the evaluation's document data; nil when none

	// inspecting is the image the inspector shows, which gets its report
	// when it arrives.
	inspecting *casefile.Entry
}

// imageCheck is one image's checks.
type imageCheck struct {
	report forensics.Report
	err    error
}

// documentDataOf maps the evaluation's documentData to what the barcode
// is compared with; nil when the evaluation has no document data.
func documentDataOf(ev *eval.Evaluation) *forensics.DocumentData {
	if ev == nil || ev.DocV == nil {
		return nil
	}
	d := ev.DocV.Data
	if d == (eval.DocumentData{}) {
		return nil
	}
	return &forensics.DocumentData{
		FirstName:      d.FirstName,
		SurName:        d.SurName,
		FullName:       d.FullName,
		Address:        d.Address,
		DocumentNumber: d.DocumentNumber,
		DOB:            d.DOB,
		ExpirationDate: d.ExpirationDate,
		IssueDate:      d.IssueDate,
	}
}

// checkOrder lists the case's readable images: the panes' first (front,
// back, selfie), then the others.
func checkOrder(c *casefile.Case) []*casefile.Entry {
	var out []*casefile.Entry
	seen := map[*casefile.Entry]bool{}
	add := func(e *casefile.Entry) {
		if e != nil && !seen[e] && e.Err == nil && e.Data != nil {
			seen[e] = true
			out = append(out, e)
		}
	}
	for _, role := range []casefile.Role{casefile.RoleFront, casefile.RoleBack, casefile.RoleSelfie} {
		add(c.Primary(role))
	}
	for _, e := range c.Images() {
		add(e)
	}
	return out
}

// checksCaseShown arms the checks of the case just shown: they start once
// its panes have their images, so that they never delay them.
func (r *review) checksCaseShown() {
	r.dropChecks()
	if r.sess.Case() == nil {
		return
	}
	r.checks = checksState{gen: r.sess.Gen(), pending: true, reports: map[*casefile.Entry]*imageCheck{}}
	r.checksPanel.showRunning()
	r.afterPaneDecoded()
}

// afterPaneDecoded starts the checks once every pane with an image has
// been decoded (or has failed to).
func (r *review) afterPaneDecoded() {
	if !r.checks.pending || r.checks.gen != r.sess.Gen() || r.sess.Case() == nil {
		return
	}
	if r.evidence.decoded < len(r.evidence.panesWithImages()) {
		return
	}
	r.checks.pending = false
	r.startChecks()
}

// startChecks runs forensics.Analyze on every image of the case, one after
// the other, off the Fyne goroutine, and reports each as it finishes.
// Dropping the case cancels them.
func (r *review) startChecks() {
	ref := r.sess.Case()
	if ref == nil || !ref.Acquire() {
		return
	}
	c := ref.Case()
	ctx, gen := r.sess.Context(), r.sess.Gen()
	r.checks.order = checkOrder(c)
	r.checks.doc = documentDataOf(c.Evaluation)
	r.checks.running = true
	entries, doc := r.checks.order, r.checks.doc
	r.background(func() {
		defer ref.Release()
		for _, e := range entries {
			if ctx.Err() != nil {
				return
			}
			rep, err := forensics.Analyze(ctx, e.Data, string(e.Role), doc)
			r.opts.Do(func() { r.onImageChecked(gen, e, rep, err) })
		}
		r.opts.Do(func() {
			if gen == r.sess.Gen() && r.checks.gen == gen {
				r.checks.running, r.checks.done = false, true
				r.showChecks()
				r.sess.Settled() // the last of the case's loading work
			}
		})
	})
}

// onImageChecked records one image's report, unless the case changed.
func (r *review) onImageChecked(gen uint64, e *casefile.Entry, rep forensics.Report, err error) {
	if gen != r.sess.Gen() || r.checks.gen != gen || r.checks.reports == nil {
		return
	}
	ic := &imageCheck{report: rep, err: err}
	r.checks.reports[e] = ic
	r.showChecks()
	if r.checks.inspecting == e {
		if v, ok := r.viewer.(interface {
			setChecks(*forensics.Report, error)
		}); ok {
			v.setChecks(&ic.report, ic.err)
		}
	}
}

// checksFor is what the inspector of e is given: its report when done;
// pending when the checks are still to come.
func (r *review) checksFor(e *casefile.Entry) (rep *forensics.Report, err error, pending bool) {
	if r.checks.reports == nil {
		return nil, nil, false
	}
	if ic := r.checks.reports[e]; ic != nil {
		return &ic.report, ic.err, false
	}
	return nil, nil, !r.checks.done
}

// showChecks refreshes the Checks section of Details.
func (r *review) showChecks() {
	r.checksPanel.show(r.checksSummary())
}

// dropChecks forgets the checks (the case is closed or replaced).
func (r *review) dropChecks() {
	r.checks = checksState{}
	r.checksPanel.clear()
}
