package simulator

import (
	"encoding/json"
	"fmt"
	"time"
)

// The evaluation JSON, shaped like RiskOS's GET /api/evaluation/{id}
// as the published API describes it. Struct order fixes the field order of the output.

type evaluationJSON struct {
	ID              string           `json:"id"`
	EvalID          string           `json:"eval_id"`
	Workflow        string           `json:"workflow"`
	WorkflowID      string           `json:"workflow_id"`
	WorkflowVersion string           `json:"workflow_version"`
	EvalSource      string           `json:"eval_source"`
	EvalStatus      string           `json:"eval_status"`
	Decision        string           `json:"decision"`
	DecisionAt      string           `json:"decision_at,omitempty"`
	Status          string           `json:"status"`
	SubStatus       string           `json:"sub_status"`
	Notes           string           `json:"notes,omitempty"`
	Score           int              `json:"score"`
	Tags            []string         `json:"tags"`
	ReviewQueues    []string         `json:"review_queues"`
	EvalStartTime   string           `json:"eval_start_time"`
	EvalEndTime     string           `json:"eval_end_time,omitempty"`
	EnvironmentName string           `json:"environment_name"`
	DataEnrichments []enrichmentJSON `json:"data_enrichments"`
}

type enrichmentJSON struct {
	EnrichmentName     string         `json:"enrichment_name"`
	EnrichmentEndpoint string         `json:"enrichment_endpoint"`
	EnrichmentProvider string         `json:"enrichment_provider"`
	StatusCode         int            `json:"status_code"`
	TotalAttempts      int            `json:"total_attempts"`
	IsSourceCache      bool           `json:"is_source_cache"`
	Response           enrichmentBody `json:"response"`
}

type enrichmentBody struct {
	ReferenceID          string           `json:"referenceId"`
	Status               string           `json:"status,omitempty"`
	DocumentVerification *documentVerif   `json:"documentVerification,omitempty"`
	CustomerProfile      customerProfileJ `json:"customerProfile"`
}

type customerProfileJ struct {
	CustomerUserID string `json:"customerUserId"`
}

type documentVerif struct {
	ReasonCodes  []string         `json:"reasonCodes"`
	DocumentType documentTypeJSON `json:"documentType"`
	Decision     docvDecisionJSON `json:"decision"`
	DocumentData documentDataJSON `json:"documentData"`
}

type documentTypeJSON struct {
	Type    string `json:"type"`
	Country string `json:"country"`
	State   string `json:"state,omitempty"`
}

type docvDecisionJSON struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type documentDataJSON struct {
	FirstName      string `json:"firstName"`
	SurName        string `json:"surName"`
	FullName       string `json:"fullName"`
	Address        string `json:"address"`
	DocumentNumber string `json:"documentNumber"`
	DOB            string `json:"dob"`
	ExpirationDate string `json:"expirationDate"`
	IssueDate      string `json:"issueDate"`
}

// workflowID is the simulated workflow's id (one workflow for every scenario).
const workflowID = "5f0c2a8e-7d41-4c2b-9e3a-000000000001"

// docvEnrichment names and addresses the DocV enrichment of every scenario.
const (
	docvEnrichmentName     = "Socure Document Request - Default Flow"
	docvEnrichmentEndpoint = "https://sandbox.socure.com/api/3.0/EmailAuthScore"
)

// evaluationBody renders the evaluation JSON of sc with times relative to
// now, and the state a PUT …/state wrote over it (nil: none).
func evaluationBody(sc scenario, now time.Time, st *caseState) ([]byte, error) {
	e := sc.eval
	end := now.UTC().Add(-e.age).Truncate(time.Second)
	start := end.Add(-3 * time.Second)
	doc := evaluationJSON{
		ID:              e.clientID,
		EvalID:          sc.id,
		Workflow:        e.workflow,
		WorkflowID:      workflowID,
		WorkflowVersion: "4.2.0",
		EvalSource:      "API",
		EvalStatus:      "evaluation_completed",
		Decision:        e.decision,
		DecisionAt:      end.Format(time.RFC3339),
		Status:          e.status,
		SubStatus:       e.subStatus,
		Score:           e.score,
		Tags:            e.tags,
		ReviewQueues:    e.queues,
		EvalStartTime:   start.Format(time.RFC3339),
		EvalEndTime:     end.Format(time.RFC3339),
		EnvironmentName: "Sandbox",
	}
	if e.paused {
		// Waiting at the document-capture step: no end, no DocV result yet.
		doc.EvalStatus, doc.EvalEndTime = "evaluation_paused", ""
		doc.DataEnrichments = []enrichmentJSON{{
			EnrichmentName:     docvEnrichmentName,
			EnrichmentEndpoint: docvEnrichmentEndpoint,
			EnrichmentProvider: "Socure",
			StatusCode:         202,
			TotalAttempts:      1,
			Response: enrichmentBody{ReferenceID: e.referenceID, Status: "WAITING_FOR_USER_TO_UPLOAD_DOCUMENTS",
				CustomerProfile: customerProfileJ{CustomerUserID: e.clientID}},
		}}
	} else {
		for _, a := range e.earlier {
			doc.DataEnrichments = append(doc.DataEnrichments, docvEnrichment(e, a, start))
		}
		doc.DataEnrichments = append(doc.DataEnrichments, docvEnrichment(e, docvAttempt{
			reasonCodes: e.reasonCodes, docvDecision: e.docvDecision, referenceID: e.referenceID, person: e.person,
		}, start))
	}
	if st != nil {
		doc.Decision, doc.Status, doc.SubStatus, doc.Notes = st.decision, st.status, st.subStatus, st.notes
		doc.DecisionAt = st.decisionAt.UTC().Format(time.RFC3339Nano)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("marshal evaluation %s: %w", sc.id, err)
	}
	return b, nil
}

// docvEnrichment renders one DocV attempt of e as a data enrichment.
func docvEnrichment(e evalSpec, a docvAttempt, start time.Time) enrichmentJSON {
	p := a.person
	return enrichmentJSON{
		EnrichmentName:     docvEnrichmentName,
		EnrichmentEndpoint: docvEnrichmentEndpoint,
		EnrichmentProvider: "Socure",
		StatusCode:         200,
		TotalAttempts:      1,
		Response: enrichmentBody{
			ReferenceID: a.referenceID,
			DocumentVerification: &documentVerif{
				ReasonCodes:  a.reasonCodes,
				DocumentType: documentTypeJSON{Type: e.docType, Country: e.country, State: e.state},
				Decision:     docvDecisionJSON{Name: e.docvDecisionName, Value: a.docvDecision},
				DocumentData: documentDataJSON{
					FirstName:      p.first,
					SurName:        p.sur,
					FullName:       p.full,
					Address:        p.address,
					DocumentNumber: p.docNo,
					DOB:            p.dob(start),
					ExpirationDate: p.expires,
					IssueDate:      p.issue,
				},
			},
			CustomerProfile: customerProfileJ{CustomerUserID: e.clientID},
		},
	}
}
