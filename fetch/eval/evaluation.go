package eval

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Evaluation is the summary of a RiskOS evaluation the app shows. It is PII:
// memory only. JSON tags are the app's own --json schema (snake_case).
type Evaluation struct {
	EvalID          string    `json:"eval_id,omitempty"`
	ID              string    `json:"id,omitempty"`
	Workflow        string    `json:"workflow,omitempty"`
	WorkflowID      string    `json:"workflow_id,omitempty"`
	WorkflowVersion string    `json:"workflow_version,omitempty"`
	EvalSource      string    `json:"eval_source,omitempty"`
	EvalStatus      string    `json:"eval_status,omitempty"`
	Decision        string    `json:"decision,omitempty"`
	DecisionAt      time.Time `json:"decision_at,omitzero"`
	Status          string    `json:"status,omitempty"`
	SubStatus       string    `json:"sub_status,omitempty"`
	// Notes are the reviewers' notes on the case. Never printed by --json
	// (they can hold anything a reviewer typed); shown only in the window.
	Notes           string                `json:"-"`
	Score           *float64              `json:"score,omitempty"` // whole numbers in RiskOS (e.g. 51), printed as such
	Tags            []string              `json:"tags,omitempty"`
	ReviewQueues    []string              `json:"review_queues,omitempty"`
	EvalStartTime   time.Time             `json:"eval_start_time,omitzero"`
	EvalEndTime     time.Time             `json:"eval_end_time,omitzero"`
	EnvironmentName string                `json:"environment_name,omitempty"`
	Enrichments     []Enrichment          `json:"data_enrichments,omitempty"`
	DocV            *DocumentVerification `json:"document_verification,omitempty"` // the current (last) DocV attempt
	// DocVAttempts is how many DocV results the evaluation holds; DocV is the last.
	DocVAttempts int `json:"docv_attempts"`
	// ReasonCodes are the current DocV attempt's reason codes; ParseEvaluation
	// leaves the descriptions empty, ReasonCodeCatalog.DescribeEvaluation fills them.
	ReasonCodes []ReasonCode `json:"reason_codes"`
}

// Enrichment is one data enrichment of the evaluation (its response is not kept).
type Enrichment struct {
	Name          string `json:"enrichment_name,omitempty"`
	Provider      string `json:"enrichment_provider,omitempty"`
	StatusCode    int    `json:"status_code,omitempty"`
	TotalAttempts int    `json:"total_attempts,omitempty"`
	Error         string `json:"error,omitempty"`        // the enrichment's error, ≤ 200 characters
	ReferenceID   string `json:"reference_id,omitempty"` // response.referenceId
	DocV          bool   `json:"docv,omitempty"`         // its response holds a DocV result
}

// DocumentVerification is the DocV result found inside an enrichment response.
type DocumentVerification struct {
	ReasonCodes  []string     `json:"reason_codes,omitempty"`
	DocumentType DocumentType `json:"document_type"`
	Decision     DocVDecision `json:"decision"`
	Data         DocumentData `json:"document_data"`
}

// DocumentType says what kind of document was captured.
type DocumentType struct {
	Type    string `json:"type,omitempty"`
	Country string `json:"country,omitempty"`
	State   string `json:"state,omitempty"`
}

// DocVDecision is DocV's decision.
type DocVDecision struct {
	Name  string `json:"name,omitempty"`
	Value string `json:"value,omitempty"`
}

// DocumentData is what DocV read off the document. Dates are as sent (YYYY-MM-DD).
type DocumentData struct {
	FirstName      string `json:"first_name,omitempty"`
	SurName        string `json:"sur_name,omitempty"`
	FullName       string `json:"full_name,omitempty"`
	Address        string `json:"address,omitempty"`
	DocumentNumber string `json:"document_number,omitempty"`
	DOB            string `json:"dob,omitempty"`
	ExpirationDate string `json:"expiration_date,omitempty"`
	IssueDate      string `json:"issue_date,omitempty"`
}

// ErrInvalidEvaluation is wrapped by every ParseEvaluation error.
var ErrInvalidEvaluation = errors.New("invalid evaluation JSON")

// MaxEvaluationBytes caps the evaluation JSON ParseEvaluation accepts.
const MaxEvaluationBytes = 8 << 20

// maxDocVDepth bounds how deep documentVerification is looked for inside
// an enrichment response (a JSON string holding JSON counts as one level).
const maxDocVDepth = 8

// ParseEvaluation parses RiskOS evaluation JSON leniently: every field is
// optional, wrong types are ignored, and documentVerification is found inside
// any enrichment response up to a bounded depth.
//
// Keys match in any case and with or without underscores ("eval_id",
// "evalId"); a score may be a number or a numeric string; times are
// RFC 3339 or a few common variants (space separator, no zone = UTC,
// Unix seconds or milliseconds). documentVerification is searched
// breadth-first in each enrichment's response (also when the response is
// a JSON string holding JSON), then in the whole document, at most 8 levels
// deep. Input over MaxEvaluationBytes, invalid JSON and a non-object are
// errors wrapping ErrInvalidEvaluation; they never quote the input.
func ParseEvaluation(b []byte) (*Evaluation, error) {
	if len(b) > MaxEvaluationBytes {
		return nil, fmt.Errorf("%w: %d bytes, over the %d MiB limit: %w", ErrInvalidEvaluation, len(b), MaxEvaluationBytes>>20, ErrTooLarge)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%w: syntax error at byte %d", ErrInvalidEvaluation, se.Offset)
		}
		return nil, fmt.Errorf("%w: not valid JSON", ErrInvalidEvaluation)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: not a JSON object", ErrInvalidEvaluation)
	}
	ev := &Evaluation{
		EvalID:          str(field(m, "eval_id")),
		ID:              str(field(m, "id")),
		Workflow:        str(field(m, "workflow")),
		WorkflowID:      str(field(m, "workflow_id")),
		WorkflowVersion: scalar(field(m, "workflow_version")),
		EvalSource:      str(field(m, "eval_source")),
		EvalStatus:      str(field(m, "eval_status")),
		Decision:        str(field(m, "decision")),
		DecisionAt:      parseTime(field(m, "decision_at")),
		Status:          str(field(m, "status")),
		SubStatus:       str(field(m, "sub_status")),
		Notes:           notesText(field(m, "notes")),
		Score:           number(field(m, "score")),
		Tags:            strList(field(m, "tags")),
		ReviewQueues:    strList(field(m, "review_queues")),
		EvalStartTime:   parseTime(field(m, "eval_start_time")),
		EvalEndTime:     parseTime(field(m, "eval_end_time")),
		EnvironmentName: str(field(m, "environment_name")),
	}
	list, _ := field(m, "data_enrichments").([]any)
	for _, item := range list {
		em, ok := item.(map[string]any)
		if !ok {
			continue
		}
		resp := field(em, "response")
		en := Enrichment{
			Name:          str(field(em, "enrichment_name")),
			Provider:      str(field(em, "enrichment_provider")),
			StatusCode:    integer(field(em, "status_code")),
			TotalAttempts: integer(field(em, "total_attempts")),
			Error:         errorText(field(em, "error")),
		}
		if rm := asObject(resp); rm != nil {
			en.ReferenceID = str0(field(rm, "referenceId"))
		}
		// Several DocV attempts: the last in the array is the current one.
		if dv := findDocV(resp); dv != nil {
			en.DocV = true
			ev.DocV = parseDocV(dv)
			ev.DocVAttempts++
		}
		ev.Enrichments = append(ev.Enrichments, en)
	}
	if ev.DocV == nil {
		if dv := findDocV(m); dv != nil {
			ev.DocV = parseDocV(dv)
			ev.DocVAttempts = 1
		}
	}
	if ev.DocV != nil {
		for _, c := range ev.DocV.ReasonCodes {
			ev.ReasonCodes = append(ev.ReasonCodes, ReasonCode{Code: c})
		}
	}
	return ev, nil
}

// normKey folds a key for lenient matching: lower case, no '_' or '-'.
func normKey(k string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' {
			return -1
		}
		return r
	}, strings.ToLower(k))
}

// field returns m[name], else the value of the first key (in sorted order)
// that matches name ignoring case and underscores; nil when absent.
func field(m map[string]any, name string) any {
	if v, ok := m[name]; ok {
		return v
	}
	want := normKey(name)
	var keys []string
	for k := range m {
		if normKey(k) == want {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	return m[keys[0]]
}

// str is v when it is a string (trimmed), or the "value"/"name" string of
// an object; otherwise "".
func str(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case map[string]any:
		if s := str0(field(x, "value")); s != "" {
			return s
		}
		return str0(field(x, "name"))
	}
	return ""
}

// str0 is v when it is a string (trimmed), otherwise "".
func str0(v any) string {
	s, _ := v.(string)
	return strings.TrimSpace(s)
}

// strList keeps the strings (and numbers, and objects' "name") of a JSON
// array; a lone string becomes a one-element list.
func strList(v any) []string {
	var out []string
	add := func(s string) {
		if s != "" {
			out = append(out, s)
		}
	}
	switch x := v.(type) {
	case string:
		add(strings.TrimSpace(x))
	case []any:
		for _, item := range x {
			switch y := item.(type) {
			case string:
				add(strings.TrimSpace(y))
			case float64:
				add(strconv.FormatFloat(y, 'f', -1, 64))
			case map[string]any:
				add(str0(field(y, "name")))
			}
		}
	}
	return out
}

// number is v as a finite float64 (a JSON number or numeric string), else nil.
func number(v any) *float64 {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case string:
		var err error
		if f, err = strconv.ParseFloat(strings.TrimSpace(x), 64); err != nil {
			return nil
		}
	default:
		return nil
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}

// integer is v as an int when it is a whole number (or numeric string), else 0.
func integer(v any) int {
	f := number(v)
	if f == nil || *f != math.Trunc(*f) || math.Abs(*f) > 1<<31 {
		return 0
	}
	return int(*f)
}

// timeLayouts are the time formats parseTime accepts, most likely first.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05.999999999 -0700 MST",
	time.RFC1123Z,
	time.RFC1123,
	"2006-01-02",
}

// parseTime reads a time in one of timeLayouts (no zone means UTC) or as
// Unix seconds or milliseconds; the zero time when it cannot.
func parseTime(v any) time.Time {
	switch x := v.(type) {
	case string:
		s := strings.TrimSpace(x)
		for _, l := range timeLayouts {
			if t, err := time.Parse(l, s); err == nil {
				return t
			}
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return unixTime(f)
		}
	case float64:
		return unixTime(x)
	}
	return time.Time{}
}

// unixTime reads f as Unix seconds, or milliseconds when it is too large
// to be seconds; the zero time when out of range.
func unixTime(f float64) time.Time {
	switch {
	case f <= 0 || math.IsNaN(f) || f >= 1e14:
		return time.Time{}
	case f >= 1e11:
		return time.UnixMilli(int64(f)).UTC()
	}
	return time.Unix(int64(f), 0).UTC()
}

// findDocV looks breadth-first for a "documentVerification" object inside
// v, at most maxDocVDepth levels down, decoding JSON held in strings.
func findDocV(v any) map[string]any {
	type node struct {
		v     any
		depth int
	}
	queue := []node{{v, 0}}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n.depth > maxDocVDepth {
			continue
		}
		switch x := n.v.(type) {
		case map[string]any:
			if dv := asObject(field(x, "documentVerification")); dv != nil {
				return dv
			}
			for _, k := range slices.Sorted(maps.Keys(x)) { // a fixed order: the same input, the same answer
				queue = append(queue, node{x[k], n.depth + 1})
			}
		case []any:
			for _, item := range x {
				queue = append(queue, node{item, n.depth + 1})
			}
		case string:
			if inner := decodeEmbedded(x); inner != nil {
				queue = append(queue, node{inner, n.depth + 1})
			}
		}
	}
	return nil
}

// asObject is v as a JSON object, also when v is a string holding one.
func asObject(v any) map[string]any {
	if s, ok := v.(string); ok {
		v = decodeEmbedded(s)
	}
	m, _ := v.(map[string]any)
	return m
}

// decodeEmbedded decodes a string that holds a JSON object or array; nil otherwise.
func decodeEmbedded(s string) any {
	s = strings.TrimSpace(s)
	if len(s) < 2 || (s[0] != '{' && s[0] != '[') {
		return nil
	}
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return nil
	}
	return v
}

// parseDocV picks the fields of a documentVerification object.
func parseDocV(m map[string]any) *DocumentVerification {
	dv := &DocumentVerification{ReasonCodes: strList(field(m, "reasonCodes"))}
	switch t := field(m, "documentType").(type) {
	case string:
		dv.DocumentType.Type = strings.TrimSpace(t)
	case map[string]any:
		dv.DocumentType = DocumentType{
			Type:    str0(field(t, "type")),
			Country: str0(field(t, "country")),
			State:   str0(field(t, "state")),
		}
	}
	switch d := field(m, "decision").(type) {
	case string:
		dv.Decision.Value = strings.TrimSpace(d)
	case map[string]any:
		dv.Decision = DocVDecision{Name: str0(field(d, "name")), Value: str0(field(d, "value"))}
	}
	if d, ok := field(m, "documentData").(map[string]any); ok {
		dv.Data = DocumentData{
			FirstName:      str0(field(d, "firstName")),
			SurName:        str0(field(d, "surName")),
			FullName:       str0(field(d, "fullName")),
			Address:        str0(field(d, "address")),
			DocumentNumber: str0(field(d, "documentNumber")),
			DOB:            str0(field(d, "dob")),
			ExpirationDate: str0(field(d, "expirationDate")),
			IssueDate:      str0(field(d, "issueDate")),
		}
	}
	return dv
}

// dateLayouts are the date formats of DocumentData.
var dateLayouts = []string{"2006-01-02", "01/02/2006", "1/2/2006", "2006/01/02"}

// parseDate reads a calendar date (a longer RFC 3339 time counts by its date part).
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		s = s[:10]
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// civil is t's calendar date in its own location, as a UTC midnight.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// AgeAt returns the age in whole years at t from DOB, and whether DOB parsed.
// The date of t is taken in t's own location. A DOB after t does not parse.
func (d DocumentData) AgeAt(t time.Time) (int, bool) {
	dob, ok := parseDate(d.DOB)
	if !ok {
		return 0, false
	}
	day := civil(t)
	if dob.After(day) {
		return 0, false
	}
	age := day.Year() - dob.Year()
	if day.Month() < dob.Month() || (day.Month() == dob.Month() && day.Day() < dob.Day()) {
		age--
	}
	return age, true
}

// ExpiredAt reports whether the document had expired at t (false if unknown).
// A document is valid through its expiration date.
func (d DocumentData) ExpiredAt(t time.Time) bool {
	exp, ok := parseDate(d.ExpirationDate)
	return ok && civil(t).After(exp)
}

// Name is FullName, else FirstName + SurName.
func (d DocumentData) Name() string {
	if n := strings.TrimSpace(d.FullName); n != "" {
		return n
	}
	return strings.TrimSpace(strings.TrimSpace(d.FirstName) + " " + strings.TrimSpace(d.SurName))
}
