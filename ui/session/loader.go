package session

import (
	"context"
	"fmt"
	"time"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
	"docvreview/fetch/riskos"
)

// Request is one fetch the user asked for (kept for Retry).
type Request struct {
	Env        eval.Environment
	EvalID     string
	APIVersion string
}

// Loader fetches the case of req off the owner's goroutine (the keychain
// may wait for an unlock prompt, the download takes as long as it takes),
// reporting download progress when progress is not nil. It returns the
// client that made the reads, also on a failed fetch when one was made:
// the case's writes go through it.
type Loader func(ctx context.Context, req Request, progress func(riskos.Progress)) (*casefile.Case, *riskos.Client, error)

// ChainLoader is today's chain: the API key from kc (Sandbox and
// Production), a client from newClient, then Client.FetchCase.
func ChainLoader(kc *keychain.Keychain, newClient func(riskos.Options) (*riskos.Client, error), now func() time.Time) Loader {
	return func(ctx context.Context, req Request, progress func(riskos.Progress)) (*casefile.Case, *riskos.Client, error) {
		o := riskos.Options{Env: req.Env, APIVersion: req.APIVersion, Now: now}
		if req.Env.NeedsKey() {
			if kc == nil {
				return nil, nil, fmt.Errorf("read the %s API key: %w", req.Env.Title(), keychain.ErrKeyNotFound)
			}
			key, _, err := kc.Get(req.Env)
			if err != nil {
				return nil, nil, fmt.Errorf("read the %s API key: %w", req.Env.Title(), err)
			}
			o.APIKey = key
		}
		client, err := newClient(o)
		if err != nil {
			return nil, nil, fmt.Errorf("set up the %s client: %w", req.Env.Title(), err)
		}
		c, err := client.FetchCase(ctx, req.EvalID, progress)
		return c, client, err
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
