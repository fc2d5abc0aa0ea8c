package riskos

import (
	"errors"
	"net/http"
	"time"
)

// DemoTransport makes the http.RoundTripper that answers every request of a
// Demo client in process, given the client's clock (nil means time.Now).
// NewClient calls it once per Demo client. riskos has none of its own:
// main.go passes one backed by the built-in simulator (fetch/simulator).
type DemoTransport func(now func() time.Time) http.RoundTripper

// ErrNoDemo is returned by NewClient for a Demo client without a BaseURL
// when Options.Demo is nil.
var ErrNoDemo = errors.New("the Demo environment is not available: no in-process transport (Options.Demo)")
