package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
)

const keySynopsis = "docvreview key set|status|delete --env sandbox|production"

// maxKeyLine bounds what key set reads from standard input.
const maxKeyLine = 4096

// runKey manages the keychain entry of an environment. The key is read from
// standard input (without echo on a terminal) and never printed.
func runKey(args []string, env *Env) error {
	fs := newFlagSet("key", keySynopsis, env.Stderr)
	envName := fs.String("env", "", "environment: sandbox or production")
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			fs.Usage()
			return nil
		}
		return usageError(fs, "key needs a verb: set, status or delete")
	}
	verb := args[0]
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		// Never echo it: a stray argument here is most likely the key itself.
		return usageError(fs, "key %s takes no arguments: the key is read from standard input, never from the command line", printableVerb(verb))
	}
	e, err := eval.ParseEnvironment(*envName)
	if err != nil || !e.NeedsKey() {
		return usageError(fs, "--env must be sandbox or production")
	}
	kc := env.keychain()
	switch verb {
	case "set":
		key, err := readKey(env)
		if err != nil {
			return err
		}
		if err := kc.Set(e, key); err != nil {
			return fmt.Errorf("store the %s key: %w", e.Title(), err)
		}
		fmt.Fprintf(env.Stdout, "%s key stored in the OS keychain (service %q, account %q).\n", e.Title(), keychain.Service, string(e))
		if env.Getenv(keychain.EnvAPIKey) != "" {
			fmt.Fprintf(env.Stdout, "Note: %s is set and overrides the keychain.\n", keychain.EnvAPIKey)
		}
	case "status":
		src, err := kc.Status(e)
		switch {
		case errors.Is(err, keychain.ErrKeyNotFound):
			fmt.Fprintf(env.Stdout, "%s: no key stored\n", e.Title())
		case err != nil:
			return fmt.Errorf("look up the %s key: %w", e.Title(), err)
		default:
			fmt.Fprintf(env.Stdout, "%s: key stored (%s)\n", e.Title(), src)
		}
	case "delete":
		err := kc.Delete(e)
		switch {
		case errors.Is(err, keychain.ErrKeyNotFound):
			fmt.Fprintf(env.Stdout, "%s: no key was stored\n", e.Title())
		case err != nil:
			return fmt.Errorf("delete the %s key: %w", e.Title(), err)
		default:
			fmt.Fprintf(env.Stdout, "%s key deleted.\n", e.Title())
		}
	default:
		return usageError(fs, "unknown verb (want set, status or delete)") // not echoed: it may be the key
	}
	return nil
}

// readKey reads one line from stdin; on a terminal it prompts and turns echo off.
func readKey(env *Env) (string, error) {
	var line string
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, "API key (input hidden): ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("read the key from the terminal: %w", err)
		}
		line = string(b)
	} else {
		r := bufio.NewReaderSize(io.LimitReader(env.Stdin, maxKeyLine+1), maxKeyLine+1)
		s, err := r.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read the key from standard input: %w", err)
		}
		if len(s) > maxKeyLine {
			return "", fmt.Errorf("the key on standard input is longer than %d bytes", maxKeyLine)
		}
		line = s
	}
	key := strings.TrimSpace(line)
	if key == "" {
		return "", errors.New("no key on standard input (pipe it in, e.g. from your password manager)")
	}
	return key, nil
}

// printableVerb is verb when it is one of the known verbs, else "VERB".
func printableVerb(verb string) string {
	switch verb {
	case "set", "status", "delete":
		return verb
	}
	return "VERB"
}
