package simulator

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// maxWriteBody bounds the JSON body of a write the simulator reads (state
// changes carry base64 attachments).
const maxWriteBody = 96 << 20

// Messages of the write endpoints.
const (
	msgBadJSON         = "Request body must be a JSON object"
	msgTooLarge        = "Request body too large"
	msgWorkflow        = "workflow is required"
	msgWorkflowWrong   = "workflow does not match the evaluation"
	msgDecision        = "decision must be one of ACCEPT, REJECT, REVIEW, RESUBMIT, CANCEL"
	msgStatus          = "status must be one of OPEN, CLOSED, ON_HOLD"
	msgAttachment      = "each attachment needs a file_name and base64 file_data"
	msgFeedbackID      = "id is required"
	msgFraudLabel      = "fraud_label must be fraud or non-fraud"
	msgRecordedAt      = "recorded_at must be a date, YYYY-MM-DD"
	msgFeedbackStored  = "Feedback recorded successfully"
	msgFeedbackUnknown = "No evaluation found for this id"
)

// WriteFault is a misbehaviour the simulator can be told to show on a
// write (PUT …/state or PUT /api/feedback), for tests of a client that must
// never re-send a write blindly.
type WriteFault int

// The faults. A dropped connection answers nothing: over a socket the
// client sees the connection close, through Transport an error.
const (
	FaultNone            WriteFault = iota
	FaultDropBeforeApply            // read the request, then drop the connection without applying it
	FaultDropAfterApply             // apply the write, then drop the connection without an answer
	FaultStallAfterApply            // apply the write, then answer nothing until the client gives up
)

// writeFault is one queued misbehaviour: a fault, or an error status
// answered instead of applying the write.
type writeFault struct {
	fault  WriteFault
	status int
}

// InjectWriteFaults queues faults for the next write requests that pass the
// key check and validation, one each, in order (FaultNone lets one through
// untouched).
func (s *Server) InjectWriteFaults(faults ...WriteFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range faults {
		s.faults = append(s.faults, writeFault{fault: f})
	}
}

// InjectWriteStatuses queues error answers for the next write requests that
// pass the key check and validation, one each, in order: each is answered
// with that status and {"message": its status text}, and not applied (0
// lets one through). A 429 carries no Retry-After, as RiskOS promises none.
func (s *Server) InjectWriteStatuses(statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range statuses {
		s.faults = append(s.faults, writeFault{status: st})
	}
}

// nextFault takes the misbehaviour of this write, if any.
func (s *Server) nextFault() writeFault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 {
		return writeFault{}
	}
	f := s.faults[0]
	s.faults = s.faults[1:]
	return f
}

// beforeApply shows a queued misbehaviour that strikes before a write is
// applied; it reports whether the request was answered.
func beforeApply(w http.ResponseWriter, f writeFault) bool {
	switch {
	case f.status != 0:
		writeMessage(w, f.status, http.StatusText(f.status))
		return true
	case f.fault == FaultDropBeforeApply:
		panic(http.ErrAbortHandler)
	}
	return false
}

// StateWrites returns how many PUT /api/evaluation/{id}/state requests the
// server received for id (every one counts, refused ones included).
func (s *Server) StateWrites(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes[normalizeID(id)]
}

// feedbackKey counts PUT /api/feedback requests in Server.writes (not a UUID,
// so no eval_id collides with it).
const feedbackKey = "feedback"

// FeedbackWrites returns how many PUT /api/feedback requests the server
// received (every one counts, refused ones included).
func (s *Server) FeedbackWrites() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes[feedbackKey]
}

// FeedbackRecord is one PUT /api/feedback the simulator accepted, as sent.
type FeedbackRecord struct {
	ID         string   `json:"id"`
	Workflow   string   `json:"workflow"`
	FraudLabel string   `json:"fraud_label"`
	FraudType  string   `json:"fraud_type,omitempty"`
	Notes      string   `json:"notes,omitempty"`
	RecordedAt string   `json:"recorded_at,omitempty"`
	RecordedBy string   `json:"recorded_by,omitempty"`
	Tags       []string `json:"tags,omitempty"`
}

// FeedbackRecords returns a copy of the feedback accepted so far, oldest first.
func (s *Server) FeedbackRecords() []FeedbackRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]FeedbackRecord, len(s.feedback))
	for i, f := range s.feedback {
		f.Tags = slices.Clone(f.Tags)
		out[i] = f
	}
	return out
}

// caseState is what a PUT …/state wrote over a scenario's evaluation.
type caseState struct {
	decision, status, subStatus, notes string
	decisionAt                         time.Time
}

// state returns the state written for id, or nil.
func (s *Server) state(id string) *caseState {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.states[id]
	if !ok {
		return nil
	}
	return &st
}

// stateBody is the JSON of PUT /api/evaluation/{id}/state.
type stateBody struct {
	Workflow    *string `json:"workflow"`
	Decision    *string `json:"decision"`
	Status      *string `json:"status"`
	SubStatus   *string `json:"sub_status"`
	Notes       *string `json:"notes"`
	Attachments []struct {
		FileName string `json:"file_name"`
		FileData string `json:"file_data"`
	} `json:"attachments"`
}

// serveState answers PUT /api/evaluation/{id}/state: it validates the body
// as RiskOS would, applies it to the case in memory and answers with the
// evaluation.
func (s *Server) serveState(w http.ResponseWriter, r *http.Request, sc scenario) {
	if sc.ipRejected {
		writeMessage(w, http.StatusForbidden, msgIPRejected)
		return
	}
	var b stateBody
	if status, msg := readJSON(r, &b); status != 0 {
		writeMessage(w, status, msg)
		return
	}
	switch {
	case b.Workflow == nil || strings.TrimSpace(*b.Workflow) == "":
		writeMessage(w, http.StatusBadRequest, msgWorkflow)
		return
	case *b.Workflow != sc.eval.workflow:
		writeMessage(w, http.StatusBadRequest, msgWorkflowWrong)
		return
	case b.Decision == nil || !slices.Contains([]string{"ACCEPT", "REJECT", "REVIEW", "RESUBMIT", "CANCEL"}, *b.Decision):
		writeMessage(w, http.StatusBadRequest, msgDecision)
		return
	case b.Status == nil || !slices.Contains([]string{"OPEN", "CLOSED", "ON_HOLD"}, *b.Status):
		writeMessage(w, http.StatusBadRequest, msgStatus)
		return
	}
	for _, a := range b.Attachments {
		if _, err := base64.StdEncoding.DecodeString(a.FileData); err != nil || a.FileName == "" || a.FileData == "" {
			writeMessage(w, http.StatusBadRequest, msgAttachment)
			return
		}
	}
	fault := s.nextFault()
	if beforeApply(w, fault) {
		return
	}
	s.mu.Lock()
	st, ok := s.states[sc.id]
	if !ok {
		st = caseState{subStatus: sc.eval.subStatus}
	}
	st.decision, st.status, st.decisionAt = *b.Decision, *b.Status, s.cfg.Now()
	if b.SubStatus != nil {
		st.subStatus = *b.SubStatus
	}
	if b.Notes != nil && *b.Notes != "" {
		st.notes = *b.Notes
	}
	s.states[sc.id] = st
	s.mu.Unlock()
	afterApply(r, fault.fault)
	s.serveEvaluation(w, sc)
}

// afterApply shows the faults that strike once a write is applied.
func afterApply(r *http.Request, f WriteFault) {
	switch f {
	case FaultDropAfterApply:
		panic(http.ErrAbortHandler)
	case FaultStallAfterApply:
		<-r.Context().Done()
		panic(http.ErrAbortHandler)
	}
}

// feedbackBody is the JSON of PUT /api/feedback.
type feedbackBody struct {
	ID         *string  `json:"id"`
	Workflow   *string  `json:"workflow"`
	FraudLabel *string  `json:"fraud_label"`
	FraudType  string   `json:"fraud_type"`
	Notes      string   `json:"notes"`
	RecordedAt string   `json:"recorded_at"`
	RecordedBy string   `json:"recorded_by"`
	Tags       []string `json:"tags"`
}

// serveFeedback answers PUT /api/feedback: the id must be a scenario's
// customer id (not its eval_id); the feedback is recorded in memory.
func (s *Server) serveFeedback(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.writes[feedbackKey]++
	s.mu.Unlock()
	if s.refuse(w, r) {
		return
	}
	var b feedbackBody
	if status, msg := readJSON(r, &b); status != 0 {
		writeMessage(w, status, msg)
		return
	}
	switch {
	case b.ID == nil || strings.TrimSpace(*b.ID) == "":
		writeMessage(w, http.StatusBadRequest, msgFeedbackID)
		return
	case b.Workflow == nil || strings.TrimSpace(*b.Workflow) == "":
		writeMessage(w, http.StatusBadRequest, msgWorkflow)
		return
	case b.FraudLabel == nil || (*b.FraudLabel != "fraud" && *b.FraudLabel != "non-fraud"):
		writeMessage(w, http.StatusBadRequest, msgFraudLabel)
		return
	}
	if b.RecordedAt != "" {
		if _, err := time.Parse(time.DateOnly, b.RecordedAt); err != nil {
			writeMessage(w, http.StatusBadRequest, msgRecordedAt)
			return
		}
	}
	sc, ok := scenarioByClientID(*b.ID)
	if !ok {
		writeMessage(w, http.StatusNotFound, msgFeedbackUnknown)
		return
	}
	if sc.ipRejected {
		writeMessage(w, http.StatusForbidden, msgIPRejected)
		return
	}
	if *b.Workflow != sc.eval.workflow {
		writeMessage(w, http.StatusBadRequest, msgWorkflowWrong)
		return
	}
	fault := s.nextFault()
	if beforeApply(w, fault) {
		return
	}
	s.mu.Lock()
	s.feedback = append(s.feedback, FeedbackRecord{
		ID: *b.ID, Workflow: *b.Workflow, FraudLabel: *b.FraudLabel, FraudType: b.FraudType, Notes: b.Notes,
		RecordedAt: b.RecordedAt, RecordedBy: b.RecordedBy, Tags: slices.Clone(b.Tags),
	})
	s.mu.Unlock()
	afterApply(r, fault.fault)
	writeMessage(w, http.StatusOK, msgFeedbackStored)
}

// scenarioByClientID finds the scenario whose evaluation has the customer id.
func scenarioByClientID(id string) (scenario, bool) {
	for _, sc := range scenarioList() {
		if sc.eval.clientID != "" && sc.eval.clientID == id && sc.docs != docsNotFound {
			return sc, true
		}
	}
	return scenario{}, false
}

// readJSON decodes r's body (at most maxWriteBody bytes, one JSON object)
// into v; on failure it returns the status and message to answer.
func readJSON(r *http.Request, v any) (int, string) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxWriteBody+1))
	if err != nil {
		return http.StatusBadRequest, msgBadJSON
	}
	defer clear(body) // notes and attachments are PII
	if len(body) > maxWriteBody {
		return http.StatusRequestEntityTooLarge, msgTooLarge
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(body, &probe); err != nil || probe == nil {
		return http.StatusBadRequest, msgBadJSON
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return http.StatusBadRequest, te.Field + " has the wrong type"
		}
		return http.StatusBadRequest, msgBadJSON
	}
	return 0, ""
}
