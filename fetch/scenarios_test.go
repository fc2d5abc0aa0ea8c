package fetch

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"docvreview/fetch/simulator"
)

// TestSimulatorScenarioArchives classifies every ZIP the simulator serves.
func TestSimulatorScenarioArchives(t *testing.T) {
	type want struct {
		front, back, selfie, image, attachment, other int
		primaryFront                                  int // capture of Primary(front)
		warning                                       string
	}
	tests := map[string]want{
		simulator.HappyID:     {front: 1, back: 1, selfie: 1, attachment: 2, primaryFront: 1},
		simulator.PassportID:  {front: 1, selfie: 1, attachment: 1, primaryFront: 1},
		simulator.HostileID:   {front: 1, back: 1, attachment: 1, primaryFront: 1, warning: "skipped unsafe entry \"../../etc/evil.txt\""},
		simulator.RecaptureID: {front: 2, back: 1, selfie: 2, image: 1, other: 1, primaryFront: 2},
	}
	for id, w := range tests {
		t.Run(id[:8], func(t *testing.T) {
			c, err := NewCase(id, Demo, simulator.CaseZIP(id), nil, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			counts := map[Role]int{}
			for _, e := range c.Entries {
				counts[e.Role]++
			}
			got := want{counts[RoleFront], counts[RoleBack], counts[RoleSelfie], counts[RoleImage], counts[RoleAttachment], counts[RoleOther], 0, ""}
			if p := c.Primary(RoleFront); p != nil {
				got.primaryFront = p.Capture
				if p.Err != nil {
					t.Errorf("primary front has error %v", p.Err)
				}
			}
			got.warning = strings.Join(c.Warnings, "; ")
			if got.warning != w.warning && !(w.warning != "" && strings.Contains(got.warning, w.warning)) {
				t.Errorf("warnings = %q, want %q", got.warning, w.warning)
			}
			got.warning = w.warning
			if got != w {
				t.Errorf("got %+v, want %+v", got, w)
			}
			for _, e := range c.Entries {
				switch {
				case id == simulator.HostileID && e.Path == "case_attachments/identity.pdf":
					if !errors.Is(e.Err, ErrWrongMagic) || !strings.Contains(e.Err.Error(), "HTML page") {
						t.Errorf("fake PDF: %v", e.Err)
					}
				case e.Err != nil:
					t.Errorf("%s: %v", e.Path, e.Err)
				}
			}
			if id == simulator.RecaptureID {
				if img := c.Primary(RoleImage); img == nil || img.Format != FormatPNG {
					t.Errorf("the PNG is not an image: %+v", img)
				}
				if s := c.Primary(RoleSelfie); s == nil || s.Capture != 2 {
					t.Errorf("primary selfie: %+v", s)
				}
			}
		})
	}
}

// TestSimulatorNoDocumentsExplained explains each "No Documents Found"
// scenario from the evaluation JSON the simulator serves.
func TestSimulatorNoDocumentsExplained(t *testing.T) {
	now := time.Now()
	srv := simulator.New(simulator.Config{Now: func() time.Time { return now }})
	for id, reason := range map[string]NoDocsReason{
		simulator.MilitaryID:  ReasonMilitary,
		simulator.MinorID:     ReasonMinor,
		simulator.RetentionID: ReasonRetention,
		simulator.PausedID:    ReasonNotCaptured,
	} {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/evaluation/"+id, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", id, rec.Code)
		}
		ev, err := ParseEvaluation(rec.Body.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if ev.EvalID != id || (ev.DocV == nil) != (id == simulator.PausedID) {
			t.Fatalf("%s: eval_id %q, docv %v", id, ev.EvalID, ev.DocV != nil)
		}
		for _, env := range []Environment{Production, Sandbox} {
			if x := ExplainNoDocuments(ev, env, now); x.Reason != reason {
				t.Errorf("%s in %s: reason %s, want %s", id, env, x.Reason, reason)
			}
		}
	}
}
