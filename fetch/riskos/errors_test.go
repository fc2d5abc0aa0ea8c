package riskos

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
)

func TestAPIErrorError(t *testing.T) {
	tests := []struct {
		name string
		err  *APIError
		want string
	}{
		{name: "forbidden", err: &APIError{Kind: ErrForbidden, Op: "documents", Status: 403, Message: "Access denied", Attempts: 1},
			want: "documents: 403 forbidden: Access denied"},
		{name: "retried", err: &APIError{Kind: ErrRateLimited, Op: "evaluation", Status: 429, Message: "slow down", Attempts: 4},
			want: "evaluation: 429 rate limited: slow down (after 4 attempts)"},
		{name: "network without status", err: &APIError{Kind: ErrNetwork, Op: "documents", Message: "the connection was reset", Attempts: 2},
			want: "documents: network error: the connection was reset (after 2 attempts)"},
		{name: "2xx status left out", err: &APIError{Kind: ErrBadArchive, Op: "documents", Status: 200, Message: "the server answered with an HTML page, not a ZIP"},
			want: "documents: unreadable archive: the server answered with an HTML page, not a ZIP"},
		{name: "message equal to kind", err: &APIError{Kind: ErrNoDocuments, Op: "documents", Status: 400, Message: "No Documents Found"},
			want: "documents: 400 no documents found"},
		{name: "no op, no message", err: &APIError{Kind: ErrServer, Status: 500},
			want: "500 server error"},
		{name: "nil kind", err: &APIError{Message: "x"}, want: "error: x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAPIErrorHintNotInError(t *testing.T) {
	e := &APIError{Kind: ErrForbidden, Status: 403, Hint: "the key may belong to the other environment"}
	if strings.Contains(e.Error(), "other environment") {
		t.Errorf("Error() %q includes the hint", e.Error())
	}
}

func TestKindName(t *testing.T) {
	api := func(kind error) error { return &APIError{Kind: kind, Op: "documents"} }
	wrapped := func(err error) error { return fmt.Errorf("fetch documents for %s: %w", sampleID, err) }
	_, evalIDErr := ParseEvalID("nope")
	_, noKeyErr := NewClient(Options{Env: eval.Production})
	_, insecureErr := NewClient(Options{Env: eval.Sandbox, APIKey: "k", BaseURL: "http://example.com"})
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"no documents", api(ErrNoDocuments), "no_documents"},
		{"no documents error", &NoDocumentsError{EvalID: sampleID, Err: &APIError{Kind: ErrNoDocuments}}, "no_documents"},
		{"no documents error wrapped", wrapped(&NoDocumentsError{EvalID: sampleID}), "no_documents"},
		{"bad request", api(ErrBadRequest), "bad_request"},
		{"unauthorized", wrapped(api(ErrUnauthorized)), "unauthorized"},
		{"forbidden", api(ErrForbidden), "forbidden"},
		{"not found", api(ErrNotFound), "not_found"},
		{"rate limited", api(ErrRateLimited), "rate_limited"},
		{"server", api(ErrServer), "server"},
		{"network", api(ErrNetwork), "network"},
		{"network timeout", &APIError{Kind: ErrNetwork, Err: context.DeadlineExceeded}, "network"},
		{"too large", api(ErrTooLarge), "too_large"},
		{"bad archive from the client", api(ErrBadArchive), "bad_archive"},
		{"bad archive from NewCase", fmt.Errorf("open documents: %w", fmt.Errorf("%w: not a zip", ErrBadArchive)), "bad_archive"},
		{"invalid eval_id", evalIDErr, "invalid_eval_id"},
		{"no key", noKeyErr, "no_key"},
		{"key not found in keychain", fmt.Errorf("get: %w", keychain.ErrKeyNotFound), "no_key"},
		{"insecure url", insecureErr, "insecure_url"},
		{"canceled", fmt.Errorf("documents: %w", context.Canceled), "canceled"},
		{"bare deadline", context.DeadlineExceeded, "network"},
		{"other", errors.New("boom"), "other"},
		{"per-entry error", casefile.ErrUnsafePath, "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil && tt.want != "" {
				t.Fatal("setup produced no error")
			}
			if got := KindName(tt.err); got != tt.want {
				t.Errorf("KindName(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

func TestStatusError(t *testing.T) {
	tests := []struct {
		status    int
		msg       string
		env       eval.Environment
		kind      error
		hintHas   string
		retryable bool
	}{
		{400, "No Documents Found", eval.Sandbox, ErrNoDocuments, "Military", false},
		{400, "no documents found.", eval.Sandbox, ErrNoDocuments, "retention", false},
		{400, "invalid eval_id", eval.Sandbox, ErrBadRequest, "refused the request: \u201cinvalid eval_id\u201d. Images need a completed DocV capture", false},
		{400, "", eval.Sandbox, ErrBadRequest, "RiskOS refused the request.", false},
		{401, "", eval.Production, ErrUnauthorized, "docvreview key set --env production", false},
		{403, "", eval.Sandbox, ErrForbidden, "other environment (Production)", false},
		{403, "IP Address was rejected", eval.Sandbox, ErrForbidden, "IP allow-list rejected this machine", false},
		{403, "", eval.Production, ErrForbidden, "other environment (Sandbox)", false},
		{403, "", eval.Demo, ErrForbidden, "refused", false},
		{404, "", eval.Sandbox, ErrNotFound, "typos", false},
		{404, "", eval.Production, ErrNotFound, "not the customer id", false},
		{405, "", eval.Sandbox, ErrBadRequest, "refused", false},
		{408, "", eval.Sandbox, ErrNetwork, "connection", true},
		{409, "", eval.Sandbox, ErrBadRequest, "", false},
		{429, "", eval.Sandbox, ErrRateLimited, "later", true},
		{500, "", eval.Sandbox, ErrServer, "later", false},
		{501, "", eval.Sandbox, ErrServer, "later", false},
		{502, "", eval.Sandbox, ErrServer, "later", true},
		{503, "", eval.Sandbox, ErrServer, "later", true},
		{504, "", eval.Sandbox, ErrServer, "later", true},
		{304, "", eval.Sandbox, ErrServer, "unexpected", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %s", tt.status, tt.msg), func(t *testing.T) {
			e := statusError("documents", tt.status, tt.msg, tt.env)
			if !errors.Is(e, tt.kind) {
				t.Errorf("kind %v, want %v", e.Kind, tt.kind)
			}
			if e.Status != tt.status || e.Op != "documents" {
				t.Errorf("status %d op %q", e.Status, e.Op)
			}
			if !strings.Contains(e.Hint, tt.hintHas) {
				t.Errorf("hint %q lacks %q", e.Hint, tt.hintHas)
			}
			if tt.msg == "" && e.Message != strings.ToLower(http.StatusText(tt.status)) {
				t.Errorf("message %q, want the status text", e.Message)
			}
			if got := retryableStatus(tt.status); got != tt.retryable {
				t.Errorf("retryable = %v", got)
			}
		})
	}
}
