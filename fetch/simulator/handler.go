package simulator

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Paths of the simulated endpoints.
const (
	routePrefix     = "/api/evaluation/" // + {id}, {id}/documents, {id}/state
	feedbackPath    = "/api/feedback"
	reasonCodesPath = "/api/reason-codes"
)

// Messages of the JSON error bodies.
const (
	msgNoDocuments  = "No Documents Found"
	msgUnauthorized = "Unauthorized"
	msgForbidden    = "Forbidden: this API key has no access to the requested resource"
	msgIPRejected   = "IP Address was rejected"
	msgNotFound     = "Evaluation not found"
	msgBadID        = "Invalid eval_id: must be a UUID"
	msgNoRoute      = "Not Found"
	msgMethod       = "Method Not Allowed"
	msgUnavailable  = "Service Unavailable"
	msgRateLimited  = "Too Many Requests"
)

// slowTick is how often the slow scenario writes a piece of the ZIP.
const slowTick = 50 * time.Millisecond

// endpoint is which of the evaluation's endpoints a path names.
type endpoint int

const (
	epEvaluation endpoint = iota // GET /api/evaluation/{id}
	epDocuments                  // GET /api/evaluation/{id}/documents
	epState                      // PUT /api/evaluation/{id}/state
)

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case feedbackPath:
		if !allowMethod(w, r, http.MethodPut) {
			return
		}
		s.serveFeedback(w, r)
		return
	case reasonCodesPath:
		if !allowMethod(w, r, http.MethodGet) {
			return
		}
		if s.refuse(w, r) {
			return
		}
		serveReasonCodes(w, r)
		return
	}
	rawID, ep, ok := route(r.URL.Path)
	if !ok {
		writeMessage(w, http.StatusNotFound, msgNoRoute)
		return
	}
	method := http.MethodGet
	if ep == epState {
		method = http.MethodPut
	}
	if !allowMethod(w, r, method) {
		return
	}
	id := normalizeID(rawID)
	s.mu.Lock()
	switch ep {
	case epDocuments:
		s.requests[id]++
	case epState:
		s.writes[id]++
	}
	s.mu.Unlock()
	if s.refuse(w, r) {
		return
	}
	if !isUUID(id) {
		writeMessage(w, http.StatusBadRequest, msgBadID)
		return
	}
	sc, ok := lookupScenario(id)
	if !ok || sc.docs == docsNotFound {
		writeMessage(w, http.StatusNotFound, msgNotFound)
		return
	}
	switch ep {
	case epDocuments:
		s.serveDocuments(w, r, sc)
	case epState:
		s.serveState(w, r, sc)
	default:
		s.serveEvaluation(w, sc)
	}
}

// allowMethod answers 405 (with Allow) and returns false unless r uses method.
func allowMethod(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method {
		return true
	}
	w.Header().Set("Allow", method)
	writeMessage(w, http.StatusMethodNotAllowed, msgMethod)
	return false
}

// refuse answers 401 or 403 and returns true when the key rules reject r.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request) bool {
	status, msg := s.authorize(r)
	if status == 0 {
		return false
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="RiskOS"`)
	}
	writeMessage(w, status, msg)
	return true
}

// route splits a path under routePrefix into the eval_id and the endpoint.
func route(path string) (id string, ep endpoint, ok bool) {
	rest, found := strings.CutPrefix(path, routePrefix)
	if !found || rest == "" {
		return "", 0, false
	}
	for _, sfx := range []struct {
		suffix string
		ep     endpoint
	}{{"/documents", epDocuments}, {"/state", epState}} {
		if id, found = strings.CutSuffix(rest, sfx.suffix); found {
			return id, sfx.ep, id != "" && !strings.Contains(id, "/")
		}
	}
	return rest, epEvaluation, !strings.Contains(rest, "/")
}

// normalizeID lower-cases and trims an eval_id for lookups.
func normalizeID(id string) string { return strings.ToLower(strings.TrimSpace(id)) }

// isUUID reports whether id has the 8-4-4-4-12 hexadecimal form.
func isUUID(id string) bool {
	if len(id) != 36 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// authorize applies the Config's key rules; it returns status 0 when the
// request may proceed.
func (s *Server) authorize(r *http.Request) (status int, msg string) {
	c := s.cfg
	if c.APIKey == "" && c.OtherEnvKey == "" && !c.RequireAuth {
		return 0, ""
	}
	key := bearer(r.Header.Get("Authorization"))
	switch {
	case c.OtherEnvKey != "" && equalKeys(key, c.OtherEnvKey):
		return http.StatusForbidden, msgForbidden
	case c.APIKey != "":
		if equalKeys(key, c.APIKey) {
			return 0, ""
		}
		return http.StatusUnauthorized, msgUnauthorized
	case c.RequireAuth && key == "":
		return http.StatusUnauthorized, msgUnauthorized
	}
	return 0, ""
}

// bearer extracts the key from an Authorization header value ("" when the
// scheme is not Bearer).
func bearer(h string) string {
	scheme, key, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(key)
}

// equalKeys compares keys in constant time.
func equalKeys(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// writeJSON sends body with the given status as JSON.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body) // a client that went away is not an error here
}

// writeMessage sends {"message": msg} with the given status.
func writeMessage(w http.ResponseWriter, status int, msg string) {
	b, err := json.Marshal(struct {
		Message string `json:"message"`
	}{msg})
	if err != nil {
		b = []byte(`{"message":"Internal Server Error"}`)
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, b)
}

// serveEvaluation answers GET /api/evaluation/{id}, with what writes changed.
func (s *Server) serveEvaluation(w http.ResponseWriter, sc scenario) {
	body, err := evaluationBody(sc, s.cfg.Now(), s.state(sc.id))
	if err != nil {
		writeMessage(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// flakyStep advances id's flaky cycle and returns the status to answer:
// 503, then 429, then 200, then 503 again.
func (s *Server) flakyStep(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	step := s.flaky[id]
	s.flaky[id] = (step + 1) % 3
	return [...]int{http.StatusServiceUnavailable, http.StatusTooManyRequests, http.StatusOK}[step]
}

// serveDocuments answers GET /api/evaluation/{id}/documents.
func (s *Server) serveDocuments(w http.ResponseWriter, r *http.Request, sc scenario) {
	if sc.docs == docsNone {
		writeMessage(w, http.StatusBadRequest, msgNoDocuments)
		return
	}
	if sc.flaky {
		switch s.flakyStep(sc.id) {
		case http.StatusServiceUnavailable:
			writeMessage(w, http.StatusServiceUnavailable, msgUnavailable)
			return
		case http.StatusTooManyRequests:
			w.Header().Set("Retry-After", "1")
			writeMessage(w, http.StatusTooManyRequests, msgRateLimited)
			return
		}
	}
	body := sc.zip()
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s_document.zip"`, sc.id))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	if sc.slow {
		trickle(w, r, body, s.cfg.SlowDuration)
		return
	}
	_, _ = w.Write(body)
}

// trickle writes body evenly over d in small flushed pieces, and stops as
// soon as the request's context is done or a write fails.
func trickle(w http.ResponseWriter, r *http.Request, body []byte, d time.Duration) {
	const piece = 16 << 10
	rc := http.NewResponseController(w)
	_ = rc.Flush() // headers out at once, so the client sees Content-Length
	start := time.Now()
	tick := time.NewTicker(slowTick)
	defer tick.Stop()
	sent := 0
	for sent < len(body) {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
		due := len(body)
		if el := time.Since(start); el < d {
			due = int(int64(len(body)) * int64(el) / int64(d))
		}
		for sent < due {
			n := min(piece, due-sent)
			if _, err := w.Write(body[sent : sent+n]); err != nil {
				return
			}
			sent += n
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
