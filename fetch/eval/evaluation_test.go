package eval

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const fullEvaluation = `{
  "eval_id": "11111111-1111-4111-8111-111111111111",
  "id": "case-7",
  "workflow": "consumer_onboarding",
  "eval_status": "evaluation_completed",
  "decision": "REVIEW",
  "status": "OPEN",
  "sub_status": "Under Review",
  "score": 0.42,
  "tags": ["docv", "manual"],
  "review_queues": ["Default Queue"],
  "eval_start_time": "2025-03-01T10:00:00Z",
  "eval_end_time": "2025-03-01T10:00:05.123+01:00",
  "environment_name": "Sandbox",
  "data_enrichments": [
    {"enrichment_name": "Socure Watchlist", "enrichment_provider": "Socure", "status_code": 200, "response": {"globalWatchlist": {}}},
    {"enrichment_name": "Socure DocV", "enrichment_provider": "Socure", "status_code": 200,
     "response": {"referenceId": "r", "documentVerification": {
        "reasonCodes": ["I831", "R810"],
        "documentType": {"type": "Drivers License", "country": "US", "state": "NY"},
        "decision": {"name": "standard", "value": "accept"},
        "documentData": {"firstName": "Jane", "surName": "Specimen", "fullName": "Jane Q Specimen",
          "address": "1 Test St", "documentNumber": "D123", "dob": "1990-05-17",
          "expirationDate": "2030-05-17", "issueDate": "2022-05-17"}}}}
  ]
}`

func TestParseEvaluationFull(t *testing.T) {
	ev, err := ParseEvaluation([]byte(fullEvaluation))
	if err != nil {
		t.Fatal(err)
	}
	if ev.EvalID != "11111111-1111-4111-8111-111111111111" || ev.ID != "case-7" || ev.Workflow != "consumer_onboarding" ||
		ev.EvalStatus != "evaluation_completed" || ev.Decision != "REVIEW" || ev.Status != "OPEN" ||
		ev.SubStatus != "Under Review" || ev.EnvironmentName != "Sandbox" {
		t.Errorf("strings: %+v", ev)
	}
	if ev.Score == nil || *ev.Score != 0.42 {
		t.Errorf("score = %v", ev.Score)
	}
	if strings.Join(ev.Tags, ",") != "docv,manual" || strings.Join(ev.ReviewQueues, ",") != "Default Queue" {
		t.Errorf("tags %q queues %q", ev.Tags, ev.ReviewQueues)
	}
	if !ev.EvalStartTime.Equal(time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)) ||
		!ev.EvalEndTime.Equal(time.Date(2025, 3, 1, 9, 0, 5, 123e6, time.UTC)) {
		t.Errorf("times %v %v", ev.EvalStartTime, ev.EvalEndTime)
	}
	if len(ev.Enrichments) != 2 || ev.Enrichments[1] != (Enrichment{Name: "Socure DocV", Provider: "Socure", StatusCode: 200, ReferenceID: "r", DocV: true}) {
		t.Errorf("enrichments %+v", ev.Enrichments)
	}
	want := DocumentVerification{
		ReasonCodes:  []string{"I831", "R810"},
		DocumentType: DocumentType{"Drivers License", "US", "NY"},
		Decision:     DocVDecision{"standard", "accept"},
		Data: DocumentData{FirstName: "Jane", SurName: "Specimen", FullName: "Jane Q Specimen", Address: "1 Test St",
			DocumentNumber: "D123", DOB: "1990-05-17", ExpirationDate: "2030-05-17", IssueDate: "2022-05-17"},
	}
	if ev.DocV == nil || strings.Join(ev.DocV.ReasonCodes, ",") != "I831,R810" || ev.DocV.DocumentType != want.DocumentType ||
		ev.DocV.Decision != want.Decision || ev.DocV.Data != want.Data {
		t.Errorf("docv = %+v", ev.DocV)
	}
}

func TestParseEvaluationLenient(t *testing.T) {
	tests := []struct {
		name  string
		json  string
		check func(*Evaluation) bool
	}{
		{"empty object", `{}`, func(e *Evaluation) bool { return e.EvalID == "" && e.DocV == nil && e.Score == nil }},
		{"score as string", `{"score":"0.75"}`, func(e *Evaluation) bool { return e.Score != nil && *e.Score == 0.75 }},
		{"score garbage string", `{"score":"high"}`, func(e *Evaluation) bool { return e.Score == nil }},
		{"score NaN string", `{"score":"NaN"}`, func(e *Evaluation) bool { return e.Score == nil }},
		{"score wrong type", `{"score":[1]}`, func(e *Evaluation) bool { return e.Score == nil }},
		{"wrong types ignored", `{"eval_id":12,"decision":true,"tags":"solo","review_queues":[1,"q",{"name":"Fraud"},null,{}],"data_enrichments":{"x":1}}`,
			func(e *Evaluation) bool {
				return e.EvalID == "" && e.Decision == "" && strings.Join(e.Tags, ",") == "solo" &&
					strings.Join(e.ReviewQueues, ",") == "1,q,Fraud" && e.Enrichments == nil
			}},
		{"camelCase keys", `{"evalId":"abc","evalEndTime":"2025-01-02T03:04:05Z","environmentName":"Production"}`,
			func(e *Evaluation) bool {
				return e.EvalID == "abc" && e.EnvironmentName == "Production" && e.EvalEndTime.Equal(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
			}},
		{"exact key wins over variants", `{"evalId":"b","eval_id":"a","EVAL_ID":"c"}`, func(e *Evaluation) bool { return e.EvalID == "a" }},
		{"decision as object", `{"decision":{"value":"ACCEPT"}}`, func(e *Evaluation) bool { return e.Decision == "ACCEPT" }},
		{"status code as string", `{"data_enrichments":[{"status_code":"404"},7,{"status_code":200.5}]}`,
			func(e *Evaluation) bool {
				return len(e.Enrichments) == 2 && e.Enrichments[0].StatusCode == 404 && e.Enrichments[1].StatusCode == 0
			}},
		{"time with space and no zone", `{"eval_start_time":"2025-03-01 10:00:00"}`,
			func(e *Evaluation) bool { return e.EvalStartTime.Equal(time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)) }},
		{"time as unix seconds", `{"eval_start_time":1740823200}`,
			func(e *Evaluation) bool { return e.EvalStartTime.Equal(time.Unix(1740823200, 0)) }},
		{"time as unix millis string", `{"eval_start_time":"1740823200500"}`,
			func(e *Evaluation) bool { return e.EvalStartTime.Equal(time.UnixMilli(1740823200500)) }},
		{"time garbage", `{"eval_start_time":"yesterday","eval_end_time":{"t":1}}`,
			func(e *Evaluation) bool { return e.EvalStartTime.IsZero() && e.EvalEndTime.IsZero() }},
		{"docv nested deep", `{"data_enrichments":[{"response":{"a":{"b":[{"c":{"documentVerification":{"documentType":{"type":"Passport"}}}}]}}}]}`,
			func(e *Evaluation) bool { return e.DocV != nil && e.DocV.DocumentType.Type == "Passport" }},
		{"docv in a JSON string", `{"data_enrichments":[{"response":"{\"documentVerification\":{\"documentType\":{\"type\":\"Military\"}}}"}]}`,
			func(e *Evaluation) bool { return e.DocV != nil && e.DocV.DocumentType.Type == "Military" }},
		{"docv value itself a JSON string", `{"data_enrichments":[{"response":{"data":{"documentVerification":"{\"documentData\":{\"dob\":\"2010-01-01\"}}"}}}]}`,
			func(e *Evaluation) bool { return e.DocV != nil && e.DocV.Data.DOB == "2010-01-01" }},
		{"docv snake_case", `{"data_enrichments":[{"response":{"document_verification":{"document_type":"Military ID","decision":"reject"}}}]}`,
			func(e *Evaluation) bool {
				return e.DocV != nil && e.DocV.DocumentType.Type == "Military ID" && e.DocV.Decision.Value == "reject"
			}},
		{"docv too deep is not found", `{"data_enrichments":[{"response":{"1":{"2":{"3":{"4":{"5":{"6":{"7":{"8":{"9":{"documentVerification":{"reasonCodes":["X"]}}}}}}}}}}}}]}`,
			func(e *Evaluation) bool { return e.DocV == nil }},
		{"docv at depth 8 is found", `{"data_enrichments":[{"response":{"1":{"2":{"3":{"4":{"5":{"6":{"7":{"8":{"documentVerification":{"reasonCodes":["D8"]}}}}}}}}}}}]}`,
			func(e *Evaluation) bool { return e.DocV != nil && strings.Join(e.DocV.ReasonCodes, ",") == "D8" }},
		{"docv outside enrichments", `{"result":{"documentVerification":{"reasonCodes":["R1"]}}}`,
			func(e *Evaluation) bool { return e.DocV != nil && strings.Join(e.DocV.ReasonCodes, ",") == "R1" }},
		{"docv wrong type skipped, later one found", `{"data_enrichments":[{"response":{"documentVerification":42}},{"response":{"documentVerification":{"reasonCodes":["OK"]}}}]}`,
			func(e *Evaluation) bool { return e.DocV != nil && strings.Join(e.DocV.ReasonCodes, ",") == "OK" }},
		{"docv fields of wrong types", `{"data_enrichments":[{"response":{"documentVerification":{"reasonCodes":"R9","documentType":7,"documentData":[],"decision":null}}}]}`,
			func(e *Evaluation) bool {
				return e.DocV != nil && strings.Join(e.DocV.ReasonCodes, ",") == "R9" && e.DocV.DocumentType.Type == "" && e.DocV.Data == (DocumentData{})
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := ParseEvaluation([]byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(ev) {
				t.Errorf("unexpected result %+v (docv %+v)", ev, ev.DocV)
			}
		})
	}
}

func TestParseEvaluationErrors(t *testing.T) {
	secret := "Jane Q Specimen 1990-05-17"
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "syntax error"},
		{"garbage", []byte("<html>" + secret + "</html>"), "syntax error at byte 1"},
		{"truncated", []byte(`{"documentData":{"fullName":"` + secret), "syntax error"},
		{"trailing data", []byte(`{"a":1} {"fullName":"` + secret + `"}`), "syntax error"},
		{"array", []byte(`[{"fullName":"` + secret + `"}]`), "not a JSON object"},
		{"string", []byte(`"` + secret + `"`), "not a JSON object"},
		{"null", []byte(`null`), "not a JSON object"},
		{"too large", []byte(`{"x":"` + strings.Repeat("a", MaxEvaluationBytes) + `"}`), "over the 8 MiB limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := ParseEvaluation(tt.in)
			if ev != nil || !errors.Is(err, ErrInvalidEvaluation) {
				t.Fatalf("ev = %v, err = %v", ev, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %q, want %q", err, tt.want)
			}
			for _, leak := range []string{"Jane", "1990", "html", "aaaa"} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("error echoes input: %q", err)
				}
			}
		})
	}
	if _, err := ParseEvaluation([]byte(`{"x":"` + strings.Repeat("a", MaxEvaluationBytes) + `"}`)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too large: err = %v, want ErrTooLarge too", err)
	}
}

func TestDocumentDataDates(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	ages := []struct {
		dob string
		at  string
		age int
		ok  bool
	}{
		{"2000-06-15", "2018-06-14T23:59:59Z", 17, true},
		{"2000-06-15", "2018-06-15T00:00:00Z", 18, true},
		{"06/15/2000", "2018-06-15T12:00:00Z", 18, true},
		{"6/15/2000", "2018-06-14T12:00:00Z", 17, true},
		{"2000-06-15T00:00:00Z", "2020-01-01T00:00:00Z", 19, true},
		{"2000-06-15", "2018-06-15T02:00:00+05:00", 18, true}, // the evaluation's own calendar day
		{"2000-06-15", "2018-06-14T22:00:00-05:00", 17, true}, // June 15 in UTC, June 14 where it happened
		{"2004-02-29", "2022-02-28T12:00:00Z", 17, true},
		{"2004-02-29", "2022-03-01T12:00:00Z", 18, true},
		{"2030-01-01", "2020-01-01T00:00:00Z", 0, false},
		{"", "2020-01-01T00:00:00Z", 0, false},
		{"15.06.2000", "2020-01-01T00:00:00Z", 0, false},
		{"2000-13-45", "2020-01-01T00:00:00Z", 0, false},
	}
	for _, tt := range ages {
		age, ok := DocumentData{DOB: tt.dob}.AgeAt(at(tt.at))
		if age != tt.age || ok != tt.ok {
			t.Errorf("AgeAt(%s, %s) = %d, %v; want %d, %v", tt.dob, tt.at, age, ok, tt.age, tt.ok)
		}
	}
	expiries := []struct {
		exp  string
		at   string
		want bool
	}{
		{"2025-03-01", "2025-03-01T23:00:00Z", false},
		{"2025-03-01", "2025-03-02T00:00:00Z", true},
		{"03/01/2025", "2025-03-02T00:00:00Z", true},
		{"", "2025-03-02T00:00:00Z", false},
		{"soon", "2025-03-02T00:00:00Z", false},
	}
	for _, tt := range expiries {
		if got := (DocumentData{ExpirationDate: tt.exp}).ExpiredAt(at(tt.at)); got != tt.want {
			t.Errorf("ExpiredAt(%s, %s) = %v", tt.exp, tt.at, got)
		}
	}
}

func TestDocumentDataName(t *testing.T) {
	tests := []struct {
		d    DocumentData
		want string
	}{
		{DocumentData{FullName: " Jane Q Specimen ", FirstName: "X"}, "Jane Q Specimen"},
		{DocumentData{FirstName: "Jane", SurName: "Specimen"}, "Jane Specimen"},
		{DocumentData{SurName: "Specimen"}, "Specimen"},
		{DocumentData{FirstName: "Jane"}, "Jane"},
		{DocumentData{}, ""},
	}
	for _, tt := range tests {
		if got := tt.d.Name(); got != tt.want {
			t.Errorf("Name() = %q, want %q", got, tt.want)
		}
	}
}
