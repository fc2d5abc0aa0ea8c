package riskos

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestDocumentsStatusPaths(t *testing.T) {
	tests := []struct {
		status   int
		ct, body string
		kind     error
		name     string // KindName
		msg      string
		attempts int
	}{
		{400, "application/json", `{"message":"No Documents Found"}`, ErrNoDocuments, "no_documents", "No Documents Found", 1},
		{400, "text/plain", "no documents found", ErrNoDocuments, "no_documents", "no documents found", 1},
		{400, "application/json", `{"message":"Invalid request"}`, ErrBadRequest, "bad_request", "Invalid request", 1},
		{401, "application/json", `{"message":"Unauthorized"}`, ErrUnauthorized, "unauthorized", "Unauthorized", 1},
		{403, "application/json", `{"message":"Forbidden resource"}`, ErrForbidden, "forbidden", "Forbidden resource", 1},
		{404, "application/json", `{"message":"Evaluation not found"}`, ErrNotFound, "not_found", "Evaluation not found", 1},
		{404, "", "", ErrNotFound, "not_found", "not found", 1},
		{405, "text/plain", "nope", ErrBadRequest, "bad_request", "nope", 1},
		{408, "", "", ErrNetwork, "network", "request timeout", 4},
		{429, "application/json", `{"message":"Too Many Requests"}`, ErrRateLimited, "rate_limited", "Too Many Requests", 4},
		{500, "application/json", `{"message":"Internal Server Error"}`, ErrServer, "server", "Internal Server Error", 1},
		{501, "", "", ErrServer, "server", "not implemented", 1},
		{502, "text/html", "<html><title>502 Bad Gateway</title></html>", ErrServer, "server", "HTML page: 502 Bad Gateway", 4},
		{503, "text/plain", "Service Unavailable", ErrServer, "server", "Service Unavailable", 4},
		{504, "", "", ErrServer, "server", "gateway timeout", 4},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %s", tt.status, tt.body), func(t *testing.T) {
			srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				if tt.ct != "" {
					w.Header().Set("Content-Type", tt.ct)
				}
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.body)
			})
			c := newTestClient(t, srv.URL, nil)
			_, err := c.Documents(context.Background(), sampleID, nil)
			e := asAPIError(t, err)
			if !errors.Is(err, tt.kind) {
				t.Errorf("kind %v, want %v", e.Kind, tt.kind)
			}
			if KindName(err) != tt.name {
				t.Errorf("KindName %q, want %q", KindName(err), tt.name)
			}
			if e.Status != tt.status || e.Op != "documents" || e.Message != tt.msg || e.Hint == "" {
				t.Errorf("got status %d op %q message %q hint %q", e.Status, e.Op, e.Message, e.Hint)
			}
			if e.Attempts != tt.attempts || int(srv.hits.Load()) != tt.attempts {
				t.Errorf("attempts %d, server saw %d, want %d", e.Attempts, srv.hits.Load(), tt.attempts)
			}
			if !strings.HasPrefix(err.Error(), "documents: "+strconv.Itoa(tt.status)+" ") {
				t.Errorf("Error() = %q", err)
			}
		})
	}
}

func TestRetryThenSuccess(t *testing.T) {
	srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, hit int) {
		switch hit {
		case 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		case 2:
			w.WriteHeader(http.StatusBadGateway)
		case 3:
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			w.Write(fakeZIP(100))
		}
	})
	var last Progress
	c := newTestClient(t, srv.URL, nil)
	data, err := c.Documents(context.Background(), sampleID, func(p Progress) { last = p })
	if err != nil || len(data) != 100 {
		t.Fatalf("got %d bytes, %v", len(data), err)
	}
	if srv.hits.Load() != 4 {
		t.Errorf("server saw %d requests, want 4", srv.hits.Load())
	}
	if last.Attempt != 4 || last.Done != 100 {
		t.Errorf("last progress %+v", last)
	}
}

func TestRetryGivesUpAfterMaxAttempts(t *testing.T) {
	srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { w.WriteHeader(http.StatusServiceUnavailable) })
	c := newTestClient(t, srv.URL, func(o *Options) { o.MaxAttempts = 2 })
	_, err := c.Documents(context.Background(), sampleID, nil)
	if e := asAPIError(t, err); e.Attempts != 2 || srv.hits.Load() != 2 || !strings.Contains(err.Error(), "(after 2 attempts)") {
		t.Errorf("attempts %d, hits %d, error %q", e.Attempts, srv.hits.Load(), err)
	}
}

func TestBackoffWaits(t *testing.T) {
	srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { w.WriteHeader(http.StatusBadGateway) })
	base := 10 * time.Millisecond
	c := newTestClient(t, srv.URL, func(o *Options) { o.BaseBackoff, o.MaxRetryAfter = base, time.Second })
	rec := &waitRecorder{}
	c.sleep = rec.sleep
	c.Documents(context.Background(), sampleID, nil)
	waits := rec.all()
	if len(waits) != 3 {
		t.Fatalf("waits %v, want 3 (between 4 attempts)", waits)
	}
	for i, w := range waits {
		d := base << i
		if w < d/2 || w > d {
			t.Errorf("wait %d = %v, want within [%v, %v]", i+1, w, d/2, d)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name, header string
		status       int
		maxRA        time.Duration
		want         time.Duration
	}{
		{"seconds", "2", 429, 0, 2 * time.Second},
		{"zero", "0", 503, 0, 0},
		{"http date", now.Add(3 * time.Second).Format(http.TimeFormat), 429, 0, 3 * time.Second},
		{"date in the past", now.Add(-time.Hour).Format(http.TimeFormat), 503, 0, 0},
		{"capped at 30 s", "120", 429, 0, 30 * time.Second},
		{"date capped", now.Add(time.Hour).Format(http.TimeFormat), 503, 0, 30 * time.Second},
		{"smaller cap", "10", 429, 5 * time.Second, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, hit int) {
				if hit == 1 {
					w.Header().Set("Retry-After", tt.header)
					w.WriteHeader(tt.status)
					return
				}
				w.Write(fakeZIP(10))
			})
			c := newTestClient(t, srv.URL, func(o *Options) {
				o.MaxRetryAfter = tt.maxRA
				o.BaseBackoff = time.Hour // would show if Retry-After were ignored
				o.Now = func() time.Time { return now }
				o.Timeout = time.Hour // the waits are only recorded
			})
			rec := &waitRecorder{}
			c.sleep = rec.sleep
			if _, err := c.Documents(context.Background(), sampleID, nil); err != nil {
				t.Fatal(err)
			}
			if waits := rec.all(); len(waits) != 1 || waits[0] != tt.want {
				t.Errorf("waits %v, want [%v]", waits, tt.want)
			}
		})
	}
}

func TestRetryWaitRespectsContext(t *testing.T) {
	srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Retry-After", "20")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := newTestClient(t, srv.URL, func(o *Options) { o.MaxRetryAfter, o.Timeout = time.Minute, time.Hour })

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Documents(ctx, sampleID, nil)
	if !errors.Is(err, context.Canceled) || KindName(err) != "canceled" {
		t.Errorf("error %v, want canceled", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("cancel during a Retry-After wait took %v", d)
	}

	// A wait that would outlast the deadline is not started: the rate limit is reported.
	ctx, cancel2 := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel2()
	start = time.Now()
	_, err = c.Documents(ctx, sampleID, nil)
	if !errors.Is(err, ErrRateLimited) {
		t.Errorf("error %v, want rate limited", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
}

// hijackReset answers with raw bytes and then resets the connection.
func hijackReset(t *testing.T, w http.ResponseWriter, raw string) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	buf.WriteString(raw)
	buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // RST instead of FIN
	}
	conn.Close()
}

func TestConnectionResetMidBodyIsRetried(t *testing.T) {
	full := fakeZIP(1000)
	srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, hit int) {
		if hit == 1 {
			hijackReset(t, w, "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: 1000\r\n\r\n"+string(full[:300]))
			return
		}
		w.Write(full)
	})
	c := newTestClient(t, srv.URL, nil)
	data, err := c.Documents(context.Background(), sampleID, nil)
	if err != nil || string(data) != string(full) {
		t.Fatalf("got %d bytes, %v", len(data), err)
	}
	if srv.hits.Load() != 2 {
		t.Errorf("server saw %d requests, want 2", srv.hits.Load())
	}
}

func TestTruncatedBody(t *testing.T) {
	tests := map[string]string{
		"content-length lie": "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nPK" + strings.Repeat("x", 400),
		"chunked cut":        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n100\r\nPK" + strings.Repeat("x", 100),
		"headers cut":        "HTTP/1.1 200 OK\r\nContent-Le",
		"nothing":            "",
	}
	for name, raw := range tests {
		t.Run(name, func(t *testing.T) {
			srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { hijackReset(t, w, raw) })
			c := newTestClient(t, srv.URL, nil)
			_, err := c.Documents(context.Background(), sampleID, nil)
			e := asAPIError(t, err)
			if !errors.Is(err, ErrNetwork) || e.Attempts != 4 || srv.hits.Load() != 4 {
				t.Errorf("error %v (attempts %d, hits %d), want a network error after 4 attempts", err, e.Attempts, srv.hits.Load())
			}
			if e.Hint != networkHint {
				t.Errorf("hint %q", e.Hint)
			}
		})
	}
}

func TestCancelMidBody(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Content-Length", strconv.Itoa(10<<20))
		w.Write(fakeZIP(200 << 10))
		http.NewResponseController(w).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	c := newTestClient(t, srv.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	var canceledAt time.Time
	var once sync.Once
	_, err := c.Documents(ctx, sampleID, func(p Progress) {
		if p.Done > 0 {
			once.Do(func() { canceledAt = time.Now(); cancel() })
		}
	})
	elapsed := time.Since(canceledAt)
	if canceledAt.IsZero() {
		t.Fatalf("no progress reported; error %v", err)
	}
	if !errors.Is(err, context.Canceled) || KindName(err) != "canceled" {
		t.Errorf("error %v, want canceled", err)
	}
	if elapsed > 200*time.Millisecond {
		t.Errorf("cancel took %v, want ≤ 200 ms", elapsed)
	}
	t.Logf("cancel mid-body returned after %v", elapsed)
	if srv.hits.Load() != 1 {
		t.Errorf("%d requests after cancel", srv.hits.Load())
	}
}

func TestCancelBeforeHeaders(t *testing.T) {
	srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { <-r.Context().Done() })
	c := newTestClient(t, srv.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Evaluation(ctx, sampleID)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v", err)
	}
	if d := time.Since(start); d > 230*time.Millisecond {
		t.Errorf("took %v", d)
	}
}

func TestTimeouts(t *testing.T) {
	block := func(w http.ResponseWriter, r *http.Request, _ int) { <-r.Context().Done() }
	stall := func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte("PK123"))
		http.NewResponseController(w).Flush()
		<-r.Context().Done()
	}
	tests := []struct {
		name     string
		h        func(http.ResponseWriter, *http.Request, int)
		mod      func(*Options)
		msg      string
		attempts int
		deadline bool
	}{
		{"headers", block, func(o *Options) { o.HeaderTimeout, o.MaxAttempts = 80*time.Millisecond, 2 }, "no response within 80ms", 2, false},
		{"stalled body", stall, func(o *Options) { o.StallTimeout, o.MaxAttempts = 80*time.Millisecond, 3 }, "no data received for 80ms", 3, false},
		{"whole call", block, func(o *Options) { o.Timeout = 150 * time.Millisecond }, "timed out", 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newHitServer(t, tt.h)
			c := newTestClient(t, srv.URL, tt.mod)
			start := time.Now()
			_, err := c.Documents(context.Background(), sampleID, nil)
			e := asAPIError(t, err)
			if !errors.Is(err, ErrNetwork) || e.Message != tt.msg || e.Attempts != tt.attempts {
				t.Errorf("error %v (message %q, attempts %d)", err, e.Message, e.Attempts)
			}
			if int(srv.hits.Load()) != tt.attempts {
				t.Errorf("server saw %d requests", srv.hits.Load())
			}
			if errors.Is(err, context.DeadlineExceeded) != tt.deadline {
				t.Errorf("errors.Is DeadlineExceeded = %v", !tt.deadline)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestSizeCap(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		chunked bool
		wantErr bool
	}{
		{"content-length over the cap", 5000, false, true},
		{"streamed over the cap", 5000, true, true},
		{"exactly the cap", 1000, false, false},
		{"exactly the cap streamed", 1000, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				body := fakeZIP(tt.n)
				if tt.chunked {
					for i := 0; i < len(body); i += 100 {
						w.Write(body[i:min(i+100, len(body))])
						http.NewResponseController(w).Flush()
					}
					return
				}
				w.Header().Set("Content-Length", strconv.Itoa(tt.n))
				w.Write(body)
			})
			c := newTestClient(t, srv.URL, func(o *Options) { o.MaxBytes = 1000 })
			var maxDone int64
			data, err := c.Documents(context.Background(), sampleID, func(p Progress) { maxDone = max(maxDone, p.Done) })
			if !tt.wantErr {
				if err != nil || len(data) != tt.n {
					t.Fatalf("got %d bytes, %v", len(data), err)
				}
				return
			}
			e := asAPIError(t, err)
			if !errors.Is(err, ErrTooLarge) || KindName(err) != "too_large" || e.Attempts != 1 || srv.hits.Load() != 1 {
				t.Errorf("error %v, attempts %d, hits %d", err, e.Attempts, srv.hits.Load())
			}
			if !strings.Contains(e.Message, "1000 bytes limit") {
				t.Errorf("message %q", e.Message)
			}
			if !tt.chunked && maxDone > 0 {
				t.Errorf("read %d bytes of a body whose Content-Length was over the cap", maxDone)
			}
			if maxDone > 1000 {
				t.Errorf("progress reported %d bytes, over the cap", maxDone)
			}
		})
	}
}

func TestNotAZip(t *testing.T) {
	tests := []struct {
		name, ct, body string
		status         int
		msg            string
	}{
		{"html by type", "text/html; charset=utf-8", "<html><title>Sign in</title></html>", 200, "the server answered with an HTML page, not a ZIP"},
		{"html by bytes", "application/octet-stream", "<!DOCTYPE html><html></html>", 200, "the server answered with an HTML page, not a ZIP"},
		{"json by type", "application/json", `{"message":"queued"}`, 200, "the server answered with JSON, not a ZIP: queued"},
		{"json by bytes", "application/zip", `{"status":"x"}`, 200, "the server answered with JSON, not a ZIP"},
		{"other bytes", "application/zip", "hello", 200, "the response is not a ZIP archive"},
		{"empty", "application/zip", "", 200, "the response was empty, not a ZIP archive"},
		{"no content", "", "", 204, "the response was empty, not a ZIP archive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				if tt.ct != "" {
					w.Header().Set("Content-Type", tt.ct)
				}
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.body)
			})
			c := newTestClient(t, srv.URL, nil)
			_, err := c.Documents(context.Background(), sampleID, nil)
			e := asAPIError(t, err)
			if !errors.Is(err, ErrBadArchive) || KindName(err) != "bad_archive" || e.Message != tt.msg || e.Status != tt.status {
				t.Errorf("error %v (message %q, status %d)", err, e.Message, e.Status)
			}
			if srv.hits.Load() != 1 {
				t.Errorf("retried: %d requests", srv.hits.Load())
			}
		})
	}
}

func TestProgress(t *testing.T) {
	const size = 2 << 20
	for _, known := range []bool{true, false} {
		t.Run(fmt.Sprintf("length known %v", known), func(t *testing.T) {
			body := fakeZIP(size)
			srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				if known {
					w.Header().Set("Content-Length", strconv.Itoa(size))
				}
				for i := 0; i < size; i += 4 << 10 {
					w.Write(body[i : i+4<<10])
					http.NewResponseController(w).Flush()
				}
			})
			c := newTestClient(t, srv.URL, nil)
			var calls []Progress
			data, err := c.Documents(context.Background(), sampleID, func(p Progress) { calls = append(calls, p) })
			if err != nil || len(data) != size {
				t.Fatalf("got %d bytes, %v", len(data), err)
			}
			wantTotal := int64(-1)
			if known {
				wantTotal = size
			}
			if len(calls) < 3 || len(calls) > 60 {
				t.Errorf("%d progress calls for %d bytes", len(calls), size)
			}
			if calls[0].Done != 0 {
				t.Errorf("first call %+v", calls[0])
			}
			for i, p := range calls {
				if p.Total != wantTotal || p.Attempt != 1 {
					t.Errorf("call %d: %+v", i, p)
				}
				if i > 0 && p.Done <= calls[i-1].Done {
					t.Errorf("call %d: Done %d after %d", i, p.Done, calls[i-1].Done)
				}
			}
			if last := calls[len(calls)-1]; last.Done != size {
				t.Errorf("last call %+v", last)
			}
		})
	}
}

// TestRawResponseShapes covers answers an httptest handler cannot produce.
func TestRawResponseShapes(t *testing.T) {
	srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		hijackReset(t, w, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nPK!extra bytes beyond the length")
	})
	c := newTestClient(t, srv.URL, nil)
	data, err := c.Documents(context.Background(), sampleID, nil)
	if err != nil || string(data) != "PK!" {
		t.Errorf("got %q, %v; want the 3 declared bytes", data, err)
	}
}
