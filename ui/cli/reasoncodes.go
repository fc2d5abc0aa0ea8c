package cli

import (
	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

const reasonCodesSynopsis = `docvreview reason-codes [--env E] [--base-url URL] [--json] [CODE...]

Prints the reason-code catalogue (or only the named codes) of the environment, from the cache
(per environment, at most 24 h old, in the user cache folder; the catalogue holds no personal data)
or from RiskOS (GET /api/reason-codes). A code the catalogue does not know has an empty description.`

// reasonCodesTimeout bounds the reason-codes command.
const reasonCodesTimeout = 2 * time.Minute

// describeTimeout bounds the catalogue look-up of fetch --json.
const describeTimeout = 15 * time.Second

// ReasonCodesReport is what reason-codes --json prints.
type ReasonCodesReport struct {
	Environment string            `json:"environment"`
	Source      string            `json:"source,omitempty"` // api, cache or memory
	FetchedAt   *time.Time        `json:"fetched_at,omitempty"`
	ReasonCodes []eval.ReasonCode `json:"reason_codes"`
	Warnings    []string          `json:"warnings"`
	Error       *ErrorReport      `json:"error,omitempty"`
}

// runReasonCodes prints the catalogue, or the named codes.
func runReasonCodes(args []string, env *Env) int {
	fs := newFlagSet("reason-codes", reasonCodesSynopsis, env.Stderr)
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	conn := addEndpointFlags(fs, false)
	if err := parseFlags(fs, args, 1<<10); err != nil {
		return exitFor(err, env.Stderr)
	}
	e, err := eval.ParseEnvironment(*conn.env)
	if err != nil {
		return exitFor(usageError(fs, "%v", err), env.Stderr)
	}
	codes := fs.Args()
	for _, c := range codes {
		if !plausibleCode(c) {
			// Not echoed: a stray argument could be anything, even the key.
			return exitFor(usageError(fs, "an argument is not a reason code (codes look like I831 or R810)"), env.Stderr)
		}
	}
	rep := ReasonCodesReport{Environment: string(e), ReasonCodes: []eval.ReasonCode{}, Warnings: []string{}}
	for _, c := range codes {
		rep.ReasonCodes = append(rep.ReasonCodes, eval.ReasonCode{Code: c})
	}
	finish := func(err error) int {
		if err != nil {
			rep.Error = errorReport(err)
		}
		if *asJSON {
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			if werr := enc.Encode(rep); werr != nil {
				fmt.Fprintf(env.Stderr, "docvreview: write output: %v\n", werr)
				return ExitFailure
			}
			return ExitCode(err)
		}
		for _, w := range rep.Warnings {
			fmt.Fprintf(env.Stderr, "warning: %s\n", w)
		}
		if err != nil {
			return exitFor(err, env.Stderr)
		}
		writeReasonCodes(env.Stdout, rep.ReasonCodes)
		return ExitOK
	}
	client, err := conn.client(env, e)
	if err != nil {
		return finish(err)
	}
	ctx, cancel := commandContext(env.Interrupt, reasonCodesTimeout)
	defer cancel()
	cat, err := catalog(env, client).Load(ctx, false)
	if err != nil {
		return finish(err)
	}
	rep.Source = cat.Source
	if !cat.FetchedAt.IsZero() {
		at := cat.FetchedAt.UTC()
		rep.FetchedAt = &at
	}
	if cat.Stale {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("the catalogue is from %s: refreshing it failed (%v)",
			cat.FetchedAt.UTC().Format(time.RFC3339), cat.RefreshErr))
	}
	if len(codes) == 0 {
		rep.ReasonCodes = cat.Codes
		return finish(nil)
	}
	byCode := make(map[string]string, len(cat.Codes))
	for _, rc := range cat.Codes {
		byCode[strings.ToUpper(rc.Code)] = rc.Description
	}
	for i := range rep.ReasonCodes {
		rep.ReasonCodes[i].Description = byCode[strings.ToUpper(rep.ReasonCodes[i].Code)]
	}
	return finish(nil)
}

// catalog is the reason-code catalogue of client's environment, cached in
// the user cache folder (or Env.CacheDir).
func catalog(env *Env, client *riskos.Client) *riskos.ReasonCodeCatalog {
	dir := env.CacheDir
	if dir == "" {
		dir, _ = riskos.DefaultCacheDir() // no cache folder: memory only
	}
	return riskos.NewReasonCodeCatalog(client, riskos.CatalogOptions{Dir: dir, Now: env.Now, Timeout: describeTimeout})
}

// writeReasonCodes prints one code a line.
func writeReasonCodes(w io.Writer, codes []eval.ReasonCode) {
	for _, rc := range codes {
		d := rc.Description
		if d == "" {
			d = "(no description)"
		}
		fmt.Fprintf(w, "%-8s %s\n", rc.Code, d)
	}
}

// plausibleCode reports 1–16 ASCII letters, digits, '-' or '_'.
func plausibleCode(s string) bool {
	if len(s) == 0 || len(s) > 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
