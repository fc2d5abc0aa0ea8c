package queue

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"docvreview/fetch/riskos"
)

// Limits of ParseList.
const (
	// MaxIDs is the most eval_ids a queue list may hold.
	MaxIDs = 10_000
	// MaxListBytes is the largest queue list ParseList reads.
	MaxListBytes = 4 << 20
	// MaxProblems is how many problems a List lists; the rest
	// are only counted in List.MoreProblems.
	MaxProblems = 1000
	// queueExcerptLen bounds the text a problem echoes, in runes.
	queueExcerptLen = riskos.EvalIDExcerptLen
)

// ErrListTooLarge is returned (wrapped) when a queue list exceeds
// MaxListBytes or holds more than MaxIDs distinct eval_ids.
var ErrListTooLarge = errors.New("queue list too large")

// Kinds of Problem.
const (
	ProblemBlank     = "blank"     // an empty (or white-space, or empty-cells) line
	ProblemDuplicate = "duplicate" // an eval_id already listed on an earlier line
	ProblemMalformed = "malformed" // no single valid eval_id on the line
)

// Problem is a line of a queue list that did not add an eval_id.
type Problem struct {
	Line int    // 1-based line number
	Kind string // ProblemBlank, ProblemDuplicate or ProblemMalformed
	// Text is a sanitised excerpt of the line (at most 40 characters; long
	// secret-looking tokens shortened) for malformed lines, the canonical
	// eval_id for duplicates, and empty for blank lines.
	Text string
	// FirstLine is, for a duplicate, the line where the eval_id first appeared.
	FirstLine int
	// Reason says briefly why a malformed line was refused.
	Reason string
}

// List is a parsed list of eval_ids for a review queue.
type List struct {
	IDs      []string  // distinct canonical eval_ids, in input order
	Problems []Problem // in line order, at most MaxProblems
	// MoreProblems counts problems beyond MaxProblems that are not listed.
	MoreProblems int
	Blanks       int    // blank lines skipped (all of them, listed or not)
	Column       string // the CSV header cell used ("" for a plain list)
}

// idHeaders are the accepted CSV header names, best first.
var idHeaders = [...]string{"eval_id", "evaluation_id", "id"}

// ParseList reads a review queue: either one eval_id (or Dashboard
// URL, or any text holding exactly one UUID) per line, or a CSV (comma,
// semicolon or tab separated) whose first non-blank line is a header with
// an eval_id, evaluation_id or id column (any position, case-insensitive).
// Blank lines are skipped and counted; duplicates and malformed lines are
// reported and dropped, never fatal. Line ends may be LF, CRLF or CR; a
// UTF-8 byte-order mark is ignored.
//
// The only errors are reading failures and the size caps (errors.Is
// ErrListTooLarge): more than MaxListBytes of input or more than
// MaxIDs distinct eval_ids. An input without any eval_id is not an
// error: the List has no IDs and its Problems say why.
func ParseList(r io.Reader) (List, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxListBytes+1))
	if err != nil {
		return List{}, fmt.Errorf("read queue list: %w", err)
	}
	if len(data) > MaxListBytes {
		return List{}, fmt.Errorf("%w: more than %d MiB; split the list", ErrListTooLarge, MaxListBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	p := queueParser{seen: make(map[string]int)}
	lines := splitLines(string(data))
	for n, line := range lines {
		if err := p.line(n+1, line); err != nil {
			return List{}, err
		}
	}
	return p.out, nil
}

// queueParser holds the state of one ParseList call.
type queueParser struct {
	out     List
	seen    map[string]int // eval_id → line of first appearance
	started bool           // a non-blank line was seen
	csv     bool
	sep     byte
	col     int
}

// line handles line number n.
func (p *queueParser) line(n int, line string) error {
	if isBlankLine(line) {
		p.blank(n)
		return nil
	}
	if !p.started {
		p.started = true
		if p.header(line) {
			return nil
		}
	}
	cell := line
	if p.csv {
		cells := splitCSVLine(line, p.sep)
		if allBlank(cells) {
			p.blank(n)
			return nil
		}
		if p.col >= len(cells) {
			p.problem(Problem{Line: n, Kind: ProblemMalformed, Text: queueExcerpt(line),
				Reason: fmt.Sprintf("no %s column on this line", p.out.Column)})
			return nil
		}
		cell = cells[p.col]
		if isBlankLine(cell) {
			p.problem(Problem{Line: n, Kind: ProblemMalformed, Text: queueExcerpt(line),
				Reason: fmt.Sprintf("empty %s cell", p.out.Column)})
			return nil
		}
	}
	id, err := riskos.ParseEvalID(strings.TrimSpace(cell))
	if err != nil {
		p.problem(Problem{Line: n, Kind: ProblemMalformed, Text: queueExcerpt(cell), Reason: malformedReason(cell)})
		return nil
	}
	if first, dup := p.seen[id]; dup {
		p.problem(Problem{Line: n, Kind: ProblemDuplicate, Text: id, FirstLine: first})
		return nil
	}
	if len(p.out.IDs) == MaxIDs {
		return fmt.Errorf("%w: more than %d eval_ids (line %d); split the list", ErrListTooLarge, MaxIDs, n)
	}
	p.seen[id] = n
	p.out.IDs = append(p.out.IDs, id)
	return nil
}

// header reports whether line is a CSV header naming an id column, and if
// so switches the parser to CSV mode.
func (p *queueParser) header(line string) bool {
	sep := detectSeparator(line)
	cells := splitCSVLine(line, sep)
	for _, want := range idHeaders {
		for i, c := range cells {
			if normalizeHeader(c) == want {
				p.csv, p.sep, p.col = true, sep, i
				p.out.Column = want
				return true
			}
		}
	}
	return false
}

func (p *queueParser) blank(n int) {
	p.out.Blanks++
	p.problem(Problem{Line: n, Kind: ProblemBlank})
}

func (p *queueParser) problem(q Problem) {
	if len(p.out.Problems) >= MaxProblems {
		p.out.MoreProblems++
		return
	}
	p.out.Problems = append(p.out.Problems, q)
}

// malformedReason explains briefly why cell holds no single eval_id.
func malformedReason(cell string) string {
	if n := len(findUUIDsLoose(cell)); n > 1 {
		return fmt.Sprintf("%d different eval_ids on one line", n)
	}
	return "no eval_id (a UUID like fb1ddadc-6dba-4ce4-aa6d-25c005b192b5)"
}

// findUUIDsLoose counts the distinct UUID-shaped runs in s (for messages).
func findUUIDsLoose(s string) map[string]bool {
	found := make(map[string]bool)
	for i := 0; i+36 <= len(s); i++ {
		if looksUUID(s[i : i+36]) {
			found[strings.ToLower(s[i:i+36])] = true
			i += 35
		}
	}
	return found
}

// looksUUID reports whether s has the 8-4-4-4-12 hex shape.
func looksUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// splitLines splits s at LF, CRLF and lone CR. A final line end does not
// start another line.
func splitLines(s string) []string {
	var lines []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n':
			lines = append(lines, s[start:i])
			start = i + 1
		case '\r':
			lines = append(lines, s[start:i])
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	if start < len(s) {
		lines = append(lines, s[start:])
	}
	return lines
}

// isBlankLine reports a line of only white space (and zero-width or BOM
// characters).
func isBlankLine(s string) bool {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
	}) == ""
}

func allBlank(cells []string) bool {
	for _, c := range cells {
		if !isBlankLine(strings.Trim(c, `"`)) {
			return false
		}
	}
	return true
}

// detectSeparator picks the CSV separator a header line uses: the most
// frequent of comma, semicolon and tab outside quotes (comma by default).
func detectSeparator(line string) byte {
	var counts [3]int
	seps := [3]byte{',', ';', '\t'}
	quoted := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		for k, s := range seps {
			if c == s {
				counts[k]++
			}
		}
	}
	best := 0
	for k := range counts {
		if counts[k] > counts[best] {
			best = k
		}
	}
	return seps[best]
}

// splitCSVLine splits one line into cells: sep outside double quotes
// separates, "" inside quotes is a quote. Quoted cells spanning lines are
// not supported (the id column never needs them).
func splitCSVLine(line string, sep byte) []string {
	var cells []string
	var b strings.Builder
	quoted := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quoted && c == '"' && i+1 < len(line) && line[i+1] == '"':
			b.WriteByte('"')
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == sep:
			cells = append(cells, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(cells, b.String())
}

// normalizeHeader turns a header cell into a comparable name: trimmed,
// lower-case, with spaces and dashes as underscores.
func normalizeHeader(c string) string {
	c = strings.TrimFunc(c, func(r rune) bool {
		return unicode.IsSpace(r) || r == '"' || r == '\'' || r == '\ufeff'
	})
	c = strings.ToLower(c)
	return strings.NewReplacer(" ", "_", "-", "_").Replace(c)
}

// queueExcerpt is a short, printable form of a refused line, with tokens
// that look like secrets (an API key pasted by mistake) masked: the same
// excerpt an invalid eval_id gets.
func queueExcerpt(s string) string {
	if len(s) > riskos.MaxEvalIDInput {
		s = s[:riskos.MaxEvalIDInput] // enough for the excerpt; bounds the work
	}
	return riskos.EvalIDExcerpt(s)
}
