package riskos

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
)

// Sentinel errors. Every failure of a request is an *APIError whose Kind is
// one of these, so callers can write errors.Is(err, riskos.ErrNotFound).
// ErrTooLarge and ErrBadArchive are eval.ErrTooLarge and casefile.ErrBadArchive,
// which the evaluation parser and the archive reader wrap as well.
var (
	ErrNoDocuments   = errors.New("no documents found")
	ErrBadRequest    = errors.New("bad request")
	ErrUnauthorized  = errors.New("unauthorized")
	ErrForbidden     = errors.New("forbidden")
	ErrNotFound      = errors.New("evaluation not found")
	ErrRateLimited   = errors.New("rate limited")
	ErrServer        = errors.New("server error")
	ErrNetwork       = errors.New("network error")
	ErrTooLarge      = eval.ErrTooLarge
	ErrBadArchive    = casefile.ErrBadArchive
	ErrInvalidEvalID = errors.New("invalid eval_id")
	ErrNoKey         = errors.New("no API key")
	ErrInsecureURL   = errors.New("insecure or invalid base URL")
)

// APIError describes a failed RiskOS request. It never contains the API key
// and never more than 200 characters of what the server said.
type APIError struct {
	Kind     error  // one of the sentinels above
	Op       string // "documents" or "evaluation"
	Status   int    // HTTP status; 0 when there was no response
	Message  string // the server's message (JSON "message", else a sanitised excerpt), ≤ 200 chars
	Hint     string // what the user can do about it
	Attempts int    // how many attempts were made
	Err      error  // underlying cause, if any
}

// Error reads like "documents: 403 forbidden: Access denied (after 2 attempts)".
// It holds the operation, the status (unless it is a 2xx), the kind and the
// message; the hint is kept apart for the caller to show where it fits.
func (e *APIError) Error() string {
	if e == nil {
		return "<nil>"
	}
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.Status > 0 && (e.Status < 200 || e.Status > 299) {
		b.WriteString(strconv.Itoa(e.Status))
		b.WriteByte(' ')
	}
	kind := "error"
	if e.Kind != nil {
		kind = e.Kind.Error()
	}
	b.WriteString(kind)
	if e.Message != "" && !strings.EqualFold(e.Message, kind) {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Attempts > 1 {
		b.WriteString(" (after ")
		b.WriteString(strconv.Itoa(e.Attempts))
		b.WriteString(" attempts)")
	}
	return b.String()
}

// Is reports whether target is e.Kind. A nil *APIError (as a NoDocumentsError
// without one unwraps to) matches nothing.
func (e *APIError) Is(target error) bool { return e != nil && target == e.Kind }

// Unwrap returns the underlying cause.
func (e *APIError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// kindNames maps each sentinel to its --json name, in the order KindName tries them.
var kindNames = []struct {
	err  error
	name string
}{
	{ErrChanged, "changed"},
	{ErrInvalidWrite, "invalid_request"},
	{ErrNoCustomerID, "no_customer_id"},
	{ErrNoDocuments, "no_documents"},
	{ErrBadRequest, "bad_request"},
	{ErrUnauthorized, "unauthorized"},
	{ErrForbidden, "forbidden"},
	{ErrNotFound, "not_found"},
	{ErrRateLimited, "rate_limited"},
	{ErrServer, "server"},
	{ErrNetwork, "network"},
	{ErrTooLarge, "too_large"},
	{ErrBadArchive, "bad_archive"},
	{ErrInvalidEvalID, "invalid_eval_id"},
	{ErrNoKey, "no_key"},
	{keychain.ErrKeyNotFound, "no_key"},
	{ErrInsecureURL, "insecure_url"},
}

// KindName gives a stable snake_case name for err's kind, used in --json
// output: no_documents, bad_request, unauthorized, forbidden, not_found,
// rate_limited, server, network, too_large, bad_archive, invalid_eval_id,
// no_key, insecure_url, changed, invalid_request, no_customer_id,
// outcome_unknown, canceled, other. A nil error has the name "".
// A deadline that ran out counts as network (a timeout).
func KindName(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, ErrOutcomeUnknown) {
		return "outcome_unknown" // whatever cut the exchange, even a cancel
	}
	if errors.Is(err, context.Canceled) {
		return "canceled"
	}
	for _, k := range kindNames {
		if errors.Is(err, k.err) {
			return k.name
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "network"
	}
	return "other"
}

// statusError maps an HTTP error status to an *APIError with the kind and a
// hint for env. msg is the server's message, already sanitised.
func statusError(op string, status int, msg string, env eval.Environment) *APIError {
	e := &APIError{Op: op, Status: status, Message: msg}
	switch {
	case status == http.StatusBadRequest && isNoDocumentsMessage(msg):
		e.Kind = ErrNoDocuments
		e.Hint = "RiskOS keeps no images for this evaluation (Military ID, minor, removed by retention, or a capture not finished yet)."
	case status == http.StatusUnauthorized:
		e.Kind = ErrUnauthorized
		e.Hint = "Check the API key stored for " + env.Title() + " (" + keySetHint(env) + ")."
	case status == http.StatusForbidden:
		e.Kind = ErrForbidden
		if env.NeedsKey() {
			e.Hint = "The key may belong to the other environment (" + env.Other().Title() +
				"), may lack permission for this evaluation, or the account's IP allow-list rejected this machine."
		} else {
			e.Hint = "The key was refused for this evaluation."
		}
	case status == http.StatusNotFound:
		e.Kind = ErrNotFound
		e.Hint = "Check the eval_id for typos, that it is the eval_id and not the customer id (the evaluation's " +
			"\"id\") pasted in its place, and that the evaluation belongs to " + env.Title() + "."
	case status == http.StatusRequestTimeout:
		e.Kind = ErrNetwork
		e.Hint = "The server timed out waiting; check your connection and try again."
	case status == http.StatusTooManyRequests:
		e.Kind = ErrRateLimited
		e.Hint = "RiskOS is limiting requests; try again later."
	case status >= 500:
		e.Kind = ErrServer
		e.Hint = "RiskOS had a problem; try again later."
	case status == http.StatusBadRequest:
		e.Kind = ErrBadRequest
		e.Hint = "RiskOS refused the request"
		if msg != "" {
			e.Hint += ": \u201c" + msg + "\u201d"
		}
		e.Hint += "."
		if op == "documents" {
			e.Hint += " Images need a completed DocV capture and the workflow's image-request step."
		}
	case status >= 400:
		e.Kind = ErrBadRequest
		e.Hint = "RiskOS refused the request (" + strings.ToLower(http.StatusText(status)) + ")."
	default:
		e.Kind = ErrServer
		e.Hint = unexpectedHint
	}
	if e.Message == "" {
		e.Message = strings.ToLower(http.StatusText(status))
	}
	return e
}

// isNoDocumentsMessage reports the server's "No Documents Found" message, in any case.
func isNoDocumentsMessage(msg string) bool {
	return strings.Contains(strings.ToLower(msg), "no documents found")
}

// retryableStatus reports the statuses worth another attempt.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// keySetHint tells the user how to store a key for env.
func keySetHint(env eval.Environment) string {
	return "store one with `docvreview key set --env " + string(env) + "` or in Settings"
}

// unexpectedHint is the hint of an answer the client cannot use.
const unexpectedHint = "RiskOS answered in an unexpected way; try again later."

// networkHint is the hint of every network failure.
const networkHint = "Check your network connection and try again."
