// Package simulator is an http.Handler that behaves like the RiskOS
// endpoints the app uses (evaluation, documents, state and feedback writes,
// reason codes) for a fixed set of scenarios.
// The images are synthetic and deterministic; no real person is depicted.
//
// The package depends only on the standard library and golang.org/x/image,
// and must not import package fetch (fetch uses it for the Demo environment).
package simulator

import (
	"sync"
	"time"
)

// Scenario eval_ids.
const (
	HappyID     = "11111111-1111-4111-8111-111111111111" // driver's license: front, back, selfie (EXIF 6), 2 PDFs
	PassportID  = "22222222-2222-4222-8222-222222222222" // front and selfie, no back, 1 PDF
	MilitaryID  = "33333333-3333-4333-8333-333333333333" // 400 No Documents Found; documentType Military
	MinorID     = "44444444-4444-4444-8444-444444444444" // 400; dob makes a minor
	RetentionID = "55555555-5555-4555-8555-555555555555" // 400; adult, retention
	NotFoundID  = "66666666-6666-4666-8666-666666666666" // 404
	FlakyID     = "77777777-7777-4777-8777-777777777777" // 503, then 429 Retry-After: 1, then 200
	SlowID      = "88888888-8888-4888-8888-888888888888" // ZIP trickles over ~6 s
	HostileID   = "99999999-9999-4999-8999-999999999999" // traversal entry, corrupt JPEG, fake PDF, one good front
	RecaptureID = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa" // Front_1, Front_2, Back_1, Selfie_1, Selfie_2, a PNG, an unknown file
	PausedID    = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb" // paused at document capture, REVIEW; documents 400 No Documents Found
	SuspectID   = "cccccccc-cccc-4ccc-8ccc-cccccccccccc" // licence whose documentData differs from the images; two DocV attempts
	IPRejectID  = "dddddddd-dddd-4ddd-8ddd-dddddddddddd" // normal REVIEW case; writes answer 403 "IP Address was rejected"
)

// DefaultSlowDuration is how long SlowID's ZIP trickles when
// Config.SlowDuration is zero.
const DefaultSlowDuration = 6 * time.Second

// Config configures a Server. The zero Config checks no Authorization at
// all (the in-process Demo environment).
type Config struct {
	// APIKey, when set, is the only Bearer key accepted; others get 401.
	APIKey string
	// OtherEnvKey, when set, gets 403 as a key of the other environment would.
	OtherEnvKey string
	// RequireAuth with an empty APIKey accepts any non-empty Bearer key; a missing one gets 401.
	RequireAuth bool
	// SlowDuration is how long SlowID's ZIP trickles; default 6 s.
	SlowDuration time.Duration
	// Now is the clock for evaluation times; default time.Now.
	Now func() time.Time
}

// Server serves GET /api/evaluation/{id}/documents, GET /api/evaluation/{id},
// PUT /api/evaluation/{id}/state, PUT /api/feedback and GET /api/reason-codes.
// Writes change its in-memory state only. It is safe for concurrent use.
type Server struct {
	cfg Config

	mu       sync.Mutex
	requests map[string]int       // documents requests per eval_id
	flaky    map[string]int       // position in the flaky cycle per eval_id
	states   map[string]caseState // state written with PUT …/state, per eval_id
	writes   map[string]int       // PUT requests per eval_id ("feedback" for PUT /api/feedback)
	feedback []FeedbackRecord     // PUT /api/feedback bodies applied, in order
	faults   []writeFault         // injected misbehaviour of the next writes, in order
}

// New returns a Server.
func New(cfg Config) *Server {
	if cfg.SlowDuration <= 0 {
		cfg.SlowDuration = DefaultSlowDuration
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Server{cfg: cfg, requests: make(map[string]int), flaky: make(map[string]int),
		states: make(map[string]caseState), writes: make(map[string]int)}
}

// Requests returns how many documents requests the server has answered for
// id (every answer counts, errors included; ids compare case-insensitively).
func (s *Server) Requests(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[normalizeID(id)]
}
