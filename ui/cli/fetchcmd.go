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
	"docvreview/fetch/load"
	"docvreview/fetch/riskos"
)

const fetchSynopsis = "docvreview fetch --eval-id ID [--env E] [--api-version V] [--base-url URL] [--json] [--save FILE.zip | --extract DIR]"

// fetchTimeout bounds a whole fetch from the command line.
const fetchTimeout = 15 * time.Minute

// runFetch fetches one case and prints its report. It writes nothing unless
// --save or --extract is given.
func runFetch(args []string, env *Env) int {
	fs := newFlagSet("fetch", fetchSynopsis, env.Stderr)
	conn := addConnFlags(fs, "eval_id to fetch")
	asJSON := conn.asJSON
	save := fs.String("save", "", "write the documents ZIP, unchanged, to this new file")
	extract := fs.String("extract", "", "write the case's files and a manifest.json into this folder")
	if err := parseFlags(fs, args, 0); err != nil {
		return exitFor(err, env.Stderr)
	}
	if *conn.evalID == "" {
		return exitFor(usageError(fs, "fetch needs --eval-id"), env.Stderr)
	}
	if *save != "" && *extract != "" {
		return exitFor(usageError(fs, "use --save or --extract, not both"), env.Stderr)
	}
	e, err := eval.ParseEnvironment(*conn.env)
	if err != nil {
		return exitFor(usageError(fs, "%v", err), env.Stderr)
	}
	id, err := riskos.ParseEvalID(*conn.evalID)
	if err != nil {
		return report(env, *asJSON, newReport("", string(e)), err)
	}
	rep := newReport(id, string(e))

	client, err := conn.client(env, e, func(o *riskos.Options) {
		if *save != "" {
			path := *save
			o.OnArchive = func(zip []byte) error { return saveArchive(path, zip) }
		}
	})
	if err != nil {
		return report(env, *asJSON, rep, err)
	}
	ctx, cancel := commandContext(env.Interrupt, fetchTimeout)
	defer cancel()

	cc := newCaseChecks(ctx)
	c, err := load.Fetch(ctx, client, id, cc.options())
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
	rep = analyze(ctx, c, cc, env.PDF, false)
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

// describeReasonCodes fills the descriptions of ev's reason codes from the
// catalogue (cache or API); on any failure the codes stay bare.
func describeReasonCodes(ctx context.Context, env *Env, client *riskos.Client, ev *eval.Evaluation) {
	if ev == nil {
		return
	}
	catalog(env, client).DescribeEvaluation(ctx, ev)
}
