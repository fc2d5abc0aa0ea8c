package ui

import (
	"context"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
	"docvreview/fetch/riskos"
	"docvreview/ui/session"
)

// Outcome kinds (tests and the status line use them).
const (
	outcomeWelcome      = "welcome"
	outcomeCancelled    = "cancelled"
	outcomeNoDocuments  = "no_documents"
	outcomeUnauthorized = "unauthorized"
	outcomeForbidden    = "forbidden"
	outcomeNotFound     = "not_found"
	outcomeRateLimited  = "rate_limited"
	outcomeUnavailable  = "unavailable" // network or server
	outcomeNoKey        = "no_key"
	outcomeKeychain     = "keychain"
	outcomeBadArchive   = "bad_archive"
	outcomeOther        = "other"
)

// outcome is a result that is not a case: what happened and what to do.
type outcome struct {
	kind     string
	title    string
	body     string
	hint     string
	status   string // the status line
	retry    bool   // offer Retry
	settings bool   // offer Settings
	calm     bool   // an expected situation, not an error (info icon)
}

// outcomeView shows an outcome (or the welcome text) in place of the panes.
type outcomeView struct {
	icon        *widget.Icon
	title       *widget.Label
	body        *widget.Label
	hint        *widget.Label
	retryBtn    *widget.Button
	settingsBtn *widget.Button
	root        fyne.CanvasObject
	kind        string

	onRetry    func()
	onSettings func()
}

func newOutcomeView() *outcomeView {
	v := &outcomeView{}
	v.icon = widget.NewIcon(theme.InfoIcon())
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.SizeName = theme.SizeNameSubHeadingText
	v.title.Wrapping = fyne.TextWrapWord
	v.body = widget.NewLabel("")
	v.body.Wrapping = fyne.TextWrapWord
	v.hint = widget.NewLabel("")
	v.hint.Wrapping = fyne.TextWrapWord
	v.hint.TextStyle.Italic = true
	v.retryBtn = widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), func() {
		if v.onRetry != nil {
			v.onRetry()
		}
	})
	v.retryBtn.Importance = widget.HighImportance
	v.settingsBtn = widget.NewButtonWithIcon("Open Settings", theme.SettingsIcon(), func() {
		if v.onSettings != nil {
			v.onSettings()
		}
	})
	head := container.NewBorder(nil, nil, container.NewCenter(v.icon), nil, v.title)
	buttons := container.NewHBox(v.retryBtn, v.settingsBtn)
	card := container.NewVBox(head, v.body, v.hint, buttons)
	v.root = container.New(&readableLayout{maxWidth: 620}, card)
	return v
}

// show displays o.
func (v *outcomeView) show(o outcome) {
	v.kind = o.kind
	switch {
	case o.kind == outcomeWelcome || o.calm:
		v.icon.SetResource(theme.InfoIcon())
	case o.kind == outcomeCancelled:
		v.icon.SetResource(theme.CancelIcon())
	default:
		v.icon.SetResource(theme.WarningIcon())
	}
	v.title.SetText(o.title)
	v.body.SetText(o.body)
	v.hint.SetText(o.hint)
	setVisible(v.hint, o.hint != "")
	setVisible(v.retryBtn, o.retry)
	setVisible(v.settingsBtn, o.settings)
}

// showWelcome explains what to do in an empty window.
func (v *outcomeView) showWelcome(env eval.Environment) {
	o := outcome{kind: outcomeWelcome, title: "No case open",
		body: "Type or paste an eval_id, or a RiskOS Dashboard URL that contains one, in the box above and press Enter. " +
			"The ID front, ID back and selfie appear side by side; press 1, 2 or 3 to inspect one. " +
			"Everything stays in memory and is dropped when you close the case (Ctrl+W)."}
	switch env {
	case eval.Demo:
		o.hint = "Demo uses a built-in simulator with synthetic documents. Try 11111111-1111-4111-8111-111111111111 (a driver's license) " +
			"or 22222222-2222-4222-8222-222222222222 (a passport)."
	case eval.Production:
		o.hint = "You are connected to Production: these are real people's documents."
	}
	v.show(o)
}

func setVisible(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// describeFailure turns a fetch error into what the reviewer reads: what
// happened, what to check, and whether Retry can help.
func describeFailure(err error, req session.Request) outcome {
	env, other := req.Env.Title(), req.Env.Other().Title()
	var nd *riskos.NoDocumentsError
	var kt *keychain.TimeoutError
	var o outcome
	switch {
	case errors.As(err, &nd):
		ex := nd.Explanation
		o = outcome{kind: outcomeNoDocuments, calm: true, title: "No documents for this evaluation",
			body: ex.Summary, hint: ex.Detail, status: "No documents found: " + noDocsReason(ex.Reason) + "."}
		if ex.StillProcessing {
			o.title = "Images may still be processing"
			o.hint = "This Sandbox evaluation finished moments ago, and its images can take about 10 seconds to be ready: " +
				"try again in a few seconds. " + ex.Detail
			o.retry = true
			o.status = "No documents yet: the images may still be processing — retry in a few seconds."
		}
	case errors.Is(err, context.Canceled):
		o = outcome{kind: outcomeCancelled, title: "Fetch cancelled", body: "Nothing was kept.", retry: true,
			status: "Fetch cancelled."}
	case errors.Is(err, riskos.ErrUnauthorized):
		o = outcome{kind: outcomeUnauthorized, settings: true, title: "The " + env + " API key was refused (401)",
			body:   "RiskOS did not accept the API key stored for " + env + ". It may be mistyped, revoked or expired.",
			hint:   "Open Settings (Ctrl+,) and enter the " + env + " key again, copied from the RiskOS Dashboard.",
			status: "401 Unauthorized: check the " + env + " API key in Settings."}
	case errors.Is(err, riskos.ErrForbidden):
		o = outcome{kind: outcomeForbidden, settings: true, title: "This key may not read this evaluation (403)",
			body: "The key was accepted but has no permission for this evaluation. Most often the evaluation belongs to " + other +
				" while the " + env + " key was used, or the " + other + " key was saved as the " + env + " key.",
			hint: "Check the environment selector (this is " + env + "), then the key in Settings. " +
				"If both are right, ask your RiskOS administrator for access to this evaluation.",
			status: "403 Forbidden: is this a " + other + " evaluation, or the " + other + " key?"}
	case errors.Is(err, riskos.ErrNotFound):
		o = outcome{kind: outcomeNotFound, title: "No evaluation with this eval_id in " + env + " (404)",
			body: "RiskOS has no evaluation " + req.EvalID + " in " + env + ".",
			hint: "Check the eval_id for a typo (paste the Dashboard URL rather than typing it), and that the evaluation was made in " +
				env + " and not in " + other + ".",
			status: "404 Not found: check the eval_id and the environment."}
	case errors.Is(err, riskos.ErrRateLimited):
		o = outcome{kind: outcomeRateLimited, retry: true, title: "RiskOS is limiting requests (429)",
			body: "Too many requests were made in a short time, and the retries did not get through.",
			hint: "Wait a minute, then press Retry (Ctrl+R).", status: "429 Rate limited: retry in a minute."}
	case errors.Is(err, riskos.ErrServer), errors.Is(err, riskos.ErrNetwork):
		o = outcome{kind: outcomeUnavailable, retry: true, title: "RiskOS could not be reached",
			body:   "The request failed after several attempts: " + err.Error() + ".",
			hint:   "Check the network connection (and VPN or proxy), then press Retry (Ctrl+R). If RiskOS reports an outage, try again later.",
			status: "Network or server failure: press Retry (Ctrl+R)."}
	case errors.Is(err, keychain.ErrKeyNotFound), errors.Is(err, riskos.ErrNoKey):
		o = outcome{kind: outcomeNoKey, settings: true, title: "No API key for " + env,
			body:   env + " needs an API key, and none is stored on this computer.",
			hint:   "Open Settings (Ctrl+,), paste the " + env + " key from the RiskOS Dashboard and press Save. Demo needs no key.",
			status: "No " + env + " API key: add it in Settings."}
	case errors.Is(err, keychain.ErrUnavailable):
		o = outcome{kind: outcomeKeychain, settings: true, title: "No keychain to read the " + env + " key from",
			body:   "This computer has no OS keychain (Secret Service) the app can use.",
			hint:   "Open Settings (Ctrl+,) and enter the key for this session only, or set DOCV_API_KEY before starting the app.",
			status: "No OS keychain: enter the key in Settings for this session."}
	case errors.As(err, &kt):
		o = outcome{kind: outcomeKeychain, retry: true, title: "The keychain did not answer",
			body:   fmt.Sprintf("The OS keychain did not return the %s key within %s.", env, kt.Timeout),
			hint:   "If an unlock prompt is open, unlock the keychain, then press Retry (Ctrl+R).",
			status: "The keychain did not answer: unlock it and retry."}
	case errors.Is(err, riskos.ErrBadArchive), errors.Is(err, riskos.ErrTooLarge):
		o = outcome{kind: outcomeBadArchive, retry: true, title: "The documents archive could not be read",
			body:   err.Error() + ".",
			hint:   "Retry once; if it fails again, the archive RiskOS serves for this evaluation is damaged — report the eval_id to Socure support.",
			status: "Unreadable archive."}
	default:
		o = outcome{kind: outcomeOther, retry: true, title: "The fetch failed", body: err.Error() + ".",
			hint: "Check the environment and the eval_id, then press Retry (Ctrl+R).", status: "The fetch failed."}
	}
	var ae *riskos.APIError
	if errors.As(err, &ae) && ae.Hint != "" && (o.kind == outcomeOther || o.kind == outcomeBadArchive) {
		o.hint += " " + ae.Hint
	}
	return o
}

func noDocsReason(r riskos.NoDocsReason) string {
	switch r {
	case riskos.ReasonMilitary:
		return "Military ID"
	case riskos.ReasonMinor:
		return "the consumer is a minor"
	case riskos.ReasonNotCaptured:
		return "the document capture is not finished (the evaluation is paused; its decision is not final)"
	}
	return "removed by data retention"
}

// readableLayout centres its content with a readable line length.
type readableLayout struct{ maxWidth float32 }

func (l *readableLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding() * 4
	w := min(size.Width-2*pad, l.maxWidth)
	w = max(w, 0)
	for _, o := range objs {
		o.Resize(fyne.NewSize(w, o.MinSize().Height))
		h := o.MinSize().Height
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos((size.Width-w)/2, max((size.Height-h)/3, pad)))
	}
}

func (l *readableLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return fyne.NewSize(min(s.Width, 200), s.Height)
}
