package simulator

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// roundTrip sends a GET through Transport(h).
func roundTrip(t *testing.T, ctx context.Context, h http.Handler) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://riskos.simulator.invalid/x?y=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	return Transport(h).RoundTrip(req)
}

func TestTransportStreamsBeforeHandlerEnds(t *testing.T) {
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10")
		w.Header().Set("X-Test", "yes")
		w.WriteHeader(http.StatusAccepted)
		w.(http.Flusher).Flush()
		_, _ = w.Write([]byte("hello"))
		<-release
		_, _ = w.Write([]byte("world"))
	})
	resp, err := roundTrip(t, t.Context(), h)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || resp.Status != "202 Accepted" || resp.Header.Get("X-Test") != "yes" {
		t.Errorf("status %q header %v", resp.Status, resp.Header)
	}
	if resp.ContentLength != 10 || resp.ProtoMajor != 1 || resp.Request == nil {
		t.Errorf("ContentLength %d proto %d request %v", resp.ContentLength, resp.ProtoMajor, resp.Request)
	}
	buf := make([]byte, 5)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "hello" {
		t.Fatalf("first part %q, %v (should arrive while the handler waits)", buf, err)
	}
	close(release)
	rest, err := io.ReadAll(resp.Body)
	if err != nil || string(rest) != "world" {
		t.Errorf("rest %q, %v", rest, err)
	}
}

func TestTransportHeaderSnapshot(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("A", "1")
		w.WriteHeader(http.StatusOK)
		w.Header().Set("B", "late") // after WriteHeader: not sent, as over HTTP
		_, _ = w.Write([]byte("x"))
	})
	resp, err := roundTrip(t, t.Context(), h)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.ReadAll(resp.Body)
	if resp.Header.Get("A") != "1" || resp.Header.Get("B") != "" {
		t.Errorf("header %v", resp.Header)
	}
	if resp.ContentLength != -1 {
		t.Errorf("ContentLength %d without the header, want -1", resp.ContentLength)
	}
}

func TestTransportImplicitAnswers(t *testing.T) {
	cases := []struct {
		name       string
		h          http.HandlerFunc
		status     int
		body       string
		length     int64
		wantSniffs string
	}{
		{"nothing written", func(http.ResponseWriter, *http.Request) {}, 200, "", 0, ""},
		{"write without header", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<html>hi</html>")) }, 200, "<html>hi</html>", -1, "text/html"},
		{"flush only", func(w http.ResponseWriter, r *http.Request) { w.(http.Flusher).Flush() }, 200, "", -1, ""},
		{"1xx then final", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusContinue)
			w.WriteHeader(http.StatusTeapot)
			w.WriteHeader(http.StatusOK)
		}, http.StatusTeapot, "", -1, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := roundTrip(t, t.Context(), tc.h)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.status || string(body) != tc.body || resp.ContentLength != tc.length {
				t.Errorf("status %d body %q length %d; want %d %q %d", resp.StatusCode, body, resp.ContentLength, tc.status, tc.body, tc.length)
			}
			if tc.wantSniffs != "" && !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.wantSniffs) {
				t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
			}
		})
	}
}

func TestTransportShortBody(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		_, _ = w.Write([]byte("only this"))
	})
	resp, err := roundTrip(t, t.Context(), h)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("read error %v, want io.ErrUnexpectedEOF", err)
	}
}

func TestTransportRequestSeenByHandler(t *testing.T) {
	type key struct{}
	got := make(chan *http.Request, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got <- r })
	ctx := context.WithValue(t.Context(), key{}, "v")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://riskos.simulator.invalid/api/evaluation/x?y=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer k")
	resp, err := Transport(h).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	r := <-got
	if r.RequestURI != "/api/evaluation/x?y=1" || r.Host != "riskos.simulator.invalid" || r.Method != "GET" ||
		r.Header.Get("Authorization") != "Bearer k" || r.Body == nil || r.RemoteAddr == "" {
		t.Errorf("handler saw %s %q host %q remote %q header %v", r.Method, r.RequestURI, r.Host, r.RemoteAddr, r.Header)
	}
	if r.Context().Value(key{}) != "v" {
		t.Error("handler's context does not derive from the request's")
	}
	if r == req {
		t.Error("handler got the caller's request itself, not a copy")
	}
}

// TestTransportCancelBeforeHeader runs in a synctest bubble: the cancel timer
// fires on the bubble's clock, and synctest.Wait lets any goroutine the
// transport started run until it blocks or ends before the test looks.
func TestTransportCancelBeforeHeader(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		handlerDone := make(chan struct{})
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer close(handlerDone)
			<-r.Context().Done()
		})
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		_, err := roundTrip(t, ctx, h)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want context.Canceled", err)
		}
		if el := time.Since(start); el != 50*time.Millisecond {
			t.Errorf("RoundTrip returned %v after start, want at the cancel (50ms)", el)
		}
		synctest.Wait()
		select {
		case <-handlerDone:
		default:
			t.Fatal("handler did not see the cancel")
		}

		// An already-cancelled context never reaches the handler.
		var called atomic.Bool
		_, err = roundTrip(t, ctx, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called.Store(true) }))
		synctest.Wait() // a wrongly started handler has run by now
		if !errors.Is(err, context.Canceled) || called.Load() {
			t.Errorf("pre-cancelled: error %v, handler called %v", err, called.Load())
		}
	})
}

// endlessHandler writes forever until a write fails, then reports the
// context state on done.
func endlessHandler(done chan error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 4096)
		for {
			if _, err := w.Write(chunk); err != nil {
				done <- r.Context().Err()
				return
			}
		}
	}
}

func TestTransportCancelMidBody(t *testing.T) {
	done := make(chan error, 1)
	ctx, cancel := context.WithCancel(t.Context())
	resp, err := roundTrip(t, ctx, endlessHandler(done))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 10000)
	if _, err := io.ReadFull(resp.Body, buf); err != nil {
		t.Fatal(err)
	}
	cancel()
	var readErr error
	for readErr == nil {
		_, readErr = resp.Body.Read(buf)
	}
	if !errors.Is(readErr, context.Canceled) {
		t.Errorf("read error %v, want context.Canceled", readErr)
	}
	select {
	case ctxErr := <-done:
		if !errors.Is(ctxErr, context.Canceled) {
			t.Errorf("handler context error %v", ctxErr)
		}
	case <-time.After(time.Second):
		t.Fatal("handler kept writing after cancel")
	}
}

func TestTransportBodyCloseStopsHandler(t *testing.T) {
	done := make(chan error, 1)
	resp, err := roundTrip(t, t.Context(), endlessHandler(done))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(resp.Body, make([]byte, 100)); err != nil {
		t.Fatal(err)
	}
	if err := resp.Body.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case ctxErr := <-done:
		if ctxErr == nil {
			t.Error("handler's context not cancelled by Body.Close")
		}
	case <-time.After(time.Second):
		t.Fatal("handler kept writing after Body.Close")
	}
}

func TestTransportHandlerPanic(t *testing.T) {
	t.Run("before header", func(t *testing.T) {
		_, err := roundTrip(t, t.Context(), http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("secret detail") }))
		if !errors.Is(err, ErrHandlerPanic) {
			t.Fatalf("error %v, want ErrHandlerPanic", err)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("error %q carries the panic value", err)
		}
	})
	t.Run("mid body", func(t *testing.T) {
		resp, err := roundTrip(t, t.Context(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte("part"))
			panic("boom")
		}))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if _, err := io.ReadAll(resp.Body); !errors.Is(err, ErrHandlerPanic) {
			t.Errorf("read error %v, want ErrHandlerPanic", err)
		}
	})
}

func TestTransportWithClient(t *testing.T) {
	// http.Client follows the Transport's answers as it would a network's,
	// including a client-side timeout while the body trickles. The
	// scenario's archive is generated first: the timeout is about the body.
	CaseZIP(SlowID)
	c := &http.Client{Transport: Transport(New(Config{})), Timeout: 200 * time.Millisecond}
	resp, err := c.Get("http://sim/api/evaluation/" + SlowID + "/documents")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	start := time.Now()
	if _, err := io.Copy(io.Discard, resp.Body); err == nil {
		t.Fatal("slow body read to the end despite the client timeout")
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("timeout took effect after %v", el)
	}
}
