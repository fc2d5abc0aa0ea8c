package riskos

import (
	"strings"
	"time"

	"docvreview/fetch/eval"
)

// NoDocsReason is why RiskOS has no images for an evaluation.
type NoDocsReason string

// The expected reasons for "No Documents Found".
const (
	ReasonMilitary  NoDocsReason = "military"
	ReasonMinor     NoDocsReason = "minor"
	ReasonRetention NoDocsReason = "retention"
	// ReasonNotCaptured: the evaluation is paused or in progress (for
	// example waiting at a document-capture step), so there are no images yet.
	ReasonNotCaptured NoDocsReason = "not_captured"
)

// Explanation is a calm, actionable account of "No Documents Found".
type Explanation struct {
	Reason          NoDocsReason
	Summary         string // one sentence, e.g. "Images were deleted because the ID is a Military ID."
	Detail          string // what it means and what to do
	StillProcessing bool   // Sandbox evaluation finished < 1 min ago: "images may still be processing; try again in a few seconds"
}

// ProcessingWindow is how long after a Sandbox evaluation ends its images
// may still be processing.
const ProcessingWindow = 60 * time.Second

// processingHint is added to an explanation when StillProcessing is set.
const processingHint = "images may still be processing; try again in a few seconds"

// ExplainNoDocuments picks the reason from the evaluation (nil allowed):
// Military ID, minor (under 18 at evaluation time), an evaluation that is
// paused or in progress (the capture is not finished), else
// retention/deletion.
//
// The document type is Military when documentType.type starts with
// "military" in any case ("Military", "MILITARY ID"). Age is taken at the
// evaluation's end time, else its start time, else now. StillProcessing is
// set for a Sandbox evaluation that ended (else started) less than
// ProcessingWindow before now (a little clock skew either way tolerated).
// The texts never contain PII: no name, no date of birth.
func ExplainNoDocuments(ev *eval.Evaluation, env eval.Environment, now time.Time) Explanation {
	var x Explanation
	var docv *eval.DocumentVerification
	if ev != nil {
		docv = ev.DocV
	}
	switch {
	case docv != nil && strings.HasPrefix(strings.ToLower(strings.TrimSpace(docv.DocumentType.Type)), "military"):
		x = Explanation{
			Reason:  ReasonMilitary,
			Summary: "Images were deleted because the ID is a Military ID.",
			Detail: "Regulation requires Military ID images to be deleted as soon as they are processed, " +
				"so RiskOS keeps none for this evaluation. This is expected, not an integration error; " +
				"the DocV results in the evaluation summary are still available.",
		}
	case docv != nil && ev.MinorAtEvaluation(now):
		x = Explanation{
			Reason:  ReasonMinor,
			Summary: "Images were deleted because the consumer was under 18 at the time of the evaluation.",
			Detail: "RiskOS deletes the document images of minors immediately. This is expected, not an " +
				"integration error; the DocV results in the evaluation summary are still available.",
		}
	case ev.InProgress():
		state, why := "still in progress", ""
		if ev.Paused() {
			state, why = "paused", " (for example waiting at a document-capture step)"
		}
		x = Explanation{
			Reason:  ReasonNotCaptured,
			Summary: "No images yet: the evaluation is " + state + why + ", so the document capture is not finished.",
			Detail: "RiskOS has images only after a completed DocV capture and the workflow's image-request step. " +
				"The decision (" + orUnknown(ev.Decision) + ") is not final while the evaluation is " + state +
				". Open the case again once the consumer has finished the capture.",
		}
		return x
	default:
		x = Explanation{
			Reason:  ReasonRetention,
			Summary: "Images were removed by the data-retention policy or a deletion request.",
			Detail: "RiskOS keeps document images for a limited time, and they can also be deleted on request. " +
				"The evaluation itself is still available. If you need the images, ask your Socure " +
				"administrator about the retention settings or recent deletion requests.",
		}
		if ev == nil {
			x.Detail += " The evaluation summary could not be read, so a Military ID or an underage consumer " +
				"could not be ruled out."
		}
	}
	if env == eval.Sandbox && ev != nil && recentlyEnded(ev, now) {
		x.StillProcessing = true
		x.Summary = strings.TrimSuffix(x.Summary, ".") + "; or, as this Sandbox evaluation finished less than a minute ago, " + processingHint + "."
		x.Detail += " This Sandbox evaluation finished less than a minute ago: " + processingHint + "."
	}
	return x
}

// orUnknown is s, or "none yet" when s is empty.
func orUnknown(s string) string {
	if s == "" {
		return "none yet"
	}
	return printable(truncateRunes(s, 20))
}

// recentlyEnded reports an evaluation that ended (else started) within
// ProcessingWindow of now.
func recentlyEnded(ev *eval.Evaluation, now time.Time) bool {
	t := ev.EvalEndTime
	if t.IsZero() {
		t = ev.EvalStartTime
	}
	if t.IsZero() {
		return false
	}
	d := now.Sub(t)
	return d > -ProcessingWindow && d < ProcessingWindow
}

// NoDocumentsError is returned by FetchCase for 400 "No Documents Found".
// errors.Is(err, ErrNoDocuments) holds. Error() contains no PII.
type NoDocumentsError struct {
	EvalID      string
	Explanation Explanation
	Evaluation  *eval.Evaluation // may be nil when the summary could not be fetched
	Err         *APIError
}

// Error is "no documents for <eval_id>: <summary>".
func (e *NoDocumentsError) Error() string {
	msg := "no documents"
	if e.EvalID != "" {
		msg += " for " + e.EvalID
	}
	if e.Explanation.Summary != "" {
		msg += ": " + e.Explanation.Summary
	}
	return msg
}

// Unwrap returns the underlying *APIError.
func (e *NoDocumentsError) Unwrap() error {
	if e.Err == nil {
		return nil
	}
	return e.Err
}

// Is makes errors.Is(err, ErrNoDocuments) true.
func (e *NoDocumentsError) Is(target error) bool { return target == ErrNoDocuments }
