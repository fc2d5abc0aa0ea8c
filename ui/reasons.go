package ui

import (
	"context"

	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
)

// describeReasons shows the case's reason codes bare (already done by
// Details) and asks the catalogue for their descriptions in the
// background, through the case's client; they replace the bare codes when
// they arrive. It never shows an error: without a catalogue the codes stay
// bare. The Demo catalogue is never cached on disk.
func (r *review) describeReasons() {
	ev, client, gen := r.sess.Evaluation(), r.sess.Client(), r.sess.Gen()
	if ev == nil || client == nil || len(ev.ReasonCodes) == 0 {
		return
	}
	codes := make([]string, len(ev.ReasonCodes))
	for i, rc := range ev.ReasonCodes {
		codes[i] = rc.Code
	}
	ctx := r.sess.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	now := r.opts.Now
	r.background(func() {
		dir, err := riskos.DefaultCacheDir()
		if err != nil {
			dir = "" // memory only
		}
		cat := riskos.NewReasonCodeCatalog(client, riskos.CatalogOptions{Dir: dir, Now: now})
		described := cat.Describe(ctx, codes)
		r.opts.Do(func() { r.onReasonsDescribed(gen, described) })
	})
}

// onReasonsDescribed shows the descriptions, unless the case changed.
// (r.sess.Evaluation() is the window's own copy of the evaluation: the case's is not
// written to.)
func (r *review) onReasonsDescribed(gen uint64, codes []eval.ReasonCode) {
	if gen != r.sess.Gen() || r.sess.Evaluation() == nil {
		return
	}
	r.sess.Evaluation().ReasonCodes = keepDescriptions(r.sess.Evaluation().ReasonCodes, codes)
	r.details.setReasonCodes(r.sess.Evaluation().ReasonCodes)
}
