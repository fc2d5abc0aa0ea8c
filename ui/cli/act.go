package cli

import (
	"crypto/sha256"
	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/term"
)

// writeTimeout bounds a whole decide or feedback command.
const writeTimeout = 5 * time.Minute

// errNotConfirmed: the user answered no at the prompt; nothing was sent.
var errNotConfirmed = errors.New("not confirmed; nothing was sent")

// listFlag is a repeatable string flag (--attach, --tag).
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// stdinIsTerminal reports whether the user can answer a prompt.
func (e *Env) stdinIsTerminal() bool {
	if e.IsTerminal != nil {
		return e.IsTerminal()
	}
	f, ok := e.Stdin.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// now is the command's clock.
func (e *Env) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// needConfirmation refuses (exit 2, nothing read or sent) a write without
// --yes when there is no terminal to confirm on.
func needConfirmation(fs *flag.FlagSet, env *Env, yes bool, what string) error {
	if yes || env.stdinIsTerminal() {
		return nil
	}
	return usageError(fs, "%s changes the case in RiskOS: without a terminal to confirm on, add --yes (nothing was sent)", what)
}

// confirm asks on stderr and reads the answer from stdin; true for y or yes.
func confirm(env *Env, question string) (bool, error) {
	fmt.Fprintf(env.Stderr, "%s [y/N] ", question)
	line, err := readLine(env.Stdin, 64)
	if err != nil && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("read the answer: %w", err)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

// readLine reads up to a newline, one byte at a time (so nothing after it
// is consumed), at most max bytes.
func readLine(r io.Reader, max int) (string, error) {
	var b []byte
	one := make([]byte, 1)
	for len(b) < max {
		n, err := r.Read(one)
		if n == 1 {
			if one[0] == '\n' {
				return string(b), nil
			}
			b = append(b, one[0])
		}
		if err != nil {
			return string(b), err
		}
	}
	return string(b), nil
}

// readNotes reads --notes-file: a file, or standard input for "-"; at most
// eval.MaxNotesLen bytes of UTF-8 text. Errors never quote the notes.
func readNotes(env *Env, path string) (string, error) {
	if path == "" {
		return "", nil
	}
	var r io.Reader = env.Stdin
	name := "standard input"
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return "", fmt.Errorf("%w: notes file: %v", riskos.ErrInvalidWrite, err)
		}
		defer f.Close()
		r, name = f, path
	}
	b, err := io.ReadAll(io.LimitReader(r, eval.MaxNotesLen+1))
	if err != nil {
		return "", fmt.Errorf("%w: read the notes from %s: %v", riskos.ErrInvalidWrite, name, err)
	}
	defer clear(b)
	if len(b) > eval.MaxNotesLen {
		return "", fmt.Errorf("%w: the notes in %s are over the %d KiB limit", riskos.ErrInvalidWrite, name, eval.MaxNotesLen>>10)
	}
	if !utf8.Valid(b) {
		return "", fmt.Errorf("%w: the notes in %s are not UTF-8 text", riskos.ErrInvalidWrite, name)
	}
	return strings.TrimSpace(string(b)), nil
}

// readAttachment reads an --attach file (at most riskos.MaxAttachmentBytes)
// and checks it is a PDF, JPEG or PNG.
func readAttachment(path string) (riskos.Attachment, error) {
	f, err := os.Open(path)
	if err != nil {
		return riskos.Attachment{}, fmt.Errorf("%w: attachment: %v", riskos.ErrInvalidWrite, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, riskos.MaxAttachmentBytes+1))
	if err != nil {
		return riskos.Attachment{}, fmt.Errorf("%w: read attachment %s: %v", riskos.ErrInvalidWrite, path, err)
	}
	return riskos.NewAttachment(path, b)
}

// NotesReport stands for the notes in --json output: their length only.
type NotesReport struct {
	NotesChars int `json:"notes_chars"`
}

// notesReport is nil for no notes.
func notesReport(notes string) *NotesReport {
	if notes == "" {
		return nil
	}
	return &NotesReport{NotesChars: utf8.RuneCountInString(notes)}
}

// SentAttachment stands for an attachment in --json output.
type SentAttachment struct {
	FileName string `json:"file_name"`
	Bytes    int    `json:"bytes"`
	SHA256   string `json:"sha256"`
}

func sentAttachments(atts []riskos.Attachment) []SentAttachment {
	out := make([]SentAttachment, len(atts))
	for i, a := range atts {
		sum := sha256.Sum256(a.Data)
		out[i] = SentAttachment{FileName: a.FileName, Bytes: len(a.Data), SHA256: hex.EncodeToString(sum[:])}
	}
	return out
}

// mayHaveSent reports whether a write's request may have gone out, given
// the error of the call (nil: it was made).
func mayHaveSent(err error, op string) bool {
	var ae *riskos.APIError
	switch {
	case err == nil, errors.Is(err, riskos.ErrOutcomeUnknown):
		return true
	case errors.As(err, &ae):
		return ae.Op == op
	}
	return false
}

// writeExit maps a write command's error to its exit code, and prints it
// (with its hint) unless the output is JSON.
func writeExit(env *Env, asJSON bool, err error) int {
	if asJSON || err == nil {
		return ExitCode(err)
	}
	return exitFor(err, env.Stderr)
}

// quoted shows a sub-status in human output ("—" for none).
func quoted(s string) string {
	if s == "" {
		return "—"
	}
	return fmt.Sprintf("%q", s)
}
