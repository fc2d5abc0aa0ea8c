package ui

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/zalando/go-keyring"

	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
	"docvreview/fetch/simulator"
)

// simRecorder is a Demo transport that remembers the simulator of every
// client the window makes (each Demo client has its own), optionally
// rewriting the answers.
type simRecorder struct {
	mu      sync.Mutex
	sims    []*simulator.Server
	rewrite func(*http.Request, *http.Response) // may change the answer
}

func (s *simRecorder) demo(now func() time.Time) http.RoundTripper {
	srv := simulator.New(simulator.Config{Now: now})
	s.mu.Lock()
	s.sims = append(s.sims, srv)
	s.mu.Unlock()
	rt := simulator.Transport(srv)
	if s.rewrite == nil {
		return rt
	}
	return rewriteTransport{rt: rt, fn: s.rewrite}
}

// last is the simulator of the newest client.
func (s *simRecorder) last(t testing.TB) *simulator.Server {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sims) == 0 {
		t.Fatal("no Demo client was made")
	}
	return s.sims[len(s.sims)-1]
}

type rewriteTransport struct {
	rt http.RoundTripper
	fn func(*http.Request, *http.Response)
}

func (t rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.rt.RoundTrip(req)
	if err == nil {
		t.fn(req, resp)
	}
	return resp, err
}

// newDecideHarness opens a window whose Demo simulators the test can reach.
func newDecideHarness(t *testing.T, rec *simRecorder, o Options) *harness {
	t.Helper()
	o.Env = eval.Demo
	o.Demo = rec.demo
	return newHarness(t, o)
}

// setStateBehindTheWindow changes the case in the simulator the way another
// reviewer would.
func setStateBehindTheWindow(t *testing.T, sim *simulator.Server, id, decision, status string) {
	t.Helper()
	body := `{"workflow":"consumer_onboarding","decision":"` + decision + `","status":"` + status + `"}`
	req := httptest.NewRequest(http.MethodPut, "/api/evaluation/"+id+"/state", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	sim.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("changing the state behind the window: %d %s", w.Code, w.Body)
	}
}

// confirmShown waits for nothing: the confirmation must be on screen now.
func (h *harness) confirmShown() {
	h.t.Helper()
	top := h.overlay()
	if top == nil {
		h.t.Fatalf("no decision confirmation on screen (status %q, result %q)", h.status(), h.decisionResultText())
	}
	if md := markupOf(top); !strings.Contains(md, "Send this decision to ") && !strings.Contains(md, "The case changed — send anyway?") {
		h.t.Fatalf("the dialog on screen is not the decision confirmation:\n%s", md)
	}
	h.buttonIn(top, "Send")
}

// sendWithKeys prefills with key k, types notes, presses Ctrl+Enter and
// confirms with Enter, then waits for the answer.
func (h *harness) sendWithKeys(k fyne.KeyName, notes string) {
	h.t.Helper()
	h.key(k)
	if notes != "" {
		test.Type(h.decisionNotes(), notes)
	}
	h.shortcut(fyne.KeyReturn)
	h.confirmShown()
	h.key(fyne.KeyReturn)
	h.idle()
}

func TestDecideWithKeysUpdatesDetailsAndTheSimulatorOnce(t *testing.T) {
	rec := &simRecorder{}
	h := newDecideHarness(t, rec, Options{})
	h.open(simulator.SuspectID)
	sim := rec.last(t)
	if got := h.value("Decision"); got != "REVIEW" {
		t.Fatalf("Decision before = %q", got)
	}

	h.key(fyne.KeyA)
	if h.decisionSelect().Selected != "ACCEPT" || h.decisionStatus().Selected != "CLOSED" {
		t.Fatalf("A prefilled %q / %q", h.decisionSelect().Selected, h.decisionStatus().Selected)
	}
	if h.dialogShown() || sim.StateWrites(simulator.SuspectID) != 0 {
		t.Fatal("a prefill key must not send or ask")
	}
	if h.sideTabs().SelectedIndex() != decisionTab {
		t.Errorf("the Decision tab is not shown after A")
	}
	test.Type(h.decisionNotes(), "matches the selfie")
	h.shortcut(fyne.KeyReturn)
	h.confirmShown()
	if sim.StateWrites(simulator.SuspectID) != 0 {
		t.Fatal("sent before the confirmation")
	}
	h.key(fyne.KeyReturn)
	h.idle()

	if n := sim.StateWrites(simulator.SuspectID); n != 1 {
		t.Fatalf("%d state writes, want 1", n)
	}
	for row, want := range map[string]string{"Decision": "ACCEPT", "Status": "CLOSED", "Notes": "matches the selfie"} {
		if got := h.value(row); !strings.Contains(got, want) {
			t.Errorf("Details %s = %q, want %q", row, got, want)
		}
	}
	if got := h.value("Decided at"); got == "—" || got == "" {
		t.Errorf("Decided at not shown: %q", got)
	}
	if s := h.status(); !strings.Contains(s, "Recorded in Demo: ACCEPT / CLOSED") {
		t.Errorf("status line %q", s)
	}
	if h.decisionNotes().Text != "" || h.decisionSelect().Selected != "" {
		t.Errorf("the draft was not cleared after a recorded decision")
	}
	if h.sideTabs().SelectedIndex() != 0 {
		t.Errorf("Details is not shown after the decision was recorded")
	}
	if !strings.Contains(h.decisionCurrent().Text, "ACCEPT / CLOSED") {
		t.Errorf("panel current state %q", h.decisionCurrent().Text)
	}
}

func TestDecideLostUpdateAsksAgainWithTheNewState(t *testing.T) {
	rec := &simRecorder{}
	h := newDecideHarness(t, rec, Options{})
	h.open(simulator.SuspectID)
	sim := rec.last(t)

	h.key(fyne.KeyJ)
	test.Type(h.decisionNotes(), "second capture differs")
	h.shortcut(fyne.KeyReturn)
	h.confirmShown()
	// Another reviewer accepts the case meanwhile.
	setStateBehindTheWindow(t, sim, simulator.SuspectID, "ACCEPT", "CLOSED")
	h.key(fyne.KeyReturn)
	h.idle()

	if n := sim.StateWrites(simulator.SuspectID); n != 1 {
		t.Fatalf("%d state writes, want only the other reviewer's", n)
	}
	h.confirmShown()
	if !strings.Contains(h.decisionResultText(), "now ACCEPT / CLOSED") {
		t.Errorf("panel result %q does not say what RiskOS says now", h.decisionResultText())
	}
	if h.value("Decision") != "ACCEPT" || h.value("Status") != "CLOSED" {
		t.Errorf("Details show %q / %q, want the new state", h.value("Decision"), h.value("Status"))
	}
	if h.decisionNotes().Text != "second capture differs" {
		t.Errorf("the notes were lost: %q", h.decisionNotes().Text)
	}
	h.key(fyne.KeyReturn) // send over it, knowingly
	h.idle()
	if n := sim.StateWrites(simulator.SuspectID); n != 2 {
		t.Fatalf("%d state writes, want 2", n)
	}
	if h.value("Decision") != "REJECT" {
		t.Errorf("Decision = %q after the second confirmation", h.value("Decision"))
	}
}

func TestDecideAnswerLostAfterApplyIsReadBackNotResent(t *testing.T) {
	rec := &simRecorder{}
	h := newDecideHarness(t, rec, Options{})
	h.open(simulator.SuspectID)
	sim := rec.last(t)
	sim.InjectWriteFaults(simulator.FaultDropAfterApply)
	h.sendWithKeys(fyne.KeyV, "")

	if n := sim.StateWrites(simulator.SuspectID); n != 1 {
		t.Fatalf("%d state writes, want exactly 1", n)
	}
	if !strings.Contains(h.decisionResultText(), "Recorded") || !strings.Contains(h.decisionHintText(), "not sent twice") {
		t.Errorf("result %q / hint %q: want a read-back success", h.decisionResultText(), h.decisionHintText())
	}
	if h.dialogShown() {
		t.Errorf("a dialog is open after a read-back success")
	}
}

func TestDecideOutcomeUnknownKeepsTheDraftAndNeverResends(t *testing.T) {
	rec := &simRecorder{}
	h := newDecideHarness(t, rec, Options{})
	h.open(simulator.SuspectID)
	sim := rec.last(t)
	sim.InjectWriteFaults(simulator.FaultDropBeforeApply)
	h.sendWithKeys(fyne.KeyA, "keep me")

	if n := sim.StateWrites(simulator.SuspectID); n != 1 {
		t.Fatalf("%d state writes, want exactly 1", n)
	}
	if !strings.Contains(h.decisionResultText(), "Could not tell") || !strings.Contains(h.decisionHintText(), "before acting again") {
		t.Errorf("result %q / hint %q", h.decisionResultText(), h.decisionHintText())
	}
	if h.decisionNotes().Text != "keep me" {
		t.Errorf("notes %q, want them kept", h.decisionNotes().Text)
	}
	if h.value("Decision") != "REVIEW" {
		t.Errorf("Details changed to %q without a confirmed change", h.value("Decision"))
	}
}

func TestDecideIPRejectedSaysAllowList(t *testing.T) {
	rec := &simRecorder{}
	h := newDecideHarness(t, rec, Options{})
	h.open(simulator.IPRejectID)
	h.sendWithKeys(fyne.KeyJ, "rejected from here")

	if !strings.Contains(h.decisionResultText(), "403") || !strings.Contains(h.decisionHintText(), "IP allow-list") {
		t.Errorf("result %q / hint %q: want the 403 and the allow-list", h.decisionResultText(), h.decisionHintText())
	}
	if !h.dialogShown() {
		t.Errorf("no error dialog")
	}
	if h.decisionNotes().Text != "rejected from here" {
		t.Errorf("notes %q, want them kept", h.decisionNotes().Text)
	}
}

// stripCustomerID removes the evaluation's "id".
func stripCustomerID(req *http.Request, resp *http.Response) {
	if req.Method != http.MethodGet || strings.HasSuffix(req.URL.Path, "/documents") || !strings.HasPrefix(req.URL.Path, "/api/evaluation/") {
		return
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var m map[string]any
	if json.Unmarshal(b, &m) == nil {
		delete(m, "id")
		b, _ = json.Marshal(m)
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Del("Content-Length")
}

func TestFeedbackDisabledWithoutCustomerID(t *testing.T) {
	rec := &simRecorder{rewrite: stripCustomerID}
	h := newDecideHarness(t, rec, Options{})
	h.open(simulator.HappyID)
	if !h.decisionButton("Fraud feedback…").Disabled() {
		t.Fatal("feedback is enabled for an evaluation without a customer id")
	}
	if !strings.Contains(h.feedbackWhy().Text, "customer id") || !h.feedbackWhy().Visible() {
		t.Errorf("reason %q (visible %v)", h.feedbackWhy().Text, h.feedbackWhy().Visible())
	}
	h.menu("File", "Fraud feedback")
	if h.dialogShown() {
		t.Errorf("the feedback form opened anyway")
	}
	if n := rec.last(t).FeedbackWrites(); n != 0 {
		t.Errorf("%d feedback writes", n)
	}
}

func TestFeedbackSentUnderTheCustomerID(t *testing.T) {
	rec := &simRecorder{}
	keyring.MockInit()
	h := newDecideHarness(t, rec, Options{Keychain: keychain.New(time.Second, nil)})
	h.setReviewer("reviewer-42")
	h.open(simulator.HappyID)
	sim := rec.last(t)
	if h.decisionButton("Fraud feedback…").Disabled() {
		t.Fatalf("feedback disabled: %q", h.feedbackWhy().Text)
	}
	h.key(fyne.KeyF)
	f := h.feedbackForm()
	f.label.SetSelected("fraud")
	f.fraudType.SetSelected("synthetic identity")
	test.Type(f.notes, "face reused")
	test.Type(f.tags, "ring-7, escalated")
	h.tapDialog("Send feedback")
	h.idle()

	recs := sim.FeedbackRecords()
	if len(recs) != 1 {
		t.Fatalf("%d feedback records, want 1 (status %q)", len(recs), h.status())
	}
	got := recs[0]
	if got.ID != "SPECIMEN-APP-0001" || got.FraudLabel != "fraud" || got.FraudType != "synthetic" ||
		got.RecordedBy != "reviewer-42" || got.Notes != "face reused" || !slices.Equal(got.Tags, []string{"ring-7", "escalated"}) {
		t.Errorf("feedback sent %+v", got)
	}
	if got.RecordedAt != time.Now().Format(time.DateOnly) {
		t.Errorf("recorded_at %q", got.RecordedAt)
	}
	if s := h.status(); !strings.Contains(s, "Feedback recorded in Demo for customer id SPECIMEN-APP-0001") {
		t.Errorf("status %q", s)
	}
}

func TestFeedbackWithoutLabelAsksAgain(t *testing.T) {
	rec := &simRecorder{}
	h := newDecideHarness(t, rec, Options{})
	h.open(simulator.HappyID)
	h.menu("File", "Fraud feedback")
	test.Type(h.feedbackForm().notes, "draft")
	h.tapDialog("Send feedback")
	if !h.dialogTitled("Fraud feedback") || !h.feedbackForm().problem.Visible() || h.feedbackForm().notes.Text != "draft" {
		t.Fatalf("the form did not open again with its text and the problem")
	}
	if n := rec.last(t).FeedbackWrites(); n != 0 {
		t.Errorf("%d feedback writes", n)
	}
}

func TestReasonCodeDescriptionsArriveInDetails(t *testing.T) {
	rec := &simRecorder{}
	h := newDecideHarness(t, rec, Options{})
	h.open(simulator.SuspectID)
	h.loop.until(t, "the reason-code descriptions", 30*time.Second, func() bool { return strings.Contains(h.value("Reason codes"), " — ") })
	got := h.value("Reason codes")
	if !strings.Contains(got, "R810 — The document image shows signs of digital editing") {
		t.Errorf("Reason codes = %q", got)
	}
	if a := h.value("Attempt"); !strings.Contains(a, "attempt 2 of 2") {
		t.Errorf("Attempt = %q", a)
	}
}

func TestPausedCaseSaysCaptureNotFinished(t *testing.T) {
	rec := &simRecorder{}
	h := newDecideHarness(t, rec, Options{})
	h.open(simulator.PausedID)
	if s := h.status(); !strings.Contains(s, "capture is not finished") {
		t.Errorf("status %q", s)
	}
	if es := h.value("Eval status"); !strings.Contains(es, "not final") || !strings.Contains(es, "paused") {
		t.Errorf("Eval status = %q", es)
	}
	if d := h.value("Decision"); d != "REVIEW (not final)" {
		t.Errorf("Decision = %q", d)
	}
	if !h.decisionNotFinal().Visible() || h.decisionButton("Send…").Disabled() {
		t.Errorf("the Decision panel does not mark the paused case, or cannot decide it")
	}
	// A paused case without documents can still be decided, through the same client.
	sim := rec.last(t)
	h.sendWithKeys(fyne.KeyJ, "")
	if n := sim.StateWrites(simulator.PausedID); n != 1 || !strings.HasPrefix(h.value("Decision"), "REJECT") {
		t.Errorf("%d writes, Decision %q", n, h.value("Decision"))
	}
}

func TestUnsentDraftDroppedOnClose(t *testing.T) {
	pdf := []byte("%PDF-1.4\n% a small attachment\n%%EOF\n")
	var given []byte
	h := newDecideHarness(t, &simRecorder{}, Options{
		OpenAttachment: func(_ fyne.Window, done func(string, io.ReadCloser, error)) {
			given = slices.Clone(pdf)
			done("/home/me/letter.pdf", io.NopCloser(bytes.NewReader(given)), nil)
		},
	})
	h.open(simulator.HappyID)
	h.key(fyne.KeyV)
	test.Type(h.decisionNotes(), "unsent words")
	test.Tap(h.decisionButton("Attach file…"))
	h.idle()
	if len(h.r.sess.Draft().Attachments()) != 1 || h.r.sess.Draft().Attachments()[0].FileName != "letter.pdf" {
		t.Fatalf("attachments %v", h.r.sess.Draft().Attachments())
	}
	data := h.r.sess.Draft().Attachments()[0].Data
	if !bytes.Equal(data, pdf) {
		t.Fatal("the attachment was not read whole")
	}
	h.shortcut(fyne.KeyW)
	if h.decisionNotes().Text != "" || len(h.r.sess.Draft().Attachments()) != 0 || h.decisionSelect().Selected != "" {
		t.Errorf("the draft survived the close")
	}
	if !bytes.Equal(data, make([]byte, len(data))) {
		t.Errorf("the attachment's bytes were not zeroed")
	}
	if !h.decisionButton("Send…").Disabled() {
		t.Errorf("Send enabled without a case")
	}
}

func TestAttachmentRefusedWhenNotPDFOrImage(t *testing.T) {
	h := newDecideHarness(t, &simRecorder{}, Options{
		OpenAttachment: func(_ fyne.Window, done func(string, io.ReadCloser, error)) {
			done("notes.txt", io.NopCloser(strings.NewReader("plain text")), nil)
		},
	})
	h.open(simulator.HappyID)
	test.Tap(h.decisionButton("Attach file…"))
	h.idle()
	if len(h.r.sess.Draft().Attachments()) != 0 || !strings.Contains(h.decisionResultText(), "not a PDF, JPEG or PNG") {
		t.Errorf("atts %d, result %q", len(h.r.sess.Draft().Attachments()), h.decisionResultText())
	}
}

func TestDecideNeedsADecisionAndStatus(t *testing.T) {
	rec := &simRecorder{}
	h := newDecideHarness(t, rec, Options{})
	h.open(simulator.HappyID)
	h.shortcut(fyne.KeyReturn)
	if h.dialogShown() {
		t.Fatal("a confirmation for an empty draft")
	}
	if !strings.Contains(h.decisionResultText(), "Choose a decision") {
		t.Errorf("result %q", h.decisionResultText())
	}
}

func TestDecideConfirmationMarksProduction(t *testing.T) {
	// The dialogs name the client's environment; Production in red.
	if _, l := envMarker(eval.Production); !strings.Contains(l.Text, "PRODUCTION") || l.Importance != widget.DangerImportance {
		t.Errorf("Production is shown as %q (importance %v)", l.Text, l.Importance)
	}
	if _, l := envMarker(eval.Demo); l.Text != "Demo" || l.Importance == widget.DangerImportance {
		t.Errorf("Demo is shown as %q (importance %v)", l.Text, l.Importance)
	}
}

func TestDecideAndNextInAQueue(t *testing.T) {
	h, qs := queueHarness(t, "")
	h.pasteQueue(simulator.SuspectID + "\n" + simulator.HappyID + "\n")
	h.idle()
	if !h.decisionButton("Decide and next…").Visible() {
		t.Fatal("no Decide and next in a queue")
	}
	h.key(fyne.KeyJ)
	test.Tap(h.decisionButton("Decide and next…"))
	h.confirmShown()
	h.key(fyne.KeyReturn)
	h.idle()

	if n := qs.sim.StateWrites(simulator.SuspectID); n != 1 {
		t.Fatalf("%d state writes, want 1", n)
	}
	if h.r.sess.Case() == nil || h.r.sess.Case().Case().EvalID != simulator.HappyID {
		t.Fatal("Decide and next did not move to the next case")
	}
	if got := h.queueRowDecided(0); got != "REJECT / CLOSED" {
		t.Errorf("queue row 1 shows %q", got)
	}
	// Back on the decided case, Details show the recorded state.
	h.key(fyne.KeyP)
	h.idle()
	if h.value("Decision") != "REJECT" || h.value("Status") != "CLOSED" {
		t.Errorf("back on the decided case: %q / %q", h.value("Decision"), h.value("Status"))
	}
}
