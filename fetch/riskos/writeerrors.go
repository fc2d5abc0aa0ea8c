package riskos

import (
	"context"
	"docvreview/fetch/eval"
	"errors"
	"net/http"
	"strings"
)

// Sentinels of the write calls (UpdateState, SendFeedback).
var (
	// ErrChanged: the evaluation no longer has the decision/status the
	// caller loaded or asked for; nothing was sent. See *ChangedError.
	ErrChanged = errors.New("the evaluation changed")
	// ErrOutcomeUnknown: the exchange was cut after the request may have
	// reached RiskOS, and reading the evaluation back could not show the
	// change. Nothing was re-sent. See *OutcomeUnknownError.
	ErrOutcomeUnknown = errors.New("outcome unknown")
	// ErrInvalidWrite: the change was refused before sending (a decision
	// or status outside the enum, an attachment that is not a PDF/JPEG/PNG
	// or is too large, notes too long, …).
	ErrInvalidWrite = errors.New("invalid request")
	// ErrNoCustomerID: feedback needs the evaluation's customer id (its
	// "id"), and the evaluation has none. The eval_id is never used instead.
	ErrNoCustomerID = errors.New("the evaluation has no customer id")
)

// ChangedError is returned, with nothing sent, when the evaluation read
// right before a write no longer shows what the caller expected.
// errors.Is(err, ErrChanged) holds. It names decisions and statuses only.
type ChangedError struct {
	EvalID string
	Before eval.CaseState // what the caller expected (its empty fields were not checked)
	Now    eval.CaseState // what the evaluation says now
}

// Error reads like "evaluation … changed since it was loaded (decision
// REVIEW → ACCEPT, status OPEN → CLOSED); nothing was sent".
func (e *ChangedError) Error() string {
	var diffs []string
	if e.Before.Decision != "" && !eval.SameEnum(e.Before.Decision, e.Now.Decision) {
		diffs = append(diffs, "decision "+enumText(e.Before.Decision)+" → "+enumText(e.Now.Decision))
	}
	if e.Before.Status != "" && !eval.SameEnum(e.Before.Status, e.Now.Status) {
		diffs = append(diffs, "status "+enumText(e.Before.Status)+" → "+enumText(e.Now.Status))
	}
	msg := "the evaluation"
	if e.EvalID != "" {
		msg += " " + e.EvalID
	}
	msg += " changed since it was loaded"
	if len(diffs) > 0 {
		msg += " (" + strings.Join(diffs, ", ") + ")"
	}
	return msg + "; nothing was sent"
}

// Hint says what to do.
func (e *ChangedError) Hint() string {
	return "Someone else may have acted on this case. Reload it, check its current decision and status, and decide again."
}

// Is makes errors.Is(err, ErrChanged) true.
func (e *ChangedError) Is(target error) bool { return target == ErrChanged }

// OutcomeUnknownError is returned when a write's exchange was cut (timeout,
// connection lost, EOF) after the request may have reached RiskOS, and a
// read-back could not show that the change is there. The request was not
// sent again. errors.Is(err, ErrOutcomeUnknown) holds, and it unwraps to
// what cut the exchange.
type OutcomeUnknownError struct {
	Op     string // "state update" or "feedback"
	EvalID string
	Cause  error // what cut the exchange: an *APIError of kind ErrNetwork, or a context error
	// Current is the state a read-back found (without the change), nil when
	// there was no read-back (feedback cannot be read back) or it failed.
	Current  *eval.CaseState
	CheckErr error // why the read-back failed, if it did
}

// Error says what happened, without the notes or any server text beyond
// the cause's sanitised message.
func (e *OutcomeUnknownError) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	b.WriteString(": the answer was lost after the request was sent")
	if c := causeText(e.Cause); c != "" {
		b.WriteString(" (" + c + ")")
	}
	b.WriteString("; it was not sent again")
	switch {
	case e.Current != nil:
		b.WriteString(", and the evaluation does not show the change yet (decision " + enumText(e.Current.Decision) +
			", status " + enumText(e.Current.Status) + ")")
	case e.CheckErr != nil:
		b.WriteString(", and reading the evaluation back failed (" + causeText(e.CheckErr) + ")")
	case e.Op == opFeedback:
		b.WriteString(", and feedback cannot be read back to check")
	}
	return b.String()
}

// Hint says what to do.
func (e *OutcomeUnknownError) Hint() string {
	if e.Op == opFeedback {
		return "RiskOS may or may not have recorded the feedback. Check before sending it again, so it is not recorded twice."
	}
	return "The change may still arrive. Reload the case and check its decision and status before trying again."
}

// Is makes errors.Is(err, ErrOutcomeUnknown) true.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// Unwrap returns what cut the exchange.
func (e *OutcomeUnknownError) Unwrap() error { return e.Cause }

// causeText is a short account of err: an *APIError's message, "canceled",
// "timed out", else its kind name.
func causeText(err error) string {
	var ae *APIError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ae) && ae.Message != "":
		return ae.Message
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	}
	return KindName(err)
}

// Operation names of the writes (APIError.Op).
const (
	opState    = "state update"
	opFeedback = "feedback"
)

// writeStatusError maps an error status of a write: as a read would, with
// hints that say nothing was changed or how to check, the 400 as
// "unacceptable" whatever its message says, and a 403 that names the IP
// allow-list (RiskOS answers "IP Address was rejected").
func writeStatusError(op string, status int, msg string, env eval.Environment) *APIError {
	e := statusError(op, status, msg, env)
	what := "change"
	if op == opFeedback {
		what = "feedback"
	}
	switch {
	case status == http.StatusBadRequest:
		e.Kind = ErrBadRequest
		e.Hint = "RiskOS did not accept the " + what
		if msg != "" {
			e.Hint += ": \u201c" + msg + "\u201d"
		}
		e.Hint += ". Nothing was changed."
	case status == http.StatusForbidden:
		e.Hint = "The key may lack permission to make this " + what + ", or the account's IP allow-list rejected this " +
			"machine (RiskOS says \u201cIP Address was rejected\u201d): ask your Socure administrator to allow this address."
		if env.NeedsKey() {
			e.Hint += " A key of the other environment (" + env.Other().Title() + ") is refused too."
		}
	case status == http.StatusNotFound && op == opFeedback:
		e.Hint = "RiskOS knows no evaluation with this customer id in " + env.Title() + "."
	case status == http.StatusTooManyRequests:
		e.Hint = "RiskOS is limiting requests and made no " + what + "; try again later."
	case status >= 500:
		e.Hint = "RiskOS had a problem; the " + what + " may or may not have been made. Reload the case to check before trying again."
	}
	return e
}

// retryableWriteStatus reports the statuses a write may be re-sent after:
// those that say the server did nothing (rate limited, unavailable).
func retryableWriteStatus(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable
}

// quoteWindow is the length (in bytes) of a piece of the notes that, found
// in a server message, makes the whole message withheld.
const quoteWindow = 12

// withheldMessage replaces a server message that quoted the notes.
const withheldMessage = "(the server's message quoted the notes, so it is not shown)"

// redactTexts keeps the notes out of a server message: a message that holds
// any quoteWindow-byte piece of them (a cut quote included) is withheld
// whole; shorter notes (4 bytes or more) are replaced with "[notes]".
func redactTexts(msg string, secrets []string) string {
	for _, s := range secrets {
		p := printable(s)
		if len(p) >= quoteWindow {
			for i := 0; i+quoteWindow <= len(msg); i++ {
				if strings.Contains(p, msg[i:i+quoteWindow]) {
					return withheldMessage
				}
			}
			continue
		}
		if len(p) >= 4 {
			msg = strings.ReplaceAll(msg, p, "[notes]")
		}
	}
	return msg
}
