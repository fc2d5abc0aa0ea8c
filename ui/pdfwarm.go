package ui

import (
	"time"
)

// pdfWarmDelay is how long the window waits after it opens (and between
// checks while a case is being fetched or decoded) before it starts the PDF
// engine.
const pdfWarmDelay = 2 * time.Second

// pdfWarmup starts the PDF engine in the background when the window has
// nothing more urgent to do, so the first PDF of the first case does not
// pay the engine's start: on a first start (no compiled-code cache yet)
// that is a WebAssembly compile of several seconds on one core.
//
// The policy: once armed (when the window opens), the engine starts right
// after the first case's pane images are decoded, or pdfWarmDelay after
// the window opened when no case is being fetched or decoded; while one
// is, it checks again every pdfWarmDelay. So the compile never starts
// during a fetch or a pane decode. A case fetched while it compiles is
// not held back: the compile uses one core, the decode the others.
// The attachments' page counts wait for the pane decodes too (idle).
//
// Every method runs on the Fyne goroutine.
type pdfWarmup struct {
	start    func()                      // the engine's Start; nil = no engine
	after    func(time.Duration, func()) // runs f on the Fyne goroutine after d
	fetching func() bool                 // a case is being fetched
	armed    bool
	started  bool
	decoding int           // pane decodes in flight
	idleCh   chan struct{} // closed while decoding == 0
}

// arm allows the start and schedules the first check.
func (w *pdfWarmup) arm() {
	if w.start == nil || w.started || w.armed {
		return
	}
	w.armed = true
	w.schedule()
}

func (w *pdfWarmup) schedule() { w.after(pdfWarmDelay, w.tick) }

// tick starts the engine unless a case is being fetched or decoded, in
// which case it checks again later.
func (w *pdfWarmup) tick() {
	if !w.armed || w.started {
		return
	}
	if w.decoding > 0 || (w.fetching != nil && w.fetching()) {
		w.schedule()
		return
	}
	w.started = true
	w.start() // returns at once: the engine starts on its own goroutine
}

// decodeBegins notes a pane decode going into the background.
func (w *pdfWarmup) decodeBegins() {
	if w.decoding == 0 {
		w.idleCh = make(chan struct{})
	}
	w.decoding++
}

// decodeEnds notes a pane decode that finished; the last one lets the
// engine start.
func (w *pdfWarmup) decodeEnds() {
	if w.decoding--; w.decoding > 0 {
		return
	}
	close(w.idleCh)
	w.tick()
}

// caseShown notes a case on screen: when no pane decode is left to run
// (the load decoded every pane at its size), the engine may start now.
func (w *pdfWarmup) caseShown() {
	if w.decoding == 0 {
		w.tick()
	}
}

// idle is closed once no pane decode is in flight (a channel a background
// goroutine can wait on).
func (w *pdfWarmup) idle() <-chan struct{} {
	if w.decoding == 0 {
		done := make(chan struct{})
		close(done)
		return done
	}
	return w.idleCh
}

// initPDFWarmup connects the warm-up to the window's engine, clock and
// fetch state.
func (r *review) initPDFWarmup() {
	if r.opts.PDF != nil {
		r.pdfWarm.start = r.opts.PDF.Start
	}
	r.pdfWarm.after = func(d time.Duration, f func()) {
		time.AfterFunc(d, func() { r.opts.Do(f) })
	}
	r.pdfWarm.fetching = func() bool { return r.sess.Fetching() }
}
