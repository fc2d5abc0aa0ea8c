package simulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// put sends a PUT with a JSON body and an optional Authorization header; err
// is the transport error (a dropped connection), else the response is read.
func put(t *testing.T, c *http.Client, url, auth, body string) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// stateView is the part of the evaluation a state write changes.
type stateView struct {
	Decision   string `json:"decision"`
	Status     string `json:"status"`
	SubStatus  string `json:"sub_status"`
	Notes      string `json:"notes"`
	DecisionAt string `json:"decision_at"`
}

func decodeState(t *testing.T, b []byte) stateView {
	t.Helper()
	var v stateView
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("evaluation JSON: %v (%.100q)", err, b)
	}
	return v
}

func TestStateWriteChangesTheCase(t *testing.T) {
	clock := fixedNow
	for _, v := range vias {
		t.Run(v.name, func(t *testing.T) {
			srv := New(Config{Now: func() time.Time { return clock }})
			c, base := v.start(t, srv)
			_, before := get(t, c, base+"/api/evaluation/"+HostileID, "")
			if st := decodeState(t, before); st.Decision != "REVIEW" || st.Status != "ON_HOLD" || st.Notes != "" {
				t.Fatalf("before: %+v", st)
			}
			body := `{"workflow":"consumer_onboarding","decision":"REJECT","status":"CLOSED","sub_status":"Fraud confirmed",` +
				`"notes":"edited front","attachments":[{"file_name":"a.pdf","file_data":"JVBERi0xLjQK"}]}`
			resp, answer, err := put(t, c, base+"/api/evaluation/"+HostileID+"/state", "", body)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("PUT: %v %v %s", err, resp, answer)
			}
			want := stateView{"REJECT", "CLOSED", "Fraud confirmed", "edited front", clock.Format(time.RFC3339Nano)}
			if got := decodeState(t, answer); got != want {
				t.Errorf("answer %+v, want %+v", got, want)
			}
			_, after := get(t, c, base+"/api/evaluation/"+HostileID, "")
			if got := decodeState(t, after); got != want {
				t.Errorf("later GET %+v, want %+v", got, want)
			}
			// sub_status and notes left out keep their values; decision_at moves on.
			clock = clock.Add(time.Minute)
			if resp, _, err := put(t, c, base+"/api/evaluation/"+HostileID+"/state", "", `{"workflow":"consumer_onboarding","decision":"ACCEPT","status":"OPEN"}`); err != nil || resp.StatusCode != 200 {
				t.Fatalf("second PUT: %v %v", err, resp)
			}
			_, after = get(t, c, base+"/api/evaluation/"+HostileID, "")
			want = stateView{"ACCEPT", "OPEN", "Fraud confirmed", "edited front", clock.Format(time.RFC3339Nano)}
			if got := decodeState(t, after); got != want {
				t.Errorf("after the second PUT %+v, want %+v", got, want)
			}
			if n := srv.StateWrites(HostileID); n != 2 {
				t.Errorf("StateWrites = %d, want 2", n)
			}
			// Another Server starts from the scenario again.
			c2, base2 := v.start(t, New(Config{Now: func() time.Time { return clock }}))
			if _, b := get(t, c2, base2+"/api/evaluation/"+HostileID, ""); decodeState(t, b).Decision != "REVIEW" {
				t.Error("state leaked into another Server")
			}
		})
	}
}

func TestStateWriteRejectsBadBodies(t *testing.T) {
	srv := New(Config{})
	c := &http.Client{Transport: Transport(srv)}
	url := "http://sim/api/evaluation/" + HappyID + "/state"
	for _, tc := range []struct{ body, msg string }{
		{``, msgBadJSON},
		{`[]`, msgBadJSON},
		{`null`, msgBadJSON},
		{`{"decision":"ACCEPT","status":"OPEN"}`, msgWorkflow},
		{`{"workflow":"other","decision":"ACCEPT","status":"OPEN"}`, msgWorkflowWrong},
		{`{"workflow":"consumer_onboarding","decision":"accept","status":"OPEN"}`, msgDecision},
		{`{"workflow":"consumer_onboarding","decision":"ACCEPT","status":"ON HOLD"}`, msgStatus},
		{`{"workflow":"consumer_onboarding","decision":"ACCEPT"}`, msgStatus},
		{`{"workflow":"consumer_onboarding","decision":"ACCEPT","status":"OPEN","attachments":[{"file_name":"a.pdf","file_data":"%%%"}]}`, msgAttachment},
		{`{"workflow":"consumer_onboarding","decision":"ACCEPT","status":"OPEN","attachments":[{"file_data":"QQ=="}]}`, msgAttachment},
		{`{"workflow":5,"decision":"ACCEPT","status":"OPEN"}`, "workflow has the wrong type"},
	} {
		resp, b, err := put(t, c, url, "", tc.body)
		if err != nil || resp.StatusCode != 400 || message(t, b) != tc.msg {
			t.Errorf("%s: %v %v %s, want 400 %q", tc.body, err, resp, b, tc.msg)
		}
	}
	if _, b := get(t, c, "http://sim/api/evaluation/"+HappyID, ""); decodeState(t, b).Decision != "ACCEPT" || decodeState(t, b).Notes != "" {
		t.Error("a refused write changed the case")
	}
}

func TestWritesAuthAndIPRejection(t *testing.T) {
	const good, other = "sandbox-key-123", "production-key-456"
	state := `{"workflow":"consumer_onboarding","decision":"ACCEPT","status":"CLOSED"}`
	feedback := `{"id":"SPECIMEN-APP-000D","workflow":"consumer_onboarding","fraud_label":"fraud"}`
	for _, v := range vias {
		t.Run(v.name, func(t *testing.T) {
			srv := New(Config{APIKey: good, OtherEnvKey: other})
			c, base := v.start(t, srv)
			for _, tc := range []struct {
				path, body, auth string
				status           int
				msg              string
			}{
				{"/api/evaluation/" + HappyID + "/state", state, "Bearer nope", 401, msgUnauthorized},
				{"/api/evaluation/" + HappyID + "/state", state, "Bearer " + other, 403, msgForbidden},
				{"/api/evaluation/" + IPRejectID + "/state", state, "Bearer " + good, 403, msgIPRejected},
				{"/api/feedback", feedback, "", 401, msgUnauthorized},
				{"/api/feedback", feedback, "Bearer " + good, 403, msgIPRejected},
			} {
				resp, b, err := put(t, c, base+tc.path, tc.auth, tc.body)
				if err != nil || resp.StatusCode != tc.status || message(t, b) != tc.msg {
					t.Errorf("%s %s: %v %v %s, want %d %q", tc.path, tc.auth, err, resp, b, tc.status, tc.msg)
				}
			}
			if _, b := get(t, c, base+"/api/evaluation/"+IPRejectID, "Bearer "+good); decodeState(t, b).Decision != "REVIEW" {
				t.Error("a rejected write changed the case")
			}
			if n := srv.StateWrites(IPRejectID); n != 1 {
				t.Errorf("StateWrites = %d", n)
			}
			if n, recs := srv.FeedbackWrites(), srv.FeedbackRecords(); n != 2 || len(recs) != 0 {
				t.Errorf("FeedbackWrites %d, records %d", n, len(recs))
			}
		})
	}
}

func TestFeedbackRecorded(t *testing.T) {
	srv := New(Config{})
	c := &http.Client{Transport: Transport(srv)}
	url := "http://sim/api/feedback"
	good := `{"id":"SPECIMEN-APP-000C","workflow":"consumer_onboarding","fraud_label":"fraud","fraud_type":"synthetic",` +
		`"notes":"dob mismatch","recorded_at":"2026-03-10","recorded_by":"reviewer@example.com","tags":["docv","escalated"]}`
	resp, b, err := put(t, c, url, "", good)
	if err != nil || resp.StatusCode != 200 || message(t, b) != msgFeedbackStored {
		t.Fatalf("%v %v %s", err, resp, b)
	}
	want := FeedbackRecord{ID: "SPECIMEN-APP-000C", Workflow: "consumer_onboarding", FraudLabel: "fraud", FraudType: "synthetic",
		Notes: "dob mismatch", RecordedAt: "2026-03-10", RecordedBy: "reviewer@example.com", Tags: []string{"docv", "escalated"}}
	recs := srv.FeedbackRecords()
	if len(recs) != 1 || recs[0].ID != want.ID || recs[0].Notes != want.Notes || !slices.Equal(recs[0].Tags, want.Tags) ||
		recs[0].RecordedAt != want.RecordedAt || recs[0].RecordedBy != want.RecordedBy || recs[0].FraudType != want.FraudType {
		t.Errorf("records %+v", recs)
	}
	recs[0].Tags[0] = "changed"
	if srv.FeedbackRecords()[0].Tags[0] != "docv" {
		t.Error("FeedbackRecords shares its slices")
	}
	for _, tc := range []struct {
		body   string
		status int
		msg    string
	}{
		{`{"id":"` + SuspectID + `","workflow":"consumer_onboarding","fraud_label":"fraud"}`, 404, msgFeedbackUnknown}, // an eval_id is not the id
		{`{"id":"SPECIMEN-APP-0006","workflow":"consumer_onboarding","fraud_label":"fraud"}`, 404, msgFeedbackUnknown},
		{`{"workflow":"consumer_onboarding","fraud_label":"fraud"}`, 400, msgFeedbackID},
		{`{"id":"SPECIMEN-APP-000C","fraud_label":"fraud"}`, 400, msgWorkflow},
		{`{"id":"SPECIMEN-APP-000C","workflow":"other","fraud_label":"fraud"}`, 400, msgWorkflowWrong},
		{`{"id":"SPECIMEN-APP-000C","workflow":"consumer_onboarding","fraud_label":"Fraud"}`, 400, msgFraudLabel},
		{`{"id":"SPECIMEN-APP-000C","workflow":"consumer_onboarding","fraud_label":"fraud","recorded_at":"10/03/2026"}`, 400, msgRecordedAt},
		{`{"id":"SPECIMEN-APP-000C"`, 400, msgBadJSON},
	} {
		resp, b, err := put(t, c, url, "", tc.body)
		if err != nil || resp.StatusCode != tc.status || message(t, b) != tc.msg {
			t.Errorf("%s: %v %v %s, want %d %q", tc.body, err, resp, b, tc.status, tc.msg)
		}
	}
	if n := len(srv.FeedbackRecords()); n != 1 {
		t.Errorf("%d records after refused ones", n)
	}
}

func TestWriteFaults(t *testing.T) {
	body := `{"workflow":"consumer_onboarding","decision":"REJECT","status":"CLOSED"}`
	for _, v := range vias {
		t.Run(v.name, func(t *testing.T) {
			srv := New(Config{})
			c, base := v.start(t, srv)
			url := base + "/api/evaluation/" + RecaptureID + "/state"
			srv.InjectWriteFaults(FaultDropBeforeApply, FaultDropAfterApply)
			if _, _, err := put(t, c, url, "", body); err == nil {
				t.Fatal("drop before apply: no error")
			}
			if _, b := get(t, c, base+"/api/evaluation/"+RecaptureID, ""); decodeState(t, b).Decision != "REVIEW" {
				t.Error("dropped before applying, yet applied")
			}
			if _, _, err := put(t, c, url, "", body); err == nil {
				t.Fatal("drop after apply: no error")
			}
			if _, b := get(t, c, base+"/api/evaluation/"+RecaptureID, ""); decodeState(t, b).Decision != "REJECT" {
				t.Error("dropped after applying, yet not applied")
			}
			// The queue is used up: the next write answers.
			if resp, _, err := put(t, c, url, "", body); err != nil || resp.StatusCode != 200 {
				t.Errorf("third write: %v %v", err, resp)
			}
			if n := srv.StateWrites(RecaptureID); n != 3 {
				t.Errorf("StateWrites = %d, want 3", n)
			}
			// Feedback: the stall holds the answer until the client gives up.
			srv.InjectWriteFaults(FaultStallAfterApply)
			fc := *c
			fc.Timeout = 200 * time.Millisecond
			if _, _, err := put(t, &fc, base+"/api/feedback", "", `{"id":"SPECIMEN-APP-0001","workflow":"consumer_onboarding","fraud_label":"non-fraud"}`); err == nil {
				t.Error("stall: no error")
			}
			if recs := srv.FeedbackRecords(); len(recs) != 1 || recs[0].FraudLabel != "non-fraud" {
				t.Errorf("stalled feedback not recorded: %+v", recs)
			}
		})
	}
}

func TestReasonCodes(t *testing.T) {
	srv := New(Config{APIKey: "k"})
	c := &http.Client{Transport: Transport(srv)}
	list := func(query string) []reasonCode {
		t.Helper()
		resp, b := get(t, c, "http://sim/api/reason-codes"+query, "Bearer k")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("%s: status %d %s", query, resp.StatusCode, b)
		}
		var out struct {
			ReasonCodes []reasonCode `json:"reasonCodes"`
		}
		if err := json.Unmarshal(b, &out); err != nil || out.ReasonCodes == nil {
			t.Fatalf("%s: %v %s", query, err, b)
		}
		return out.ReasonCodes
	}
	all := list("")
	described := map[string]bool{}
	for _, rc := range all {
		if rc.Description == "" {
			t.Errorf("%s has no description", rc.Name)
		}
		described[rc.Name] = true
	}
	for _, sc := range scenarioList() {
		codes := slices.Clone(sc.eval.reasonCodes)
		for _, a := range sc.eval.earlier {
			codes = append(codes, a.reasonCodes...)
		}
		for _, code := range codes {
			if !described[code] {
				t.Errorf("scenario %s uses %s, which the catalogue does not describe", sc.id[:8], code)
			}
		}
	}
	names := func(rcs []reasonCode) []string {
		var out []string
		for _, rc := range rcs {
			out = append(out, rc.Name)
		}
		return out
	}
	for query, want := range map[string][]string{
		"?name=R810&name=i831":                    {"I831", "R810"},
		"?name=R810,R919":                         {"R810", "R919"},
		"?isActive=false":                         {"R800"},
		"?product=email+riskscore":                {"I610"},
		"?text=" + url.QueryEscape("BARCODE"):     {"I845", "R838"},
		"?product=DocV&isActive=true&name=R800":   nil,
		"?name=NOPE":                              nil,
		"?text=selfie&name=I834&name=R827&x=ignr": {"I834", "R827"},
	} {
		if got := names(list(query)); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", query, got, want)
		}
	}
	if resp, _ := get(t, c, "http://sim/api/reason-codes", "Bearer nope"); resp.StatusCode != 401 {
		t.Errorf("wrong key: %d", resp.StatusCode)
	}
	if !bytes.Contains([]byte(reasonCatalogue[0].Description), []byte(" ")) {
		t.Error("catalogue text looks empty")
	}
}

func TestPausedAndSuspectEvaluations(t *testing.T) {
	p := fetchEvaluation(t, PausedID)
	if p.EvalStatus != "evaluation_paused" || p.Decision != "REVIEW" || p.EvalEndTime != "" || len(p.DataEnrichments) != 1 {
		t.Errorf("paused: %+v", p)
	}
	if dv := p.DataEnrichments[0].Response.DocumentVerification; dv.DocumentType.Type != "" || len(dv.ReasonCodes) != 0 {
		t.Errorf("paused evaluation has a DocV result: %+v", dv)
	}
	s := fetchEvaluation(t, SuspectID)
	first, last := s.DataEnrichments[0].Response, s.DataEnrichments[1].Response
	if first.DocumentVerification.Decision.Value != "resubmit" || last.DocumentVerification.Decision.Value != "review" ||
		first.ReferenceID == last.ReferenceID {
		t.Errorf("suspect attempts: %+v / %+v", first.DocumentVerification.Decision, last.DocumentVerification.Decision)
	}
	dd := last.DocumentVerification.DocumentData
	if dd.DOB == specimenDOB || dd.DocumentNumber == specimenDocNo || dd.FullName != specimenFull {
		t.Errorf("suspect documentData should name the specimen holder with another DOB and number: %+v", dd)
	}
}

func TestWriteStatuses(t *testing.T) {
	srv := New(Config{})
	c := &http.Client{Transport: Transport(srv)}
	url := "http://sim/api/evaluation/" + HappyID + "/state"
	body := `{"workflow":"consumer_onboarding","decision":"REJECT","status":"CLOSED"}`
	srv.InjectWriteStatuses(429, 0, 500)
	for i, want := range []int{429, 200, 500, 200} {
		resp, b, err := put(t, c, url, "", body)
		if err != nil || resp.StatusCode != want {
			t.Fatalf("write %d: %v %v, want %d", i+1, err, resp, want)
		}
		if want == 429 && (resp.Header.Get("Retry-After") != "" || message(t, b) != "Too Many Requests") {
			t.Errorf("429: %v %s", resp.Header, b)
		}
	}
	// A refused body does not use up a queued status.
	srv.InjectWriteStatuses(503)
	if resp, _, _ := put(t, c, url, "", `{}`); resp.StatusCode != 400 {
		t.Errorf("bad body: %d", resp.StatusCode)
	}
	if resp, _, _ := put(t, c, "http://sim/api/feedback", "", `{"id":"SPECIMEN-APP-0001","workflow":"consumer_onboarding","fraud_label":"fraud"}`); resp.StatusCode != 503 {
		t.Errorf("feedback: %d, want the queued 503", resp.StatusCode)
	}
	if n := len(srv.FeedbackRecords()); n != 0 {
		t.Errorf("%d feedback records after a 503", n)
	}
}
