package riskos

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// request is one GET the client makes, with its retries.
type request struct {
	op       string // "documents" or "evaluation"
	url      string
	accept   string
	max      int64
	progress func(Progress)
	wantZIP  bool // the body must be a ZIP
}

// failure is a failed attempt: the error to return and whether to try again.
type failure struct {
	err           *APIError
	retry         bool
	retryAfter    time.Duration
	hasRetryAfter bool
}

// Why an attempt's own timer cancelled it.
const (
	timerNone int32 = iota
	timerHeaders
	timerStall
)

// get makes r with retries: at most maxAttempts attempts, waits of backoff or
// Retry-After between them, the whole bounded by the client's timeout and ctx.
func (c *Client) get(ctx context.Context, r request) ([]byte, error) {
	callCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	for attempt := 1; ; attempt++ {
		body, f := c.attempt(callCtx, r, attempt)
		if f == nil {
			return body, nil
		}
		if err := c.contextError(ctx, callCtx, r.op, attempt); err != nil {
			return nil, err
		}
		f.err.Attempts = attempt
		if c.key != "" {
			f.err.Message = strings.ReplaceAll(f.err.Message, c.key, redacted)
		}
		if err := c.waitRetry(ctx, callCtx, r.op, attempt, f); err != nil {
			return nil, err
		}
	}
}

// contextError is the error of a call whose context ended: the caller's
// cancel as itself (wrapped), a deadline as a network timeout. nil when
// neither context has ended.
func (c *Client) contextError(ctx, callCtx context.Context, op string, attempts int) error {
	err := ctx.Err()
	if err == nil {
		err = callCtx.Err()
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("%s: %w", op, err)
	}
	return &APIError{Kind: ErrNetwork, Op: op, Message: "timed out", Hint: networkHint, Attempts: attempts, Err: err}
}

// setHeaders sets the headers every RiskOS request carries.
func (c *Client) setHeaders(req *http.Request, accept string) {
	req.Header.Set("User-Agent", "DocVReview/"+Version)
	req.Header.Set("Accept", accept)
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	if c.apiVersion != "" {
		req.Header.Set("X-API-Version", c.apiVersion)
	}
}

// guarded is a response whose body is read under the stall timeout and
// closed when the attempt's context ends; release stops both and closes it.
type guarded struct {
	resp    *http.Response
	body    *bodyReader
	release func()
}

// roundTrip sends req (made with actx, which cancel ends) through hc: the
// header timeout ends the attempt when no response arrives in time, then the
// stall timeout when the body stops; timer records which one fired. The
// caller defers g.release() and reads the body through g.body (at most max
// bytes).
func (c *Client) roundTrip(actx context.Context, cancel context.CancelFunc, hc *http.Client, req *http.Request, timer *atomic.Int32, max int64) (*guarded, error) {
	headers := time.AfterFunc(c.headerTimeout, func() { timer.CompareAndSwap(timerNone, timerHeaders); cancel() })
	resp, err := hc.Do(req)
	headers.Stop()
	if err != nil {
		return nil, err
	}
	stopClose := context.AfterFunc(actx, func() { resp.Body.Close() })
	stall := time.AfterFunc(c.stallTimeout, func() { timer.CompareAndSwap(timerNone, timerStall); cancel() })
	body := &bodyReader{
		r:      resp.Body,
		total:  resp.ContentLength,
		max:    max,
		onData: func() { stall.Reset(c.stallTimeout) },
		now:    time.Now,
	}
	release := func() {
		stall.Stop()
		stopClose()
		resp.Body.Close()
	}
	return &guarded{resp: resp, body: body, release: release}, nil
}

// attempt makes one request and reads its body.
func (c *Client) attempt(ctx context.Context, r request, n int) ([]byte, *failure) {
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	var timer atomic.Int32
	req, err := http.NewRequestWithContext(actx, http.MethodGet, r.url, nil)
	if err != nil {
		return nil, &failure{err: &APIError{Kind: ErrInsecureURL, Op: r.op, Message: "cannot build the request URL", Err: err}}
	}
	c.setHeaders(req, r.accept)
	g, err := c.roundTrip(actx, cancel, c.hc, req, &timer, r.max)
	if err != nil {
		return nil, c.transportFailure(r.op, err, timer.Load())
	}
	defer g.release()
	resp, br := g.resp, g.body
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, c.statusFailure(r.op, resp, br)
	}
	if resp.ContentLength > r.max {
		return nil, &failure{err: &APIError{Kind: ErrTooLarge, Op: r.op, Status: resp.StatusCode,
			Message: fmt.Sprintf("the response is %s, over the %s limit", sizeText(resp.ContentLength), sizeText(r.max)),
			Hint:    "Raise the download size limit in Settings if this evaluation is expected to be this large."}}
	}
	if r.wantZIP {
		if what := notZIPContentType(resp.Header.Get("Content-Type")); what != "" {
			return nil, c.notZIPFailure(r.op, resp, br, what)
		}
	}
	br.progress, br.attempt = r.progress, n
	data, err := br.read()
	if err != nil {
		return nil, c.bodyFailure(r.op, resp.StatusCode, err, timer.Load(), r.max)
	}
	if r.wantZIP && !bytes.HasPrefix(data, []byte("PK")) {
		what := "the response is not a ZIP archive"
		switch {
		case len(data) == 0:
			what = "the response was empty, not a ZIP archive"
		case isHTML(data, ""):
			what = "the server answered with an HTML page, not a ZIP"
		case data[0] == '{':
			what = "the server answered with JSON, not a ZIP"
		}
		clear(data)
		return nil, &failure{err: badArchive(r.op, resp.StatusCode, what)}
	}
	return data, nil
}

// statusFailure reads (a bounded part of) an error response and maps its status.
func (c *Client) statusFailure(op string, resp *http.Response, br *bodyReader) *failure {
	br.max, br.truncate = maxErrorBody, true
	data, _ := br.read() // a cut error body still says something
	msg := errorMessage(data, resp.Header.Get("Content-Type"), c.key)
	clear(data)
	f := &failure{err: statusError(op, resp.StatusCode, msg, c.env), retry: retryableStatus(resp.StatusCode)}
	if f.retry {
		f.retryAfter, f.hasRetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.now())
	}
	return f
}

// notZIPFailure reports a 2xx whose content type says it is a page or JSON.
func (c *Client) notZIPFailure(op string, resp *http.Response, br *bodyReader, what string) *failure {
	br.max, br.truncate = maxErrorBody, true
	data, _ := br.read()
	msg := "the server answered with " + what + ", not a ZIP"
	if said := errorMessage(data, resp.Header.Get("Content-Type"), c.key); said != "" && what == "JSON" {
		msg = truncateRunes(msg+": "+said, MaxMessageLen)
	}
	clear(data)
	return &failure{err: badArchive(op, resp.StatusCode, msg)}
}

// badArchive is the error of a 2xx documents answer that is not a ZIP.
func badArchive(op string, status int, msg string) *APIError {
	return &APIError{Kind: ErrBadArchive, Op: op, Status: status, Message: msg,
		Hint: "RiskOS (or something in between, like a proxy or login page) did not send the documents; try again later."}
}

// notZIPContentType names a content type that cannot be a ZIP ("an HTML page",
// "JSON"); "" when it may be one (the body's first bytes decide then).
func notZIPContentType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ""
	}
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml":
		return "an HTML page"
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return "JSON"
	}
	return ""
}

// transportFailure maps an error of http.Client.Do.
func (c *Client) transportFailure(op string, err error, timer int32) *failure {
	if timer == timerHeaders {
		return &failure{retry: true, err: &APIError{Kind: ErrNetwork, Op: op, Err: err, Hint: networkHint,
			Message: fmt.Sprintf("no response within %s", c.headerTimeout)}}
	}
	var inner error = err
	var uerr *url.Error
	var redirErr *insecureRedirectError
	if errors.As(err, &uerr) {
		inner = uerr.Err
	}
	switch {
	case errors.Is(err, errTooManyRedirects):
		return &failure{err: &APIError{Kind: ErrServer, Op: op, Err: err, Message: errTooManyRedirects.Error(),
			Hint: "The server keeps redirecting; check the base URL."}}
	case errors.As(err, &redirErr):
		return &failure{err: &APIError{Kind: ErrInsecureURL, Op: op, Err: ErrInsecureURL,
			Message: redirErr.describe(c.key),
			Hint:    "The server redirected to an address that is not HTTPS; the request was stopped."}}
	}
	msg, retry := describeNetError(inner)
	return &failure{retry: retry, err: &APIError{Kind: ErrNetwork, Op: op, Err: err, Message: msg, Hint: networkHint}}
}

// bodyFailure maps an error met while reading a 2xx body.
func (c *Client) bodyFailure(op string, status int, err error, timer int32, limit int64) *failure {
	e := &APIError{Kind: ErrNetwork, Op: op, Status: status, Err: err, Hint: networkHint}
	switch {
	case timer != timerNone:
		e.Message = fmt.Sprintf("no data received for %s", c.stallTimeout)
		return &failure{err: e, retry: true}
	case errors.Is(err, errBodyTooLarge):
		e.Kind, e.Message = ErrTooLarge, "the response is over the "+sizeText(limit)+" limit"
		e.Hint = "Raise the download size limit in Settings if this evaluation is expected to be this large."
		return &failure{err: e}
	case errors.Is(err, errTruncated), errors.Is(err, errLengthMismatch):
		e.Message = "the download was cut short (" + err.Error() + ")"
		return &failure{err: e, retry: true}
	}
	msg, retry := describeNetError(err)
	e.Message = msg
	return &failure{err: e, retry: retry}
}

// describeNetError says in a few words what went wrong on the wire and
// whether another attempt may help. Certificate, TLS and unknown-host
// problems do not go away by retrying; resets, timeouts and cut responses may.
func describeNetError(err error) (string, bool) {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	var netErr net.Error
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "the host name could not be found", false
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &invalidCert):
		return "the server's certificate was not accepted", false
	case errors.As(err, &recordErr):
		return "the server does not speak HTTPS", false
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "the connection closed before the response was complete", true
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE):
		return "the connection was reset", true
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the connection was refused", true
	case errors.As(err, &netErr) && netErr.Timeout():
		return "the connection timed out", true
	}
	return truncateRunes(printable(err.Error()), MaxMessageLen), true
}

// sizeText formats a byte count for a message ("256 MiB", "1.5 KiB", "12 bytes").
func sizeText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v, suffix := float64(n)/unit, "KiB"
	for _, s := range []string{"MiB", "GiB", "TiB"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, s
	}
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %s", int64(v), suffix)
	}
	return fmt.Sprintf("%.1f %s", v, suffix)
}

// waitRetry follows a failed attempt: nil after waiting out the backoff (or
// Retry-After) when another attempt may follow, else the error to report —
// the attempt's own, or the context's when the call ended while waiting. A
// wait that would outlast the call reports what happened instead.
func (c *Client) waitRetry(ctx, callCtx context.Context, op string, attempt int, f *failure) error {
	if !f.retry || attempt >= c.maxAttempts {
		return f.err
	}
	wait := backoff(attempt, c.baseBackoff, c.maxRetryAfter)
	if f.hasRetryAfter {
		wait = min(f.retryAfter, c.maxRetryAfter)
	}
	if deadline, ok := callCtx.Deadline(); ok && time.Until(deadline) < wait {
		return f.err
	}
	if c.sleep(callCtx, wait) != nil {
		if err := c.contextError(ctx, callCtx, op, attempt); err != nil {
			return err
		}
		return f.err
	}
	return nil
}
