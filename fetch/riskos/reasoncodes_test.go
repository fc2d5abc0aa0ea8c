package riskos

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
)

// catalogFixture is a loopback simulator counting reason-code requests, and
// a client for it.
type catalogFixture struct {
	c     *Client
	url   string
	hits  atomic.Int32
	fail  atomic.Bool // answer 500
	dir   string
	clock time.Time
}

func newCatalogFixture(t *testing.T) *catalogFixture {
	t.Helper()
	f := &catalogFixture{dir: filepath.Join(t.TempDir(), "cache"), clock: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	sim := simulator.New(simulator.Config{APIKey: clientKey})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/reason-codes" {
			f.hits.Add(1)
			if f.fail.Load() {
				w.WriteHeader(500)
				return
			}
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	f.url = srv.URL
	f.c = newTestClient(t, srv.URL, func(o *Options) { o.MaxAttempts = 1 })
	return f
}

func (f *catalogFixture) catalog() *ReasonCodeCatalog {
	return NewReasonCodeCatalog(f.c, CatalogOptions{Dir: f.dir, Now: func() time.Time { return f.clock }})
}

func TestReasonCodeCatalogCache(t *testing.T) {
	f := newCatalogFixture(t)
	ctx := t.Context()
	got := f.catalog().Describe(ctx, []string{"R838", "I831", "ZZ99", "r810"})
	if got[0].Code != "R838" || !strings.Contains(got[0].Description, "barcode") || got[1].Description == "" ||
		got[2] != (eval.ReasonCode{Code: "ZZ99"}) || got[3].Code != "r810" || got[3].Description == "" {
		t.Errorf("Describe: %+v", got)
	}
	if f.hits.Load() != 1 {
		t.Fatalf("%d catalogue requests", f.hits.Load())
	}
	files, _ := filepath.Glob(filepath.Join(f.dir, "reason-codes-sandbox-*.json"))
	if len(files) != 1 {
		t.Fatalf("cache files %v", files)
	}
	if st, err := os.Stat(files[0]); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("cache file mode %v %v", st.Mode(), err)
	}
	if st, err := os.Stat(f.dir); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("cache folder mode %v %v", st.Mode(), err)
	}
	if tmp, _ := filepath.Glob(filepath.Join(f.dir, ".reason-codes-*")); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
	// A new catalog (another run) within 24 h reads the file, not the API.
	f.clock = f.clock.Add(23 * time.Hour)
	cat, err := f.catalog().Load(ctx, false)
	if err != nil || cat.Source != SourceCache || len(cat.Codes) < 5 || f.hits.Load() != 1 {
		t.Errorf("within the TTL: %+v %v, %d requests", cat, err, f.hits.Load())
	}
	// After 24 h it asks again; the same catalog then answers from memory.
	f.clock = f.clock.Add(2 * time.Hour)
	k := f.catalog()
	if cat, err := k.Load(ctx, false); err != nil || cat.Source != SourceAPI || f.hits.Load() != 2 {
		t.Errorf("after the TTL: %+v %v", cat, err)
	}
	if cat, err := k.Load(ctx, false); err != nil || cat.Source != SourceMemory || f.hits.Load() != 2 {
		t.Errorf("from memory: %+v %v", cat, err)
	}
	// The API down and the copy stale: the stale copy still describes.
	f.fail.Store(true)
	f.clock = f.clock.Add(48 * time.Hour)
	cat, err = f.catalog().Load(ctx, false)
	if err != nil || !cat.Stale || cat.RefreshErr == nil || len(cat.Codes) == 0 {
		t.Errorf("stale: %+v %v", cat, err)
	}
	if d := f.catalog().Describe(ctx, []string{"I831"}); d[0].Description == "" {
		t.Error("stale cache not used by Describe")
	}
	// refresh forces the API.
	f.fail.Store(false)
	before := f.hits.Load()
	if cat, err := f.catalog().Load(ctx, true); err != nil || cat.Source != SourceAPI || f.hits.Load() != before+1 {
		t.Errorf("refresh: %+v %v", cat, err)
	}
}

func TestReasonCodeCatalogFailuresGiveBareCodes(t *testing.T) {
	f := newCatalogFixture(t)
	f.fail.Store(true)
	k := f.catalog()
	for range 3 {
		got := k.Describe(t.Context(), []string{"I831", "R810"})
		if !slices.Equal(got, []eval.ReasonCode{{Code: "I831"}, {Code: "R810"}}) {
			t.Fatalf("Describe: %+v", got)
		}
	}
	if n := f.hits.Load(); n != 1 {
		t.Errorf("%d requests: after a failure Describe waits before asking again", n)
	}
	f.clock = f.clock.Add(2 * time.Minute)
	f.fail.Store(false)
	if got := k.Describe(t.Context(), []string{"I831"}); got[0].Description == "" || f.hits.Load() != 2 {
		t.Errorf("after the pause: %+v, %d requests", got, f.hits.Load())
	}
	if _, err := os.Stat(f.dir); err != nil {
		t.Errorf("no cache after success: %v", err)
	}
	// Unauthorized, and a cancelled context: bare codes, never an error.
	bad := newTestClient(t, f.url, func(o *Options) { o.APIKey = "wrong-key" })
	if got := NewReasonCodeCatalog(bad, CatalogOptions{}).Describe(t.Context(), []string{"I831"}); got[0] != (eval.ReasonCode{Code: "I831"}) {
		t.Errorf("401: %+v", got)
	}
	ctx, cancel := contextCancelled(t)
	defer cancel()
	if got := f.catalog().Describe(ctx, []string{"I831"}); len(got) != 1 {
		t.Errorf("cancelled: %+v", got)
	}
	var nilCat *ReasonCodeCatalog
	if got := nilCat.Describe(t.Context(), []string{"A1"}); got[0].Code != "A1" {
		t.Error("nil catalog")
	}
	if got := k.Describe(t.Context(), nil); got == nil || len(got) != 0 {
		t.Errorf("no codes: %#v", got)
	}
}

func TestReasonCodeCatalogDamagedCache(t *testing.T) {
	f := newCatalogFixture(t)
	k := f.catalog()
	path := k.cacheFile()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, junk := range []string{`not json`, `{"format":2,"fetched_at":"2026-03-10T11:00:00Z","codes":[]}`, `{"format":1,"codes":[{"code":"I831"}]}`} {
		if err := os.WriteFile(path, []byte(junk), 0o600); err != nil {
			t.Fatal(err)
		}
		before := f.hits.Load()
		if cat, err := f.catalog().Load(t.Context(), false); err != nil || cat.Source != SourceAPI || f.hits.Load() != before+1 {
			t.Errorf("%s: %+v %v", junk, cat, err)
		}
	}
	// A cache stamped far in the future is not trusted.
	if err := os.WriteFile(path, []byte(`{"format":1,"fetched_at":"2030-01-01T00:00:00Z","codes":[{"code":"I831","description":"x"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if cat, _ := f.catalog().Load(t.Context(), false); cat.Source != SourceAPI {
		t.Errorf("future cache used: %+v", cat)
	}
}

func TestReasonCodeCatalogFiles(t *testing.T) {
	dir := t.TempDir()
	sandbox, _ := NewClient(Options{Env: eval.Sandbox, APIKey: "k"})
	prod, _ := NewClient(Options{Env: eval.Production, APIKey: "k"})
	proxy, _ := NewClient(Options{Env: eval.Production, APIKey: "k", BaseURL: "https://proxy.example.com/riskos"})
	demo, _ := NewClient(Options{Env: eval.Demo, Demo: simulatorDemo})
	names := map[string]bool{}
	for _, c := range []*Client{sandbox, prod, proxy} {
		f := NewReasonCodeCatalog(c, CatalogOptions{Dir: dir}).cacheFile()
		if filepath.Dir(f) != dir || names[f] {
			t.Errorf("cache file %s", f)
		}
		names[f] = true
	}
	if f := NewReasonCodeCatalog(sandbox, CatalogOptions{Dir: dir}).cacheFile(); filepath.Base(f) != "reason-codes-sandbox.json" {
		t.Errorf("sandbox file %s", f)
	}
	if f := NewReasonCodeCatalog(demo, CatalogOptions{Dir: dir}).cacheFile(); f != "" {
		t.Errorf("demo cached on disk: %s", f)
	}
	// Demo describes from the in-process simulator, and writes nothing.
	if got := NewReasonCodeCatalog(demo, CatalogOptions{Dir: dir}).Describe(t.Context(), []string{"R919"}); got[0].Description == "" {
		t.Errorf("demo: %+v", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
}

func TestClientReasonCodesQuery(t *testing.T) {
	var query string
	srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		query = r.URL.RawQuery
		if r.URL.Path != "/riskos/api/reason-codes" || r.Header.Get("Authorization") != "Bearer "+clientKey {
			t.Errorf("%s %v", r.URL.Path, r.Header)
		}
		answerJSON(w, 200, `{"reasonCodes":[{"name":"R810","description":"d"}]}`)
	})
	c := newTestClient(t, srv.URL+"/riskos", nil)
	active := false
	codes, err := c.ReasonCodes(t.Context(), ReasonCodeQuery{Product: "DocV", Names: []string{"R810", " ", "I831"}, Text: "edit ed", Active: &active})
	if err != nil || len(codes) != 1 || codes[0] != (eval.ReasonCode{Code: "R810", Description: "d"}) {
		t.Fatalf("%+v %v", codes, err)
	}
	if query != "isActive=false&name=R810&name=I831&product=DocV&text=edit+ed" {
		t.Errorf("query %q", query)
	}
	// 404: the hint says there is no catalogue; an unreadable 200 is a server error.
	for status, kind := range map[int]error{404: ErrNotFound, 200: ErrServer} {
		srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { answerJSON(w, status, `{"message":"x"}`) })
		_, err := newTestClient(t, srv.URL, nil).ReasonCodes(t.Context(), ReasonCodeQuery{})
		if e := asAPIError(t, err); !errors.Is(err, kind) || (status == 404 && !strings.Contains(e.Hint, "no reason-code catalogue")) {
			t.Errorf("%d: %v %q", status, err, e.Hint)
		}
	}
}

// contextCancelled returns a context that is already cancelled.
func contextCancelled(t *testing.T) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	return ctx, cancel
}
