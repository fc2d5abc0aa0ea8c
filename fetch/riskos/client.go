package riskos

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
)

// Version is the app version, sent as User-Agent "DocVReview/<Version>".
const Version = "0.1.0"

// DefaultMaxBytes caps a documents response.
const DefaultMaxBytes = 256 << 20

// Time bounds of a request, used when Options leave them zero.
const (
	DefaultHeaderTimeout = 30 * time.Second // per attempt, until the response headers arrive
	DefaultStallTimeout  = 30 * time.Second // no body bytes for this long fails the attempt
	DefaultTimeout       = 10 * time.Minute // a whole call, retries and waits included
)

// demoHeaderTimeout is Demo's default HeaderTimeout: the in-process
// simulator generates a case's images on first use, which takes a few
// seconds on a fast machine and much longer on a busy one.
const demoHeaderTimeout = 2 * time.Minute

// demoBaseURL is the base the Demo environment's in-process simulator answers on.
const demoBaseURL = "http://demo.invalid"

// Options configure a Client. Zero values pick the defaults.
type Options struct {
	Env           eval.Environment
	BaseURL       string           // overrides Env.BaseURL(); https anywhere, http only to loopback
	APIKey        string           // required for Sandbox/Production (ErrNoKey otherwise); ignored by Demo
	APIVersion    string           // optional X-API-Version header
	MaxBytes      int64            // response size cap; default DefaultMaxBytes
	MaxAttempts   int              // default 4
	BaseBackoff   time.Duration    // first retry delay before jitter; default 500ms
	MaxRetryAfter time.Duration    // cap on Retry-After (and on backoff); default 30s
	Limits        casefile.Limits  // archive limits; zero → casefile.DefaultLimits()
	HTTPClient    *http.Client     // optional (tests); copied, with CheckRedirect replaced; unused by in-process Demo
	Now           func() time.Time // optional clock

	// HeaderTimeout bounds each attempt until the response headers arrive;
	// default 30s (2 min for Demo's in-process simulator).
	HeaderTimeout time.Duration
	// StallTimeout fails an attempt whose body sends nothing for this long; default 30s.
	StallTimeout time.Duration
	// Timeout bounds a whole call, retries and waits included; default 10 min.
	Timeout time.Duration

	// Demo makes the in-process transport that serves a Demo client
	// without a BaseURL (the app passes the built-in simulator's, from
	// main.go). Without it such a client fails with ErrNoDemo.
	Demo DemoTransport

	// OnArchive, when set, is called by FetchCase with the documents ZIP as
	// received, before it is opened (and zeroed). It is how an explicit
	// "save the archive" reaches the original bytes; it must not keep the
	// slice. An error from it fails the fetch.
	OnArchive func(zip []byte) error
}

// Progress reports a download: Done bytes so far, Total when known (else -1).
// Attempt is 1 for the first attempt; on a retry Done starts again from 0.
type Progress struct {
	Done, Total int64
	Attempt     int
}

// Client talks to one RiskOS environment (or to the in-process simulator for
// Demo). It is safe for concurrent use. The API key it holds never appears
// in an error, and a server echoing it back is redacted.
type Client struct {
	env                                  eval.Environment
	base                                 *url.URL
	key, apiVersion                      string
	maxBytes                             int64
	maxAttempts                          int
	baseBackoff, maxRetryAfter           time.Duration
	headerTimeout, stallTimeout, timeout time.Duration
	limits                               casefile.Limits
	onArchive                            func([]byte) error
	hc                                   *http.Client
	now                                  func() time.Time
	sleep                                func(context.Context, time.Duration) error
}

// NewClient validates o and returns a Client. A Sandbox or Production client
// without a key fails with ErrNoKey; a base URL that is neither https nor
// http to loopback fails with ErrInsecureURL. Demo without a BaseURL serves
// every request in process through o.Demo: no network, no key.
func NewClient(o Options) (*Client, error) {
	switch o.Env {
	case eval.Demo, eval.Sandbox, eval.Production:
	default:
		return nil, fmt.Errorf("unknown environment %q (want demo, sandbox or production)", truncateRunes(printable(string(o.Env)), 20))
	}
	c := &Client{
		env:           o.Env,
		apiVersion:    strings.TrimSpace(o.APIVersion),
		maxBytes:      orDefault(o.MaxBytes, DefaultMaxBytes),
		maxAttempts:   orDefault(o.MaxAttempts, DefaultMaxAttempts),
		baseBackoff:   orDefault(o.BaseBackoff, DefaultBaseBackoff),
		maxRetryAfter: orDefault(o.MaxRetryAfter, DefaultMaxRetryAfter),
		headerTimeout: orDefault(o.HeaderTimeout, DefaultHeaderTimeout),
		stallTimeout:  orDefault(o.StallTimeout, DefaultStallTimeout),
		timeout:       orDefault(o.Timeout, DefaultTimeout),
		limits:        o.Limits,
		onArchive:     o.OnArchive,
		now:           o.Now,
		sleep:         sleepCtx,
	}
	if c.now == nil {
		c.now = time.Now
	}
	if !validHeaderToken(c.apiVersion, 64) {
		return nil, errors.New("invalid API version: use printable characters without spaces, e.g. 2025-01-01.orion")
	}
	var rt http.RoundTripper
	given := o.HTTPClient
	switch {
	case strings.TrimSpace(o.BaseURL) != "":
		base, err := parseBaseURL(o.BaseURL)
		if err != nil {
			return nil, err
		}
		c.base = base
		c.key = strings.TrimSpace(o.APIKey)
	case o.Env == eval.Demo:
		if o.Demo == nil {
			return nil, ErrNoDemo
		}
		c.base, _ = url.Parse(demoBaseURL)
		if o.HeaderTimeout <= 0 {
			// The first answer of a case includes generating its images on this machine.
			c.headerTimeout = demoHeaderTimeout
		}
		rt = o.Demo(o.Now)
		given = nil
	default:
		c.base, _ = url.Parse(o.Env.BaseURL())
		c.key = strings.TrimSpace(o.APIKey)
	}
	if c.key == "" && o.Env.NeedsKey() {
		return nil, fmt.Errorf("%w for %s: %s, or set %s", ErrNoKey, o.Env.Title(), keySetHint(o.Env), keychain.EnvAPIKey)
	}
	if c.key != "" && !validHeaderToken(c.key, 4096) {
		return nil, fmt.Errorf("%w for %s: the stored key contains spaces or control characters; %s",
			ErrNoKey, o.Env.Title(), keySetHint(o.Env))
	}
	c.hc = newHTTPClient(given, rt, c.base)
	return c, nil
}

// orDefault returns v, or def when v is not positive.
func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// validHeaderToken reports printable ASCII without spaces, at most n bytes.
func validHeaderToken(s string, n int) bool {
	if len(s) > n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// Env is the client's environment.
func (c *Client) Env() eval.Environment { return c.env }

// Documents downloads the documents ZIP of evalID into memory. progress (may
// be nil) is called on the calling goroutine, at most every 64 KiB or 50 ms
// and once at the end. The caller owns the bytes (and should zero them).
func (c *Client) Documents(ctx context.Context, evalID string, progress func(Progress)) ([]byte, error) {
	id, err := c.checkID(evalID)
	if err != nil {
		return nil, err
	}
	return c.get(ctx, request{
		op:       "documents",
		url:      c.endpoint(id, "/documents"),
		accept:   "application/zip, application/octet-stream;q=0.9, application/json;q=0.5",
		max:      c.maxBytes,
		progress: progress,
		wantZIP:  true,
	})
}

// Evaluation fetches and parses the evaluation summary of evalID.
func (c *Client) Evaluation(ctx context.Context, evalID string) (*eval.Evaluation, error) {
	id, err := c.checkID(evalID)
	if err != nil {
		return nil, err
	}
	body, err := c.get(ctx, request{
		op:     "evaluation",
		url:    c.endpoint(id, ""),
		accept: "application/json",
		max:    eval.MaxEvaluationBytes,
	})
	if err != nil {
		return nil, err
	}
	if c.key != "" && bytes.Contains(body, []byte(c.key)) {
		// A server (or proxy) that reflects the request's key in the
		// summary must not get it shown or printed.
		red := bytes.ReplaceAll(body, []byte(c.key), []byte(redacted))
		clear(body)
		body = red
	}
	defer clear(body) // the evaluation JSON is PII
	if isHTML(bytes.TrimSpace(body), "") {
		return nil, &APIError{Kind: ErrServer, Op: "evaluation", Status: http.StatusOK, Attempts: 1,
			Message: "the server answered with an HTML page, not JSON", Hint: unexpectedHint}
	}
	ev, err := eval.ParseEvaluation(body)
	if err != nil {
		return nil, &APIError{Kind: ErrServer, Op: "evaluation", Status: http.StatusOK, Attempts: 1,
			Message: "the evaluation summary could not be read", Hint: unexpectedHint, Err: err}
	}
	return ev, nil
}

// checkID validates evalID and refuses the client's own API key pasted by mistake.
func (c *Client) checkID(evalID string) (string, error) {
	id, err := ParseEvalID(evalID)
	if err != nil {
		return "", err
	}
	if c.key != "" && strings.Contains(strings.ToLower(c.key), id) {
		return "", fmt.Errorf("%w: that is the API key, not an eval_id", ErrInvalidEvalID)
	}
	return id, nil
}

// endpoint is the URL of the evaluation id, plus suffix.
func (c *Client) endpoint(id, suffix string) string {
	u := *c.base
	u.Path = c.base.Path + "/api/evaluation/" + id + suffix
	return u.String()
}

// FetchCase runs Documents and Evaluation concurrently and builds the Case.
// "No Documents Found" returns a *NoDocumentsError (errors.Is ErrNoDocuments)
// explained from the evaluation. A failed evaluation with good documents
// still returns the Case, with a warning and a nil Evaluation. Any other
// documents failure stops the evaluation request and is returned wrapped.
func (c *Client) FetchCase(ctx context.Context, evalID string, progress func(Progress)) (*casefile.Case, error) {
	return c.FetchCaseWith(ctx, evalID, CaseOptions{Progress: progress})
}

// CaseOptions tune FetchCaseWith.
type CaseOptions struct {
	// Progress reports the download (see Documents).
	Progress func(Progress)
	// OnEntry is handed each entry of the archive as soon as it is
	// inflated (see casefile.ReadOptions.OnEntry), while the others still
	// inflate and possibly before the evaluation summary has arrived.
	OnEntry func(e *casefile.Entry, done, total int)
	// Drain is called before a failing fetch zeroes entries it handed to
	// OnEntry: whoever still reads one finishes there.
	Drain func()
}

// FetchCaseWith is FetchCase with the archive opened as a stream: the
// documents ZIP is inflated as soon as it has arrived, concurrently with
// the evaluation request, each entry going to o.OnEntry once complete.
// On any failure after that (ctx ending included) the case is closed:
// every buffer it had is zeroed.
func (c *Client) FetchCaseWith(ctx context.Context, evalID string, o CaseOptions) (*casefile.Case, error) {
	id, err := c.checkID(evalID)
	if err != nil {
		return nil, fmt.Errorf("fetch case: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type evalResult struct {
		ev  *eval.Evaluation
		err error
	}
	evCh := make(chan evalResult, 1)
	go func() {
		ev, err := c.Evaluation(ctx, id)
		evCh <- evalResult{ev, err}
	}()

	zipBytes, docErr := c.Documents(ctx, id, o.Progress)
	if docErr != nil {
		var apiErr *APIError
		if errors.As(docErr, &apiErr) && errors.Is(apiErr, ErrNoDocuments) {
			r := <-evCh
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("fetch case %s: %w", id, err)
			}
			return nil, &NoDocumentsError{
				EvalID:      id,
				Explanation: ExplainNoDocuments(r.ev, c.env, c.now()),
				Evaluation:  r.ev,
				Err:         apiErr,
			}
		}
		cancel()
		<-evCh
		return nil, fmt.Errorf("fetch documents for %s: %w", id, docErr)
	}

	if c.onArchive != nil {
		if err := c.onArchive(zipBytes); err != nil {
			clear(zipBytes)
			cancel()
			<-evCh
			return nil, fmt.Errorf("fetch case %s: %w", id, err)
		}
	}
	lim := c.limits
	if lim == (casefile.Limits{}) {
		lim = casefile.DefaultLimits()
	}
	// The archive inflates while the evaluation request may still run.
	cs, err := casefile.NewCaseWith(ctx, id, c.env, zipBytes, nil, casefile.ReadOptions{Limits: lim, OnEntry: o.OnEntry, Drain: o.Drain})
	if err != nil {
		cancel()
		<-evCh
		if cerr := ctx.Err(); cerr != nil && errors.Is(err, cerr) {
			return nil, fmt.Errorf("fetch case %s: %w", id, cerr)
		}
		return nil, fmt.Errorf("open documents of %s: %w", id, err)
	}
	r := <-evCh
	if err := ctx.Err(); err != nil {
		if o.Drain != nil {
			o.Drain()
		}
		cs.Close()
		return nil, fmt.Errorf("fetch case %s: %w", id, err)
	}
	cs.Evaluation = r.ev
	if r.err != nil {
		cs.Warnings = append(cs.Warnings, "evaluation summary unavailable: "+shortReason(r.err))
	}
	return cs, nil
}

// shortReason names what went wrong in a few words, without the server's message.
func shortReason(err error) string {
	var apiErr *APIError
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.As(err, &apiErr) && apiErr.Kind != nil:
		return apiErr.Kind.Error()
	}
	return "error"
}
