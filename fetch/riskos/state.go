package riskos

import (
	"bytes"
	"context"
	"docvreview/fetch/eval"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Bounds of a state change.
const (
	MaxAttachmentBytes = 10 << 20 // one attachment, before base64
	MaxAttachments     = 10
	maxSubStatusLen    = 200 // runes
	maxFileNameLen     = 200 // runes
)

// Decisions lists the decisions a state change may set.
func Decisions() []string { return []string{"ACCEPT", "REJECT", "REVIEW", "RESUBMIT", "CANCEL"} }

// CaseStatuses lists the statuses a state change may set.
func CaseStatuses() []string { return []string{"OPEN", "CLOSED", "ON_HOLD"} }

// enumText shows a decision or status in an error: printable, short, "none" when empty.
func enumText(s string) string {
	if s = truncateRunes(printable(s), 20); s == "" {
		return "none"
	}
	return s
}

// parseEnum returns the member of allowed that s names, in any case.
func parseEnum(what, s string, allowed []string) (string, error) {
	k := eval.EnumKey(s)
	for _, a := range allowed {
		if k == a {
			return a, nil
		}
	}
	return "", fmt.Errorf("%w: %s %q: want %s", ErrInvalidWrite, what, truncateRunes(printable(s), 20), strings.Join(allowed, ", "))
}

// ParseDecision accepts a decision in any case ("accept" → ACCEPT).
func ParseDecision(s string) (string, error) { return parseEnum("decision", s, Decisions()) }

// ParseCaseStatus accepts a status in any case, with a space or hyphen for
// the underscore ("on hold" → ON_HOLD, the spelling RiskOS expects).
func ParseCaseStatus(s string) (string, error) { return parseEnum("status", s, CaseStatuses()) }

// Attachment is a file sent with a state change (a PDF, JPEG or PNG).
type Attachment struct {
	FileName string
	Data     []byte
}

// NewAttachment checks a file for a state change: a PDF, JPEG or PNG by its
// magic bytes, not empty, at most MaxAttachmentBytes; the name is reduced
// to its base name and made printable. Errors wrap ErrInvalidWrite.
func NewAttachment(name string, data []byte) (Attachment, error) {
	base := name
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	base = truncateRunes(printable(base), maxFileNameLen)
	if base == "" || base == "." || base == ".." {
		return Attachment{}, fmt.Errorf("%w: attachment %q has no file name", ErrInvalidWrite, truncateRunes(printable(name), 60))
	}
	switch {
	case len(data) == 0:
		return Attachment{}, fmt.Errorf("%w: attachment %s is empty", ErrInvalidWrite, base)
	case len(data) > MaxAttachmentBytes:
		return Attachment{}, fmt.Errorf("%w: attachment %s is %s, over the %s limit", ErrInvalidWrite, base, sizeText(int64(len(data))), sizeText(MaxAttachmentBytes))
	case !bytes.HasPrefix(data, []byte("%PDF-")) && !bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}) &&
		!bytes.HasPrefix(data, []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}):
		return Attachment{}, fmt.Errorf("%w: attachment %s is not a PDF, JPEG or PNG (by its first bytes)", ErrInvalidWrite, base)
	}
	return Attachment{FileName: base, Data: data}, nil
}

// StateChange is a new decision and status for an evaluation
// (PUT /api/evaluation/{eval_id}/state).
type StateChange struct {
	Workflow    string // empty: the evaluation's own (the usual case)
	Decision    string // ACCEPT, REJECT, REVIEW, RESUBMIT or CANCEL
	Status      string // OPEN, CLOSED or ON_HOLD
	SubStatus   string // optional; empty is not sent
	Notes       string // optional; never appears in an error, log or output
	Attachments []Attachment
}

// Normalize checks ch and returns it with the decision and status in the
// spelling RiskOS expects. Errors wrap ErrInvalidWrite and never quote the notes.
func (ch StateChange) Normalize() (StateChange, error) {
	var err error
	if ch.Decision, err = ParseDecision(ch.Decision); err != nil {
		return ch, err
	}
	if ch.Status, err = ParseCaseStatus(ch.Status); err != nil {
		return ch, err
	}
	ch.Workflow = strings.TrimSpace(ch.Workflow)
	ch.SubStatus = strings.TrimSpace(ch.SubStatus)
	if utf8.RuneCountInString(ch.SubStatus) > maxSubStatusLen || printable(ch.SubStatus) != ch.SubStatus {
		return ch, fmt.Errorf("%w: the sub-status must be one line of at most %d printable characters", ErrInvalidWrite, maxSubStatusLen)
	}
	if err := checkNotes(ch.Notes); err != nil {
		return ch, err
	}
	if len(ch.Attachments) > MaxAttachments {
		return ch, fmt.Errorf("%w: %d attachments, at most %d", ErrInvalidWrite, len(ch.Attachments), MaxAttachments)
	}
	atts := make([]Attachment, len(ch.Attachments))
	for i, a := range ch.Attachments {
		if atts[i], err = NewAttachment(a.FileName, a.Data); err != nil {
			return ch, err
		}
	}
	ch.Attachments = atts
	return ch, nil
}

// checkNotes refuses notes that are not UTF-8 text or are over MaxNotesLen
// bytes; the error says only that.
func checkNotes(notes string) error {
	switch {
	case len(notes) > eval.MaxNotesLen:
		return fmt.Errorf("%w: the notes are %s, over the %s limit", ErrInvalidWrite, sizeText(int64(len(notes))), sizeText(eval.MaxNotesLen))
	case !utf8.ValidString(notes) || strings.ContainsRune(notes, 0):
		return fmt.Errorf("%w: the notes are not text (UTF-8)", ErrInvalidWrite)
	}
	return nil
}

// StateResult is the outcome of a state change that was made.
type StateResult struct {
	Before eval.CaseState // read right before sending
	After  eval.CaseState // from the 200 answer (or the read-back)
	// Evaluation is the evaluation as answered (or read back); nil only when
	// a 2xx answer could not be read and neither could the evaluation.
	Evaluation *eval.Evaluation
	// ReadBack is set when the answer was lost and the change was confirmed
	// by reading the evaluation again (it was not re-sent).
	ReadBack bool
}

// stateBody is the JSON of PUT /api/evaluation/{eval_id}/state.
type stateBody struct {
	Workflow    string           `json:"workflow"`
	Decision    string           `json:"decision"`
	Status      string           `json:"status"`
	SubStatus   string           `json:"sub_status,omitempty"`
	Notes       string           `json:"notes,omitempty"`
	Attachments []attachmentJSON `json:"attachments,omitempty"`
}

type attachmentJSON struct {
	FileName string `json:"file_name"`
	FileData []byte `json:"file_data"` // base64 by encoding/json
}

// UpdateState sets an evaluation's decision and status (with optional
// sub-status, notes and attachments) without losing anyone's update and
// without re-sending blindly:
//
//   - ch is checked first (errors wrap ErrInvalidWrite; nothing is sent).
//   - Right before sending, the evaluation is read again; when it no longer
//     satisfies pre, a *ChangedError (ErrChanged) is returned and nothing is
//     sent. The workflow, when ch leaves it empty, is the evaluation's.
//   - 429 and 503 (the server did nothing) are retried like reads.
//   - After a timeout, a lost connection or an EOF once the body may have
//     gone out, nothing is re-sent: the evaluation is read back, and when it
//     shows the change the result has ReadBack set; otherwise an
//     *OutcomeUnknownError (ErrOutcomeUnknown) says it cannot tell.
//   - Other failures are *APIError, with hints for writes (a 403 names the
//     IP allow-list).
//
// The notes never appear in an error. The body (notes, attachments) is
// zeroed once sent.
func (c *Client) UpdateState(ctx context.Context, evalID string, ch StateChange, pre eval.Precondition) (*StateResult, error) {
	id, err := c.checkID(evalID)
	if err != nil {
		return nil, fmt.Errorf("state update: %w", err)
	}
	if ch, err = ch.Normalize(); err != nil {
		return nil, fmt.Errorf("state update for %s: %w", id, err)
	}
	before, err := c.Evaluation(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("read %s before the state update: %w", id, err)
	}
	if !pre.Holds(before.State()) {
		return nil, &ChangedError{EvalID: id, Before: eval.CaseState{Decision: pre.Decision, Status: pre.Status}, Now: before.State()}
	}
	sb := stateBody{Workflow: ch.Workflow, Decision: ch.Decision, Status: ch.Status, SubStatus: ch.SubStatus, Notes: ch.Notes}
	if sb.Workflow == "" {
		sb.Workflow = before.Workflow
	}
	if sb.Workflow == "" {
		return nil, fmt.Errorf("state update for %s: %w: the evaluation names no workflow, and none was given", id, ErrInvalidWrite)
	}
	for _, a := range ch.Attachments {
		sb.Attachments = append(sb.Attachments, attachmentJSON{FileName: a.FileName, FileData: a.Data})
	}
	body, err := json.Marshal(sb)
	if err != nil {
		return nil, fmt.Errorf("state update for %s: encode: %w", id, err)
	}
	answer, err := c.send(ctx, writeRequest{op: opState, url: c.endpoint(id, "/state"), body: body,
		secrets: []string{ch.Notes}, max: eval.MaxEvaluationBytes})
	var lost *lostAnswer
	switch {
	case errors.As(err, &lost):
		return c.confirmState(ctx, id, before, sb, lost)
	case err != nil:
		return nil, fmt.Errorf("state update for %s: %w", id, err)
	}
	defer clear(answer) // the evaluation JSON is PII
	res := &StateResult{Before: before.State()}
	if ev, perr := eval.ParseEvaluation(answer); perr == nil && (ev.Decision != "" || ev.Status != "") {
		res.Evaluation, res.After = ev, ev.State()
		return res, nil
	}
	// A 200 that is not the evaluation: the change was made; read it back for the new state.
	return c.readBackApplied(ctx, id, res, sb), nil
}

// readBackApplied completes the result of a change known to be made (a 2xx
// arrived) by reading the evaluation; without it, After is what was sent.
func (c *Client) readBackApplied(ctx context.Context, id string, res *StateResult, sb stateBody) *StateResult {
	if ev, err := c.Evaluation(ctx, id); err == nil {
		res.Evaluation, res.After, res.ReadBack = ev, ev.State(), true
		return res
	}
	res.After = eval.CaseState{Decision: sb.Decision, Status: sb.Status, SubStatus: sb.SubStatus}
	if sb.SubStatus == "" {
		res.After.SubStatus = res.Before.SubStatus
	}
	return res
}

// confirmState decides a state change whose answer was lost, by reading
// the evaluation back (never by sending again).
func (c *Client) confirmState(ctx context.Context, id string, before *eval.Evaluation, sb stateBody, lost *lostAnswer) (*StateResult, error) {
	res := &StateResult{Before: before.State()}
	if lost.applied {
		return c.readBackApplied(ctx, id, res, sb), nil
	}
	unknown := &OutcomeUnknownError{Op: opState, EvalID: id, Cause: lost.cause}
	if ctx.Err() != nil {
		return nil, unknown // the caller gave up: do not keep it waiting on a check
	}
	now, err := c.Evaluation(ctx, id)
	if err != nil {
		unknown.CheckErr = err
		return nil, unknown
	}
	if !stateApplied(before, now, sb) {
		st := now.State()
		unknown.Current = &st
		return nil, unknown
	}
	res.Evaluation, res.After, res.ReadBack = now, now.State(), true
	return res, nil
}

// stateApplied reports whether the evaluation read back (now) shows the
// change sb, given the evaluation read right before sending it: decision,
// status (and the sub-status, when sent) as sent, and some sign it is this
// change — decision_at moved, the notes appeared, or the visible state
// differs from before. A change to the state it already had, with no
// decision_at and no notes, cannot be told apart and counts as not shown.
func stateApplied(before, now *eval.Evaluation, sb stateBody) bool {
	if !eval.SameEnum(now.Decision, sb.Decision) || !eval.SameEnum(now.Status, sb.Status) {
		return false
	}
	if sb.SubStatus != "" && strings.TrimSpace(now.SubStatus) != sb.SubStatus {
		return false
	}
	switch {
	case !now.DecisionAt.IsZero() && !now.DecisionAt.Equal(before.DecisionAt):
		return true
	case sb.Notes != "" && strings.Contains(now.Notes, strings.TrimSpace(sb.Notes)) && !strings.Contains(before.Notes, strings.TrimSpace(sb.Notes)):
		return true
	}
	b := before.State()
	return !eval.SameEnum(b.Decision, sb.Decision) || !eval.SameEnum(b.Status, sb.Status) ||
		(sb.SubStatus != "" && strings.TrimSpace(b.SubStatus) != sb.SubStatus)
}
