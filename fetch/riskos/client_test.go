package riskos

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"docvreview/fetch/eval"
)

// clientKey is the API key of test clients; no error may ever contain it.
const clientKey = "tk_5f2b9c0d7e1a4b3c9d8e7f60"

// fakeZIP is enough of a ZIP for Documents, which only checks the magic.
func fakeZIP(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	copy(b, "PK\x03\x04")
	return b
}

// hitServer is an httptest server that counts its requests.
type hitServer struct {
	*httptest.Server
	hits atomic.Int32
}

func newHitServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request, hit int)) *hitServer {
	t.Helper()
	s := &hitServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(w, r, int(s.hits.Add(1)))
	}))
	t.Cleanup(s.Close)
	return s
}

// waitRecorder replaces the client's sleep: it records waits and returns at once.
type waitRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (w *waitRecorder) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.waits = append(w.waits, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waitRecorder) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.waits...)
}

// newTestClient is a Sandbox client for base with fast retries and short bounds.
func newTestClient(t *testing.T, base string, mod func(*Options)) *Client {
	t.Helper()
	o := Options{
		Env:           eval.Sandbox,
		BaseURL:       base,
		APIKey:        clientKey,
		BaseBackoff:   time.Millisecond,
		MaxRetryAfter: 20 * time.Millisecond,
		HeaderTimeout: 5 * time.Second,
		StallTimeout:  5 * time.Second,
		Timeout:       15 * time.Second,
	}
	if mod != nil {
		mod(&o)
	}
	c, err := NewClient(o)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// asAPIError fails the test unless err is an *APIError.
func asAPIError(t *testing.T, err error) *APIError {
	t.Helper()
	var e *APIError
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *APIError", err, err)
	}
	return e
}

func TestNewClient(t *testing.T) {
	tests := []struct {
		name    string
		o       Options
		wantErr error
		errHas  string
	}{
		{name: "sandbox with key", o: Options{Env: eval.Sandbox, APIKey: "k"}},
		{name: "production with key", o: Options{Env: eval.Production, APIKey: " k \n"}},
		{name: "sandbox without key", o: Options{Env: eval.Sandbox}, wantErr: ErrNoKey, errHas: "docvreview key set --env sandbox"},
		{name: "production blank key", o: Options{Env: eval.Production, APIKey: "  "}, wantErr: ErrNoKey, errHas: "Settings"},
		{name: "key with a space", o: Options{Env: eval.Sandbox, APIKey: "two words"}, wantErr: ErrNoKey, errHas: "spaces or control"},
		{name: "key with a newline inside", o: Options{Env: eval.Sandbox, APIKey: "ab\ncd"}, wantErr: ErrNoKey},
		{name: "https base", o: Options{Env: eval.Sandbox, APIKey: "k", BaseURL: "https://proxy.example.com/riskos/"}},
		{name: "http loopback v4", o: Options{Env: eval.Sandbox, APIKey: "k", BaseURL: "http://127.0.0.1:8080"}},
		{name: "http loopback v6", o: Options{Env: eval.Sandbox, APIKey: "k", BaseURL: "http://[::1]:8080"}},
		{name: "http localhost", o: Options{Env: eval.Production, APIKey: "k", BaseURL: "http://LocalHost:1"}},
		{name: "demo over loopback without key", o: Options{Env: eval.Demo, BaseURL: "http://127.0.0.1:8080"}},
		{name: "http remote", o: Options{Env: eval.Sandbox, APIKey: "k", BaseURL: "http://riskos.socure.com"}, wantErr: ErrInsecureURL, errHas: "https anywhere"},
		{name: "http private address", o: Options{Env: eval.Sandbox, APIKey: "k", BaseURL: "http://10.0.0.1"}, wantErr: ErrInsecureURL},
		{name: "ftp", o: Options{Env: eval.Sandbox, APIKey: "k", BaseURL: "ftp://127.0.0.1"}, wantErr: ErrInsecureURL},
		{name: "no scheme", o: Options{Env: eval.Sandbox, APIKey: "k", BaseURL: "riskos.socure.com"}, wantErr: ErrInsecureURL},
		{name: "credentials", o: Options{Env: eval.Sandbox, APIKey: "k", BaseURL: "https://user:hunter2@x.example"}, wantErr: ErrInsecureURL, errHas: "user name"},
		{name: "query", o: Options{Env: eval.Sandbox, APIKey: "k", BaseURL: "https://x.example/?a=b"}, wantErr: ErrInsecureURL},
		{name: "unknown environment", o: Options{Env: "staging", APIKey: "k"}, errHas: "unknown environment"},
		{name: "bad API version", o: Options{Env: eval.Sandbox, APIKey: "k", APIVersion: "2025 01"}, errHas: "API version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.o)
			if tt.wantErr == nil && tt.errHas == "" {
				if err != nil {
					t.Fatalf("NewClient: %v", err)
				}
				if c.Env() != tt.o.Env {
					t.Errorf("Env() = %q", c.Env())
				}
				return
			}
			if err == nil {
				t.Fatal("want an error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v is not %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("error %q lacks %q", err, tt.errHas)
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "two words") {
				t.Errorf("error %q echoes a secret", err)
			}
		})
	}
}

func TestRequestHeadersAndPath(t *testing.T) {
	var got http.Header
	var path string
	srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		got, path = r.Header.Clone(), r.URL.Path
		w.Write(fakeZIP(100))
	})
	c := newTestClient(t, srv.URL+"/prefix/", func(o *Options) { o.APIVersion = "2025-01-01.orion" })
	if _, err := c.Documents(context.Background(), "  \""+strings.ToUpper(sampleID)+"\" ", nil); err != nil {
		t.Fatal(err)
	}
	if want := "/prefix/api/evaluation/" + sampleID + "/documents"; path != want {
		t.Errorf("path %q, want %q", path, want)
	}
	for k, want := range map[string]string{
		"Authorization": "Bearer " + clientKey,
		"User-Agent":    "DocVReview/" + Version,
		"X-Api-Version": "2025-01-01.orion",
	} {
		if got.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, got.Get(k), want)
		}
	}
	if !strings.Contains(got.Get("Accept"), "application/zip") {
		t.Errorf("Accept = %q", got.Get("Accept"))
	}

	c = newTestClient(t, srv.URL, nil)
	if _, err := c.Documents(context.Background(), sampleID, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := got["X-Api-Version"]; ok {
		t.Error("X-API-Version sent although none was configured")
	}
	if path != "/api/evaluation/"+sampleID+"/documents" {
		t.Errorf("path %q", path)
	}
}

func TestInvalidEvalIDMakesNoRequest(t *testing.T) {
	srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { w.Write(fakeZIP(10)) })
	c := newTestClient(t, srv.URL, nil)
	for _, id := range []string{"", "nope", sampleID + " " + "11111111-1111-4111-8111-111111111111"} {
		if _, err := c.Documents(context.Background(), id, nil); !errors.Is(err, ErrInvalidEvalID) {
			t.Errorf("Documents(%q) error %v", id, err)
		}
		if _, err := c.Evaluation(context.Background(), id); !errors.Is(err, ErrInvalidEvalID) {
			t.Errorf("Evaluation(%q) error %v", id, err)
		}
		if _, err := c.FetchCase(context.Background(), id, nil); !errors.Is(err, ErrInvalidEvalID) {
			t.Errorf("FetchCase(%q) error %v", id, err)
		}
	}
	if n := srv.hits.Load(); n != 0 {
		t.Errorf("%d requests made for invalid ids", n)
	}
}

func TestAPIKeyPastedAsEvalID(t *testing.T) {
	srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { w.Write(fakeZIP(10)) })
	key := "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
	c := newTestClient(t, srv.URL, func(o *Options) { o.APIKey = key })
	_, err := c.Documents(context.Background(), strings.ToUpper(key), nil)
	if !errors.Is(err, ErrInvalidEvalID) {
		t.Fatalf("error %v, want ErrInvalidEvalID", err)
	}
	if strings.Contains(strings.ToLower(err.Error()), key[:8]) {
		t.Errorf("error %q echoes the key", err)
	}
	if srv.hits.Load() != 0 {
		t.Error("the key was sent as an eval_id")
	}
}

// TestKeyNeverInErrors drives every failure path with a server that echoes
// the key back, and checks no error text carries it.
func TestKeyNeverInErrors(t *testing.T) {
	echo := func(status int, ct, body string) func(http.ResponseWriter, *http.Request, int) {
		return func(w http.ResponseWriter, r *http.Request, _ int) {
			w.Header().Set("Content-Type", ct)
			w.WriteHeader(status)
			fmt.Fprintf(w, body, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		}
	}
	handlers := map[string]func(http.ResponseWriter, *http.Request, int){
		"401 json":      echo(401, "application/json", `{"message":"key %s is not valid"}`),
		"403 html":      echo(403, "text/html", `<html><title>denied for %s</title></html>`),
		"400 text":      echo(400, "text/plain", `bad request from %s`),
		"404 long":      echo(404, "text/plain", strings.Repeat("x", 190)+" %s"),
		"429":           echo(429, "text/plain", `slow down %s`),
		"503":           echo(503, "application/json", `{"error":{"message":"down for %s"}}`),
		"200 json":      echo(200, "application/json", `{"message":"here is %s"}`),
		"200 not a zip": echo(200, "application/zip", `not a zip %s`),
		"redirect with the key in the host": func(w http.ResponseWriter, r *http.Request, _ int) {
			http.Redirect(w, r, "http://"+clientKey+".example.com/x", http.StatusFound)
		},
		"cut body": func(w http.ResponseWriter, r *http.Request, _ int) {
			w.Header().Set("Content-Length", "1000")
			w.Write([]byte("PK" + clientKey))
			panic(http.ErrAbortHandler)
		},
	}
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			srv := newHitServer(t, h)
			c := newTestClient(t, srv.URL, nil)
			_, err := c.Documents(context.Background(), sampleID, nil)
			if err == nil {
				t.Fatal("want an error")
			}
			e := asAPIError(t, err)
			for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), e.Message, e.Hint} {
				if strings.Contains(s, clientKey) || strings.Contains(s, clientKey[:10]) {
					t.Errorf("%q contains the key", s)
				}
			}
		})
	}
}
