package riskos

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
)

// notesSentinel is the notes text of the write tests: it must never appear
// in an error, a hint or a log.
const notesSentinel = "NOTES-SENTINEL customer called from a withheld number 7731"

// simClient is a Sandbox client for a loopback simulator that wants clientKey.
func simClient(t *testing.T, cfg simulator.Config, mod func(*Options)) (*Client, *simulator.Server) {
	t.Helper()
	cfg.APIKey = clientKey
	sim := simulator.New(cfg)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return newTestClient(t, srv.URL, mod), sim
}

// reviewChange is a valid change of a REVIEW case.
func reviewChange() StateChange {
	return StateChange{Decision: "reject", Status: "closed", SubStatus: "Fraud confirmed", Notes: notesSentinel}
}

// noNotes fails the test when err (its text or hint) holds the notes.
func noNotes(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	text := err.Error()
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		text += h.Hint()
	}
	var ae *APIError
	if errors.As(err, &ae) {
		text += ae.Hint + ae.Message
	}
	for _, piece := range []string{notesSentinel, "withheld number", "NOTES-SENTINEL", clientKey} {
		if strings.Contains(text, piece) {
			t.Errorf("error shows %q: %s", piece, text)
		}
	}
}

func TestUpdateStateSimulator(t *testing.T) {
	c, sim := simClient(t, simulator.Config{}, nil)
	ctx := t.Context()
	before, err := c.Evaluation(ctx, simulator.RecaptureID)
	if err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	ch := reviewChange()
	ch.Attachments = []Attachment{{FileName: "/home/r/evidence/notes.pdf", Data: pdf}}
	res, err := c.UpdateState(ctx, simulator.RecaptureID, ch, before.Precondition())
	if err != nil {
		t.Fatal(err)
	}
	want := eval.CaseState{Decision: "REJECT", Status: "CLOSED", SubStatus: "Fraud confirmed"}
	if res.Before != before.State() || res.After != want || res.ReadBack || res.Evaluation == nil || res.Evaluation.Notes != notesSentinel {
		t.Errorf("result %+v", res)
	}
	if res.Evaluation.DecisionAt.IsZero() {
		t.Error("no decision_at in the answer")
	}
	again, err := c.Evaluation(ctx, simulator.RecaptureID)
	if err != nil || again.State() != want {
		t.Errorf("later GET: %+v %v", again.State(), err)
	}
	if n := sim.StateWrites(simulator.RecaptureID); n != 1 {
		t.Errorf("%d PUTs", n)
	}
	if !bytes.Equal(pdf, []byte("%PDF-1.4\n%%EOF\n")) {
		t.Error("the caller's attachment bytes were changed")
	}
}

func TestUpdateStateLostUpdate(t *testing.T) {
	c, sim := simClient(t, simulator.Config{}, nil)
	for _, pre := range []eval.Precondition{
		{Decision: "ACCEPT"},                   // loaded before someone decided
		{Status: "CLOSED"},                     // --if-status CLOSED
		{Decision: "REVIEW", Status: "CLOSED"}, // one of two differs
	} {
		_, err := c.UpdateState(t.Context(), simulator.RecaptureID, reviewChange(), pre)
		var ce *ChangedError
		if !errors.As(err, &ce) || !errors.Is(err, ErrChanged) || KindName(err) != "changed" {
			t.Fatalf("%+v: err %v, want a *ChangedError", pre, err)
		}
		if ce.Now != (eval.CaseState{Decision: "REVIEW", Status: "OPEN", SubStatus: "Awaiting Review"}) || ce.EvalID != simulator.RecaptureID {
			t.Errorf("ChangedError %+v", ce)
		}
		if !strings.Contains(err.Error(), "nothing was sent") || ce.Hint() == "" {
			t.Errorf("error %q", err)
		}
		noNotes(t, err)
	}
	if n := sim.StateWrites(simulator.RecaptureID); n != 0 {
		t.Errorf("%d PUTs after failed preconditions, want 0", n)
	}
	// The same precondition spelled differently holds.
	if _, err := c.UpdateState(t.Context(), simulator.RecaptureID, reviewChange(), eval.Precondition{Decision: "review", Status: "open"}); err != nil {
		t.Fatal(err)
	}
	// Now the case is REJECT/CLOSED: a second reviewer who loaded REVIEW/OPEN sends nothing.
	_, err := c.UpdateState(t.Context(), simulator.RecaptureID, StateChange{Decision: "ACCEPT", Status: "CLOSED"}, eval.Precondition{Decision: "REVIEW", Status: "OPEN"})
	if !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), "decision REVIEW → REJECT, status OPEN → CLOSED") {
		t.Errorf("second reviewer: %v", err)
	}
	if n := sim.StateWrites(simulator.RecaptureID); n != 1 {
		t.Errorf("%d PUTs, want 1", n)
	}
}

func TestUpdateStateInvalidSendsNothing(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c := newTestClient(t, srv.URL, nil)
	jpeg := []byte{0xFF, 0xD8, 0xFF, 0xE0, 1, 2}
	png := []byte("\x89PNG\r\n\x1a\nrest")
	tests := []struct {
		name string
		ch   StateChange
		has  string
	}{
		{"decision", StateChange{Decision: "APPROVE", Status: "OPEN"}, "decision \"APPROVE\""},
		{"empty decision", StateChange{Status: "OPEN"}, "want ACCEPT, REJECT, REVIEW, RESUBMIT, CANCEL"},
		{"status", StateChange{Decision: "ACCEPT", Status: "PENDING"}, "want OPEN, CLOSED, ON_HOLD"},
		{"sub-status two lines", StateChange{Decision: "ACCEPT", Status: "OPEN", SubStatus: "a\nb"}, "one line"},
		{"sub-status too long", StateChange{Decision: "ACCEPT", Status: "OPEN", SubStatus: strings.Repeat("x", 201)}, "200"},
		{"notes too long", StateChange{Decision: "ACCEPT", Status: "OPEN", Notes: strings.Repeat(notesSentinel, eval.MaxNotesLen/len(notesSentinel)+1)}, "over the 64 KiB limit"},
		{"notes not text", StateChange{Decision: "ACCEPT", Status: "OPEN", Notes: notesSentinel + "\xff"}, "not text"},
		{"attachment not a document", StateChange{Decision: "ACCEPT", Status: "OPEN", Attachments: []Attachment{{FileName: "a.txt", Data: []byte("hello")}}}, "not a PDF, JPEG or PNG"},
		{"attachment html named pdf", StateChange{Decision: "ACCEPT", Status: "OPEN", Attachments: []Attachment{{FileName: "a.pdf", Data: []byte("<html>")}}}, "a.pdf is not a PDF"},
		{"attachment empty", StateChange{Decision: "ACCEPT", Status: "OPEN", Attachments: []Attachment{{FileName: "a.png"}}}, "empty"},
		{"attachment too big", StateChange{Decision: "ACCEPT", Status: "OPEN", Attachments: []Attachment{{FileName: "big.jpg", Data: append(jpeg, make([]byte, MaxAttachmentBytes)...)}}}, "over the 10 MiB limit"},
		{"attachment no name", StateChange{Decision: "ACCEPT", Status: "OPEN", Attachments: []Attachment{{FileName: "dir/", Data: png}}}, "no file name"},
		{"too many attachments", StateChange{Decision: "ACCEPT", Status: "OPEN", Attachments: make([]Attachment, MaxAttachments+1)}, "at most 10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.UpdateState(t.Context(), sampleID, tt.ch, eval.Precondition{})
			if !errors.Is(err, ErrInvalidWrite) || KindName(err) != "invalid_request" || !strings.Contains(err.Error(), tt.has) {
				t.Errorf("err %v, want ErrInvalidWrite with %q", err, tt.has)
			}
			noNotes(t, err)
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests for invalid changes, want 0", n)
	}
	// Valid attachments of each kind pass, names reduced to their base.
	for _, data := range [][]byte{jpeg, png, []byte("%PDF-1.7")} {
		a, err := NewAttachment(`C:\scans\..\x.bin`, data)
		if err != nil || a.FileName != "x.bin" {
			t.Errorf("NewAttachment: %+v %v", a, err)
		}
	}
	if s, err := ParseCaseStatus(" on hold "); s != "ON_HOLD" || err != nil {
		t.Errorf("ParseCaseStatus(on hold) = %q %v", s, err)
	}
}

// fakeRiskOS is an httptest server whose GET /api/evaluation/{id} answers
// a REVIEW/OPEN evaluation (or what get says) and whose PUTs run put.
type fakeRiskOS struct {
	*httptest.Server
	gets, puts atomic.Int32
}

func newFakeRiskOS(t *testing.T, get func(w http.ResponseWriter, n int) bool, put func(w http.ResponseWriter, r *http.Request, n int)) *fakeRiskOS {
	t.Helper()
	f := &fakeRiskOS{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			n := int(f.gets.Add(1))
			if get == nil || !get(w, n) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"eval_id":"`+sampleID+`","id":"APP-1","workflow":"wf","decision":"REVIEW","status":"OPEN"}`)
			}
		case http.MethodPut:
			n := int(f.puts.Add(1))
			body, _ := io.ReadAll(r.Body)
			if !json.Valid(body) {
				http.Error(w, "bad json", http.StatusBadRequest)
				return
			}
			put(w, r, n)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

// answerJSON writes status with a JSON body.
func answerJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// appliedAnswer is a 200 state answer showing reviewChange applied.
const appliedAnswer = `{"eval_id":"` + sampleID + `","workflow":"wf","decision":"REJECT","status":"CLOSED","sub_status":"Fraud confirmed"}`

func TestUpdateStateStatuses(t *testing.T) {
	tests := []struct {
		name    string
		answers []func(w http.ResponseWriter) // one per PUT
		kind    error
		puts    int
		hintHas string
		msgHas  string
		waits   []time.Duration
	}{
		{name: "400 shows the server's message", kind: ErrBadRequest, puts: 1, hintHas: "did not accept the change: \u201csub_status is too long\u201d",
			answers: []func(http.ResponseWriter){func(w http.ResponseWriter) { answerJSON(w, 400, `{"message":"sub_status is too long"}`) }}},
		{name: "400 quoting the notes is withheld", kind: ErrBadRequest, puts: 1, msgHas: "quoted the notes",
			answers: []func(http.ResponseWriter){func(w http.ResponseWriter) {
				answerJSON(w, 400, `{"message":"notes rejected: `+notesSentinel[:30]+`"}`)
			}}},
		{name: "401", kind: ErrUnauthorized, puts: 1, hintHas: "docvreview key set --env sandbox",
			answers: []func(http.ResponseWriter){func(w http.ResponseWriter) { answerJSON(w, 401, `{"message":"Unauthorized"}`) }}},
		{name: "403 IP rejected", kind: ErrForbidden, puts: 1, hintHas: "IP allow-list rejected this machine", msgHas: "IP Address was rejected",
			answers: []func(http.ResponseWriter){func(w http.ResponseWriter) { answerJSON(w, 403, `{"message":"IP Address was rejected"}`) }}},
		{name: "404", kind: ErrNotFound, puts: 1, hintHas: "not the customer id",
			answers: []func(http.ResponseWriter){func(w http.ResponseWriter) { answerJSON(w, 404, `{"message":"Not found"}`) }}},
		{name: "500 is not re-sent", kind: ErrServer, puts: 1, hintHas: "may or may not have been made",
			answers: []func(http.ResponseWriter){func(w http.ResponseWriter) { answerJSON(w, 500, `{"message":"boom"}`) }}},
		{name: "502 is not re-sent", kind: ErrServer, puts: 1,
			answers: []func(http.ResponseWriter){func(w http.ResponseWriter) { w.WriteHeader(502) }}},
		{name: "429 then 200", puts: 2, waits: []time.Duration{7 * time.Millisecond},
			answers: []func(http.ResponseWriter){
				func(w http.ResponseWriter) { w.Header().Set("Retry-After", "0.007"); w.WriteHeader(429) }, // unreadable: backoff
				func(w http.ResponseWriter) { answerJSON(w, 200, appliedAnswer) },
			}},
		{name: "503 with Retry-After then 200", puts: 2, waits: []time.Duration{20 * time.Millisecond},
			answers: []func(http.ResponseWriter){
				func(w http.ResponseWriter) { w.Header().Set("Retry-After", "1"); w.WriteHeader(503) },
				func(w http.ResponseWriter) { answerJSON(w, 200, appliedAnswer) },
			}},
		{name: "429 every time", kind: ErrRateLimited, puts: DefaultMaxAttempts, hintHas: "made no change",
			answers: []func(http.ResponseWriter){
				func(w http.ResponseWriter) { w.WriteHeader(429) }, func(w http.ResponseWriter) { w.WriteHeader(429) },
				func(w http.ResponseWriter) { w.WriteHeader(429) }, func(w http.ResponseWriter) { w.WriteHeader(429) },
			}},
		{name: "redirect is not followed", kind: ErrServer, puts: 1,
			answers: []func(http.ResponseWriter){func(w http.ResponseWriter) {
				w.Header().Set("Location", "/api/evaluation/"+sampleID)
				w.WriteHeader(http.StatusFound)
			}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeRiskOS(t, nil, func(w http.ResponseWriter, r *http.Request, n int) {
				if r.Header.Get("Authorization") != "Bearer "+clientKey || r.Header.Get("Content-Type") != "application/json" {
					t.Errorf("headers %v", r.Header)
				}
				tt.answers[min(n, len(tt.answers))-1](w)
			})
			var rec waitRecorder
			c := newTestClient(t, srv.URL, nil)
			c.sleep = rec.sleep
			res, err := c.UpdateState(t.Context(), sampleID, reviewChange(), eval.Precondition{Decision: "REVIEW", Status: "OPEN"})
			noNotes(t, err)
			if got := int(srv.puts.Load()); got != tt.puts {
				t.Errorf("%d PUTs, want %d", got, tt.puts)
			}
			if tt.kind == nil {
				if err != nil || res.After.Decision != "REJECT" {
					t.Fatalf("err %v, result %+v", err, res)
				}
				if got := rec.all(); len(got) != len(tt.waits) || (len(got) > 0 && tt.waits[0] != 7*time.Millisecond && got[0] != tt.waits[0]) {
					t.Errorf("waits %v, want %v", got, tt.waits)
				}
				return
			}
			e := asAPIError(t, err)
			if !errors.Is(err, tt.kind) || e.Op != "state update" {
				t.Fatalf("err %v (op %q), want kind %v", err, e.Op, tt.kind)
			}
			if !strings.Contains(e.Hint, tt.hintHas) || !strings.Contains(e.Message, tt.msgHas) {
				t.Errorf("hint %q / message %q, want %q / %q", e.Hint, e.Message, tt.hintHas, tt.msgHas)
			}
			if srv.gets.Load() != 1 {
				t.Errorf("%d GETs, want 1 (the precondition read)", srv.gets.Load())
			}
		})
	}
}

// TestUpdateStateNoBlindRetry: once the body may have reached RiskOS, a
// lost answer is never re-sent; the evaluation is read back instead.
func TestUpdateStateNoBlindRetry(t *testing.T) {
	t.Run("applied, then the connection dropped", func(t *testing.T) {
		c, sim := simClient(t, simulator.Config{}, nil)
		sim.InjectWriteFaults(simulator.FaultDropAfterApply)
		res, err := c.UpdateState(t.Context(), simulator.HostileID, reviewChange(), eval.Precondition{Decision: "REVIEW", Status: "ON_HOLD"})
		if err != nil {
			t.Fatal(err)
		}
		if n := sim.StateWrites(simulator.HostileID); n != 1 {
			t.Errorf("%d PUTs, want exactly 1", n)
		}
		if !res.ReadBack || res.After.Decision != "REJECT" || res.Before.Status != "ON_HOLD" {
			t.Errorf("result %+v", res)
		}
	})
	t.Run("same through the in-process transport", func(t *testing.T) {
		sim := simulator.New(simulator.Config{})
		c, err := NewClient(Options{Env: eval.Demo, HTTPClient: &http.Client{Transport: simulator.Transport(sim)}, BaseURL: "http://127.0.0.1:1"})
		if err != nil {
			t.Fatal(err)
		}
		sim.InjectWriteFaults(simulator.FaultDropAfterApply)
		res, err := c.UpdateState(t.Context(), simulator.HappyID, StateChange{Decision: "REVIEW", Status: "ON_HOLD"}, eval.Precondition{})
		if err != nil || !res.ReadBack || res.After.Status != "ON_HOLD" || sim.StateWrites(simulator.HappyID) != 1 {
			t.Errorf("%+v %v, %d PUTs", res, err, sim.StateWrites(simulator.HappyID))
		}
	})
	t.Run("applied, answer held until the client timed out", func(t *testing.T) {
		c, sim := simClient(t, simulator.Config{}, func(o *Options) { o.HeaderTimeout = 300 * time.Millisecond })
		sim.InjectWriteFaults(simulator.FaultStallAfterApply)
		res, err := c.UpdateState(t.Context(), simulator.HostileID, reviewChange(), eval.Precondition{})
		if err != nil || !res.ReadBack || sim.StateWrites(simulator.HostileID) != 1 {
			t.Errorf("%+v %v, %d PUTs", res, err, sim.StateWrites(simulator.HostileID))
		}
	})
	t.Run("not applied: cannot tell, nothing re-sent", func(t *testing.T) {
		c, sim := simClient(t, simulator.Config{}, nil)
		sim.InjectWriteFaults(simulator.FaultDropBeforeApply)
		_, err := c.UpdateState(t.Context(), simulator.HostileID, reviewChange(), eval.Precondition{})
		var ou *OutcomeUnknownError
		if !errors.As(err, &ou) || !errors.Is(err, ErrOutcomeUnknown) || KindName(err) != "outcome_unknown" {
			t.Fatalf("err %v, want an *OutcomeUnknownError", err)
		}
		if ou.Current == nil || ou.Current.Decision != "REVIEW" || !errors.Is(err, ErrNetwork) {
			t.Errorf("%+v", ou)
		}
		if !strings.Contains(err.Error(), "not sent again") || !strings.Contains(err.Error(), "does not show the change yet (decision REVIEW, status ON_HOLD)") {
			t.Errorf("message %q", err)
		}
		if n := sim.StateWrites(simulator.HostileID); n != 1 {
			t.Errorf("%d PUTs, want exactly 1", n)
		}
		noNotes(t, err)
	})
	t.Run("read-back fails", func(t *testing.T) {
		srv := newFakeRiskOS(t, func(w http.ResponseWriter, n int) bool {
			if n == 1 {
				return false
			}
			answerJSON(w, 500, `{"message":"down"}`)
			return true
		}, func(w http.ResponseWriter, r *http.Request, n int) {
			panic(http.ErrAbortHandler)
		})
		c := newTestClient(t, srv.URL, nil)
		_, err := c.UpdateState(t.Context(), sampleID, reviewChange(), eval.Precondition{})
		var ou *OutcomeUnknownError
		if !errors.As(err, &ou) || ou.CheckErr == nil || ou.Current != nil || !strings.Contains(err.Error(), "reading the evaluation back failed") {
			t.Fatalf("err %v", err)
		}
		if srv.puts.Load() != 1 {
			t.Errorf("%d PUTs", srv.puts.Load())
		}
	})
	t.Run("200 cut short counts as made", func(t *testing.T) {
		srv := newFakeRiskOS(t, func(w http.ResponseWriter, n int) bool {
			if n == 1 {
				return false
			}
			answerJSON(w, 200, appliedAnswer)
			return true
		}, func(w http.ResponseWriter, r *http.Request, n int) {
			w.Header().Set("Content-Length", "5000")
			answerJSON(w, 200, `{"decision":`)
		})
		c := newTestClient(t, srv.URL, nil)
		res, err := c.UpdateState(t.Context(), sampleID, reviewChange(), eval.Precondition{})
		if err != nil || !res.ReadBack || res.After.Decision != "REJECT" || srv.puts.Load() != 1 {
			t.Errorf("%+v %v, %d PUTs", res, err, srv.puts.Load())
		}
	})
	t.Run("same state as before cannot be told apart", func(t *testing.T) {
		srv := newFakeRiskOS(t, nil, func(w http.ResponseWriter, r *http.Request, n int) { panic(http.ErrAbortHandler) })
		c := newTestClient(t, srv.URL, nil)
		_, err := c.UpdateState(t.Context(), sampleID, StateChange{Decision: "REVIEW", Status: "OPEN"}, eval.Precondition{})
		if !errors.Is(err, ErrOutcomeUnknown) || srv.puts.Load() != 1 {
			t.Errorf("err %v, %d PUTs", err, srv.puts.Load())
		}
	})
	t.Run("cancelled while waiting: no read-back", func(t *testing.T) {
		entered := make(chan struct{})
		srv := newFakeRiskOS(t, nil, func(w http.ResponseWriter, r *http.Request, n int) {
			close(entered)
			<-r.Context().Done()
		})
		c := newTestClient(t, srv.URL, nil)
		ctx, cancel := context.WithCancel(t.Context())
		go func() { <-entered; cancel() }()
		_, err := c.UpdateState(ctx, sampleID, reviewChange(), eval.Precondition{})
		var ou *OutcomeUnknownError
		if !errors.As(err, &ou) || KindName(err) != "outcome_unknown" || !errors.Is(err, context.Canceled) {
			t.Fatalf("err %v", err)
		}
		if srv.gets.Load() != 1 || srv.puts.Load() != 1 {
			t.Errorf("%d GETs, %d PUTs; want 1 and 1", srv.gets.Load(), srv.puts.Load())
		}
	})
}

// TestSendRetriesWhatNeverLeft: a connection refused before any byte of
// the body went out is retried like a read.
func TestSendRetriesWhatNeverLeft(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close() // nothing listens there any more
	c := newTestClient(t, base, nil)
	var rec waitRecorder
	c.sleep = rec.sleep
	_, err := c.send(t.Context(), writeRequest{op: opState, url: base + "/api/evaluation/" + sampleID + "/state", body: []byte(`{}`), max: 1 << 10})
	e := asAPIError(t, err)
	if !errors.Is(err, ErrNetwork) || e.Attempts != DefaultMaxAttempts || len(rec.all()) != DefaultMaxAttempts-1 {
		t.Errorf("err %v after %d attempts, waits %v", err, e.Attempts, rec.all())
	}
	var lost *lostAnswer
	if errors.As(err, &lost) {
		t.Error("a refused connection counted as possibly sent")
	}
}

func TestSendWipesTheBody(t *testing.T) {
	srv := newFakeRiskOS(t, nil, func(w http.ResponseWriter, r *http.Request, n int) { answerJSON(w, 200, `{}`) })
	c := newTestClient(t, srv.URL, nil)
	body := []byte(`{"notes":"` + notesSentinel + `"}`)
	if _, err := c.send(t.Context(), writeRequest{op: opState, url: srv.URL + "/x", body: body, max: 1 << 10}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, make([]byte, len(body))) {
		t.Error("the request body (notes, attachments) was not zeroed")
	}
}

func TestStateApplied(t *testing.T) {
	t0 := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	before := &eval.Evaluation{Decision: "REVIEW", Status: "OPEN", SubStatus: "x", DecisionAt: t0, Notes: "old"}
	sb := stateBody{Decision: "REJECT", Status: "CLOSED"}
	same := stateBody{Decision: "REVIEW", Status: "OPEN"}
	tests := []struct {
		name string
		now  *eval.Evaluation
		sb   stateBody
		want bool
	}{
		{"changed to ours", &eval.Evaluation{Decision: "REJECT", Status: "CLOSED", DecisionAt: t0}, sb, true},
		{"status spelled differently", &eval.Evaluation{Decision: "reject", Status: "closed"}, sb, true},
		{"not there", &eval.Evaluation{Decision: "REVIEW", Status: "OPEN", DecisionAt: t0}, sb, false},
		{"half there", &eval.Evaluation{Decision: "REJECT", Status: "OPEN"}, sb, false},
		{"sub-status differs", &eval.Evaluation{Decision: "REJECT", Status: "CLOSED", SubStatus: "y"}, stateBody{Decision: "REJECT", Status: "CLOSED", SubStatus: "z"}, false},
		{"same state, decision_at moved", &eval.Evaluation{Decision: "REVIEW", Status: "OPEN", DecisionAt: t0.Add(time.Second)}, same, true},
		{"same state, notes appeared", &eval.Evaluation{Decision: "REVIEW", Status: "OPEN", DecisionAt: t0, Notes: "old\nnew one"}, stateBody{Decision: "REVIEW", Status: "OPEN", Notes: "new one"}, true},
		{"same state, nothing to tell by", &eval.Evaluation{Decision: "REVIEW", Status: "OPEN", DecisionAt: t0, Notes: "old"}, same, false},
	}
	for _, tt := range tests {
		if got := stateApplied(before, tt.now, tt.sb); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestUpdateStateSimulatorStatuses(t *testing.T) {
	c, sim := simClient(t, simulator.Config{}, nil)
	var rec waitRecorder
	c.sleep = rec.sleep
	// 429 then 503: retried, applied once.
	sim.InjectWriteStatuses(429, 503)
	res, err := c.UpdateState(t.Context(), simulator.HappyID, StateChange{Decision: "REVIEW", Status: "ON_HOLD"}, eval.Precondition{Decision: "ACCEPT"})
	if err != nil || res.After.Status != "ON_HOLD" || sim.StateWrites(simulator.HappyID) != 3 || len(rec.all()) != 2 {
		t.Fatalf("%+v %v, %d PUTs, waits %v", res, err, sim.StateWrites(simulator.HappyID), rec.all())
	}
	// 500 and 400: not re-sent, not applied.
	for status, kind := range map[int]error{500: ErrServer, 400: ErrBadRequest} {
		before := sim.StateWrites(simulator.HappyID)
		sim.InjectWriteStatuses(status)
		_, err := c.UpdateState(t.Context(), simulator.HappyID, StateChange{Decision: "REJECT", Status: "CLOSED", Notes: notesSentinel}, eval.Precondition{})
		if !errors.Is(err, kind) || sim.StateWrites(simulator.HappyID) != before+1 {
			t.Errorf("%d: %v, %d PUTs", status, err, sim.StateWrites(simulator.HappyID)-before)
		}
		noNotes(t, err)
	}
	if ev, _ := c.Evaluation(t.Context(), simulator.HappyID); ev.Decision != "REVIEW" {
		t.Errorf("a refused write was applied: %s", ev.Decision)
	}
}
