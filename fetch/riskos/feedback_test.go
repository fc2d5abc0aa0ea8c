package riskos

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
)

func TestSendFeedbackSimulator(t *testing.T) {
	day := time.Date(2026, 3, 10, 23, 30, 0, 0, time.FixedZone("PST", -8*3600))
	c, sim := simClient(t, simulator.Config{}, func(o *Options) { o.Now = func() time.Time { return day } })
	ev, err := c.Evaluation(t.Context(), simulator.SuspectID)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.SendFeedback(t.Context(), ev, Feedback{FraudLabel: "Fraud", FraudType: "synthetic", Notes: notesSentinel,
		RecordedBy: "reviewer@example.com", Tags: []string{"docv", " ", "escalated"}})
	if err != nil {
		t.Fatal(err)
	}
	want := FeedbackBody{ID: "SPECIMEN-APP-000C", Workflow: "consumer_onboarding", FraudLabel: "fraud", FraudType: "synthetic",
		Notes: notesSentinel, RecordedAt: "2026-03-10", RecordedBy: "reviewer@example.com", Tags: []string{"docv", "escalated"}}
	if !feedbackEqual(res.Sent, want) || res.Message != "Feedback recorded successfully" {
		t.Errorf("result %+v", res)
	}
	recs := sim.FeedbackRecords()
	if len(recs) != 1 || recs[0].ID != want.ID || recs[0].ID == simulator.SuspectID || recs[0].Notes != notesSentinel ||
		recs[0].RecordedAt != "2026-03-10" || !slices.Equal(recs[0].Tags, want.Tags) || recs[0].FraudLabel != "fraud" {
		t.Errorf("recorded %+v", recs)
	}
}

func feedbackEqual(a, b FeedbackBody) bool {
	return a.ID == b.ID && a.Workflow == b.Workflow && a.FraudLabel == b.FraudLabel && a.FraudType == b.FraudType &&
		a.Notes == b.Notes && a.RecordedAt == b.RecordedAt && a.RecordedBy == b.RecordedBy && slices.Equal(a.Tags, b.Tags)
}

func TestFeedbackRefusedBeforeSending(t *testing.T) {
	c, sim := simClient(t, simulator.Config{}, nil)
	good := &eval.Evaluation{EvalID: simulator.SuspectID, ID: "SPECIMEN-APP-000C", Workflow: "consumer_onboarding"}
	tests := []struct {
		name string
		ev   *eval.Evaluation
		fb   Feedback
		kind error
		has  string
	}{
		{"no customer id", &eval.Evaluation{EvalID: simulator.SuspectID, Workflow: "wf"}, Feedback{FraudLabel: "fraud"}, ErrNoCustomerID, "not a substitute"},
		{"id is the eval_id", &eval.Evaluation{EvalID: simulator.SuspectID, ID: strings.ToUpper(simulator.SuspectID), Workflow: "wf"}, Feedback{FraudLabel: "fraud"}, ErrNoCustomerID, "is its eval_id"},
		{"nil evaluation", nil, Feedback{FraudLabel: "fraud"}, ErrNoCustomerID, "no evaluation"},
		{"label", good, Feedback{FraudLabel: "maybe"}, ErrInvalidWrite, "want fraud or non-fraud"},
		{"no workflow", &eval.Evaluation{ID: "X-1"}, Feedback{FraudLabel: "fraud"}, ErrInvalidWrite, "no workflow"},
		{"type two lines", good, Feedback{FraudLabel: "fraud", FraudType: "a\nb"}, ErrInvalidWrite, "fraud type"},
		{"long tag", good, Feedback{FraudLabel: "fraud", Tags: []string{strings.Repeat("t", 101)}}, ErrInvalidWrite, "tag"},
		{"too many tags", good, Feedback{FraudLabel: "fraud", Tags: make([]string, 51)}, ErrInvalidWrite, "51 tags"},
		{"notes not text", good, Feedback{FraudLabel: "fraud", Notes: notesSentinel + "\x00"}, ErrInvalidWrite, "not text"},
	}
	for _, tt := range tests {
		_, err := c.SendFeedback(t.Context(), tt.ev, tt.fb)
		if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.has) {
			t.Errorf("%s: %v, want %v with %q", tt.name, err, tt.kind, tt.has)
		}
		noNotes(t, err)
	}
	if n := sim.FeedbackWrites(); n != 0 {
		t.Errorf("%d PUTs, want 0", n)
	}
	if KindName(fmtErr(ErrNoCustomerID)) != "no_customer_id" {
		t.Error("kind name")
	}
	for in, want := range map[string]string{"FRAUD": "fraud", "non-fraud": "non-fraud", "Non_Fraud": "non-fraud", "nonfraud": "non-fraud"} {
		if got, err := ParseFraudLabel(in); got != want || err != nil {
			t.Errorf("ParseFraudLabel(%q) = %q %v", in, got, err)
		}
	}
}

func fmtErr(err error) error { return errors.Join(errors.New("x"), err) }

func TestFeedbackStatuses(t *testing.T) {
	ev := &eval.Evaluation{EvalID: sampleID, ID: "APP-1", Workflow: "wf"}
	tests := []struct {
		name    string
		answers []func(w http.ResponseWriter)
		kind    error
		puts    int
		hintHas string
	}{
		{"400", []func(http.ResponseWriter){func(w http.ResponseWriter) { answerJSON(w, 400, `{"message":"fraud_type unknown"}`) }}, ErrBadRequest, 1, "did not accept the feedback: \u201cfraud_type unknown\u201d"},
		{"401", []func(http.ResponseWriter){func(w http.ResponseWriter) { answerJSON(w, 401, `{}`) }}, ErrUnauthorized, 1, "key"},
		{"403", []func(http.ResponseWriter){func(w http.ResponseWriter) { answerJSON(w, 403, `{"message":"IP Address was rejected"}`) }}, ErrForbidden, 1, "IP allow-list"},
		{"404", []func(http.ResponseWriter){func(w http.ResponseWriter) { answerJSON(w, 404, `{}`) }}, ErrNotFound, 1, "no evaluation with this customer id"},
		{"500", []func(http.ResponseWriter){func(w http.ResponseWriter) { answerJSON(w, 500, `{}`) }}, ErrServer, 1, "may or may not"},
		{"429 then 200", []func(http.ResponseWriter){
			func(w http.ResponseWriter) { w.WriteHeader(429) },
			func(w http.ResponseWriter) { answerJSON(w, 200, `{"message":"ok"}`) },
		}, nil, 2, ""},
		{"lost answer", []func(http.ResponseWriter){func(w http.ResponseWriter) { panic(http.ErrAbortHandler) }}, ErrOutcomeUnknown, 1, "recorded twice"},
		{"200 cut short", []func(http.ResponseWriter){func(w http.ResponseWriter) {
			w.Header().Set("Content-Length", "100")
			answerJSON(w, 200, `{"mess`)
		}}, nil, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeRiskOS(t, nil, func(w http.ResponseWriter, r *http.Request, n int) {
				if r.URL.Path != "/api/feedback" {
					t.Errorf("path %s", r.URL.Path)
				}
				tt.answers[min(n, len(tt.answers))-1](w)
			})
			c := newTestClient(t, srv.URL, nil)
			res, err := c.SendFeedback(t.Context(), ev, Feedback{FraudLabel: "non-fraud", Notes: notesSentinel})
			noNotes(t, err)
			if got := int(srv.puts.Load()); got != tt.puts {
				t.Errorf("%d PUTs, want %d", got, tt.puts)
			}
			if tt.kind == nil {
				if err != nil || res.Sent.ID != "APP-1" {
					t.Fatalf("%+v %v", res, err)
				}
				return
			}
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err %v, want %v", err, tt.kind)
			}
			hint := ""
			var h interface{ Hint() string }
			var ae *APIError
			switch {
			case errors.As(err, &h):
				hint = h.Hint()
			case errors.As(err, &ae):
				hint = ae.Hint
			}
			if !strings.Contains(hint, tt.hintHas) {
				t.Errorf("hint %q, want %q", hint, tt.hintHas)
			}
		})
	}
}

func TestFeedbackNoBlindRetrySimulator(t *testing.T) {
	c, sim := simClient(t, simulator.Config{}, nil)
	ev, err := c.Evaluation(t.Context(), simulator.HappyID)
	if err != nil {
		t.Fatal(err)
	}
	sim.InjectWriteFaults(simulator.FaultDropAfterApply)
	_, err = c.SendFeedback(t.Context(), ev, Feedback{FraudLabel: "fraud", Notes: notesSentinel})
	var ou *OutcomeUnknownError
	if !errors.As(err, &ou) || ou.Op != "feedback" || !strings.Contains(err.Error(), "feedback cannot be read back") {
		t.Fatalf("err %v", err)
	}
	if n, recs := sim.FeedbackWrites(), sim.FeedbackRecords(); n != 1 || len(recs) != 1 {
		t.Errorf("%d PUTs, %d records; want exactly 1 and 1", n, len(recs))
	}
	noNotes(t, err)
	// dddd answers writes with 403 IP rejected.
	ip, err := c.Evaluation(t.Context(), simulator.IPRejectID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.SendFeedback(t.Context(), ip, Feedback{FraudLabel: "fraud"})
	if e := asAPIError(t, err); !errors.Is(err, ErrForbidden) || e.Message != "IP Address was rejected" || !strings.Contains(e.Hint, "IP allow-list") {
		t.Errorf("dddd feedback: %v / %q", err, e.Hint)
	}
	_, err = c.UpdateState(t.Context(), simulator.IPRejectID, StateChange{Decision: "ACCEPT", Status: "CLOSED"}, eval.Precondition{Decision: "REVIEW"})
	if !errors.Is(err, ErrForbidden) || !strings.Contains(asAPIError(t, err).Hint, "IP allow-list") {
		t.Errorf("dddd state: %v", err)
	}
}
