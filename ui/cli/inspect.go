package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"docvreview/fetch/load"
	"docvreview/fetch/riskos"
)

const inspectSynopsis = "docvreview inspect [--json] [--pdf-engine] FILE.zip|-"

// runInspect runs the window's load pipeline (fetch/load) on a documents ZIP read from disk or stdin.
func runInspect(args []string, env *Env) int {
	fs := newFlagSet("inspect", inspectSynopsis, env.Stderr)
	asJSON := fs.Bool("json", false, "print one JSON object (the schema in README.md, Command line) instead of a summary")
	withEngine := fs.Bool("pdf-engine", false, "open every PDF with the PDF engine to count its pages (else a simple PDF's page tree is read and the engine starts only for the others)")
	if err := parseFlags(fs, args, 1); err != nil {
		return exitFor(err, env.Stderr)
	}
	if fs.NArg() != 1 {
		return exitFor(usageError(fs, "inspect needs a ZIP file (or - for standard input)"), env.Stderr)
	}
	name := fs.Arg(0)
	data, release, err := readArchiveFile(name, env.Stdin, riskos.DefaultMaxBytes)
	if err != nil {
		return report(env, *asJSON, newReport(evalIDFromName(name), ""), err)
	}
	defer release() // after the case is closed (deferred below)
	ctx, cancel := interruptContext(env.Interrupt)
	defer cancel()
	cc := newCaseChecks(ctx)
	c, err := load.Open(ctx, evalIDFromName(name), "", data, cc.options())
	if err != nil {
		return report(env, *asJSON, newReport(evalIDFromName(name), ""), err)
	}
	defer c.Close()
	return report(env, *asJSON, analyze(ctx, c, cc, env.PDF, *withEngine), nil)
}

// readArchiveFile reads name ("-" is r) into memory, refusing more than max
// bytes. release gives the memory back; call it once nothing uses the
// bytes (the case holding them is closed).
func readArchiveFile(name string, r io.Reader, max int64) (data []byte, release func(), err error) {
	release = func() {}
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, release, fmt.Errorf("open archive: %w", err)
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			// One buffer of the file's size: io.ReadAll's doubling would
			// hold up to three times a large archive at its peak.
			if st.Size() > max {
				return nil, release, fmt.Errorf("archive is larger than %s: %w", sizeString(max), riskos.ErrTooLarge)
			}
			data, release = archiveBuffer(int(st.Size()))
			if _, err := io.ReadFull(f, data); err != nil {
				release()
				return nil, func() {}, fmt.Errorf("read archive: %w", err)
			}
			return data, release, nil
		}
		r = f
	}
	data, err = readAllZeroing(r, max)
	return data, release, err
}

// readAllZeroing reads r to its end, as io.ReadAll does, for a stream of
// unknown length (an archive piped in: inspect -), but clears every buffer
// it outgrows, and what it read when it fails or passes max: no stray copy
// of a document is left for the garbage collector to find later.
func readAllZeroing(r io.Reader, max int64) ([]byte, error) {
	b := make([]byte, 0, 256<<10)
	for {
		if len(b) == cap(b) {
			nb := make([]byte, len(b), 2*cap(b))
			copy(nb, b)
			clear(b)
			b = nb
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if int64(len(b)) > max {
			clear(b)
			return nil, fmt.Errorf("archive is larger than %s: %w", sizeString(max), riskos.ErrTooLarge)
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			clear(b)
			return nil, fmt.Errorf("read archive: %w", err)
		}
	}
}

// evalIDFromName finds the eval_id in a name like "{eval_id}_document.zip".
func evalIDFromName(name string) string {
	id, err := riskos.ParseEvalID(filepath.Base(name))
	if err != nil {
		return ""
	}
	return id
}

// report prints r (with err, if any) as JSON or a summary and returns the exit code.
func report(env *Env, asJSON bool, r Report, err error) int {
	if err != nil {
		r.Error = errorReport(err)
	}
	if asJSON {
		if werr := writeJSON(env.Stdout, r); werr != nil {
			fmt.Fprintf(env.Stderr, "docvreview: write output: %v\n", werr)
			return ExitFailure
		}
		return ExitCode(err)
	}
	if err != nil {
		return exitFor(err, env.Stderr)
	}
	writeHuman(env.Stdout, r)
	return ExitOK
}

// commandContext is interruptContext bounded by timeout as well.
func commandContext(interrupt <-chan struct{}, timeout time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := interruptContext(interrupt)
	tctx, tcancel := context.WithTimeout(ctx, timeout)
	return tctx, func() { tcancel(); cancel() }
}

// interruptContext is cancelled when interrupt is closed.
func interruptContext(interrupt <-chan struct{}) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	if interrupt != nil {
		go func() {
			select {
			case <-interrupt:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	return ctx, cancel
}
