package eval

import (
	"docvreview/fetch/internal/safetext"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Evaluation statuses RiskOS reports in eval_status.
const (
	EvalInProgress = "evaluation_in_progress"
	EvalPaused     = "evaluation_paused"
	EvalCompleted  = "evaluation_completed"
)

// maxErrorText bounds an enrichment error as RiskOS messages are bounded
// (riskos.MaxMessageLen).
const maxErrorText = 200

// MaxNotesLen bounds the notes ParseEvaluation keeps and a write may send, in bytes.
const MaxNotesLen = 64 << 10

// InProgress reports an evaluation that has not finished: eval_status is
// evaluation_paused (for example waiting at a document-capture step) or
// evaluation_in_progress. Its decision (often REVIEW) is not final, and it
// may have no images yet. A nil evaluation is not in progress.
func (ev *Evaluation) InProgress() bool {
	if ev == nil {
		return false
	}
	switch normKey(ev.EvalStatus) {
	case normKey(EvalPaused), normKey(EvalInProgress), "paused", "inprogress":
		return true
	}
	return false
}

// Paused reports eval_status evaluation_paused.
func (ev *Evaluation) Paused() bool {
	return ev != nil && (normKey(ev.EvalStatus) == normKey(EvalPaused) || normKey(ev.EvalStatus) == "paused")
}

// EvaluatedAt is when the evaluation ran: its end time, else its start
// time, else fallback (for a summary without times).
func (ev *Evaluation) EvaluatedAt(fallback time.Time) time.Time {
	switch {
	case ev == nil:
		return fallback
	case !ev.EvalEndTime.IsZero():
		return ev.EvalEndTime
	case !ev.EvalStartTime.IsZero():
		return ev.EvalStartTime
	}
	return fallback
}

// AgeAtEvaluation is the consumer's age in whole years when the evaluation
// ran (see EvaluatedAt; fallback when it has no times), from the current
// DocV attempt's date of birth. ok is false without a DocV result or a
// readable date of birth.
func (ev *Evaluation) AgeAtEvaluation(fallback time.Time) (age int, ok bool) {
	if ev == nil || ev.DocV == nil {
		return 0, false
	}
	return ev.DocV.Data.AgeAt(ev.EvaluatedAt(fallback))
}

// MinorAtEvaluation reports a consumer under 18 when the evaluation ran —
// the rule RiskOS applies when it deletes a minor's images — not today.
func (ev *Evaluation) MinorAtEvaluation(fallback time.Time) bool {
	age, ok := ev.AgeAtEvaluation(fallback)
	return ok && age < 18
}

// scalar is v as text when it is a string or a number ("4.2.0", 3 → "3").
func scalar(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return str0(v)
}

// notesText reads the evaluation's notes: a string, or a list of strings or
// of objects holding one under note/text/notes/message/content, joined by
// newlines. At most MaxNotesLen bytes are kept, cut at a character boundary.
func notesText(v any) string {
	var parts []string
	switch x := v.(type) {
	case string:
		parts = append(parts, x)
	case []any:
		for _, item := range x {
			switch y := item.(type) {
			case string:
				parts = append(parts, y)
			case map[string]any:
				for _, k := range []string{"note", "text", "notes", "message", "content"} {
					if s := str0(field(y, k)); s != "" {
						parts = append(parts, s)
						break
					}
				}
			}
		}
	}
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return cutBytes(strings.Join(kept, "\n"), MaxNotesLen)
}

// errorText reads an enrichment's error: a string, or an object's
// message/description/error; printable, at most maxErrorText characters.
func errorText(v any) string {
	s := str0(v)
	if m, ok := v.(map[string]any); ok {
		for _, k := range []string{"message", "description", "error", "detail"} {
			if s = str0(field(m, k)); s != "" {
				break
			}
		}
	}
	return safetext.Truncate(safetext.Printable(s), maxErrorText)
}

// cutBytes shortens s to at most n bytes without splitting a character.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 {
		r, size := utf8.DecodeLastRuneInString(s)
		if r != utf8.RuneError || size > 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}
