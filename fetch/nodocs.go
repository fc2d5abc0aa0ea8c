package fetch

// OWNER: helper "fetch-data". Contract stub.

import "time"

// NoDocsReason is why RiskOS has no images for an evaluation.
type NoDocsReason string

// The expected reasons for "No Documents Found".
const (
	ReasonMilitary  NoDocsReason = "military"
	ReasonMinor     NoDocsReason = "minor"
	ReasonRetention NoDocsReason = "retention"
)

// Explanation is a calm, actionable account of "No Documents Found".
type Explanation struct {
	Reason          NoDocsReason
	Summary         string // one sentence, e.g. "Images were deleted because the ID is a Military ID."
	Detail          string // what it means and what to do
	StillProcessing bool   // Sandbox evaluation finished < 1 min ago: "images may still be processing; try again in a few seconds"
}

// ExplainNoDocuments picks the reason from the evaluation (nil allowed):
// Military ID, minor (under 18 at evaluation time), else retention/deletion.
func ExplainNoDocuments(ev *Evaluation, env Environment, now time.Time) Explanation {
	panic("TODO fetch-data")
}

// NoDocumentsError is returned by FetchCase for 400 "No Documents Found".
// errors.Is(err, ErrNoDocuments) holds. Error() contains no PII.
type NoDocumentsError struct {
	EvalID      string
	Explanation Explanation
	Evaluation  *Evaluation // may be nil when the summary could not be fetched
	Err         *APIError
}

func (e *NoDocumentsError) Error() string { panic("TODO fetch-data") }

// Unwrap returns the underlying *APIError.
func (e *NoDocumentsError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNoDocuments) true.
func (e *NoDocumentsError) Is(target error) bool { return target == ErrNoDocuments }
