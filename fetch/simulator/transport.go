package simulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// ErrHandlerPanic is the error a Transport reports (from RoundTrip or while
// reading the body) when the handler panicked.
var ErrHandlerPanic = errors.New("simulator: handler panicked")

// Transport returns an http.RoundTripper that serves requests from h in
// process, streaming the body (so progress, trickling and cancel behave as
// over a network). Used by the Demo environment: no socket is opened.
//
// The handler runs in its own goroutine with a request whose context is
// cancelled when the caller's context is, when the caller closes the
// response body, or when the handler returns. RoundTrip returns as soon as
// the handler writes its header (WriteHeader, the first Write or a Flush);
// the body then streams through a pipe. Response.ContentLength comes from
// the Content-Length header (-1 when absent), and a body shorter than it
// ends in io.ErrUnexpectedEOF, as over HTTP/1.1.
func Transport(h http.Handler) http.RoundTripper { return pipeTransport{h: h} }

// pipeTransport is the RoundTripper returned by Transport.
type pipeTransport struct{ h http.Handler }

// RoundTrip implements http.RoundTripper.
func (t pipeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		closeBody(req)
		return nil, fmt.Errorf("simulator transport: %w", err)
	}
	ctx, cancel := context.WithCancel(req.Context())
	sreq := serverRequest(req, ctx)
	pr, pw := io.Pipe()
	rw := &pipeResponseWriter{header: make(http.Header), pw: pw, ready: make(chan struct{})}

	// Cancelling (by the caller, by closing the body, or at the end) fails
	// the pipe: the reader sees the context error, the handler's writes fail.
	stop := context.AfterFunc(ctx, func() { pw.CloseWithError(ctx.Err()) })

	done := make(chan struct{})
	go func() {
		defer close(done)
		defer cancel()
		defer closeBody(req)
		err := serve(t.h, rw, sreq)
		rw.finish()
		stop()
		if err == nil {
			// A handler that returned because the request was cancelled
			// did not finish the body: the reader must not see a clean EOF.
			err = ctx.Err()
		}
		pw.CloseWithError(err) // nil: EOF
	}()

	select {
	case <-rw.ready:
	case <-req.Context().Done():
		// The caller gave up before the header: wait for nothing more.
		return nil, fmt.Errorf("simulator transport: %w", req.Context().Err())
	}
	if rw.panicked {
		<-done
		return nil, fmt.Errorf("simulator transport %s %s: %w", req.Method, req.URL.Path, ErrHandlerPanic)
	}
	resp := &http.Response{
		Status:        fmt.Sprintf("%d %s", rw.status, http.StatusText(rw.status)),
		StatusCode:    rw.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        rw.sent,
		ContentLength: -1,
		Request:       req,
	}
	if n, err := strconv.ParseInt(rw.sent.Get("Content-Length"), 10, 64); err == nil && n >= 0 {
		resp.ContentLength = n
	}
	resp.Body = &pipeBody{pr: pr, cancel: cancel, want: resp.ContentLength}
	return resp, nil
}

// serverRequest makes the request the handler sees: a copy carrying ctx,
// with the fields a server would fill in.
func serverRequest(req *http.Request, ctx context.Context) *http.Request {
	s := req.Clone(ctx)
	s.RequestURI = req.URL.RequestURI()
	s.RemoteAddr = "127.0.0.1:0"
	if s.Host == "" {
		s.Host = req.URL.Host
	}
	if s.Body == nil {
		s.Body = http.NoBody
	}
	return s
}

// closeBody closes the request body, as a RoundTripper must.
func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// serve runs h and turns a panic into ErrHandlerPanic (its value is not
// kept: it might hold request data).
func serve(h http.Handler, rw *pipeResponseWriter, req *http.Request) (err error) {
	defer func() {
		if recover() != nil {
			if !rw.wrote {
				rw.panicked = true
			}
			err = ErrHandlerPanic
		}
	}()
	h.ServeHTTP(rw, req)
	return nil
}

// pipeResponseWriter is the handler's side: it buffers nothing and writes
// straight into the pipe the client reads from.
type pipeResponseWriter struct {
	header   http.Header
	sent     http.Header // snapshot taken at WriteHeader
	status   int
	wrote    bool // header sent
	panicked bool // handler panicked before sending the header
	pw       *io.PipeWriter
	ready    chan struct{}
	once     sync.Once
}

// Header implements http.ResponseWriter.
func (w *pipeResponseWriter) Header() http.Header { return w.header }

// WriteHeader implements http.ResponseWriter. Informational (1xx) codes are
// ignored; only the first final status counts.
func (w *pipeResponseWriter) WriteHeader(status int) {
	if w.wrote || (status >= 100 && status < 200) {
		return
	}
	w.status, w.wrote = status, true
	w.sent = w.header.Clone()
	w.once.Do(func() { close(w.ready) })
}

// Write implements http.ResponseWriter; it blocks until the client has read
// the bytes (or fails once the request is cancelled).
func (w *pipeResponseWriter) Write(p []byte) (int, error) {
	if !w.wrote {
		if w.header.Get("Content-Type") == "" && len(p) > 0 {
			w.header.Set("Content-Type", http.DetectContentType(p))
		}
		w.WriteHeader(http.StatusOK)
	}
	return w.pw.Write(p)
}

// Flush implements http.Flusher: it sends the header if not yet sent (the
// body is never buffered).
func (w *pipeResponseWriter) Flush() {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
}

// finish is called when the handler has returned: a handler that wrote
// nothing answered 200 with an empty body; one that panicked first answered
// nothing.
func (w *pipeResponseWriter) finish() {
	if !w.wrote && !w.panicked {
		w.header.Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
	}
	w.once.Do(func() { close(w.ready) })
}

// pipeBody is the client's side of the body.
type pipeBody struct {
	pr     *io.PipeReader
	cancel context.CancelFunc
	want   int64 // Content-Length, or -1
	got    int64
}

// Read implements io.Reader; an early end of a body with a known length is
// io.ErrUnexpectedEOF.
func (b *pipeBody) Read(p []byte) (int, error) {
	n, err := b.pr.Read(p)
	b.got += int64(n)
	if err == io.EOF && b.want >= 0 && b.got < b.want {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// Close implements io.Closer: it cancels the handler's request context.
func (b *pipeBody) Close() error {
	b.cancel()
	return b.pr.Close()
}
