package cli

import (
	"flag"

	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
)

// connFlags are the flags of the commands that talk to RiskOS. fetch,
// decide and feedback (one evaluation) have them all: --eval-id, --env,
// --api-version, --base-url and --json; reason-codes only --env and
// --base-url (the other fields are nil).
type connFlags struct {
	evalID, env, apiVersion, baseURL *string
	asJSON                           *bool
}

// addConnFlags declares the flags of a command about one evaluation on fs;
// evalIDUsage says what the command does with the eval_id.
func addConnFlags(fs *flag.FlagSet, evalIDUsage string) connFlags {
	cf := addEndpointFlags(fs, true)
	cf.evalID = fs.String("eval-id", "", evalIDUsage+" (a pasted Dashboard URL works too)")
	cf.asJSON = fs.Bool("json", false, "print one JSON object instead of a summary")
	return cf
}

// addEndpointFlags declares --env and --base-url, and --api-version when
// withVersion.
func addEndpointFlags(fs *flag.FlagSet, withVersion bool) connFlags {
	cf := connFlags{
		env:     fs.String("env", "sandbox", "environment: demo, sandbox or production"),
		baseURL: fs.String("base-url", "", "API base URL (https, or http on loopback only)"),
	}
	if withVersion {
		cf.apiVersion = fs.String("api-version", "", "X-API-Version header, e.g. 2025-01-01.orion")
	}
	return cf
}

// client builds the client for the flags (the key from DOCV_API_KEY or the
// keychain); with, when given, adjusts the options first.
func (cf connFlags) client(env *Env, e eval.Environment, with ...func(*riskos.Options)) (*riskos.Client, error) {
	opts := riskos.Options{Env: e, BaseURL: *cf.baseURL, Demo: env.Demo}
	if cf.apiVersion != nil {
		opts.APIVersion = *cf.apiVersion
	}
	if e.NeedsKey() {
		key, err := lookupKey(env, e)
		if err != nil {
			return nil, err
		}
		opts.APIKey = key
	}
	if env.Now != nil {
		opts.Now = env.Now
	}
	for _, f := range with {
		f(&opts)
	}
	return riskos.NewClient(opts)
}
