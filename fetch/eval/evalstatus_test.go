package eval

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// specEvaluation has the fields of the published spec that the app reads,
// two DocV attempts (the last is current) and an enrichment error.
const specEvaluation = `{
  "eval_id": "cccccccc-cccc-4ccc-8ccc-cccccccccccc",
  "id": "APP-12",
  "workflow": "consumer_onboarding",
  "workflow_id": "5f0c2a8e-7d41-4c2b-9e3a-000000000001",
  "workflow_version": 3,
  "eval_source": "API",
  "eval_status": "evaluation_completed",
  "decision": "REVIEW",
  "decision_at": "2026-03-10T11:59:00.5Z",
  "status": "OPEN",
  "notes": [{"note": "first look"}, "second look", {"other": 1}],
  "score": 146,
  "eval_start_time": "2026-03-10T11:58:00Z",
  "eval_end_time": "2026-03-10T11:58:03Z",
  "data_enrichments": [
    {"enrichment_name": "Socure DocV", "status_code": 200, "total_attempts": 2,
     "response": {"referenceId": "ref-1", "documentVerification": {"reasonCodes": ["R822"], "decision": {"value": "resubmit"},
       "documentData": {"dob": "1991-08-22"}}}},
    {"enrichment_name": "Watchlist", "status_code": 500, "error": {"message": "upstream\ntimeout"}, "response": {}},
    {"enrichment_name": "Socure DocV", "status_code": 200, "total_attempts": 1,
     "response": "{\"referenceId\": \"ref-2\", \"documentVerification\": {\"reasonCodes\": [\"I831\", \"R838\"], \"decision\": {\"value\": \"review\"}, \"documentData\": {\"dob\": \"2008-03-11\"}}}"}
  ]
}`

func TestParseEvaluationSpecFields(t *testing.T) {
	ev, err := ParseEvaluation([]byte(specEvaluation))
	if err != nil {
		t.Fatal(err)
	}
	if ev.WorkflowID != "5f0c2a8e-7d41-4c2b-9e3a-000000000001" || ev.WorkflowVersion != "3" || ev.EvalSource != "API" ||
		!ev.DecisionAt.Equal(time.Date(2026, 3, 10, 11, 59, 0, 5e8, time.UTC)) || ev.Notes != "first look\nsecond look" {
		t.Errorf("fields: %+v", ev)
	}
	if ev.Score == nil || *ev.Score != 146 {
		t.Errorf("score %v", ev.Score)
	}
	if ev.DocVAttempts != 2 || ev.DocV == nil || ev.DocV.Decision.Value != "review" || ev.DocV.Data.DOB != "2008-03-11" {
		t.Fatalf("current attempt: %d attempts, %+v", ev.DocVAttempts, ev.DocV)
	}
	if len(ev.ReasonCodes) != 2 || ev.ReasonCodes[0] != (ReasonCode{Code: "I831"}) || ev.ReasonCodes[1].Code != "R838" {
		t.Errorf("reason codes %+v", ev.ReasonCodes)
	}
	want := []Enrichment{
		{Name: "Socure DocV", StatusCode: 200, TotalAttempts: 2, ReferenceID: "ref-1", DocV: true},
		{Name: "Watchlist", StatusCode: 500, Error: "upstream timeout"},
		{Name: "Socure DocV", StatusCode: 200, TotalAttempts: 1, ReferenceID: "ref-2", DocV: true},
	}
	for i := range want {
		if i >= len(ev.Enrichments) || ev.Enrichments[i] != want[i] {
			t.Errorf("enrichment %d: %+v, want %+v", i, ev.Enrichments, want[i])
		}
	}
	// --json: docv_attempts and reason_codes are there, the notes are not, the score prints as an integer.
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	out := string(b)
	for _, s := range []string{`"docv_attempts":2`, `"reason_codes":[{"code":"I831","description":""}`, `"score":146,`, `"decision_at":"2026-03-10T11:59:00.5Z"`} {
		if !strings.Contains(out, s) {
			t.Errorf("JSON lacks %s: %s", s, out)
		}
	}
	if strings.Contains(out, "first look") || strings.Contains(out, "notes") {
		t.Errorf("JSON prints the notes: %s", out)
	}
}

func TestParseEvaluationNotesBounded(t *testing.T) {
	big := strings.Repeat("é", MaxNotesLen) // two bytes each
	b, _ := json.Marshal(map[string]any{"notes": big})
	ev, err := ParseEvaluation(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Notes) > MaxNotesLen || len(ev.Notes) < MaxNotesLen-1 || !strings.HasPrefix(big, ev.Notes) {
		t.Errorf("notes kept %d bytes", len(ev.Notes))
	}
	for _, tc := range []struct{ json, want string }{
		{`{"notes":42}`, ""},
		{`{"notes":"  one  "}`, "one"},
		{`{"notes":[" ", {"text":"t"}, {"message":"m"}, [1]]}`, "t\nm"},
	} {
		ev, err := ParseEvaluation([]byte(tc.json))
		if err != nil || ev.Notes != tc.want {
			t.Errorf("%s: %q %v", tc.json, ev.Notes, err)
		}
	}
}

func TestInProgress(t *testing.T) {
	for status, want := range map[string]bool{
		"evaluation_paused": true, "EVALUATION_IN_PROGRESS": true, "evaluationPaused": true, "paused": true,
		"evaluation_completed": false, "evaluation_terminated": false, "evaluation_failed": false, "": false,
	} {
		ev := &Evaluation{EvalStatus: status}
		if got := ev.InProgress(); got != want {
			t.Errorf("InProgress(%q) = %v", status, got)
		}
		if got := ev.Paused(); got != (want && !strings.Contains(strings.ToLower(status), "progress")) {
			t.Errorf("Paused(%q) = %v", status, got)
		}
	}
	var nilEv *Evaluation
	if nilEv.InProgress() || nilEv.Paused() {
		t.Error("nil evaluation in progress")
	}
}

func TestAgeAtEvaluation(t *testing.T) {
	today := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	docv := func(dob string) *DocumentVerification { return &DocumentVerification{Data: DocumentData{DOB: dob}} }
	tests := []struct {
		name  string
		ev    *Evaluation
		age   int
		ok    bool
		minor bool
	}{
		{"minor then, adult today", &Evaluation{EvalEndTime: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), DocV: docv("2003-06-01")}, 16, true, true},
		{"adult then", &Evaluation{EvalStartTime: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), DocV: docv("2003-06-01")}, 18, true, false},
		{"end time wins over start", &Evaluation{EvalStartTime: time.Date(2021, 5, 31, 0, 0, 0, 0, time.UTC),
			EvalEndTime: time.Date(2021, 6, 1, 0, 0, 1, 0, time.UTC), DocV: docv("2003-06-01")}, 18, true, false},
		{"no times: today", &Evaluation{DocV: docv("2008-06-02")}, 17, true, true},
		{"no docv", &Evaluation{EvalEndTime: today}, 0, false, false},
		{"bad dob", &Evaluation{DocV: docv("soon")}, 0, false, false},
		{"nil", nil, 0, false, false},
	}
	for _, tt := range tests {
		age, ok := tt.ev.AgeAtEvaluation(today)
		if age != tt.age || ok != tt.ok || tt.ev.MinorAtEvaluation(today) != tt.minor {
			t.Errorf("%s: %d %v minor %v", tt.name, age, ok, tt.ev.MinorAtEvaluation(today))
		}
	}
}
