package fetch

// OWNER: helper "fetch-client". Contract stub.

import (
	"context"
	"net/http"
	"time"
)

// Version is the app version, sent as User-Agent "DocVReview/<Version>".
const Version = "0.1.0"

// DefaultMaxBytes caps a documents response.
const DefaultMaxBytes = 256 << 20

// Options configure a Client. Zero values pick the defaults.
type Options struct {
	Env         Environment
	BaseURL     string // overrides Env.BaseURL(); https anywhere, http only to loopback
	APIKey      string // required for Sandbox/Production (ErrNoKey otherwise); ignored by Demo
	APIVersion  string // optional X-API-Version header
	MaxBytes    int64  // response size cap; default DefaultMaxBytes
	MaxAttempts int    // default 4
	BaseBackoff time.Duration // first retry delay before jitter; default 500ms
	MaxRetryAfter time.Duration // cap on Retry-After; default 30s
	Limits      Limits // archive limits; zero → DefaultLimits()
	HTTPClient  *http.Client // optional (tests); its CheckRedirect is replaced
	Now         func() time.Time // optional clock
}

// Progress reports a download: Done bytes so far, Total when known (else -1).
type Progress struct {
	Done, Total int64
}

// Client talks to one RiskOS environment (or to the in-process simulator for Demo).
type Client struct{}

// NewClient validates o and returns a Client.
func NewClient(o Options) (*Client, error) { panic("TODO fetch-client") }

// Env is the client's environment.
func (c *Client) Env() Environment { panic("TODO fetch-client") }

// Documents downloads the documents ZIP of evalID into memory.
func (c *Client) Documents(ctx context.Context, evalID string, progress func(Progress)) ([]byte, error) {
	panic("TODO fetch-client")
}

// Evaluation fetches and parses the evaluation summary of evalID.
func (c *Client) Evaluation(ctx context.Context, evalID string) (*Evaluation, error) {
	panic("TODO fetch-client")
}

// FetchCase runs Documents and Evaluation concurrently and builds the Case.
// "No Documents Found" returns a *NoDocumentsError (errors.Is ErrNoDocuments)
// explained from the evaluation. A failed evaluation with good documents
// still returns the Case, with a warning and a nil Evaluation.
func (c *Client) FetchCase(ctx context.Context, evalID string, progress func(Progress)) (*Case, error) {
	panic("TODO fetch-client")
}
