package riskos

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Fault injection against a loopback server, measured on the wall clock
// (attempt_test.go records the waits with a fake sleep; these let the real
// timers run). What they add: measured backoff gaps, 429 without
// Retry-After falling back to backoff, a real Retry-After wait, bursts of
// 502/503/504 shorter and longer than the attempt budget, resets before any
// response, cancelling a download stalled before its first body byte (alone
// and inside FetchCase), and that the same Client works again after every
// kind of failure.

// arrivals records when each request reached the server.
type arrivals struct {
	mu sync.Mutex
	at []time.Time
}

func (a *arrivals) add() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.at = append(a.at, time.Now())
	return len(a.at)
}

func (a *arrivals) gaps() []time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	var g []time.Duration
	for i := 1; i < len(a.at); i++ {
		g = append(g, a.at[i].Sub(a.at[i-1]))
	}
	return g
}

// schedSlack is how late a timer and a loopback round trip may be under -race on a busy machine.
const schedSlack = 150 * time.Millisecond

func TestFaultBackoffMeasured(t *testing.T) {
	for _, status := range []int{http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout, http.StatusTooManyRequests} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			var arr arrivals
			srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				arr.add()
				w.WriteHeader(status) // no Retry-After: the client's own backoff
			})
			base := 40 * time.Millisecond
			c := newTestClient(t, srv.URL, func(o *Options) { o.BaseBackoff, o.MaxRetryAfter = base, time.Second })
			start := time.Now()
			_, err := c.Documents(context.Background(), sampleID, nil)
			e := asAPIError(t, err)
			if e.Status != status || e.Attempts != DefaultMaxAttempts || srv.hits.Load() != DefaultMaxAttempts {
				t.Fatalf("error %v: status %d, attempts %d, hits %d; want %d after %d", err, e.Status, e.Attempts, srv.hits.Load(), status, DefaultMaxAttempts)
			}
			gaps := arr.gaps()
			for i, g := range gaps {
				d := base << i
				if g < d/2 || g > d+schedSlack {
					t.Errorf("gap %d = %v, want within [%v, %v]", i+1, g, d/2, d+schedSlack)
				}
			}
			t.Logf("gaps %v (bounds [d/2, d] for d = %v, %v, %v), total %v", gaps, base, 2*base, 4*base, time.Since(start).Round(time.Millisecond))
		})
	}
}

func TestFaultRetryAfterMeasured(t *testing.T) {
	var arr arrivals
	srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, hit int) {
		arr.add()
		if hit == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Write(fakeZIP(64))
	})
	c := newTestClient(t, srv.URL, func(o *Options) { o.BaseBackoff, o.MaxRetryAfter = time.Millisecond, 5*time.Second })
	if _, err := c.Documents(context.Background(), sampleID, nil); err != nil {
		t.Fatal(err)
	}
	g := arr.gaps()
	if len(g) != 1 || g[0] < time.Second || g[0] > time.Second+schedSlack {
		t.Errorf("gaps %v, want one of 1 s (Retry-After: 1, not the 1 ms backoff)", g)
	}
}

func TestFaultBursts(t *testing.T) {
	burst := []int{http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout, http.StatusBadGateway, http.StatusServiceUnavailable}
	tests := []struct {
		name     string
		n        int // failures before success
		wantErr  bool
		attempts int
	}{
		{"burst of 1", 1, false, 2},
		{"burst of 3 (the budget's edge)", 3, false, 4},
		{"burst of 4", 4, true, 4},
		{"burst of 5", 5, true, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, hit int) {
				if hit <= tt.n {
					w.Header().Set("Retry-After", "0")
					w.WriteHeader(burst[hit-1])
					return
				}
				w.Write(fakeZIP(64))
			})
			c := newTestClient(t, srv.URL, nil)
			data, err := c.Documents(context.Background(), sampleID, nil)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				e := asAPIError(t, err)
				if e.Attempts != tt.attempts || e.Status != burst[tt.attempts-1] || !errors.Is(err, ErrServer) {
					t.Errorf("error %v: attempts %d status %d; want %d attempts, the last status %d", err, e.Attempts, e.Status, tt.attempts, burst[tt.attempts-1])
				}
			} else if len(data) != 64 {
				t.Errorf("%d bytes", len(data))
			}
			if int(srv.hits.Load()) != tt.attempts {
				t.Errorf("server saw %d requests, want %d", srv.hits.Load(), tt.attempts)
			}
		})
	}
}

// TestFaultBurstsInFetchCase: both requests of a case burst at once and
// still make a case.
func TestFaultBurstsInFetchCase(t *testing.T) {
	var docHits, evalHits atomic.Int32
	zipData := frontOnlyZIP(t)
	srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		hits := &evalHits
		if len(r.URL.Path) > len("/documents") && r.URL.Path[len(r.URL.Path)-len("/documents"):] == "/documents" {
			hits = &docHits
		}
		if n := hits.Add(1); n <= 3 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader([]int{502, 503, 504}[n-1])
			return
		}
		if hits == &docHits {
			w.Write(zipData)
			return
		}
		fmt.Fprint(w, `{"decision":"ACCEPT"}`)
	})
	c := newTestClient(t, srv.URL, nil)
	cs, err := c.FetchCase(context.Background(), sampleID, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	if cs.Evaluation == nil || cs.Evaluation.Decision != "ACCEPT" || len(cs.Images()) != 1 {
		t.Errorf("case: evaluation %+v, %d images", cs.Evaluation, len(cs.Images()))
	}
	if docHits.Load() != 4 || evalHits.Load() != 4 {
		t.Errorf("documents %d and evaluation %d requests, want 4 each", docHits.Load(), evalHits.Load())
	}
}

// frontOnlyZIP is a documents ZIP holding one front image.
func frontOnlyZIP(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, bytes.Repeat([]byte{0x42}, 200)...))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFaultResetBeforeResponse(t *testing.T) {
	for _, resets := range []int{1, 3, 4} {
		t.Run(strconv.Itoa(resets), func(t *testing.T) {
			srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, hit int) {
				if hit <= resets {
					hijackReset(t, w, "")
					return
				}
				w.Write(fakeZIP(64))
			})
			c := newTestClient(t, srv.URL, nil)
			_, err := c.Documents(context.Background(), sampleID, nil)
			want := min(resets+1, DefaultMaxAttempts)
			if resets < DefaultMaxAttempts && err != nil {
				t.Fatalf("after %d resets: %v", resets, err)
			}
			if resets >= DefaultMaxAttempts {
				if e := asAPIError(t, err); !errors.Is(err, ErrNetwork) || e.Attempts != want {
					t.Errorf("error %v (attempts %d), want a network error after %d", err, e.Attempts, want)
				}
			}
			if int(srv.hits.Load()) != want {
				t.Errorf("server saw %d requests, want %d", srv.hits.Load(), want)
			}
		})
	}
}

// stallAfterHeaders sends the headers of a 10 MiB ZIP and then nothing.
func stallAfterHeaders(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Length", strconv.Itoa(10<<20))
	w.WriteHeader(http.StatusOK)
	http.NewResponseController(w).Flush()
	<-r.Context().Done()
}

func TestFaultCancelStalledDownload(t *testing.T) {
	const limit = 200 * time.Millisecond
	t.Run("documents, no body byte yet", func(t *testing.T) {
		srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { stallAfterHeaders(w, r) })
		c := newTestClient(t, srv.URL, nil) // stall timeout 5 s: only the cancel can end it
		ctx, cancel := context.WithCancel(context.Background())
		var cancelledAt atomic.Int64
		time.AfterFunc(150*time.Millisecond, func() { cancelledAt.Store(time.Now().UnixNano()); cancel() })
		_, err := c.Documents(ctx, sampleID, nil)
		took := time.Since(time.Unix(0, cancelledAt.Load()))
		if !errors.Is(err, context.Canceled) || KindName(err) != "canceled" {
			t.Errorf("error %v, want canceled", err)
		}
		if took > limit {
			t.Errorf("returned %v after the cancel, want ≤ %v", took, limit)
		}
		if srv.hits.Load() != 1 {
			t.Errorf("%d requests: a cancelled download was retried", srv.hits.Load())
		}
		t.Logf("cancel → return: %v", took)
	})
	t.Run("FetchCase, both requests stalled", func(t *testing.T) {
		srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { stallAfterHeaders(w, r) })
		c := newTestClient(t, srv.URL, nil)
		ctx, cancel := context.WithCancel(context.Background())
		var cancelledAt atomic.Int64
		time.AfterFunc(150*time.Millisecond, func() { cancelledAt.Store(time.Now().UnixNano()); cancel() })
		_, err := c.FetchCase(ctx, sampleID, nil)
		took := time.Since(time.Unix(0, cancelledAt.Load()))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want canceled", err)
		}
		if took > limit {
			t.Errorf("returned %v after the cancel, want ≤ %v", took, limit)
		}
		t.Logf("cancel → return: %v", took)
	})
}

// stallChunked sends the start of a ZIP of unknown length and then nothing.
func stallChunked(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/zip")
	w.Write([]byte("PK\x03\x04"))
	http.NewResponseController(w).Flush()
	<-r.Context().Done()
}

// TestFaultNextFetchWorks: after each kind of failure, the same Client
// fetches the next case normally (no stuck connection, timer or state).
func TestFaultNextFetchWorks(t *testing.T) {
	faults := []struct {
		name  string
		kind  error
		fault func(t *testing.T, w http.ResponseWriter, r *http.Request)
	}{
		{"429 exhausted", ErrRateLimited, func(t *testing.T, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
		}},
		{"503 exhausted", ErrServer, func(t *testing.T, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
		}},
		{"401", ErrUnauthorized, func(t *testing.T, w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) }},
		{"reset mid-body", ErrNetwork, func(t *testing.T, w http.ResponseWriter, r *http.Request) {
			hijackReset(t, w, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nPK\x03\x04partial")
		}},
		{"reset before response", ErrNetwork, func(t *testing.T, w http.ResponseWriter, r *http.Request) { hijackReset(t, w, "") }},
		{"stalled body (stall timeout)", ErrNetwork, func(t *testing.T, w http.ResponseWriter, r *http.Request) { stallChunked(w, r) }},
		{"call deadline while stalled", ErrNetwork, func(t *testing.T, w http.ResponseWriter, r *http.Request) { stallChunked(w, r) }},
		{"caller cancels while stalled", context.Canceled, func(t *testing.T, w http.ResponseWriter, r *http.Request) { stallChunked(w, r) }},
		{"too large", ErrTooLarge, func(t *testing.T, w http.ResponseWriter, r *http.Request) { w.Write(fakeZIP(3000)) }},
		{"html instead of a zip", ErrBadArchive, func(t *testing.T, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html>login</html>")
		}},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			var healthy atomic.Bool
			srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				if healthy.Load() {
					w.Write(fakeZIP(2000))
					return
				}
				f.fault(t, w, r)
			})
			c := newTestClient(t, srv.URL, func(o *Options) {
				o.StallTimeout, o.MaxBytes = 100*time.Millisecond, 2500
				if f.name == "call deadline while stalled" {
					o.StallTimeout, o.Timeout = 5*time.Second, 150*time.Millisecond
				}
			})
			ctx := context.Background()
			if f.name == "caller cancels while stalled" {
				var cancel context.CancelFunc
				ctx, cancel = context.WithCancel(ctx)
				time.AfterFunc(60*time.Millisecond, cancel)
			}
			_, err := c.Documents(ctx, sampleID, nil)
			if !errors.Is(err, f.kind) {
				t.Fatalf("the fault gave %v, want %v", err, f.kind)
			}
			healthy.Store(true)
			for i := range 2 {
				start := time.Now()
				data, err := c.Documents(context.Background(), sampleID, nil)
				if err != nil || len(data) != 2000 {
					t.Fatalf("fetch %d after the failure: %d bytes, %v", i+1, len(data), err)
				}
				if d := time.Since(start); d > time.Second {
					t.Errorf("fetch %d after the failure took %v", i+1, d)
				}
			}
		})
	}
}
