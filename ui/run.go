// Package ui is DocV Review's window: the case bar, the evidence panes, the
// case details, attachments, the inspector and PDF viewer, settings and
// export. It does no HTTP and no decoding itself (the fetch packages and imaging
// do); all that work runs off the Fyne goroutine and reports back through
// fyne.Do. The case lifetime (fetch, drop, queue moves, idle clock, the
// decision draft) is ui/session's; the window wires its events to the
// panels. It never imports fyne.io/fyne/v2/app, so its tests run headless.
package ui

import (
	"io"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
	"docvreview/fetch/riskos"
	"docvreview/imaging"
)

// Options configure the window. Zero values pick the defaults.
type Options struct {
	// Env is the environment to start in; empty means the saved preference
	// (Demo on the first run).
	Env eval.Environment
	// EvalID, when set, is fetched as soon as the window opens.
	EvalID string
	// APIVersion overrides the saved X-API-Version preference when set.
	APIVersion string
	// Keychain holds the API keys of Sandbox and Production. Nil: no keys.
	Keychain *keychain.Keychain
	// PDF renders attachments. Nil: attachments are listed without pages.
	PDF *imaging.PDFEngine
	// NewClient makes the RiskOS client; default riskos.NewClient.
	NewClient func(riskos.Options) (*riskos.Client, error)
	// Demo serves the Demo environment in process; every client the window
	// makes gets it (main.go passes the built-in simulator's). Nil: Demo
	// fetches fail with riskos.ErrNoDemo.
	Demo riskos.DemoTransport
	// Now is the clock (age and expiry checks, idle); default time.Now.
	Now func() time.Time
	// ChooseFolder asks the user for an export folder and calls done on the
	// Fyne goroutine with its path ("" when cancelled); default the Fyne
	// folder dialog.
	ChooseFolder func(parent fyne.Window, done func(dir string, err error))
	// OpenQueueFile asks for a queue list file and calls done on the Fyne
	// goroutine with it open (nil when cancelled); default the Fyne file
	// dialog.
	OpenQueueFile func(parent fyne.Window, done func(r io.ReadCloser, err error))
	// OpenAttachment asks for a file to attach to a decision and calls done
	// on the Fyne goroutine with its name and contents open (nil when
	// cancelled); default the Fyne file dialog.
	OpenAttachment func(parent fyne.Window, done func(name string, r io.ReadCloser, err error))
	// SaveChecklist asks where to write the queue's checklist CSV and calls
	// done on the Fyne goroutine with it created (nil when cancelled);
	// default the Fyne save dialog.
	SaveChecklist func(parent fyne.Window, done func(w io.WriteCloser, err error))
	// Do runs fn on the Fyne goroutine; default fyne.Do. It is only ever
	// called from goroutines the window started. Tests inject a queue.
	Do func(fn func())
}

func (o Options) withDefaults() Options {
	if o.NewClient == nil {
		o.NewClient = riskos.NewClient
	}
	if o.Demo != nil {
		o.NewClient = withDemo(o.NewClient, o.Demo)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ChooseFolder == nil {
		o.ChooseFolder = chooseFolderDialog
	}
	if o.OpenQueueFile == nil {
		o.OpenQueueFile = openQueueDialog
	}
	if o.OpenAttachment == nil {
		o.OpenAttachment = openAttachmentDialog
	}
	if o.SaveChecklist == nil {
		o.SaveChecklist = saveChecklistDialog
	}
	if o.Do == nil {
		o.Do = fyne.Do
	}
	return o
}

// withDemo makes clients with newClient, giving each the Demo transport
// unless its options already have one.
func withDemo(newClient func(riskos.Options) (*riskos.Client, error), demo riskos.DemoTransport) func(riskos.Options) (*riskos.Client, error) {
	return func(o riskos.Options) (*riskos.Client, error) {
		if o.Demo == nil {
			o.Demo = demo
		}
		return newClient(o)
	}
}

// Run builds the window's content into w and runs the app until the window
// closes.
func Run(a fyne.App, w fyne.Window, o Options) {
	w.SetContent(Create(a, w, o))
	w.Resize(fyne.NewSize(1200, 700)) // fits a 1280×720 laptop screen
	w.ShowAndRun()
}

// Create builds the window's content, installs its menus, shortcuts and
// close handler on w, and returns the content for w.SetContent. When
// o.EvalID is set the fetch starts at once. The PDF engine starts in the
// background once nothing more urgent runs (see pdfWarmup).
func Create(a fyne.App, w fyne.Window, o Options) fyne.CanvasObject {
	r := newReview(a, w, o)
	r.pdfWarm.arm()
	return r.content
}

// chooseFolderDialog shows Fyne's folder dialog (native where the platform
// offers one). The last folder Fyne remembers in the preferences is removed
// afterwards: preferences hold no paths chosen for case data.
func chooseFolderDialog(parent fyne.Window, done func(string, error)) {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		fyne.CurrentApp().Preferences().RemoveValue("fyne:fileDialogLastFolder")
		if err != nil || u == nil {
			done("", err)
			return
		}
		done(u.Path(), nil)
	}, parent)
	d.SetConfirmText("Export here")
	d.Show()
}
