package eval_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
)

// FuzzParseEvaluation checks that any input either parses into a summary
// that can be shown and explained, or fails with ErrInvalidEvaluation.
func FuzzParseEvaluation(f *testing.F) {
	f.Add([]byte(eval.FullEvaluation))
	f.Add([]byte(`{"data_enrichments":[{"response":"{\"documentVerification\":\"{\\\"documentType\\\":\\\"Military\\\"}\"}"}]}`))
	f.Add([]byte(`{"score":"1e400","eval_end_time":"9999999999999"}`))
	f.Add([]byte(eval.SpecEvaluation))
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := eval.ParseEvaluation(b)
		if err != nil {
			if ev != nil || !errors.Is(err, eval.ErrInvalidEvaluation) {
				t.Fatalf("ev %v, err %v", ev, err)
			}
			return
		}
		if _, err := json.Marshal(ev); err != nil {
			t.Fatalf("summary does not marshal: %v", err)
		}
		for _, env := range []eval.Environment{eval.Sandbox, eval.Production} {
			if x := riskos.ExplainNoDocuments(ev, env, now); x.Summary == "" || x.Reason == "" {
				t.Fatal("empty explanation")
			}
		}
		if ev.DocVAttempts < 0 || (ev.DocV == nil) != (ev.DocVAttempts == 0) || len(ev.Notes) > eval.MaxNotesLen {
			t.Fatalf("attempts %d with docv %v, notes %d bytes", ev.DocVAttempts, ev.DocV != nil, len(ev.Notes))
		}
		ev.InProgress()
		ev.MinorAtEvaluation(now)
		if ev.DocV != nil {
			if age, ok := ev.DocV.Data.AgeAt(now); ok && age < 0 {
				t.Fatalf("negative age %d", age)
			}
			ev.DocV.Data.ExpiredAt(now)
			_ = ev.DocV.Data.Name()
		}
	})
}
