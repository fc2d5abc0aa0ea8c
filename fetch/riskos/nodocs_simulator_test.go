package riskos

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
)

// TestSimulatorNoDocumentsExplained explains each "No Documents Found"
// scenario from the evaluation JSON the simulator serves.
func TestSimulatorNoDocumentsExplained(t *testing.T) {
	now := time.Now()
	srv := simulator.New(simulator.Config{Now: func() time.Time { return now }})
	for id, reason := range map[string]NoDocsReason{
		simulator.MilitaryID:  ReasonMilitary,
		simulator.MinorID:     ReasonMinor,
		simulator.RetentionID: ReasonRetention,
		simulator.PausedID:    ReasonNotCaptured,
	} {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/evaluation/"+id, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", id, rec.Code)
		}
		ev, err := eval.ParseEvaluation(rec.Body.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if ev.EvalID != id || (ev.DocV == nil) != (id == simulator.PausedID) {
			t.Fatalf("%s: eval_id %q, docv %v", id, ev.EvalID, ev.DocV != nil)
		}
		for _, env := range []eval.Environment{eval.Production, eval.Sandbox} {
			if x := ExplainNoDocuments(ev, env, now); x.Reason != reason {
				t.Errorf("%s in %s: reason %s, want %s", id, env, x.Reason, reason)
			}
		}
	}
}
