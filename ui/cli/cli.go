// Package cli is DocV Review's command line: its subcommands (inspect,
// fetch, key, simulate, version, and decide, feedback, reason-codes to act
// on a case) and the parsing of the window's flags. It never imports Fyne; main.go opens the window.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
	"docvreview/fetch/riskos"
	"docvreview/imaging"
)

// Exit codes of every command.
const (
	ExitOK           = 0
	ExitFailure      = 1
	ExitUsage        = 2
	ExitNoDocuments  = 3
	ExitUnauthorized = 4
	ExitNotFound     = 5
	ExitBadArchive   = 6
	ExitNetwork      = 7
	ExitChanged      = 8 // decide: the evaluation changed (precondition failed); nothing was sent
)

// WindowArgs is what the window needs from the command line.
type WindowArgs struct {
	Env    eval.Environment // empty when --env was not given
	EvalID string           // empty, or a validated eval_id
}

// Env is everything the commands touch outside themselves, injected so that
// tests can run them in process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Keychain holds the API keys; nil means a default one built from Getenv.
	Keychain *keychain.Keychain
	// Demo serves the Demo environment in process (main.go passes the
	// built-in simulator's); nil makes Demo fetches fail with riskos.ErrNoDemo.
	Demo riskos.DemoTransport
	// PDF returns the process's PDF engine (started lazily); nil disables page counts.
	PDF func() *imaging.PDFEngine
	// OpenWindow opens the review window; nil makes the window unavailable.
	OpenWindow func(WindowArgs) error
	// Interrupt, when non-nil, is closed on Ctrl+C to cancel the running command.
	Interrupt <-chan struct{}
	// IsTerminal reports whether the user can answer a confirmation prompt on
	// Stdin; nil checks whether Stdin is a terminal.
	IsTerminal func() bool
	// Now is the clock (feedback's recorded_at, the reason-code cache); nil means time.Now.
	Now func() time.Time
	// CacheDir holds the reason-code cache (no personal data); "" means the
	// user cache folder's docvreview directory.
	CacheDir string
}

func (e *Env) keychain() *keychain.Keychain {
	if e.Keychain == nil {
		e.Keychain = keychain.New(keychain.DefaultTimeout, e.Getenv)
	}
	return e.Keychain
}

// errUsage marks a command-line mistake (exit 2); its message has been printed.
var errUsage = errors.New("usage")

const mainUsage = `DocV Review — inspect the identity evidence behind a RiskOS evaluation.

Usage:
  docvreview [--env demo|sandbox|production] [--eval-id ID]   open the window (and fetch ID at once)
  docvreview inspect [--json] [--pdf-engine] FILE.zip|-       run the window's pipeline on a ZIP on disk
  docvreview fetch --eval-id ID [--env E] [--api-version V] [--base-url URL] [--json]
                   [--save FILE.zip | --extract DIR]          fetch; write only when asked
  docvreview key set|status|delete --env sandbox|production   manage the keychain entry (key from stdin)
  docvreview simulate [--addr 127.0.0.1:8080]                 serve the simulator on loopback
  docvreview version

Acting on a case:
  docvreview decide   --eval-id ID --decision ACCEPT|REJECT|REVIEW|RESUBMIT|CANCEL --status OPEN|CLOSED|ON_HOLD
                      [--sub-status TEXT] [--notes-file FILE|-] [--attach FILE]... [--if-status S] [--if-decision D]
                      [--env E] [--api-version V] [--base-url URL] [--yes] [--json]
  docvreview feedback --eval-id ID --label fraud|non-fraud [--type TEXT] [--notes-file FILE|-]
                      [--recorded-by NAME] [--tag T]... [--env E] [--api-version V] [--base-url URL] [--yes] [--json]
  docvreview reason-codes [--env E] [--base-url URL] [--json] [CODE...]
decide and feedback read the evaluation first, show what will change and ask on a terminal (without
one they need --yes); a lost answer is never re-sent. Notes are sent, never printed.

The API key comes from DOCV_API_KEY if set, else the OS keychain; never from the command line.
Exit codes: 0 ok, 1 failure, 2 usage, 3 no documents, 4 unauthorized/forbidden/no key,
5 evaluation not found, 6 unreadable archive, 7 network or server failure after retries (or a
write whose outcome is unknown), 8 the evaluation changed (decide --if-status/--if-decision).
Run "docvreview COMMAND --help" for a command's options.
`

// Main runs the command line and returns the process exit code.
func Main(args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	cmd, rest := "", args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, rest = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "":
		err = runWindow(rest, &env)
	case "inspect":
		return runInspect(rest, &env)
	case "fetch":
		return runFetch(rest, &env)
	case "decide":
		return runDecide(rest, &env)
	case "feedback":
		return runFeedback(rest, &env)
	case "reason-codes":
		return runReasonCodes(rest, &env)
	case "key":
		err = runKey(rest, &env)
	case "simulate":
		err = runSimulate(rest, &env)
	case "version":
		err = runVersion(rest, &env)
	case "help":
		fmt.Fprint(env.Stdout, mainUsage)
		return ExitOK
	default:
		fmt.Fprintf(env.Stderr, "docvreview: unknown command %q\n\n%s", cmd, mainUsage)
		return ExitUsage
	}
	return exitFor(err, env.Stderr)
}

// exitFor prints err (unless it is a usage error already reported) and maps it to an exit code.
func exitFor(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, flag.ErrHelp):
		return ExitOK
	case errors.Is(err, errUsage):
		return ExitUsage
	}
	fmt.Fprintf(stderr, "docvreview: %v\n", err)
	if hint := hintOf(err); hint != "" {
		fmt.Fprintf(stderr, "hint: %s\n", hint)
	}
	return ExitCode(err)
}

// ExitCode maps an error from fetch or the pipeline to the command's exit code.
func ExitCode(err error) int {
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, riskos.ErrOutcomeUnknown):
		return ExitNetwork
	case errors.Is(err, riskos.ErrChanged):
		return ExitChanged
	case errors.Is(err, riskos.ErrInvalidWrite):
		return ExitUsage
	case errors.Is(err, riskos.ErrNoDocuments):
		return ExitNoDocuments
	case errors.Is(err, riskos.ErrUnauthorized), errors.Is(err, riskos.ErrForbidden), errors.Is(err, riskos.ErrNoKey):
		return ExitUnauthorized
	case errors.Is(err, riskos.ErrNotFound):
		return ExitNotFound
	case errors.Is(err, riskos.ErrBadArchive):
		return ExitBadArchive
	case errors.Is(err, riskos.ErrNetwork), errors.Is(err, riskos.ErrServer), errors.Is(err, riskos.ErrRateLimited):
		return ExitNetwork
	case errors.Is(err, riskos.ErrInvalidEvalID), errors.Is(err, riskos.ErrInsecureURL):
		return ExitUsage
	}
	return ExitFailure
}

// newFlagSet returns a FlagSet that prints its usage to stderr and never exits.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: %s\n\nOptions:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, turning flag errors into errUsage and rejecting stray arguments beyond maxArgs.
func parseFlags(fs *flag.FlagSet, args []string, maxArgs int) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > maxArgs {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(maxArgs))
		fs.Usage()
		return errUsage
	}
	return nil
}

// usageError prints msg and the usage of fs and returns errUsage.
func usageError(fs *flag.FlagSet, format string, a ...any) error {
	fmt.Fprintf(fs.Output(), format+"\n", a...)
	fs.Usage()
	return errUsage
}

func runWindow(args []string, env *Env) error {
	fs := newFlagSet("docvreview", "docvreview [--env demo|sandbox|production] [--eval-id ID]", env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, mainUsage) }
	envName := fs.String("env", "", "environment: demo, sandbox or production")
	evalID := fs.String("eval-id", "", "eval_id (or a pasted Dashboard URL) to fetch at once")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	var wa WindowArgs
	if *envName != "" {
		e, err := eval.ParseEnvironment(*envName)
		if err != nil {
			return usageError(fs, "%v", err)
		}
		wa.Env = e
	}
	if *evalID != "" {
		id, err := riskos.ParseEvalID(*evalID)
		if err != nil {
			return usageError(fs, "%v", err)
		}
		wa.EvalID = id
	}
	if env.OpenWindow == nil {
		return errors.New("this build has no window")
	}
	return env.OpenWindow(wa)
}

func runVersion(args []string, env *Env) error {
	fs := newFlagSet("version", "docvreview version", env.Stderr)
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "docvreview %s (%s, jpeg decoder: %s)\n", riskos.Version, goVersion(), imaging.Backend())
	return nil
}
