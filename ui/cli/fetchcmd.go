package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
	"docvreview/fetch/riskos"
	"docvreview/imaging"
)

const fetchSynopsis = "docvreview fetch --eval-id ID [--env E] [--api-version V] [--base-url URL] [--json] [--save FILE.zip | --extract DIR]"

// fetchTimeout bounds a whole fetch from the command line.
const fetchTimeout = 15 * time.Minute

// runFetch fetches one case and prints its report. It writes nothing unless
// --save or --extract is given.
func runFetch(args []string, env *Env) int {
	fs := newFlagSet("fetch", fetchSynopsis, env.Stderr)
	evalID := fs.String("eval-id", "", "eval_id to fetch (a pasted Dashboard URL works too)")
	envName := fs.String("env", "sandbox", "environment: demo, sandbox or production")
	apiVersion := fs.String("api-version", "", "X-API-Version header, e.g. 2025-01-01.orion")
	baseURL := fs.String("base-url", "", "API base URL (https, or http on loopback only)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a summary")
	save := fs.String("save", "", "write the documents ZIP, unchanged, to this new file")
	extract := fs.String("extract", "", "write the case's files and a manifest.json into this folder")
	if err := parseFlags(fs, args, 0); err != nil {
		return exitFor(err, env.Stderr)
	}
	if *evalID == "" {
		return exitFor(usageError(fs, "fetch needs --eval-id"), env.Stderr)
	}
	if *save != "" && *extract != "" {
		return exitFor(usageError(fs, "use --save or --extract, not both"), env.Stderr)
	}
	e, err := eval.ParseEnvironment(*envName)
	if err != nil {
		return exitFor(usageError(fs, "%v", err), env.Stderr)
	}
	id, err := riskos.ParseEvalID(*evalID)
	if err != nil {
		return report(env, *asJSON, newReport("", string(e)), err)
	}
	rep := newReport(id, string(e))

	opts := riskos.Options{Env: e, BaseURL: *baseURL, APIVersion: *apiVersion}
	opts.Demo = env.Demo
	if e.NeedsKey() {
		key, err := lookupKey(env, e)
		if err != nil {
			return report(env, *asJSON, rep, err)
		}
		opts.APIKey = key
	}
	if *save != "" {
		path := *save
		opts.OnArchive = func(zip []byte) error { return saveArchive(path, zip) }
	}
	client, err := riskos.NewClient(opts)
	if err != nil {
		return report(env, *asJSON, rep, err)
	}
	ctx, cancel := commandContext(env.Interrupt, fetchTimeout)
	defer cancel()

	c, err := client.FetchCase(ctx, id, nil)
	if err != nil {
		var nd *riskos.NoDocumentsError
		if errors.As(err, &nd) {
			rep.Evaluation = nd.Evaluation
			describeReasonCodes(ctx, env, client, rep.Evaluation)
		}
		return report(env, *asJSON, rep, err)
	}
	defer c.Close()
	describeReasonCodes(ctx, env, client, c.Evaluation)
	rep = analyze(ctx, c, pdfEngine(env))
	if *extract != "" {
		plan, err := casefile.Export(c, *extract)
		if err != nil {
			return report(env, *asJSON, rep, fmt.Errorf("extract: %w", err))
		}
		fmt.Fprintf(env.Stderr, "wrote %d files (%s) to %s\n", len(plan.Files), sizeString(plan.Bytes), plan.Dir)
	}
	if *save != "" {
		fmt.Fprintf(env.Stderr, "saved the documents ZIP to %s\n", *save)
	}
	return report(env, *asJSON, rep, nil)
}

// lookupKey finds the environment's key (DOCV_API_KEY, then the keychain).
func lookupKey(env *Env, e eval.Environment) (string, error) {
	key, _, err := env.keychain().Get(e)
	switch {
	case err == nil:
		return key, nil
	case errors.Is(err, keychain.ErrKeyNotFound), errors.Is(err, keychain.ErrUnavailable):
		return "", fmt.Errorf("%w for %s: %v", riskos.ErrNoKey, e.Title(), err)
	}
	return "", fmt.Errorf("read the %s key: %w", e.Title(), err)
}

// saveArchive writes the ZIP as received to a new file (never overwriting).
func saveArchive(path string, zip []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("save the documents ZIP: %w", err)
	}
	if _, err := f.Write(zip); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("save the documents ZIP: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return fmt.Errorf("save the documents ZIP: %w", err)
	}
	return nil
}

// pdfEngine returns the process's PDF engine, or nil when there is none.
func pdfEngine(env *Env) *imaging.PDFEngine {
	if env.PDF == nil {
		return nil
	}
	return env.PDF()
}

// describeReasonCodes fills the descriptions of ev's reason codes from the
// catalogue (cache or API); on any failure the codes stay bare.
func describeReasonCodes(ctx context.Context, env *Env, client *riskos.Client, ev *eval.Evaluation) {
	if ev == nil {
		return
	}
	catalog(env, client).DescribeEvaluation(ctx, ev)
}
