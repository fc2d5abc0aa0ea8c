package riskos

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
)

// writeRequest is one PUT the client makes.
type writeRequest struct {
	op      string // opState or opFeedback
	url     string
	body    []byte   // the JSON; send zeroes it when done (it holds notes and attachments)
	secrets []string // texts (the notes) that must never appear in an error
	max     int64    // answer size cap
}

// lostAnswer is send's report of an exchange cut after the body may have
// reached the server: the caller must not re-send, only check.
type lostAnswer struct {
	applied bool      // a 2xx status arrived, but its body could not be read
	cause   *APIError // what cut it (kind ErrNetwork, or a context error in Err)
}

func (l *lostAnswer) Error() string { return l.cause.Error() }
func (l *lostAnswer) Unwrap() error { return l.cause }

// errPayloadGone is what a request body reads after send has zeroed it.
var errPayloadGone = errors.New("request body already released")

// payload is the bytes of a write's body, shared by the readers of every
// attempt, and zeroed under its lock once the call is over, so a transport
// still holding a reader never sees them afterwards.
type payload struct {
	mu   sync.Mutex
	data []byte
	gone bool
}

// wipe zeroes the bytes; later reads fail.
func (p *payload) wipe() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.data)
	p.gone = true
}

// attemptBody reads the payload for one attempt and records whether the
// transport took any of it: once it has, the request may have reached the
// server.
type attemptBody struct {
	p       *payload
	touched atomic.Bool
}

// reader returns a fresh reader from the start of the payload.
func (a *attemptBody) reader() io.ReadCloser { return &payloadReader{a: a} }

type payloadReader struct {
	a   *attemptBody
	off int
}

func (r *payloadReader) Read(b []byte) (int, error) {
	p := r.a.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.gone {
		return 0, errPayloadGone
	}
	if r.off >= len(p.data) {
		return 0, io.EOF
	}
	n := copy(b, p.data[r.off:])
	r.off += n
	if n > 0 {
		r.a.touched.Store(true)
	}
	return n, nil
}

func (r *payloadReader) Close() error { return nil }

// send makes a write with the no-blind-retry rule: it is re-sent only after
// an answer that says the server did nothing (429, 503, honouring
// Retry-After) or a failure before any of the body was handed to the
// connection (refused, DNS, …), at most maxAttempts times. Once the body
// may have gone out, a timeout, reset or EOF returns a *lostAnswer and
// nothing more is sent. It returns the 2xx answer's body, or a *lostAnswer,
// or an *APIError / context error for a write that certainly failed.
func (c *Client) send(ctx context.Context, r writeRequest) ([]byte, error) {
	p := &payload{data: r.body}
	defer p.wipe()
	// A write never follows a redirect: a 301/302/303 would turn the PUT
	// into a GET whose 200 looks like success. The 3xx is the answer.
	hc := *c.hc
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	callCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	for attempt := 1; ; attempt++ {
		body, status, f, touched := c.sendAttempt(callCtx, &hc, r, p)
		if f == nil {
			return body, nil
		}
		f.err.Attempts = attempt
		f.err.Message = c.redact(f.err.Message, r.secrets)
		switch {
		case status >= 200 && status <= 299:
			return nil, &lostAnswer{applied: true, cause: f.err}
		case status == 0 && touched:
			if err := c.contextError(ctx, callCtx, r.op, attempt); err != nil {
				f.err.Err, f.err.Message = err, "canceled or timed out while waiting for the answer"
			}
			return nil, &lostAnswer{cause: f.err}
		}
		if err := c.contextError(ctx, callCtx, r.op, attempt); err != nil {
			return nil, err
		}
		if err := c.waitRetry(ctx, callCtx, r.op, attempt, f); err != nil {
			return nil, err
		}
	}
}

// redact keeps the key and the secrets out of a message.
func (c *Client) redact(msg string, secrets []string) string {
	if c.key != "" {
		msg = strings.ReplaceAll(msg, c.key, redacted)
	}
	return redactTexts(msg, secrets)
}

// sendAttempt makes one PUT. status is the answer's status (0 when none
// arrived); touched reports whether the transport read any of the body.
func (c *Client) sendAttempt(ctx context.Context, hc *http.Client, r writeRequest, p *payload) (body []byte, status int, f *failure, touched bool) {
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	ab := &attemptBody{p: p}
	var timer atomic.Int32
	req, err := http.NewRequestWithContext(actx, http.MethodPut, r.url, ab.reader())
	if err != nil {
		return nil, 0, &failure{err: &APIError{Kind: ErrInsecureURL, Op: r.op, Message: "cannot build the request URL", Err: err}}, false
	}
	req.ContentLength = int64(len(p.data))
	req.GetBody = func() (io.ReadCloser, error) { return ab.reader(), nil }
	c.setHeaders(req, "application/json")
	req.Header.Set("Content-Type", "application/json")
	g, err := c.roundTrip(actx, cancel, hc, req, &timer, r.max)
	if err != nil {
		return nil, 0, c.transportFailure(r.op, err, timer.Load()), ab.touched.Load()
	}
	defer g.release()
	resp, br := g.resp, g.body
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		br.max, br.truncate = maxErrorBody, true
		data, _ := br.read() // a cut error body still says something
		msg := c.redact(errorMessage(data, resp.Header.Get("Content-Type"), c.key), r.secrets)
		clear(data)
		f := &failure{err: writeStatusError(r.op, resp.StatusCode, msg, c.env), retry: retryableWriteStatus(resp.StatusCode)}
		if f.retry {
			f.retryAfter, f.hasRetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.now())
		}
		return nil, resp.StatusCode, f, true
	}
	data, err := br.read()
	if err != nil {
		return nil, resp.StatusCode, c.bodyFailure(r.op, resp.StatusCode, err, timer.Load(), r.max), true
	}
	if c.key != "" && bytes.Contains(data, []byte(c.key)) {
		red := bytes.ReplaceAll(data, []byte(c.key), []byte(redacted))
		clear(data)
		data = red
	}
	return data, resp.StatusCode, nil, true
}
