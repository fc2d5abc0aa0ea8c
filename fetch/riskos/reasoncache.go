package riskos

import (
	"context"
	"crypto/sha256"
	"docvreview/fetch/eval"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Defaults of a ReasonCodeCatalog.
const (
	DefaultCatalogTTL     = 24 * time.Hour   // how long a fetched catalogue is used before asking again
	DefaultCatalogTimeout = 15 * time.Second // bound of one fetch made by Describe
	catalogRetryAfter     = time.Minute      // after a failed fetch, Describe waits this long before trying again
	catalogFormat         = 1                // version of the cache file
)

// Where a Catalogue came from.
const (
	SourceAPI    = "api"
	SourceCache  = "cache"  // the cache file on disk
	SourceMemory = "memory" // loaded earlier by the same catalog
)

// Catalogue is the reason-code catalogue of one environment.
type Catalogue struct {
	Codes     []eval.ReasonCode
	Source    string    // SourceAPI, SourceCache or SourceMemory
	FetchedAt time.Time // when it came from the API
	// Stale is set when the copy is older than the TTL because the API could
	// not be reached to refresh it; RefreshErr says why.
	Stale      bool
	RefreshErr error
}

// CatalogOptions configure a ReasonCodeCatalog. Zero values pick the defaults.
type CatalogOptions struct {
	// Dir is the folder of the cache files; "" keeps the catalogue in memory
	// only. DefaultCacheDir gives the user's cache folder.
	Dir     string
	Now     func() time.Time // clock; default time.Now
	TTL     time.Duration    // default DefaultCatalogTTL
	Timeout time.Duration    // bound of a fetch made by Describe; default DefaultCatalogTimeout
}

// DefaultCacheDir is the app's folder in the user's cache directory
// (for example ~/.cache/docvreview). Only data without PII goes there.
func DefaultCacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the user cache folder: %w", err)
	}
	return filepath.Join(dir, "docvreview"), nil
}

// ReasonCodeCatalog describes reason codes for one client's environment,
// from memory, a cache file (one per environment and API base, at most TTL
// old, written atomically with mode 0600) or the API. The catalogue holds
// no personal data. It is safe for concurrent use; one fetch runs at a time.
type ReasonCodeCatalog struct {
	c       *Client
	dir     string
	now     func() time.Time
	ttl     time.Duration
	timeout time.Duration

	lock     chan struct{} // held while loading; a channel so waiting can be cancelled
	mem      *Catalogue
	failedAt time.Time // last failed fetch (Describe waits catalogRetryAfter before trying again)
}

// NewReasonCodeCatalog returns a catalog for c's environment. The Demo
// environment's in-process simulator is never cached on disk.
func NewReasonCodeCatalog(c *Client, o CatalogOptions) *ReasonCodeCatalog {
	k := &ReasonCodeCatalog{
		c: c, dir: o.Dir, now: o.Now,
		ttl:     orDefault(o.TTL, DefaultCatalogTTL),
		timeout: orDefault(o.Timeout, DefaultCatalogTimeout),
		lock:    make(chan struct{}, 1),
	}
	if k.now == nil {
		k.now = time.Now
	}
	if c.env == eval.Demo && c.base.String() == demoBaseURL {
		k.dir = ""
	}
	return k
}

// cacheFile is the catalogue's cache path: reason-codes-<env>.json for the
// environment's own API, with a hash of the base URL added for any other.
func (k *ReasonCodeCatalog) cacheFile() string {
	if k.dir == "" {
		return ""
	}
	name := "reason-codes-" + string(k.c.env)
	if base := k.c.base.String(); base != k.c.env.BaseURL() {
		sum := sha256.Sum256([]byte(base))
		name += "-" + hex.EncodeToString(sum[:6])
	}
	return filepath.Join(k.dir, name+".json")
}

// Load returns the catalogue: from memory or the cache file when younger
// than the TTL (unless refresh), else from the API, saving it to the cache.
// When the API fails and an older copy exists, that copy is returned with
// Stale and RefreshErr set and a nil error. A cache that cannot be written
// is not an error (the catalogue is still returned).
func (k *ReasonCodeCatalog) Load(ctx context.Context, refresh bool) (*Catalogue, error) {
	select {
	case k.lock <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("reason codes: %w", ctx.Err())
	}
	defer func() { <-k.lock }()
	return k.load(ctx, refresh)
}

// load is Load with the lock held.
func (k *ReasonCodeCatalog) load(ctx context.Context, refresh bool) (*Catalogue, error) {
	now := k.now()
	if !refresh && k.mem != nil && k.fresh(k.mem.FetchedAt, now) {
		cp := *k.mem
		cp.Source = SourceMemory
		return &cp, nil
	}
	var disk *Catalogue
	if f := k.cacheFile(); f != "" {
		disk, _ = readCatalogueFile(f) // a missing or damaged cache just means asking the API
	}
	if !refresh && disk != nil && k.fresh(disk.FetchedAt, now) {
		k.mem = disk
		return disk, nil
	}
	codes, err := k.c.ReasonCodes(ctx, ReasonCodeQuery{})
	if err != nil {
		k.failedAt = now
		old := disk
		if k.mem != nil && (old == nil || k.mem.FetchedAt.After(old.FetchedAt)) {
			old = k.mem
		}
		if old != nil {
			cp := *old
			cp.Stale, cp.RefreshErr = true, err
			return &cp, nil
		}
		return nil, err
	}
	cat := &Catalogue{Codes: codes, Source: SourceAPI, FetchedAt: now}
	k.mem = cat
	k.failedAt = time.Time{}
	if f := k.cacheFile(); f != "" {
		_ = writeCatalogueFile(f, cat) // best effort: the next run asks the API again
	}
	return cat, nil
}

// fresh reports a copy fetched at t that is still within the TTL (a time a
// little in the future, from clock skew, counts as fresh; far ahead does not).
func (k *ReasonCodeCatalog) fresh(t, now time.Time) bool {
	age := now.Sub(t)
	return !t.IsZero() && age < k.ttl && age > -time.Hour
}

// Describe returns codes with their descriptions, in order. It never
// fails: when the catalogue cannot be had (no network, 401, 404, a
// cancelled ctx) the codes come back bare, with empty descriptions. It may
// fetch the catalogue (bounded by the catalog's timeout; after a failure
// it waits a minute before trying again), so call it off the UI goroutine.
func (k *ReasonCodeCatalog) Describe(ctx context.Context, codes []string) []eval.ReasonCode {
	out := make([]eval.ReasonCode, 0, len(codes))
	for _, c := range codes {
		out = append(out, eval.ReasonCode{Code: c})
	}
	if len(codes) == 0 || k == nil {
		return out
	}
	cat := k.catalogue(ctx)
	if cat == nil {
		return out
	}
	byCode := make(map[string]string, len(cat.Codes))
	for _, rc := range cat.Codes {
		byCode[strings.ToUpper(rc.Code)] = rc.Description
	}
	for i := range out {
		out[i].Description = byCode[strings.ToUpper(strings.TrimSpace(out[i].Code))]
	}
	return out
}

// DescribeEvaluation fills the descriptions of ev.ReasonCodes (the current
// DocV attempt's codes) with Describe; ev.ReasonCodes is never nil after it.
func (k *ReasonCodeCatalog) DescribeEvaluation(ctx context.Context, ev *eval.Evaluation) {
	if ev == nil {
		return
	}
	codes := make([]string, len(ev.ReasonCodes))
	for i, rc := range ev.ReasonCodes {
		codes[i] = rc.Code
	}
	ev.ReasonCodes = k.Describe(ctx, codes)
}

// catalogue loads the catalogue for Describe, or nil; it skips the network
// for catalogRetryAfter after a failure.
func (k *ReasonCodeCatalog) catalogue(ctx context.Context) *Catalogue {
	ctx, cancel := context.WithTimeout(ctx, k.timeout)
	defer cancel()
	select {
	case k.lock <- struct{}{}:
	case <-ctx.Done():
		return nil
	}
	defer func() { <-k.lock }()
	if !k.failedAt.IsZero() && k.now().Sub(k.failedAt) < catalogRetryAfter {
		if k.mem != nil {
			return k.mem
		}
		return nil
	}
	cat, err := k.load(ctx, false)
	if err != nil {
		return nil
	}
	return cat
}

// catalogueFile is the JSON of a cache file.
type catalogueFile struct {
	Format    int               `json:"format"`
	FetchedAt time.Time         `json:"fetched_at"`
	Codes     []eval.ReasonCode `json:"codes"`
}

// readCatalogueFile reads a cache file (at most MaxReasonCodesBytes).
func readCatalogueFile(path string) (*Catalogue, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open the reason-code cache: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, eval.MaxReasonCodesBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read the reason-code cache: %w", err)
	}
	if len(b) > eval.MaxReasonCodesBytes {
		return nil, fmt.Errorf("read the reason-code cache: %w", eval.ErrInvalidReasonCodes)
	}
	var cf catalogueFile
	if err := json.Unmarshal(b, &cf); err != nil || cf.Format != catalogFormat || cf.FetchedAt.IsZero() {
		return nil, fmt.Errorf("read the reason-code cache: %w", eval.ErrInvalidReasonCodes)
	}
	return &Catalogue{Codes: eval.CleanReasonCodes(cf.Codes), Source: SourceCache, FetchedAt: cf.FetchedAt}, nil
}

// writeCatalogueFile saves cat atomically: a 0600 temporary file in the
// same folder (created 0700 if missing), synced, then renamed over path.
func writeCatalogueFile(path string, cat *Catalogue) (err error) {
	b, err := json.Marshal(catalogueFile{Format: catalogFormat, FetchedAt: cat.FetchedAt.UTC(), Codes: cat.Codes})
	if err != nil {
		return fmt.Errorf("encode the reason-code cache: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create the cache folder: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".reason-codes-*.tmp")
	if err != nil {
		return fmt.Errorf("write the reason-code cache: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("write the reason-code cache: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		return fmt.Errorf("write the reason-code cache: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write the reason-code cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write the reason-code cache: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write the reason-code cache: %w", errors.Join(err, os.Remove(tmp.Name())))
	}
	return nil
}
