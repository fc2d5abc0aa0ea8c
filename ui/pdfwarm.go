package ui

// pdfWarmup starts the PDF engine when the window opens, so the first PDF
// of the first case does not pay the engine's start: on a first start (no
// compiled-code cache yet) that is a WebAssembly compile of several seconds
// on one core. The compile runs on a thread of the lowest CPU priority
// (imaging.PDFEngine.StartLowPriority): a case fetched meanwhile gets the
// cores first, so its images are not held back, and the compile finishes
// in the time the window spends waiting (for the reviewer, the network,
// the cores). The attachments' page counts wait for the pane decodes
// (idle).
//
// Every method runs on the Fyne goroutine.
type pdfWarmup struct {
	start    func() // the engine's StartLowPriority; nil = no engine
	started  bool
	decoding int           // pane decodes in flight
	idleCh   chan struct{} // closed while decoding == 0
}

// arm starts the engine, once (the window calls it when it opens; tests
// and the command line never do).
func (w *pdfWarmup) arm() {
	if w.start == nil || w.started {
		return
	}
	w.started = true
	w.start() // returns at once: the engine starts on its own thread
}

// decodeBegins notes a pane decode going into the background.
func (w *pdfWarmup) decodeBegins() {
	if w.decoding == 0 {
		w.idleCh = make(chan struct{})
	}
	w.decoding++
}

// decodeEnds notes a pane decode that finished.
func (w *pdfWarmup) decodeEnds() {
	if w.decoding--; w.decoding > 0 {
		return
	}
	close(w.idleCh)
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

// initPDFWarmup connects the warm-up to the window's engine.
func (r *review) initPDFWarmup() {
	if r.opts.PDF != nil {
		r.pdfWarm.start = r.opts.PDF.StartLowPriority
	}
}
