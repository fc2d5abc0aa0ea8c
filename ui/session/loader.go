package session

import (
	"context"
	"fmt"
	"time"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
	"docvreview/fetch/load"
	"docvreview/fetch/riskos"
)

// Request is one fetch the user asked for (kept for Retry).
type Request struct {
	Env        eval.Environment
	EvalID     string
	APIVersion string
}

// Result is what a Loader made: the case, the client that made the reads
// (also on a failed fetch, when one was made: the case's writes go through
// it), and Pre, what the loader prepared for the window (a *Decoded, or nil).
type Result struct {
	Case   *casefile.Case
	Client *riskos.Client
	Pre    any
}

// Loader fetches the case of req off the owner's goroutine (the keychain
// may wait for an unlock prompt, the download takes as long as it takes),
// reporting download progress when progress is not nil.
type Loader func(ctx context.Context, req Request, progress func(riskos.Progress)) (Result, error)

// connect returns the client for req: the API key from kc (Sandbox and
// Production), then a client from newClient.
func connect(kc *keychain.Keychain, newClient func(riskos.Options) (*riskos.Client, error), now func() time.Time, req Request) (*riskos.Client, error) {
	o := riskos.Options{Env: req.Env, APIVersion: req.APIVersion, Now: now}
	if req.Env.NeedsKey() {
		if kc == nil {
			return nil, fmt.Errorf("read the %s API key: %w", req.Env.Title(), keychain.ErrKeyNotFound)
		}
		key, _, err := kc.Get(req.Env)
		if err != nil {
			return nil, fmt.Errorf("read the %s API key: %w", req.Env.Title(), err)
		}
		o.APIKey = key
	}
	client, err := newClient(o)
	if err != nil {
		return nil, fmt.Errorf("set up the %s client: %w", req.Env.Title(), err)
	}
	return client, nil
}

// ChainLoader fetches the case without decoding anything: the client from
// connect, then Client.FetchCase.
func ChainLoader(kc *keychain.Keychain, newClient func(riskos.Options) (*riskos.Client, error), now func() time.Time) Loader {
	return func(ctx context.Context, req Request, progress func(riskos.Progress)) (Result, error) {
		client, err := connect(kc, newClient, now, req)
		if err != nil {
			return Result{}, err
		}
		c, err := client.FetchCase(ctx, req.EvalID, progress)
		return Result{Case: c, Client: client}, err
	}
}

// Decoded holds the images a PipelineLoader decoded while the case loaded,
// by entry, each with the box it was decoded to fit (load.Image.BoxW×BoxH,
// physical pixels). It is written only by the load and read after it.
type Decoded struct {
	Images map[*casefile.Entry]load.Image
}

// PipelineLoader fetches through the streaming pipeline (fetch/load): the
// client from connect, then load.Fetch, which hands each image entry that
// want picks to its decoder as soon as it is inflated and decodes it to
// fit box(entry) (asked off the owner's goroutine as each decode starts:
// it must be safe to call there; a zero box leaves the image for the
// window to decode). Result.Pre is the *Decoded.
func PipelineLoader(kc *keychain.Keychain, newClient func(riskos.Options) (*riskos.Client, error), now func() time.Time,
	box func(*casefile.Entry) (w, h int), want func(*casefile.Entry) bool) Loader {
	return func(ctx context.Context, req Request, progress func(riskos.Progress)) (Result, error) {
		client, err := connect(kc, newClient, now, req)
		if err != nil {
			return Result{}, err
		}
		d := &Decoded{Images: map[*casefile.Entry]load.Image{}}
		c, err := load.Fetch(ctx, client, req.EvalID, load.Options{
			Box: box, Want: want,
			Progress: func(p load.Progress) {
				if progress != nil && p.Stage == load.StageDownload {
					progress(riskos.Progress{Done: p.Done, Total: p.Total, Attempt: p.Attempt})
				}
			},
			// Calls are serialised and end before Fetch returns.
			OnImage: func(im load.Image) { d.Images[im.Entry] = im },
		})
		if err != nil {
			return Result{Client: client}, err
		}
		return Result{Case: c, Client: client, Pre: d}, nil
	}
}

// ClientError carries the client of a failed fetch (a case without
// documents can still be decided); it unwraps to the failure.
type ClientError struct {
	Err    error
	Client *riskos.Client
}

func (e *ClientError) Error() string { return e.Err.Error() }
func (e *ClientError) Unwrap() error { return e.Err }

// withClient wraps err with client when there is one.
func withClient(err error, client *riskos.Client) error {
	if err == nil || client == nil {
		return err
	}
	return &ClientError{Err: err, Client: client}
}
