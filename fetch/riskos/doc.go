// Package riskos talks to Socure RiskOS: it validates the eval_id a
// reviewer typed, downloads one evaluation's documents ZIP and summary
// (concurrently, with progress, cancel, bounded retries, body caps and
// timeouts, HTTPS-only redirects), turns every failure into an *APIError a
// reviewer can act on, and explains "No Documents Found".
//
// Its place in the data flow eval_id → riskos → casefile → imaging → ui:
// it takes the eval_id and an eval.Environment, and FetchCase hands the
// bytes to casefile, returning a *casefile.Case. The Demo environment's
// in-process transport is injected (Options.Demo); riskos never imports
// the simulator. The API key never appears in an error.
package riskos
