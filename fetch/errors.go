package fetch

// OWNER: helper "fetch-client". Contract stub: keep every exported name and signature.

import "errors"

// Sentinel errors. Every failure of a request is an *APIError whose Kind is
// one of these, so callers can write errors.Is(err, fetch.ErrNotFound).
var (
	ErrNoDocuments   = errors.New("no documents found")
	ErrBadRequest    = errors.New("bad request")
	ErrUnauthorized  = errors.New("unauthorized")
	ErrForbidden     = errors.New("forbidden")
	ErrNotFound      = errors.New("evaluation not found")
	ErrRateLimited   = errors.New("rate limited")
	ErrServer        = errors.New("server error")
	ErrNetwork       = errors.New("network error")
	ErrTooLarge      = errors.New("response too large")
	ErrBadArchive    = errors.New("unreadable archive")
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

func (e *APIError) Error() string { panic("TODO fetch-client") }

// Is reports whether target is e.Kind.
func (e *APIError) Is(target error) bool { return target == e.Kind }

// Unwrap returns the underlying cause.
func (e *APIError) Unwrap() error { return e.Err }

// KindName gives a stable snake_case name for err's kind, used in --json
// output: no_documents, bad_request, unauthorized, forbidden, not_found,
// rate_limited, server, network, too_large, bad_archive, invalid_eval_id,
// no_key, insecure_url, canceled, other.
func KindName(err error) string { panic("TODO fetch-client") }
