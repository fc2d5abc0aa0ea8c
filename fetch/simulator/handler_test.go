package simulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// fixedNow is the clock of the evaluation tests.
var fixedNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func TestIDs(t *testing.T) {
	want := []string{HappyID, PassportID, MilitaryID, MinorID, RetentionID, NotFoundID, FlakyID, SlowID, HostileID, RecaptureID,
		PausedID, SuspectID, IPRejectID}
	got := IDs()
	if len(got) != len(want) {
		t.Fatalf("IDs() has %d ids, want %d", len(got), len(want))
	}
	seen := map[string]bool{}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("IDs()[%d] = %s, want %s", i, got[i], want[i])
		}
		if !isUUID(got[i]) || seen[got[i]] {
			t.Errorf("id %s is not a distinct UUID", got[i])
		}
		seen[got[i]] = true
	}
}

func TestScenarioResponses(t *testing.T) {
	type want struct {
		docsStatus int
		docsMsg    string // for non-200 documents answers
		evalStatus int
	}
	cases := map[string]want{
		HappyID:     {http.StatusOK, "", http.StatusOK},
		PassportID:  {http.StatusOK, "", http.StatusOK},
		MilitaryID:  {http.StatusBadRequest, "No Documents Found", http.StatusOK},
		MinorID:     {http.StatusBadRequest, "No Documents Found", http.StatusOK},
		RetentionID: {http.StatusBadRequest, "No Documents Found", http.StatusOK},
		NotFoundID:  {http.StatusNotFound, msgNotFound, http.StatusNotFound},
		FlakyID:     {http.StatusServiceUnavailable, msgUnavailable, http.StatusOK}, // first answer of a fresh server
		SlowID:      {http.StatusOK, "", http.StatusOK},
		HostileID:   {http.StatusOK, "", http.StatusOK},
		RecaptureID: {http.StatusOK, "", http.StatusOK},
		PausedID:    {http.StatusBadRequest, "No Documents Found", http.StatusOK},
		SuspectID:   {http.StatusOK, "", http.StatusOK},
		IPRejectID:  {http.StatusOK, "", http.StatusOK},
	}
	if len(cases) != len(IDs()) {
		t.Fatalf("table covers %d scenarios, want %d", len(cases), len(IDs()))
	}
	for _, v := range vias {
		for id, w := range cases {
			t.Run(v.name+"/"+id, func(t *testing.T) {
				srv := New(Config{SlowDuration: 150 * time.Millisecond, Now: func() time.Time { return fixedNow }})
				c, base := v.start(t, srv)

				resp, body := get(t, c, base+"/api/evaluation/"+id+"/documents", "")
				if resp.StatusCode != w.docsStatus {
					t.Fatalf("documents status %d, want %d (body %.100q)", resp.StatusCode, w.docsStatus, body)
				}
				if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(body)) || resp.ContentLength != int64(len(body)) {
					t.Errorf("Content-Length %q / %d, body %d bytes", cl, resp.ContentLength, len(body))
				}
				if w.docsStatus == http.StatusOK {
					if ct := resp.Header.Get("Content-Type"); ct != "application/zip" {
						t.Errorf("Content-Type %q", ct)
					}
					wantCD := `attachment; filename="` + id + `_document.zip"`
					if cd := resp.Header.Get("Content-Disposition"); cd != wantCD {
						t.Errorf("Content-Disposition %q, want %q", cd, wantCD)
					}
					if !bytes.Equal(body, CaseZIP(id)) {
						t.Errorf("documents body (%d bytes) differs from CaseZIP (%d bytes)", len(body), len(CaseZIP(id)))
					}
				} else {
					if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
						t.Errorf("error Content-Type %q", ct)
					}
					if m := message(t, body); m != w.docsMsg {
						t.Errorf("documents message %q, want %q", m, w.docsMsg)
					}
				}

				resp, body = get(t, c, base+"/api/evaluation/"+id, "")
				if resp.StatusCode != w.evalStatus {
					t.Fatalf("evaluation status %d, want %d", resp.StatusCode, w.evalStatus)
				}
				if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("evaluation Content-Type %q", ct)
				}
				if w.evalStatus != http.StatusOK {
					if m := message(t, body); m != msgNotFound {
						t.Errorf("evaluation message %q", m)
					}
					return
				}
				var ev struct {
					EvalID     string `json:"eval_id"`
					EvalStatus string `json:"eval_status"`
				}
				if err := json.Unmarshal(body, &ev); err != nil {
					t.Fatalf("evaluation JSON: %v", err)
				}
				wantStatus := "evaluation_completed"
				if id == PausedID {
					wantStatus = "evaluation_paused"
				}
				if ev.EvalID != id || ev.EvalStatus != wantStatus {
					t.Errorf("evaluation eval_id %q status %q", ev.EvalID, ev.EvalStatus)
				}
			})
		}
	}
}

// evaluation is the part of the evaluation JSON the tests read.
type evaluation struct {
	ID              string       `json:"id"`
	EvalID          string       `json:"eval_id"`
	Workflow        string       `json:"workflow"`
	EvalStatus      string       `json:"eval_status"`
	Decision        string       `json:"decision"`
	Status          string       `json:"status"`
	SubStatus       string       `json:"sub_status"`
	Score           *json.Number `json:"score"`
	Tags            []string     `json:"tags"`
	ReviewQueues    []string     `json:"review_queues"`
	EvalStartTime   string       `json:"eval_start_time"`
	EvalEndTime     string       `json:"eval_end_time"`
	EnvironmentName string       `json:"environment_name"`
	DataEnrichments []struct {
		EnrichmentName     string `json:"enrichment_name"`
		EnrichmentProvider string `json:"enrichment_provider"`
		StatusCode         int    `json:"status_code"`
		TotalAttempts      int    `json:"total_attempts"`
		Response           struct {
			ReferenceID          string `json:"referenceId"`
			DocumentVerification struct {
				ReasonCodes  []string `json:"reasonCodes"`
				DocumentType struct {
					Type, Country, State string
				} `json:"documentType"`
				Decision struct {
					Name, Value string
				} `json:"decision"`
				DocumentData struct {
					FirstName      string `json:"firstName"`
					SurName        string `json:"surName"`
					FullName       string `json:"fullName"`
					Address        string `json:"address"`
					DocumentNumber string `json:"documentNumber"`
					DOB            string `json:"dob"`
					ExpirationDate string `json:"expirationDate"`
					IssueDate      string `json:"issueDate"`
				} `json:"documentData"`
			} `json:"documentVerification"`
		} `json:"response"`
	} `json:"data_enrichments"`
}

// fetchEvaluation gets and decodes the evaluation of id from a server whose
// clock is fixedNow.
func fetchEvaluation(t *testing.T, id string) evaluation {
	t.Helper()
	c := &http.Client{Transport: Transport(New(Config{Now: func() time.Time { return fixedNow }}))}
	resp, body := get(t, c, "http://sim/api/evaluation/"+id, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("evaluation %s: status %d", id, resp.StatusCode)
	}
	var ev evaluation
	if err := json.Unmarshal(body, &ev); err != nil {
		t.Fatalf("evaluation %s: %v", id, err)
	}
	return ev
}

// ageAt returns how many whole years old someone born on dob is at t.
func ageAt(t *testing.T, dob string, at time.Time) int {
	t.Helper()
	d, err := time.Parse(time.DateOnly, dob)
	if err != nil {
		t.Fatalf("dob %q: %v", dob, err)
	}
	age := at.Year() - d.Year()
	if at.YearDay() < d.YearDay() {
		age--
	}
	return age
}

func TestEvaluationContent(t *testing.T) {
	cases := []struct {
		id           string
		docType      string
		minAge       int
		maxAge       int
		endedBefore  time.Duration // lower bound of Now - eval_end_time
		decisionWant string
		enrichments  int // DocV attempts; the last is current
	}{
		{HappyID, "Drivers License", 18, 120, time.Minute, "ACCEPT", 1},
		{PassportID, "Passport", 18, 120, time.Minute, "ACCEPT", 1},
		{MilitaryID, "Military", 18, 120, time.Minute, "REVIEW", 1},
		{MinorID, "Drivers License", 16, 16, time.Minute, "REJECT", 1},
		{RetentionID, "Drivers License", 18, 120, 24 * time.Hour, "ACCEPT", 1},
		{FlakyID, "Drivers License", 18, 120, time.Minute, "ACCEPT", 1},
		{SlowID, "Drivers License", 18, 120, time.Minute, "ACCEPT", 1},
		{HostileID, "Drivers License", 18, 120, time.Minute, "REVIEW", 1},
		{RecaptureID, "Drivers License", 18, 120, time.Minute, "REVIEW", 1},
		{SuspectID, "Drivers License", 18, 120, time.Minute, "REVIEW", 2},
		{IPRejectID, "Drivers License", 18, 120, time.Minute, "REVIEW", 1},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			ev := fetchEvaluation(t, tc.id)
			if ev.EvalID != tc.id || ev.EvalStatus != "evaluation_completed" || ev.EnvironmentName != "Sandbox" {
				t.Errorf("eval_id %q eval_status %q environment %q", ev.EvalID, ev.EvalStatus, ev.EnvironmentName)
			}
			if ev.ID == "" || ev.Workflow == "" || ev.Status == "" || ev.SubStatus == "" || ev.Score == nil || ev.Tags == nil || ev.ReviewQueues == nil {
				t.Errorf("summary fields missing: %+v", ev)
			}
			if _, err := ev.Score.Int64(); err != nil {
				t.Errorf("score %s is not an integer", *ev.Score)
			}
			if ev.Decision != tc.decisionWant {
				t.Errorf("decision %q, want %q", ev.Decision, tc.decisionWant)
			}
			start, err1 := time.Parse(time.RFC3339, ev.EvalStartTime)
			end, err2 := time.Parse(time.RFC3339, ev.EvalEndTime)
			if err1 != nil || err2 != nil {
				t.Fatalf("times %q %q: %v %v", ev.EvalStartTime, ev.EvalEndTime, err1, err2)
			}
			if !start.Before(end) || !end.Before(fixedNow) || fixedNow.Sub(end) < tc.endedBefore {
				t.Errorf("start %v end %v relative to now %v", start, end, fixedNow)
			}
			if len(ev.DataEnrichments) != tc.enrichments {
				t.Fatalf("%d enrichments, want %d", len(ev.DataEnrichments), tc.enrichments)
			}
			en := ev.DataEnrichments[len(ev.DataEnrichments)-1]
			if en.EnrichmentProvider != "Socure" || en.StatusCode != 200 || !strings.Contains(en.EnrichmentName, "Document") || en.Response.ReferenceID == "" {
				t.Errorf("enrichment %+v", en)
			}
			dv := en.Response.DocumentVerification
			if dv.DocumentType.Type != tc.docType || dv.DocumentType.Country != "US" {
				t.Errorf("documentType %+v, want type %q", dv.DocumentType, tc.docType)
			}
			if len(dv.ReasonCodes) == 0 || dv.Decision.Name == "" || dv.Decision.Value == "" {
				t.Errorf("reasonCodes %v decision %+v", dv.ReasonCodes, dv.Decision)
			}
			dd := dv.DocumentData
			if dd.FirstName == "" || dd.SurName == "" || dd.Address == "" || dd.DocumentNumber == "" || dd.ExpirationDate == "" || dd.IssueDate == "" {
				t.Errorf("documentData incomplete: %+v", dd)
			}
			if !strings.Contains(dd.FullName, "SPECIMEN") && !strings.Contains(dd.FullName, "SAMPLE") && !strings.Contains(dd.FullName, "EXAMPLE") {
				t.Errorf("fullName %q is not an obvious specimen name", dd.FullName)
			}
			if age := ageAt(t, dd.DOB, start); age < tc.minAge || age > tc.maxAge {
				t.Errorf("age at evaluation %d (dob %s), want %d…%d", age, dd.DOB, tc.minAge, tc.maxAge)
			}
		})
	}
}

func TestEvaluationFollowsClock(t *testing.T) {
	// The minor stays 16 whatever the clock says.
	for _, now := range []time.Time{fixedNow, fixedNow.AddDate(7, 5, 3), time.Date(2024, 2, 29, 23, 59, 0, 0, time.UTC)} {
		c := &http.Client{Transport: Transport(New(Config{Now: func() time.Time { return now }}))}
		_, body := get(t, c, "http://sim/api/evaluation/"+MinorID, "")
		var ev evaluation
		if err := json.Unmarshal(body, &ev); err != nil {
			t.Fatal(err)
		}
		start, err := time.Parse(time.RFC3339, ev.EvalStartTime)
		if err != nil {
			t.Fatal(err)
		}
		if now.Sub(start) < 24*time.Hour || now.Sub(start) > 25*time.Hour {
			t.Errorf("now %v: start %v not about a day before", now, start)
		}
		if age := ageAt(t, ev.DataEnrichments[0].Response.DocumentVerification.DocumentData.DOB, start); age != 16 {
			t.Errorf("now %v: minor is %d", now, age)
		}
	}
}

func TestAuth(t *testing.T) {
	const good, other = "sandbox-key-123", "production-key-456"
	cases := []struct {
		name   string
		cfg    Config
		auth   string
		status int
		msg    string
	}{
		{"no auth configured, no header", Config{}, "", 200, ""},
		{"no auth configured, any header", Config{}, "Bearer whatever", 200, ""},
		{"key: right key", Config{APIKey: good}, "Bearer " + good, 200, ""},
		{"key: scheme case-insensitive", Config{APIKey: good}, "bearer " + good, 200, ""},
		{"key: wrong key", Config{APIKey: good}, "Bearer nope", 401, msgUnauthorized},
		{"key: missing", Config{APIKey: good}, "", 401, msgUnauthorized},
		{"key: basic scheme", Config{APIKey: good}, "Basic " + good, 401, msgUnauthorized},
		{"key: prefix of key", Config{APIKey: good}, "Bearer " + good[:5], 401, msgUnauthorized},
		{"key: other environment", Config{APIKey: good, OtherEnvKey: other}, "Bearer " + other, 403, msgForbidden},
		{"other env only: other key", Config{OtherEnvKey: other}, "Bearer " + other, 403, msgForbidden},
		{"other env only: another key", Config{OtherEnvKey: other}, "Bearer x", 200, ""},
		{"require: any key", Config{RequireAuth: true}, "Bearer anything", 200, ""},
		{"require: missing", Config{RequireAuth: true}, "", 401, msgUnauthorized},
		{"require: empty bearer", Config{RequireAuth: true}, "Bearer ", 401, msgUnauthorized},
		{"require: other env", Config{RequireAuth: true, OtherEnvKey: other}, "Bearer " + other, 403, msgForbidden},
	}
	for _, v := range vias {
		for _, tc := range cases {
			t.Run(v.name+"/"+tc.name, func(t *testing.T) {
				c, base := v.start(t, New(tc.cfg))
				for _, path := range []string{"/api/evaluation/" + HappyID, "/api/evaluation/" + MilitaryID + "/documents"} {
					resp, body := get(t, c, base+path, tc.auth)
					want := tc.status
					if want == 200 && strings.HasSuffix(path, "/documents") {
						want = 400 // Military: authorised, but no documents
					}
					if resp.StatusCode != want {
						t.Fatalf("%s: status %d, want %d", path, resp.StatusCode, want)
					}
					if tc.msg != "" {
						if m := message(t, body); m != tc.msg {
							t.Errorf("%s: message %q, want %q", path, m, tc.msg)
						}
					}
					if gotWWW := resp.Header.Get("WWW-Authenticate") != ""; gotWWW != (want == 401) {
						t.Errorf("%s: WWW-Authenticate %q with status %d", path, resp.Header.Get("WWW-Authenticate"), want)
					}
					if strings.Contains(string(body), good) || strings.Contains(string(body), other) {
						t.Errorf("%s: body echoes a key", path)
					}
				}
			})
		}
	}
}

func TestRouting(t *testing.T) {
	cases := []struct {
		method, path string
		status       int
		msg          string
	}{
		{"GET", "/api/evaluation/not-a-uuid", 400, msgBadID},
		{"GET", "/api/evaluation/not-a-uuid/documents", 400, msgBadID},
		{"GET", "/api/evaluation/11111111-1111-4111-8111-11111111111/documents", 400, msgBadID},
		{"GET", "/api/evaluation/11111111+1111-4111-8111-111111111111", 400, msgBadID},
		{"GET", "/api/evaluation/g1111111-1111-4111-8111-111111111111", 400, msgBadID},
		{"GET", "/api/evaluation/fb1ddadc-6dba-4ce4-aa6d-25c005b192b5", 404, msgNotFound},
		{"GET", "/api/evaluation/fb1ddadc-6dba-4ce4-aa6d-25c005b192b5/documents", 404, msgNotFound},
		{"GET", "/api/evaluation/", 404, msgNoRoute},
		{"GET", "/api/evaluation//documents", 404, msgNoRoute},
		{"GET", "/api/evaluation/" + HappyID + "/documents/extra", 404, msgNoRoute},
		{"GET", "/api/evaluation/" + HappyID + "/other", 404, msgNoRoute},
		{"GET", "/api/evaluation/" + HappyID + "/state", 405, msgMethod},
		{"PUT", "/api/evaluation/" + HappyID, 405, msgMethod},
		{"PUT", "/api/evaluation/not-a-uuid/state", 400, msgBadID},
		{"PUT", "/api/evaluation/fb1ddadc-6dba-4ce4-aa6d-25c005b192b5/state", 404, msgNotFound},
		{"PUT", "/api/evaluation/" + NotFoundID + "/state", 404, msgNotFound},
		{"PUT", "/api/evaluation//state", 404, msgNoRoute},
		{"GET", "/api/feedback", 405, msgMethod},
		{"POST", "/api/reason-codes", 405, msgMethod},
		{"GET", "/api/feedback/x", 404, msgNoRoute},
		{"GET", "/", 404, msgNoRoute},
		{"GET", "/api/evaluations/" + HappyID, 404, msgNoRoute},
		{"POST", "/api/evaluation/" + HappyID, 405, msgMethod},
		{"DELETE", "/api/evaluation/" + HappyID + "/documents", 405, msgMethod},
		{"HEAD", "/api/evaluation/" + HappyID + "/documents", 405, ""},
		{"GET", "/api/evaluation/" + strings.ToUpper(MilitaryID) + "/documents", 400, msgNoDocuments},
		{"GET", "/api/evaluation/" + strings.ToUpper(HappyID), 200, ""},
	}
	for _, v := range vias {
		c, base := v.start(t, New(Config{}))
		for _, tc := range cases {
			t.Run(v.name+"/"+tc.method+tc.path, func(t *testing.T) {
				req, err := http.NewRequestWithContext(t.Context(), tc.method, base+tc.path, nil)
				if err != nil {
					t.Fatal(err)
				}
				resp, err := c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				body, err := io.ReadAll(resp.Body)
				if err != nil {
					t.Fatal(err)
				}
				if resp.StatusCode != tc.status {
					t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
				}
				wantAllow := "GET"
				if strings.HasSuffix(tc.path, "/state") || tc.path == "/api/feedback" {
					wantAllow = "PUT"
				}
				if tc.status == 405 && resp.Header.Get("Allow") != wantAllow {
					t.Errorf("Allow %q, want %q", resp.Header.Get("Allow"), wantAllow)
				}
				if tc.msg != "" {
					if m := message(t, body); m != tc.msg {
						t.Errorf("message %q, want %q", m, tc.msg)
					}
				}
			})
		}
	}
}

func TestFlakyCycle(t *testing.T) {
	for _, v := range vias {
		t.Run(v.name, func(t *testing.T) {
			srv := New(Config{})
			c, base := v.start(t, srv)
			url := base + "/api/evaluation/" + FlakyID + "/documents"
			want := []int{503, 429, 200, 503, 429, 200, 503}
			for i, w := range want {
				resp, body := get(t, c, url, "")
				if resp.StatusCode != w {
					t.Fatalf("request %d: status %d, want %d", i+1, resp.StatusCode, w)
				}
				ra := resp.Header.Get("Retry-After")
				if (w == 429) != (ra == "1") {
					t.Errorf("request %d (%d): Retry-After %q", i+1, w, ra)
				}
				if w == 200 && !bytes.Equal(body, CaseZIP(FlakyID)) {
					t.Errorf("request %d: body is not the case ZIP", i+1)
				}
				// The evaluation endpoint never flakes and does not move the cycle.
				if resp, _ := get(t, c, base+"/api/evaluation/"+FlakyID, ""); resp.StatusCode != 200 {
					t.Errorf("evaluation status %d", resp.StatusCode)
				}
			}
			if n := srv.Requests(FlakyID); n != len(want) {
				t.Errorf("Requests = %d, want %d", n, len(want))
			}
			// Each Server keeps its own cycle.
			c2, base2 := v.start(t, New(Config{}))
			if resp, _ := get(t, c2, base2+"/api/evaluation/"+FlakyID+"/documents", ""); resp.StatusCode != 503 {
				t.Errorf("fresh server: status %d, want 503", resp.StatusCode)
			}
		})
	}
}

func TestFlakyCycleNotAdvancedByRejectedRequests(t *testing.T) {
	srv := New(Config{APIKey: "k"})
	c := &http.Client{Transport: Transport(srv)}
	url := "http://sim/api/evaluation/" + FlakyID + "/documents"
	if resp, _ := get(t, c, url, "Bearer wrong"); resp.StatusCode != 401 {
		t.Fatalf("status %d, want 401", resp.StatusCode)
	}
	if resp, _ := get(t, c, url, "Bearer k"); resp.StatusCode != 503 {
		t.Fatalf("first authorised request: status %d, want 503", resp.StatusCode)
	}
	if n := srv.Requests(FlakyID); n != 2 {
		t.Errorf("Requests = %d, want 2 (rejected ones count)", n)
	}
}

func TestRequestsCount(t *testing.T) {
	srv := New(Config{})
	c := &http.Client{Transport: Transport(srv)}
	for _, id := range []string{MilitaryID, MilitaryID, strings.ToUpper(MilitaryID), NotFoundID, "not-a-uuid"} {
		get(t, c, "http://sim/api/evaluation/"+id+"/documents", "")
	}
	get(t, c, "http://sim/api/evaluation/"+MilitaryID, "") // not a documents request
	for id, want := range map[string]int{MilitaryID: 3, strings.ToUpper(MilitaryID): 3, NotFoundID: 1, "not-a-uuid": 1, HappyID: 0} {
		if n := srv.Requests(id); n != want {
			t.Errorf("Requests(%s) = %d, want %d", id, n, want)
		}
	}
}

// TestSlowTrickles checks that the slow scenario spreads its body over
// SlowDuration. In process it runs in a synctest bubble, where the ticker's
// time is exact; over a real socket the machine's load can only delay bytes,
// so there the test checks that they are not early.
func TestSlowTrickles(t *testing.T) {
	const d = 600 * time.Millisecond
	for _, v := range vias {
		t.Run(v.name, func(t *testing.T) {
			if v.name == "transport" {
				synctest.Test(t, func(t *testing.T) { checkTrickle(t, v, d, true) })
				return
			}
			checkTrickle(t, v, d, false)
		})
	}
}

// checkTrickle fetches the slow case through v. With exact timing (a synctest
// bubble) the headers come at once, half the body near the middle and the
// end at d; otherwise only the lower bounds hold.
func checkTrickle(t *testing.T, v via, d time.Duration, exact bool) {
	c, base := v.start(t, New(Config{SlowDuration: d}))
	start := time.Now()
	resp, err := c.Get(base + "/api/evaluation/" + SlowID + "/documents")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if headerAfter := time.Since(start); exact && headerAfter != 0 {
		t.Errorf("headers after %v: should come before the body", headerAfter)
	}
	want := CaseZIP(SlowID)
	if resp.ContentLength != int64(len(want)) {
		t.Errorf("ContentLength %d, want %d", resp.ContentLength, len(want))
	}
	var got []byte
	var halfAt time.Duration
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		got = append(got, buf[:n]...)
		if halfAt == 0 && len(got) >= len(want)/2 {
			halfAt = time.Since(start)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	total := time.Since(start)
	if !bytes.Equal(got, want) {
		t.Fatalf("body differs from the case ZIP")
	}
	if total < d*8/10 || (exact && total > d+slowTick) {
		t.Errorf("whole body in %v, want about %v", total, d)
	}
	if halfAt < d*3/10 || (exact && halfAt > d*7/10) {
		t.Errorf("half the body after %v of %v: not even", halfAt, d)
	}
}

// doneHandler signals on done when ServeHTTP returns.
type doneHandler struct {
	h    http.Handler
	done chan time.Time
}

func (d doneHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() { d.done <- time.Now() }()
	d.h.ServeHTTP(w, r)
}

func TestSlowCancel(t *testing.T) {
	for _, v := range vias {
		t.Run(v.name, func(t *testing.T) {
			h := doneHandler{h: New(Config{}), done: make(chan time.Time, 1)} // default 6 s
			c, base := v.start(t, h)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/evaluation/"+SlowID+"/documents", nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			time.AfterFunc(300*time.Millisecond, cancel)
			n, err := io.Copy(io.Discard, resp.Body)
			cancelledAt := time.Now()
			if err == nil {
				t.Fatalf("read %d bytes without error after cancel", n)
			}
			if !errors.Is(err, context.Canceled) && v.name == "transport" {
				t.Errorf("read error %v, want context.Canceled", err)
			}
			if n == 0 || n >= int64(len(CaseZIP(SlowID))) {
				t.Errorf("read %d bytes before cancel: want a part", n)
			}
			select {
			case end := <-h.done:
				if lag := end.Sub(cancelledAt); lag > 500*time.Millisecond {
					t.Errorf("handler returned %v after cancel", lag)
				}
			case <-time.After(2 * time.Second):
				t.Fatal("handler still running 2 s after cancel")
			}
		})
	}
}
