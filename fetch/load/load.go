// Package load is the one load pipeline of a case: the window, a queue's
// prefetch and the command line all get a case through it. Its place in
// the data flow eval_id → riskos → casefile → imaging → ui: it drives the
// first three, streaming, and hands ui (or the command line) the Case and
// each image decoded for display.
//
// One call loads one case. The archive comes from RiskOS (Fetch: the
// documents and the evaluation summary, concurrently) or from memory
// (Open: a ZIP read from disk). Each ZIP entry is inflated and, as soon
// as it is complete, an image entry goes to a decoder that decodes it
// straight at the size it will be shown (the JPEG decoder scales in the
// DCT) while the other entries still inflate: one box for every image, or
// each image's own (Options.Box: a window asks for its pane's size). Progress is reported per stage and
// every image as it finishes, from worker goroutines, one call at a time.
//
// Cancelling the context stops the load cleanly: decodes in flight finish,
// the case is closed and every buffer zeroed. Nothing here imports Fyne.
package load

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
	"docvreview/imaging"
)

// Stage names a step of a load, in the order they start.
type Stage int

// The stages a load reports.
const (
	StageDownload Stage = iota // documents ZIP bytes (Fetch only)
	StageInflate               // ZIP entries final (inflated or refused)
	StageDecode                // images decoded for display
)

// String names the stage for people.
func (s Stage) String() string {
	switch s {
	case StageDownload:
		return "download"
	case StageInflate:
		return "inflate"
	case StageDecode:
		return "decode"
	}
	return fmt.Sprintf("stage %d", int(s))
}

// Progress is one progress report.
//
//   - StageDownload: Done bytes of Total (-1 when unknown); Attempt as in
//     riskos.Progress (a retry starts again from 0).
//   - StageInflate: Done entries final of Total in the archive.
//   - StageDecode: Done images decoded (or failed) of Total images found
//     so far; Total grows while the archive inflates and is final once
//     StageInflate has reported Done == Total.
type Progress struct {
	Stage       Stage
	Done, Total int64
	Attempt     int
}

// Image is one image entry decoded for display.
type Image struct {
	Entry      *casefile.Entry
	Display    *imaging.Display // nil when Err != nil
	Err        error
	BoxW, BoxH int           // the box it was decoded to fit
	Elapsed    time.Duration // the decode alone
}

// Options configure one load. The zero value loads the case without
// decoding anything and reports nothing.
type Options struct {
	// MaxW×MaxH is the display box in physical pixels: every image is
	// decoded to fit it (never upscaled). Zero (either) decodes nothing.
	MaxW, MaxH int
	// Box, when set, gives each image its own box instead, asked as its
	// decode starts (on the decoder's goroutine: it must be safe there);
	// a zero box leaves the image undecoded (reported with neither Display
	// nor Err). A window decodes each image
	// at the size of the pane it will have.
	Box func(e *casefile.Entry) (w, h int)
	// Decode tunes the decoder (pixel limit).
	Decode imaging.Options
	// Want picks the entries to decode among the readable images; nil
	// decodes every entry whose role is an image role (front, back,
	// selfie, image).
	Want func(e *casefile.Entry) bool
	// Progress, when set, receives progress per stage.
	Progress func(Progress)
	// OnImage, when set, receives each decoded image as it finishes. It
	// owns the Display; Entry belongs to the case (read it, don't keep
	// its Data past the case's Close).
	OnImage func(Image)
}

// Progress and OnImage are called from worker goroutines (and the
// download's), never two at once; they should return quickly (a window
// hands the work to its UI goroutine). Load returns only after its last
// call.

// Fetch loads the case evalID from RiskOS through client: the documents
// ZIP and the evaluation summary concurrently, the archive inflated as
// soon as it has arrived and its images decoded as they come out of it.
// It returns the case once every wanted image was decoded (and reported);
// the caller owns it and closes it. Errors are riskos.FetchCase's (a
// *riskos.NoDocumentsError, a wrapped *riskos.APIError, ctx's error …);
// on any error nothing is left open and every buffer is zeroed.
func Fetch(ctx context.Context, client *riskos.Client, evalID string, o Options) (*casefile.Case, error) {
	p := newPipeline(ctx, o)
	c, err := client.FetchCaseWith(p.ctx, evalID, riskos.CaseOptions{
		Progress: func(pr riskos.Progress) {
			p.report(Progress{Stage: StageDownload, Done: pr.Done, Total: pr.Total, Attempt: pr.Attempt})
		},
		OnEntry: p.onEntry,
		Drain:   p.wait,
	})
	return p.finish(ctx, c, err)
}

// Open loads a case from a documents ZIP already in memory (read from a
// file), taking ownership of archive: the case reads stored entries in
// place and zeroes archive when it is closed (every other byte of it at
// once), and all of it on any error. env may be empty (a file does not say where it came from);
// the case has no evaluation summary. Otherwise Open is Fetch without
// the download.
func Open(ctx context.Context, evalID string, env eval.Environment, archive []byte, o Options) (*casefile.Case, error) {
	p := newPipeline(ctx, o)
	c, err := casefile.NewCaseWith(p.ctx, evalID, env, archive, nil, casefile.ReadOptions{
		OnEntry: p.onEntry,
		Drain:   p.wait,
	})
	return p.finish(ctx, c, err)
}

// pipeline is the state of one load: the decoders and the serialised
// callbacks.
type pipeline struct {
	ctx    context.Context
	cancel context.CancelFunc
	o      Options
	sem    chan struct{} // bounds the decoders running at once
	wg     sync.WaitGroup

	mu                sync.Mutex // serialises the callbacks; guards the counts
	found, decoded    int64
	hookDecodeStarted func(e *casefile.Entry) // tests: a decode begins (not serialised)
}

func newPipeline(ctx context.Context, o Options) *pipeline {
	ctx, cancel := context.WithCancel(ctx)
	return &pipeline{ctx: ctx, cancel: cancel, o: o, sem: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))}
}

// report calls Progress, serialised.
func (p *pipeline) report(pr Progress) {
	if p.o.Progress == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.o.Progress(pr)
}

// wants reports whether the load decodes e.
func (p *pipeline) wants(e *casefile.Entry) bool {
	if (p.o.Box == nil && (p.o.MaxW <= 0 || p.o.MaxH <= 0)) || e.Err != nil || e.Data == nil {
		return false
	}
	if p.o.Want != nil {
		return p.o.Want(e)
	}
	return e.Role.IsImage()
}

// onEntry is casefile's OnEntry: it reports the inflate progress and
// hands a wanted image to a decoder at once. casefile serialises the
// calls; p.mu serialises them with the decoders' callbacks.
func (p *pipeline) onEntry(e *casefile.Entry, done, total int) {
	want := p.wants(e)
	p.mu.Lock()
	if want {
		p.found++
	}
	found, decoded := p.found, p.decoded
	if p.o.Progress != nil {
		p.o.Progress(Progress{Stage: StageInflate, Done: int64(done), Total: int64(total)})
		if want {
			p.o.Progress(Progress{Stage: StageDecode, Done: decoded, Total: found})
		}
	}
	p.mu.Unlock()
	if want {
		p.wg.Go(func() { p.decode(e) })
	}
}

// decode decodes one entry when a decoder slot is free, unless the load
// was cancelled first (then it is skipped without a report).
func (p *pipeline) decode(e *casefile.Entry) {
	select {
	case p.sem <- struct{}{}:
	case <-p.ctx.Done():
		return
	}
	if p.ctx.Err() != nil {
		<-p.sem
		return
	}
	if p.hookDecodeStarted != nil {
		p.hookDecodeStarted(e)
	}
	w, h := p.o.MaxW, p.o.MaxH
	if p.o.Box != nil {
		w, h = p.o.Box(e)
	}
	img := Image{Entry: e, BoxW: w, BoxH: h}
	if w > 0 && h > 0 {
		start := time.Now()
		img.Display, img.Err = imaging.DecodeIsolated(e.Data, w, h, p.o.Decode)
		img.Elapsed = time.Since(start)
	}
	<-p.sem // the next decode starts while this one is reported
	p.mu.Lock()
	defer p.mu.Unlock()
	p.decoded++
	if p.o.Progress != nil {
		p.o.Progress(Progress{Stage: StageDecode, Done: p.decoded, Total: p.found})
	}
	if p.o.OnImage != nil {
		p.o.OnImage(img)
	}
}

// wait waits for every decoder.
func (p *pipeline) wait() { p.wg.Wait() }

// finish waits for the decoders and settles the outcome: on an error, or
// when ctx ended meanwhile, the case is closed (its buffers zeroed).
func (p *pipeline) finish(ctx context.Context, c *casefile.Case, err error) (*casefile.Case, error) {
	p.wait()
	p.cancel()
	if err != nil {
		c.Close()
		return nil, err
	}
	if cerr := ctx.Err(); cerr != nil {
		c.Close()
		return nil, fmt.Errorf("load case: %w", cerr)
	}
	return c, nil
}
