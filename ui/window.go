package ui

import (
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"

	"docvreview/fetch/eval"
	"docvreview/imaging"
	"docvreview/ui/session"
)

// caseViewer is what can replace the evidence area: the inspector or the
// PDF viewer.
type caseViewer interface {
	Object() fyne.CanvasObject
	TypedKey(*fyne.KeyEvent) bool
	Close()
}

// review is the window: its panels and the controller that connects them.
// Every field is touched on the Fyne goroutine only; background work
// reports back through opts.Do.
type review struct {
	app   fyne.App
	win   fyne.Window
	opts  Options
	prefs preferences

	bar      *caseBar
	evidence *evidenceView
	outcome  *outcomeView
	details  *detailsPanel
	files    *attachmentsPanel
	decide   *decisionPanel
	tabs     *container.AppTabs
	center   *fyne.Container // holds base, or the viewer on top of nothing
	base     fyne.CanvasObject
	content  fyne.CanvasObject
	// plainKeys maps a plain key to its action (installShortcuts, from actions).
	plainKeys map[fyne.KeyName]func()

	// sess owns the case lifetime (ui/session); the window wires its
	// events to the panels (onSession).
	sess *session.Controller
	// loadPlan sizes the decodes of the loads starting now, written on
	// the Fyne goroutine and read by the loads (storeLoadPlan).
	loadPlan atomic.Pointer[loadPlan]
	viewer   caseViewer
	resize   resizeDebounce
	recent   []string // eval_ids fetched in this session, newest first; memory only
	running  int      // goroutines started and not yet reported back

	settings *settingsDialog // open settings dialog, if any
	export   exportState
	dialog   dialog.Dialog // the dialog on screen, if any (Esc dismisses it)
	queue    *reviewQueue  // the open case queue, if any
	pdfWarm  pdfWarmup     // starts the PDF engine when nothing more urgent runs
	// decideConfirm is the decision's confirmation on screen, if any (Enter confirms it).
	decideConfirm *dialog.ConfirmDialog
	feedback      *feedbackForm // the open case's unsent feedback, if any

	checks      checksState  // the evidence checks of the case (memory only)
	checksPanel *checksPanel // their section in Details

	// The viewers' constructors (tests substitute fakes).
	makeInspector func(inspectorInput) caseViewer
	makePDFViewer func(eng *imaging.PDFEngine, name string, data []byte, release, onClose func()) caseViewer
	makeCompare   func(compareInput) caseViewer
}

func newReview(a fyne.App, w fyne.Window, o Options) *review {
	r := &review{app: a, win: w, opts: o.withDefaults()}
	r.makeInspector = func(in inspectorInput) caseViewer { return newInspector(in) }
	r.makePDFViewer = func(eng *imaging.PDFEngine, name string, data []byte, release, onClose func()) caseViewer {
		return newPDFViewerDo(eng, name, data, release, onClose, r.opts.Do)
	}
	r.makeCompare = func(in compareInput) caseViewer { return newCompareView(in) }
	r.initPDFWarmup()
	r.prefs = loadPreferences(a.Preferences())
	if o.Env != "" {
		r.prefs.env = o.Env
	}
	if o.APIVersion != "" {
		r.prefs.apiVersion = o.APIVersion
	}
	r.sess = session.New(session.Config{
		Do:        r.opts.Do,
		Go:        r.background,
		Load:      session.PipelineLoader(r.opts.Keychain, r.opts.NewClient, r.opts.Now, r.planBox, nil),
		Now:       r.opts.Now,
		IdleAfter: r.prefs.idleDuration(),
	})
	r.sess.Subscribe(r.onSession)

	r.bar = newCaseBar(r.prefs.env)
	r.bar.onFetch = r.fetchEntered
	r.bar.onCancel = r.cancelFetch
	r.bar.onEnv = r.onEnvChanged
	r.bar.onActivity = r.touch
	r.bar.entry.onKey = r.entryKey
	r.bar.entry.onEscape = r.escape

	r.evidence = newEvidenceView()
	r.evidence.onInspect = r.inspectEntry
	r.evidence.onResize = r.scheduleRedecode
	r.evidence.onActivity = r.touch

	r.outcome = newOutcomeView()
	r.outcome.onRetry = r.retry
	r.outcome.onSettings = r.showSettings

	r.details = newDetailsPanel()
	r.details.onCopyEvalID = r.copyEvalID
	r.checksPanel = newChecksPanel()
	r.checksPanel.onInspect = r.inspectEntry
	attachChecks(r.details, r.checksPanel)
	r.files = newAttachmentsPanel()
	r.files.onOpen = r.openPDF
	r.decide = newDecisionPanel(r.sess.Draft())
	r.decide.onSend = r.decideSubmit
	r.decide.onAttach = r.attachFile
	r.decide.onFeedback = r.showFeedback
	r.decide.onActivity = r.touch

	// The Decision tab sits beside Details, so that deciding never hides
	// the evidence (the panes keep 70 % of the width).
	r.tabs = container.NewAppTabs(
		container.NewTabItem("Details", r.details.root),
		container.NewTabItem("Attachments", r.files.root),
		container.NewTabItem("Decision", r.decide.root),
	)
	r.center = container.NewStack()
	split := container.NewHSplit(r.center, r.tabs)
	split.Offset = 0.7
	r.content = container.NewBorder(r.bar.root, nil, nil, nil, split)

	r.showWelcome()
	r.installMenus()
	r.installShortcuts()
	w.SetOnClosed(r.shutdown)
	r.updateTitle()
	r.touch()

	if o.EvalID != "" {
		r.bar.entry.SetText(o.EvalID)
		r.fetchEntered()
	}
	return r
}

// setBase shows obj in the centre when no viewer is open.
func (r *review) setBase(obj fyne.CanvasObject) {
	r.base = obj
	if r.viewer == nil {
		r.center.Objects = []fyne.CanvasObject{obj}
		r.center.Refresh()
	}
}

func (r *review) showWelcome() {
	r.outcome.showWelcome(r.bar.env())
	r.setBase(r.outcome.root)
}

// showViewer replaces the evidence area with v until it is closed.
func (r *review) showViewer(v caseViewer) {
	if r.viewer != nil {
		r.viewer.Close()
	}
	r.viewer = v
	r.center.Objects = []fyne.CanvasObject{newViewerFrame(v)}
	r.center.Refresh()
	r.win.Canvas().Unfocus()
}

// closeViewer closes the inspector or PDF viewer and shows the case again.
func (r *review) closeViewer() {
	if r.viewer == nil {
		return
	}
	v := r.viewer
	r.viewer = nil
	v.Close()
	r.center.Objects = []fyne.CanvasObject{r.base}
	r.center.Refresh()
	if r.sess.Case() != nil {
		r.bar.setStatus(caseSummary(r.sess.Case().Case()))
	}
}

// showDialog shows d and remembers it until it closes, so that Esc can
// dismiss it and no second dialog opens on top of it.
func (r *review) showDialog(d dialog.Dialog) {
	r.dialog = d
	d.SetOnClosed(func() {
		if r.dialog == d {
			r.dialog = nil
		}
	})
	d.Show()
}

// modal reports whether a dialog is open; window shortcuts that would act
// behind it wait.
func (r *review) modal() bool { return r.dialog != nil }

// showError shows err in a dialog.
func (r *review) showError(err error) { r.showDialog(dialog.NewError(err, r.win)) }

// onEnvChanged records the environment and marks it in the title.
func (r *review) onEnvChanged(env eval.Environment) {
	r.touch()
	r.prefs.env = env
	r.prefs.save(r.app.Preferences())
	r.updateTitle()
	if r.sess.Case() == nil && !r.sess.Fetching() && r.base == r.outcome.root && r.outcome.kind == outcomeWelcome {
		r.outcome.showWelcome(env)
	}
}

// updateTitle names the environment in the title, and nothing else: no
// eval_id, no name.
func (r *review) updateTitle() {
	r.win.SetTitle("DocV Review — " + r.bar.env().Title())
}

// shutdown drops the case when the window closes.
func (r *review) shutdown() {
	r.closeQueue()
	r.sess.Close()
	r.resize.stop()
}

// background runs fn on a new goroutine; r.running counts it until it has
// reported back (its own Do calls come first: Do runs in order).
func (r *review) background(fn func()) {
	r.running++
	go func() {
		defer r.opts.Do(func() { r.running-- })
		fn()
	}()
}
