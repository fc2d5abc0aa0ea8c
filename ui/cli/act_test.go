package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
	"docvreview/fetch/riskos"
	"docvreview/fetch/simulator"
)

// Secrets that must never appear in any output of a command.
const (
	actKey   = "cli-act-key-5e1f0b9a"
	actNotes = "ACT-NOTES-SENTINEL the caller's voice did not match; see ticket 4417"
)

// actServer is a loopback simulator that wants actKey and counts requests.
type actServer struct {
	sim        *simulator.Server
	url        string
	gets, puts atomic.Int32
}

func newActServer(t *testing.T) *actServer {
	t.Helper()
	a := &actServer{sim: simulator.New(simulator.Config{APIKey: actKey, OtherEnvKey: "other-env-key"})}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			a.puts.Add(1)
		} else {
			a.gets.Add(1)
		}
		a.sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	a.url = srv.URL
	return a
}

var actVars = map[string]string{keychain.EnvAPIKey: actKey}

// noSecrets fails when the key or the notes show in any output.
func noSecrets(t *testing.T, outputs ...string) {
	t.Helper()
	for _, o := range outputs {
		for _, s := range []string{actKey, actNotes, "ACT-NOTES-SENTINEL", "ticket 4417"} {
			if strings.Contains(o, s) {
				t.Errorf("output shows %q:\n%s", s, o)
			}
		}
	}
}

// writeFile writes a file in a temporary folder and returns its path.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func decodeDecide(t *testing.T, out string) DecideReport {
	t.Helper()
	var r DecideReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("decide --json: %v\n%s", err, out)
	}
	return r
}

func TestDecideJSON(t *testing.T) {
	a := newActServer(t)
	notes := writeFile(t, "notes.txt", []byte(actNotes+"\n"))
	pdf := []byte("%PDF-1.4\n1 0 obj\n%%EOF\n")
	att := writeFile(t, "evidence.pdf", pdf)
	code, out, errOut := runCLI(t, "", actVars, "decide", "--base-url", a.url, "--eval-id", simulator.RecaptureID,
		"--decision", "reject", "--status", "closed", "--sub-status", "Fraud confirmed", "--notes-file", notes,
		"--attach", att, "--if-status", "OPEN", "--if-decision", "review", "--yes", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	noSecrets(t, out, errOut)
	r := decodeDecide(t, out)
	sum := sha256.Sum256(pdf)
	if r.EvalID != simulator.RecaptureID || r.Environment != "sandbox" || r.Error != nil || r.ReadBack ||
		*r.Before != (eval.CaseState{Decision: "REVIEW", Status: "OPEN", SubStatus: "Awaiting Review"}) ||
		*r.After != (eval.CaseState{Decision: "REJECT", Status: "CLOSED", SubStatus: "Fraud confirmed"}) {
		t.Errorf("report %+v", r)
	}
	s := r.Sent
	if s == nil || s.Workflow != "consumer_onboarding" || s.Decision != "REJECT" || s.Status != "CLOSED" || s.SubStatus != "Fraud confirmed" ||
		s.Notes == nil || s.Notes.NotesChars != len([]rune(actNotes)) || len(s.Attachments) != 1 ||
		s.Attachments[0] != (SentAttachment{FileName: "evidence.pdf", Bytes: len(pdf), SHA256: hex.EncodeToString(sum[:])}) {
		t.Errorf("sent %+v", s)
	}
	if !strings.Contains(out, `"notes": {`) || !strings.Contains(out, `"notes_chars": `) {
		t.Errorf("notes not shown as {notes_chars}: %s", out)
	}
	if !strings.Contains(errOut, "decision   REVIEW → REJECT") || !strings.Contains(errOut, "characters (not shown)") {
		t.Errorf("plan on stderr: %s", errOut)
	}
	if n := a.sim.StateWrites(simulator.RecaptureID); n != 1 {
		t.Errorf("%d PUTs", n)
	}
	// The change is there for the next reader.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, a.url+"/api/evaluation/"+simulator.RecaptureID, nil)
	req.Header.Set("Authorization", "Bearer "+actKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if ev, err := eval.ParseEvaluation(body); err != nil || ev.Decision != "REJECT" || ev.Notes != actNotes {
		t.Errorf("evaluation after decide: %v %+v", err, ev)
	}
}

func TestDecideNotesFromStdinHuman(t *testing.T) {
	a := newActServer(t)
	code, out, errOut := runCLI(t, actNotes, actVars, "decide", "--base-url", a.url, "--eval-id", simulator.HostileID,
		"--decision", "ACCEPT", "--status", "on hold", "--notes-file", "-", "--yes")
	if code != ExitOK || !strings.Contains(out, "status     ON_HOLD → ON_HOLD") || !strings.Contains(out, "decision   REVIEW → ACCEPT") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	noSecrets(t, out, errOut)
}

func TestDecideConfirmation(t *testing.T) {
	a := newActServer(t)
	args := []string{"decide", "--base-url", a.url, "--eval-id", simulator.HappyID, "--decision", "REVIEW", "--status", "OPEN", "--notes-file", "-"}
	// No terminal, no --yes: exit 2 before anything is read or sent.
	code, out, errOut := runCLI(t, actNotes, actVars, args...)
	if code != ExitUsage || !strings.Contains(errOut, "--yes") || a.gets.Load()+a.puts.Load() != 0 {
		t.Fatalf("exit %d, %d requests\n%s", code, a.gets.Load()+a.puts.Load(), errOut)
	}
	noSecrets(t, out, errOut)
	term := func() bool { return true }
	// On a terminal, "n" sends nothing.
	code, out, errOut = runCLIEnv(t, Env{Stdin: strings.NewReader("n\n"), IsTerminal: term}, actVars, args[:len(args)-2]...)
	if code != ExitFailure || !strings.Contains(errOut, "Send this change to Sandbox? [y/N]") || !strings.Contains(errOut, "nothing was sent") || a.puts.Load() != 0 {
		t.Fatalf("no: exit %d, %d PUTs\n%s", code, a.puts.Load(), errOut)
	}
	// "yes" sends it.
	code, out, errOut = runCLIEnv(t, Env{Stdin: strings.NewReader("yes\n"), IsTerminal: term}, actVars, args[:len(args)-2]...)
	if code != ExitOK || a.puts.Load() != 1 {
		t.Fatalf("yes: exit %d, %d PUTs\n%s\n%s", code, a.puts.Load(), out, errOut)
	}
	// feedback follows the same rule.
	code, _, errOut = runCLI(t, "", actVars, "feedback", "--base-url", a.url, "--eval-id", simulator.HappyID, "--label", "fraud")
	if code != ExitUsage || !strings.Contains(errOut, "--yes") || a.puts.Load() != 1 {
		t.Errorf("feedback without terminal: exit %d\n%s", code, errOut)
	}
}

func TestDecidePreconditionExit8(t *testing.T) {
	a := newActServer(t)
	for _, flags := range [][]string{{"--if-status", "CLOSED"}, {"--if-decision", "ACCEPT"}, {"--if-status", "open", "--if-decision", "REJECT"}} {
		args := append([]string{"decide", "--base-url", a.url, "--eval-id", simulator.RecaptureID, "--decision", "ACCEPT",
			"--status", "CLOSED", "--notes-file", "-", "--yes", "--json"}, flags...)
		code, out, errOut := runCLI(t, actNotes, actVars, args...)
		r := decodeDecide(t, out)
		if code != ExitChanged || r.Error == nil || r.Error.Kind != "changed" || r.Sent != nil || r.Before == nil || r.Before.Status != "OPEN" {
			t.Errorf("%v: exit %d\n%s\n%s", flags, code, out, errOut)
		}
		noSecrets(t, out, errOut)
	}
	// Human output says what changed and what to do.
	code, _, errOut := runCLI(t, "", actVars, "decide", "--base-url", a.url, "--eval-id", simulator.RecaptureID,
		"--decision", "ACCEPT", "--status", "CLOSED", "--if-status", "ON_HOLD", "--yes")
	if code != ExitChanged || !strings.Contains(errOut, "status ON_HOLD → OPEN") || !strings.Contains(errOut, "hint: Someone else may have acted") {
		t.Errorf("exit %d\n%s", code, errOut)
	}
	if n := a.puts.Load(); n != 0 {
		t.Errorf("%d PUTs after failed preconditions", n)
	}
}

func TestDecideUsage(t *testing.T) {
	a := newActServer(t)
	txt := writeFile(t, "x.txt", []byte("not a document"))
	base := []string{"decide", "--base-url", a.url, "--eval-id", simulator.HappyID, "--yes"}
	for _, extra := range [][]string{
		{"--decision", "ACCEPT"},
		{"--status", "OPEN"},
		{"--decision", "APPROVE", "--status", "OPEN"},
		{"--decision", "ACCEPT", "--status", "DONE"},
		{"--decision", "ACCEPT", "--status", "OPEN", "--if-status", "MAYBE"},
		{"--decision", "ACCEPT", "--status", "OPEN", "--if-decision", "MAYBE"},
		{"--decision", "ACCEPT", "--status", "OPEN", "--attach", txt},
		{"--decision", "ACCEPT", "--status", "OPEN", "--attach", filepath.Join(t.TempDir(), "missing.pdf")},
		{"--decision", "ACCEPT", "--status", "OPEN", "--notes-file", filepath.Join(t.TempDir(), "missing.txt")},
		{"--decision", "ACCEPT", "--status", "OPEN", "--sub-status", "two\nlines"},
		{"--decision", "ACCEPT", "--status", "OPEN", "stray"},
	} {
		code, out, errOut := runCLI(t, "\xff\xfe", actVars, append(base, extra...)...)
		if code != ExitUsage || errOut == "" {
			t.Errorf("%q: exit %d\n%s", extra, code, errOut)
		}
		noSecrets(t, out, errOut)
	}
	if code, _, errOut := runCLI(t, "\xff\xfe", actVars, append(base, "--decision", "ACCEPT", "--status", "OPEN", "--notes-file", "-")...); code != ExitUsage || !strings.Contains(errOut, "not UTF-8") {
		t.Errorf("binary notes: exit %d %s", code, errOut)
	}
	if n := a.gets.Load() + a.puts.Load(); n != 0 {
		t.Errorf("%d requests for usage errors", n)
	}
	for _, args := range [][]string{{"decide", "--help"}, {"feedback", "-h"}, {"reason-codes", "--help"}} {
		if code, _, errOut := runCLI(t, "", nil, args...); code != ExitOK || !strings.Contains(errOut, "Usage: docvreview "+args[0]) {
			t.Errorf("%q: exit %d\n%s", args, code, errOut)
		}
	}
	if code, out, _ := runCLI(t, "", nil, "help"); code != ExitOK || !strings.Contains(out, "docvreview decide") || !strings.Contains(out, "8 the evaluation changed") {
		t.Errorf("main usage lacks the write commands")
	}
}

// statusServer answers the evaluation GET with a REVIEW case and every PUT
// with the given answers in turn (the last repeats).
func statusServer(t *testing.T, answers ...func(w http.ResponseWriter)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var puts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodGet {
			io.WriteString(w, `{"eval_id":"`+simulator.HappyID+`","id":"APP-1","workflow":"wf","decision":"REVIEW","status":"OPEN"}`)
			return
		}
		n := int(puts.Add(1))
		io.Copy(io.Discard, r.Body)
		answers[min(n, len(answers))-1](w)
	}))
	t.Cleanup(srv.Close)
	return srv, &puts
}

// reply answers status with body; a 429 says Retry-After: 0 so that the
// command's retries do not wait.
func reply(status int, body string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "0")
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func TestWriteCommandStatuses(t *testing.T) {
	applied := `{"eval_id":"` + simulator.HappyID + `","workflow":"wf","decision":"ACCEPT","status":"CLOSED"}`
	tests := []struct {
		name    string
		answers []func(http.ResponseWriter)
		code    int
		kind    string
		status  int
		puts    int
		hintHas string
	}{
		{"400", []func(http.ResponseWriter){reply(400, `{"message":"status transition not allowed"}`)}, ExitFailure, "bad_request", 400, 1, "status transition not allowed"},
		{"401", []func(http.ResponseWriter){reply(401, `{"message":"Unauthorized"}`)}, ExitUnauthorized, "unauthorized", 401, 1, "key"},
		{"403", []func(http.ResponseWriter){reply(403, `{"message":"IP Address was rejected"}`)}, ExitUnauthorized, "forbidden", 403, 1, "IP allow-list"},
		{"404", []func(http.ResponseWriter){reply(404, `{"message":"Not Found"}`)}, ExitNotFound, "not_found", 404, 1, ""},
		{"429 twice then 200", []func(http.ResponseWriter){reply(429, `{}`), reply(429, `{}`), reply(200, applied)}, ExitOK, "", 0, 3, ""},
		{"429 always", []func(http.ResponseWriter){reply(429, `{}`)}, ExitNetwork, "rate_limited", 429, riskos.DefaultMaxAttempts, "later"},
		{"500", []func(http.ResponseWriter){reply(500, `{"message":"`+actNotes+`"}`)}, ExitNetwork, "server", 500, 1, "may or may not"},
		{"connection lost", []func(http.ResponseWriter){func(http.ResponseWriter) { panic(http.ErrAbortHandler) }}, ExitNetwork, "outcome_unknown", 0, 1, "Reload the case"},
	}
	for _, tt := range tests {
		for _, cmd := range []string{"decide", "feedback"} {
			t.Run(cmd+"/"+tt.name, func(t *testing.T) {
				srv, puts := statusServer(t, tt.answers...)
				args := []string{"decide", "--decision", "ACCEPT", "--status", "CLOSED"}
				hintHas := tt.hintHas
				if cmd == "feedback" {
					args = []string{"feedback", "--label", "fraud"}
					if tt.kind == "outcome_unknown" {
						hintHas = "recorded twice"
					}
				}
				args = append(args, "--base-url", srv.URL, "--eval-id", simulator.HappyID, "--notes-file", "-", "--yes", "--json")
				code, out, errOut := runCLI(t, actNotes, actVars, args...)
				noSecrets(t, out, errOut)
				var r struct {
					Sent  json.RawMessage `json:"sent"`
					Error *ErrorReport    `json:"error"`
				}
				if err := json.Unmarshal([]byte(out), &r); err != nil {
					t.Fatalf("%v\n%s", err, out)
				}
				if code != tt.code || int(puts.Load()) != tt.puts {
					t.Fatalf("exit %d (want %d), %d PUTs (want %d)\n%s", code, tt.code, puts.Load(), tt.puts, out)
				}
				if string(r.Sent) == "null" {
					t.Errorf("sent is null, yet a request went out")
				}
				if tt.kind == "" {
					if r.Error != nil {
						t.Errorf("error %+v", r.Error)
					}
					return
				}
				if r.Error == nil || r.Error.Kind != tt.kind || r.Error.Status != tt.status || !strings.Contains(r.Error.Hint+r.Error.Message, hintHas) {
					t.Errorf("error %+v, want %s %d with %q", r.Error, tt.kind, tt.status, hintHas)
				}
				// Human output: the message and the hint on stderr, never the secrets.
				code, out, errOut = runCLI(t, actNotes, actVars, args[:len(args)-1]...)
				noSecrets(t, out, errOut)
				if hintHas != "" && !strings.Contains(errOut, hintHas) {
					t.Errorf("human stderr lacks %q:\n%s", hintHas, errOut)
				}
			})
		}
	}
}

func TestWriteCommandsAgainstSimulator(t *testing.T) {
	a := newActServer(t)
	// dddd: writes are refused with 403 "IP Address was rejected".
	for _, args := range [][]string{
		{"decide", "--decision", "ACCEPT", "--status", "CLOSED"},
		{"feedback", "--label", "fraud"},
	} {
		args = append(args, "--base-url", a.url, "--eval-id", simulator.IPRejectID, "--yes")
		code, out, errOut := runCLI(t, "", actVars, args...)
		if code != ExitUnauthorized || !strings.Contains(errOut, "IP Address was rejected") || !strings.Contains(errOut, "IP allow-list") {
			t.Errorf("%s: exit %d\n%s", args[0], code, errOut)
		}
		noSecrets(t, out, errOut)
	}
	// The evaluation does not exist (404 on the first read): nothing sent.
	code, out, _ := runCLI(t, "", actVars, "decide", "--base-url", a.url, "--eval-id", simulator.NotFoundID, "--decision", "ACCEPT", "--status", "OPEN", "--yes", "--json")
	if r := decodeDecide(t, out); code != ExitNotFound || r.Sent != nil || r.Before != nil || r.Error.Kind != "not_found" {
		t.Errorf("404: exit %d %s", code, out)
	}
	// A wrong key and the other environment's key.
	for key, want := range map[string]int{"wrong-key": ExitUnauthorized, "other-env-key": ExitUnauthorized} {
		code, out, errOut := runCLI(t, "", map[string]string{keychain.EnvAPIKey: key}, "feedback", "--base-url", a.url, "--eval-id", simulator.HappyID, "--label", "fraud", "--yes")
		if code != want || strings.Contains(out+errOut, key) {
			t.Errorf("key %s: exit %d\n%s", key, code, errOut)
		}
	}
	if n := a.puts.Load(); n != 2 {
		t.Errorf("%d PUTs, want 2 (the two refused dddd writes)", n)
	}
}

func TestDecideNoBlindRetry(t *testing.T) {
	a := newActServer(t)
	args := []string{"decide", "--base-url", a.url, "--eval-id", simulator.HostileID, "--decision", "REJECT", "--status", "CLOSED", "--notes-file", "-", "--yes", "--json"}
	a.sim.InjectWriteFaults(simulator.FaultDropAfterApply)
	code, out, errOut := runCLI(t, actNotes, actVars, args...)
	r := decodeDecide(t, out)
	if code != ExitOK || !r.ReadBack || r.After.Decision != "REJECT" || a.sim.StateWrites(simulator.HostileID) != 1 {
		t.Fatalf("applied then dropped: exit %d, %d PUTs\n%s\n%s", code, a.sim.StateWrites(simulator.HostileID), out, errOut)
	}
	noSecrets(t, out, errOut)
	a.sim.InjectWriteFaults(simulator.FaultDropBeforeApply)
	args[6] = "ACCEPT"
	code, out, errOut = runCLI(t, actNotes, actVars, append(args[:len(args)-1:len(args)-1], "--if-decision", "REJECT")...)
	if code != ExitNetwork || !strings.Contains(errOut, "not sent again") || !strings.Contains(errOut, "hint: The change may still arrive") ||
		a.sim.StateWrites(simulator.HostileID) != 2 {
		t.Errorf("dropped before applying: exit %d, %d PUTs\n%s", code, a.sim.StateWrites(simulator.HostileID), errOut)
	}
	noSecrets(t, out, errOut)
}

func TestFeedbackCommand(t *testing.T) {
	a := newActServer(t)
	day := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	code, out, errOut := runCLIEnv(t, Env{Stdin: strings.NewReader(actNotes), Now: func() time.Time { return day }}, actVars,
		"feedback", "--base-url", a.url, "--eval-id", simulator.SuspectID, "--label", "Fraud", "--type", "synthetic",
		"--notes-file", "-", "--recorded-by", "reviewer@example.com", "--tag", "docv", "--tag", "escalated", "--yes", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	noSecrets(t, out, errOut)
	var r FeedbackReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	s := r.Sent
	if s == nil || s.ID != "SPECIMEN-APP-000C" || s.Workflow != "consumer_onboarding" || s.FraudLabel != "fraud" || s.FraudType != "synthetic" ||
		s.RecordedAt != "2026-03-10" || s.RecordedBy != "reviewer@example.com" || strings.Join(s.Tags, ",") != "docv,escalated" ||
		s.Notes == nil || s.Notes.NotesChars != len([]rune(actNotes)) || r.Message == "" || r.Error != nil {
		t.Errorf("report %+v / %+v", r, s)
	}
	recs := a.sim.FeedbackRecords()
	if len(recs) != 1 || recs[0].ID != "SPECIMEN-APP-000C" || recs[0].Notes != actNotes {
		t.Errorf("recorded %+v", recs)
	}
	// Human output.
	code, out, errOut = runCLI(t, "", actVars, "feedback", "--base-url", a.url, "--eval-id", simulator.HappyID, "--label", "non-fraud", "--yes")
	if code != ExitOK || !strings.Contains(out, "feedback non-fraud recorded for customer id SPECIMEN-APP-0001") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
	// An evaluation without a customer id: refused, nothing sent.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			t.Errorf("%s sent", r.Method)
		}
		io.WriteString(w, `{"eval_id":"`+simulator.HappyID+`","workflow":"wf"}`)
	}))
	defer srv.Close()
	code, out, _ = runCLI(t, "", actVars, "feedback", "--base-url", srv.URL, "--eval-id", simulator.HappyID, "--label", "fraud", "--yes", "--json")
	if !strings.Contains(out, `"kind": "no_customer_id"`) || !strings.Contains(out, `"sent": null`) || code != ExitFailure {
		t.Errorf("no customer id: exit %d\n%s", code, out)
	}
	// Usage.
	for _, extra := range [][]string{{"--label", "maybe"}, {}, {"--label", "fraud", "--tag", strings.Repeat("t", 101)}} {
		args := append([]string{"feedback", "--base-url", a.url, "--eval-id", simulator.HappyID, "--yes"}, extra...)
		code, _, errOut := runCLI(t, "", actVars, args...)
		if code != ExitUsage { // a tag too long is refused before sending, as a usage error
			t.Errorf("%q: exit %d\n%s", extra, code, errOut)
		}
	}
}

func TestReasonCodesCommand(t *testing.T) {
	a := newActServer(t)
	cache := t.TempDir()
	env := func() Env { return Env{CacheDir: cache} }
	code, out, errOut := runCLIEnv(t, env(), actVars, "reason-codes", "--base-url", a.url, "--json", "R838", "i831", "ZZ99")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var r ReasonCodesReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Source != "api" || len(r.ReasonCodes) != 3 || r.ReasonCodes[0].Description == "" || r.ReasonCodes[1].Code != "i831" ||
		r.ReasonCodes[1].Description == "" || r.ReasonCodes[2] != (eval.ReasonCode{Code: "ZZ99"}) {
		t.Errorf("report %+v", r)
	}
	files, _ := filepath.Glob(filepath.Join(cache, "reason-codes-sandbox-*.json"))
	if len(files) != 1 {
		t.Fatalf("cache files %v", files)
	}
	// The whole catalogue, now from the cache.
	code, out, _ = runCLIEnv(t, env(), actVars, "reason-codes", "--base-url", a.url)
	if code != ExitOK || !strings.Contains(out, "R919") || !strings.Contains(out, "under the minimum age") {
		t.Errorf("table: exit %d\n%s", code, out)
	}
	code, out, _ = runCLIEnv(t, env(), actVars, "reason-codes", "--base-url", a.url, "--json")
	if code != ExitOK || !strings.Contains(out, `"source": "cache"`) {
		t.Errorf("second run not from the cache:\n%s", out)
	}
	// A refused key with no cache: exit 4, bare codes in the JSON.
	code, out, _ = runCLI(t, "", map[string]string{keychain.EnvAPIKey: "wrong-key"}, "reason-codes", "--base-url", a.url, "--json", "I831")
	if code != ExitUnauthorized || !strings.Contains(out, `"code": "I831"`) || !strings.Contains(out, `"kind": "unauthorized"`) {
		t.Errorf("401: exit %d\n%s", code, out)
	}
	// An argument that is not a code is refused without being echoed.
	code, _, errOut = runCLI(t, "", actVars, "reason-codes", "--base-url", a.url, actKey+"-and-more")
	if code != ExitUsage || strings.Contains(errOut, actKey) {
		t.Errorf("bad code: exit %d\n%s", code, errOut)
	}
	// Demo needs no key and no network.
	if code, out, _ := runCLI(t, "", nil, "reason-codes", "--env", "demo", "R810"); code != ExitOK || !strings.Contains(out, "digital editing") {
		t.Errorf("demo: exit %d %s", code, out)
	}
}

func TestFetchJSONReasonCodesAndAttempts(t *testing.T) {
	a := newActServer(t)
	code, out, errOut := runCLI(t, "", actVars, "fetch", "--base-url", a.url, "--eval-id", simulator.SuspectID, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var r struct {
		Evaluation struct {
			DocVAttempts int               `json:"docv_attempts"`
			ReasonCodes  []eval.ReasonCode `json:"reason_codes"`
			Score        json.Number       `json:"score"`
			Notes        *string           `json:"notes"`
		} `json:"evaluation"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	ev := r.Evaluation
	if ev.DocVAttempts != 2 || len(ev.ReasonCodes) != 4 || ev.ReasonCodes[3].Code != "R838" || ev.ReasonCodes[3].Description == "" || ev.Score != "146" || ev.Notes != nil {
		t.Errorf("evaluation %+v", ev)
	}
	// Human output names the attempts and the codes; the paused case says its decision is not final.
	_, out, _ = runCLI(t, "", actVars, "fetch", "--base-url", a.url, "--eval-id", simulator.SuspectID)
	if !strings.Contains(out, "DocV attempts: 2") || !strings.Contains(out, "reason R838") {
		t.Errorf("human:\n%s", out)
	}
	code, out, errOut = runCLI(t, "", actVars, "fetch", "--base-url", a.url, "--eval-id", simulator.PausedID, "--json")
	if code != ExitNoDocuments || !strings.Contains(out, "capture is not finished") || strings.Contains(out, "retention") {
		t.Errorf("paused: exit %d\n%s\n%s", code, out, errOut)
	}
	// Without a catalogue (a server that has none) the codes stay bare and the fetch succeeds.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/reason-codes" {
			http.NotFound(w, r)
			return
		}
		a.sim.ServeHTTP(w, r)
	}))
	defer srv.Close()
	code, out, _ = runCLI(t, "", actVars, "fetch", "--base-url", srv.URL, "--eval-id", simulator.HappyID, "--json")
	if code != ExitOK || !strings.Contains(out, `"code": "I831",`+"\n"+`        "description": ""`) {
		t.Errorf("no catalogue: exit %d\n%s", code, out)
	}
}

// TestWriteCommandsSimulatorStatuses: every status a write can meet, from
// the simulator (401 a wrong key, 403 dddd's IP rejection, 404 an unknown
// evaluation, and 400/429/500 injected).
func TestWriteCommandsSimulatorStatuses(t *testing.T) {
	a := newActServer(t)
	tests := []struct {
		name   string
		inject []int
		id     string
		key    string
		code   int
		kind   string
		puts   int
	}{
		{"400", []int{400}, simulator.HappyID, actKey, ExitFailure, "bad_request", 1},
		{"401", nil, simulator.HappyID, "wrong-key", ExitUnauthorized, "unauthorized", 0},
		{"403", nil, simulator.IPRejectID, actKey, ExitUnauthorized, "forbidden", 1},
		{"404", nil, simulator.NotFoundID, actKey, ExitNotFound, "not_found", 0},
		{"429 then ok", []int{429}, simulator.HappyID, actKey, ExitOK, "", 2},
		{"500", []int{500}, simulator.HappyID, actKey, ExitNetwork, "server", 1},
	}
	for _, tt := range tests {
		for _, cmd := range []string{"decide", "feedback"} {
			args := []string{"decide", "--decision", "REVIEW", "--status", "ON_HOLD"}
			if cmd == "feedback" {
				args = []string{"feedback", "--label", "non-fraud"}
			}
			args = append(args, "--base-url", a.url, "--eval-id", tt.id, "--notes-file", "-", "--yes", "--json")
			before := a.puts.Load()
			a.sim.InjectWriteStatuses(tt.inject...)
			code, out, errOut := runCLI(t, actNotes, map[string]string{keychain.EnvAPIKey: tt.key}, args...)
			noSecrets(t, out, errOut)
			if code != tt.code || int(a.puts.Load()-before) != tt.puts || (tt.kind != "" && !strings.Contains(out, `"kind": "`+tt.kind+`"`)) {
				t.Errorf("%s %s: exit %d (want %d), %d PUTs (want %d)\n%s", cmd, tt.name, code, tt.code, a.puts.Load()-before, tt.puts, out)
			}
		}
	}
}
