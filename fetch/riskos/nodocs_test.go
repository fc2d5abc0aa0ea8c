package riskos

import (
	"errors"
	"strings"
	"testing"
	"time"

	"docvreview/fetch/eval"
)

func TestExplainNoDocuments(t *testing.T) {
	now := time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)
	docv := func(typ, dob string) *eval.DocumentVerification {
		return &eval.DocumentVerification{DocumentType: eval.DocumentType{Type: typ}, Data: eval.DocumentData{DOB: dob, FullName: "Jane Specimen"}}
	}
	tests := []struct {
		name       string
		ev         *eval.Evaluation
		env        eval.Environment
		reason     NoDocsReason
		processing bool
	}{
		{"nil evaluation", nil, eval.Production, ReasonRetention, false},
		{"nil evaluation in sandbox", nil, eval.Sandbox, ReasonRetention, false},
		{"no docv", &eval.Evaluation{}, eval.Production, ReasonRetention, false},
		{"military", &eval.Evaluation{DocV: docv("Military", "1990-01-01")}, eval.Production, ReasonMilitary, false},
		{"military id, any case", &eval.Evaluation{DocV: docv(" MILITARY ID ", "")}, eval.Production, ReasonMilitary, false},
		{"military beats minor", &eval.Evaluation{DocV: docv("military", "2015-01-01")}, eval.Production, ReasonMilitary, false},
		{"minor at evaluation end", &eval.Evaluation{EvalEndTime: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), DocV: docv("Drivers License", "2003-06-01")}, eval.Production, ReasonMinor, false},
		{"minor then, adult now", &eval.Evaluation{EvalStartTime: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), DocV: docv("Drivers License", "2003-06-01")}, eval.Production, ReasonMinor, false},
		{"minor now (no evaluation time)", &eval.Evaluation{DocV: docv("Drivers License", "2008-01-01")}, eval.Production, ReasonMinor, false},
		{"turns 18 on the evaluation day", &eval.Evaluation{EvalEndTime: time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC), DocV: docv("Drivers License", "2003-06-01")}, eval.Production, ReasonRetention, false},
		{"adult", &eval.Evaluation{EvalEndTime: now.Add(-48 * time.Hour), DocV: docv("Drivers License", "1980-02-02")}, eval.Production, ReasonRetention, false},
		{"unparseable dob", &eval.Evaluation{DocV: docv("Passport", "unknown")}, eval.Production, ReasonRetention, false},
		{"sandbox fresh", &eval.Evaluation{EvalEndTime: now.Add(-10 * time.Second), DocV: docv("Drivers License", "1980-02-02")}, eval.Sandbox, ReasonRetention, true},
		{"sandbox fresh, slight clock skew", &eval.Evaluation{EvalEndTime: now.Add(5 * time.Second)}, eval.Sandbox, ReasonRetention, true},
		{"sandbox fresh by start time only", &eval.Evaluation{EvalStartTime: now.Add(-20 * time.Second)}, eval.Sandbox, ReasonRetention, true},
		{"sandbox old", &eval.Evaluation{EvalEndTime: now.Add(-61 * time.Second)}, eval.Sandbox, ReasonRetention, false},
		{"sandbox no times", &eval.Evaluation{}, eval.Sandbox, ReasonRetention, false},
		{"production fresh", &eval.Evaluation{EvalEndTime: now.Add(-10 * time.Second)}, eval.Production, ReasonRetention, false},
		{"sandbox fresh military", &eval.Evaluation{EvalEndTime: now.Add(-3 * time.Second), DocV: docv("Military", "")}, eval.Sandbox, ReasonMilitary, true},
		{"paused at capture", &eval.Evaluation{EvalStatus: "evaluation_paused", Decision: "REVIEW", EvalStartTime: now.Add(-10 * time.Second)}, eval.Sandbox, ReasonNotCaptured, false},
		{"in progress", &eval.Evaluation{EvalStatus: "evaluation_in_progress"}, eval.Production, ReasonNotCaptured, false},
		{"paused with an earlier military capture", &eval.Evaluation{EvalStatus: "evaluation_paused", DocV: docv("Military", "")}, eval.Production, ReasonMilitary, false},
		{"completed is not paused", &eval.Evaluation{EvalStatus: "evaluation_completed", DocV: docv("Passport", "1980-02-02")}, eval.Production, ReasonRetention, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := ExplainNoDocuments(tt.ev, tt.env, now)
			if x.Reason != tt.reason || x.StillProcessing != tt.processing {
				t.Fatalf("got %s processing=%v, want %s processing=%v", x.Reason, x.StillProcessing, tt.reason, tt.processing)
			}
			if x.Summary == "" || x.Detail == "" {
				t.Fatal("empty text")
			}
			hint := "images may still be processing; try again in a few seconds"
			if got := strings.Contains(x.Summary, hint) && strings.Contains(x.Detail, hint); got != tt.processing {
				t.Errorf("processing hint present = %v: %q / %q", got, x.Summary, x.Detail)
			}
			for _, pii := range []string{"Jane", "Specimen", "1980", "2003", "2008", "2015"} {
				if strings.Contains(x.Summary+x.Detail, pii) {
					t.Errorf("explanation contains %q", pii)
				}
			}
			if notCaptured := tt.reason == ReasonNotCaptured; notCaptured != (strings.Contains(x.Summary, "capture is not finished") &&
				!strings.Contains(x.Summary+x.Detail, "retention")) {
				t.Errorf("capture-not-finished wording = %v: %q / %q", !notCaptured, x.Summary, x.Detail)
			}
		})
	}
	if x := ExplainNoDocuments(nil, eval.Production, now); !strings.Contains(x.Detail, "could not be read") {
		t.Errorf("nil evaluation detail does not say the summary was missing: %q", x.Detail)
	}
	if x := ExplainNoDocuments(&eval.Evaluation{}, eval.Production, now); !strings.Contains(x.Summary, "data-retention policy or a deletion request") {
		t.Errorf("retention summary = %q", x.Summary)
	}
}

func TestNoDocumentsError(t *testing.T) {
	api := &APIError{Kind: ErrNoDocuments, Status: 400, Message: "No Documents Found"}
	ev := &eval.Evaluation{DocV: &eval.DocumentVerification{DocumentType: eval.DocumentType{Type: "Military"}, Data: eval.DocumentData{FullName: "Jane Specimen", DOB: "1990-01-01"}}}
	e := &NoDocumentsError{EvalID: "33333333-3333-4333-8333-333333333333", Explanation: ExplainNoDocuments(ev, eval.Sandbox, time.Now()), Evaluation: ev, Err: api}
	want := "no documents for 33333333-3333-4333-8333-333333333333: Images were deleted because the ID is a Military ID."
	if e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
	var err error = e
	if !errors.Is(err, ErrNoDocuments) {
		t.Error("errors.Is(ErrNoDocuments) is false")
	}
	var got *APIError
	if !errors.As(err, &got) || got != api {
		t.Error("errors.As(*APIError) does not reach the API error")
	}
	bare := &NoDocumentsError{EvalID: "x"}
	if bare.Error() != "no documents for x" || bare.Unwrap() != nil {
		t.Errorf("bare error %q unwrap %v", bare.Error(), bare.Unwrap())
	}
}
