package riskos

import (
	"context"
	"docvreview/fetch/eval"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Fraud labels of PUT /api/feedback.
const (
	LabelFraud    = "fraud"
	LabelNonFraud = "non-fraud"
)

// Bounds of feedback fields, in runes.
const (
	maxFraudTypeLen  = 100
	maxRecordedByLen = 200
	maxTagLen        = 100
	maxTags          = 50
)

// ParseFraudLabel accepts fraud or non-fraud in any case ("Non_Fraud",
// "nonfraud" too) and returns the spelling RiskOS expects.
func ParseFraudLabel(s string) (string, error) {
	switch strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(strings.TrimSpace(s))) {
	case "fraud":
		return LabelFraud, nil
	case "nonfraud":
		return LabelNonFraud, nil
	}
	return "", fmt.Errorf("%w: fraud label %q: want fraud or non-fraud", ErrInvalidWrite, truncateRunes(printable(s), 20))
}

// Feedback is a fraud label for an evaluation (PUT /api/feedback).
type Feedback struct {
	FraudLabel string    // fraud or non-fraud
	FraudType  string    // optional free text, e.g. synthetic, third_party, first_party, account_takeover
	Notes      string    // optional; never appears in an error, log or output
	RecordedBy string    // optional, e.g. the reviewer's e-mail
	RecordedAt time.Time // the date recorded; zero: today on the client's clock
	Tags       []string  // optional
	Workflow   string    // empty: the evaluation's own
}

// FeedbackBody is the JSON of PUT /api/feedback, as sent.
type FeedbackBody struct {
	ID         string   `json:"id"` // the evaluation's customer id, never its eval_id
	Workflow   string   `json:"workflow"`
	FraudLabel string   `json:"fraud_label"`
	FraudType  string   `json:"fraud_type,omitempty"`
	Notes      string   `json:"notes,omitempty"`
	RecordedAt string   `json:"recorded_at,omitempty"` // YYYY-MM-DD
	RecordedBy string   `json:"recorded_by,omitempty"`
	Tags       []string `json:"tags,omitempty"`
}

// NewFeedbackBody builds the body of a feedback for ev: the id is ev's
// customer id (ErrNoCustomerID when it has none, or only its eval_id), the
// workflow ev's unless fb names one, recorded_at fb's date or today's (now,
// in its own location). Field errors wrap ErrInvalidWrite and never quote
// the notes.
func NewFeedbackBody(ev *eval.Evaluation, fb Feedback, now time.Time) (FeedbackBody, error) {
	if ev == nil {
		return FeedbackBody{}, fmt.Errorf("%w: no evaluation", ErrNoCustomerID)
	}
	id := strings.TrimSpace(ev.ID)
	switch {
	case id == "":
		return FeedbackBody{}, fmt.Errorf("%w: RiskOS records feedback under the customer id (the evaluation's \"id\"), "+
			"and this evaluation has none; the eval_id is not a substitute", ErrNoCustomerID)
	case strings.EqualFold(id, ev.EvalID):
		return FeedbackBody{}, fmt.Errorf("%w: the evaluation's \"id\" is its eval_id, not a customer id", ErrNoCustomerID)
	}
	label, err := ParseFraudLabel(fb.FraudLabel)
	if err != nil {
		return FeedbackBody{}, err
	}
	b := FeedbackBody{ID: id, Workflow: strings.TrimSpace(fb.Workflow), FraudLabel: label,
		FraudType: strings.TrimSpace(fb.FraudType), Notes: fb.Notes, RecordedBy: strings.TrimSpace(fb.RecordedBy)}
	if b.Workflow == "" {
		b.Workflow = ev.Workflow
	}
	if b.Workflow == "" {
		return FeedbackBody{}, fmt.Errorf("%w: the evaluation names no workflow, and none was given", ErrInvalidWrite)
	}
	at := fb.RecordedAt
	if at.IsZero() {
		at = now
	}
	b.RecordedAt = at.Format(time.DateOnly)
	if err := checkLine("fraud type", b.FraudType, maxFraudTypeLen); err != nil {
		return FeedbackBody{}, err
	}
	if err := checkLine("recorded-by name", b.RecordedBy, maxRecordedByLen); err != nil {
		return FeedbackBody{}, err
	}
	if len(fb.Tags) > maxTags {
		return FeedbackBody{}, fmt.Errorf("%w: %d tags, at most %d", ErrInvalidWrite, len(fb.Tags), maxTags)
	}
	for _, t := range fb.Tags {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if err := checkLine("tag", t, maxTagLen); err != nil {
			return FeedbackBody{}, err
		}
		b.Tags = append(b.Tags, t)
	}
	if err := checkNotes(b.Notes); err != nil {
		return FeedbackBody{}, err
	}
	return b, nil
}

// checkLine refuses a field that is not one printable line of at most n runes.
func checkLine(what, s string, n int) error {
	if utf8.RuneCountInString(s) > n || printable(s) != s {
		return fmt.Errorf("%w: the %s must be one line of at most %d printable characters", ErrInvalidWrite, what, n)
	}
	return nil
}

// FeedbackResult is the outcome of feedback that was recorded.
type FeedbackResult struct {
	Sent    FeedbackBody // the body sent
	Message string       // what RiskOS answered (its "message"), sanitised; empty when the answer was lost after a 2xx
}

// SendFeedback records a fraud label for ev (PUT /api/feedback) under ev's
// customer id, with the no-blind-retry rule of UpdateState: 429/503 are
// retried; after a timeout, lost connection or EOF once the body may have
// gone out nothing is re-sent, and as feedback cannot be read back the
// error is an *OutcomeUnknownError (ErrOutcomeUnknown). The notes never
// appear in an error.
func (c *Client) SendFeedback(ctx context.Context, ev *eval.Evaluation, fb Feedback) (*FeedbackResult, error) {
	b, err := NewFeedbackBody(ev, fb, c.now())
	if err != nil {
		return nil, fmt.Errorf("feedback: %w", err)
	}
	body, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("feedback: encode: %w", err)
	}
	u := *c.base
	u.Path = c.base.Path + "/api/feedback"
	answer, err := c.send(ctx, writeRequest{op: opFeedback, url: u.String(), body: body, secrets: []string{b.Notes}, max: maxErrorBody})
	var lost *lostAnswer
	switch {
	case errors.As(err, &lost) && lost.applied:
		return &FeedbackResult{Sent: b}, nil
	case errors.As(err, &lost):
		return nil, &OutcomeUnknownError{Op: opFeedback, EvalID: ev.EvalID, Cause: lost.cause}
	case err != nil:
		return nil, fmt.Errorf("feedback for %s: %w", ev.EvalID, err)
	}
	defer clear(answer)
	msg := ""
	if m, ok := jsonMessage(answer); ok {
		msg = c.redact(truncateRunes(printable(m), MaxMessageLen), []string{b.Notes})
	}
	return &FeedbackResult{Sent: b, Message: msg}, nil
}
