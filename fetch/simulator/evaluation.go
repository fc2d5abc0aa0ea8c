package simulator

import (
	"encoding/json"
	"fmt"
	"time"
)

// The evaluation JSON, shaped like RiskOS's GET /api/evaluation/{id}
// (design.md section 1). Struct order fixes the field order of the output.

type evaluationJSON struct {
	ID              string           `json:"id"`
	EvalID          string           `json:"eval_id"`
	Workflow        string           `json:"workflow"`
	WorkflowVersion string           `json:"workflow_version"`
	EvalSource      string           `json:"eval_source"`
	EvalStatus      string           `json:"eval_status"`
	Decision        string           `json:"decision"`
	Status          string           `json:"status"`
	SubStatus       string           `json:"sub_status"`
	Score           float64          `json:"score"`
	Tags            []string         `json:"tags"`
	ReviewQueues    []string         `json:"review_queues"`
	EvalStartTime   string           `json:"eval_start_time"`
	EvalEndTime     string           `json:"eval_end_time"`
	EnvironmentName string           `json:"environment_name"`
	DataEnrichments []enrichmentJSON `json:"data_enrichments"`
}

type enrichmentJSON struct {
	EnrichmentName     string         `json:"enrichment_name"`
	EnrichmentEndpoint string         `json:"enrichment_endpoint"`
	EnrichmentProvider string         `json:"enrichment_provider"`
	StatusCode         int            `json:"status_code"`
	IsSourceCache      bool           `json:"is_source_cache"`
	Response           enrichmentBody `json:"response"`
}

type enrichmentBody struct {
	ReferenceID          string           `json:"referenceId"`
	DocumentVerification documentVerif    `json:"documentVerification"`
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

// evaluationBody renders the evaluation JSON of sc with times relative to now.
func evaluationBody(sc scenario, now time.Time) ([]byte, error) {
	e := sc.eval
	end := now.UTC().Add(-e.age).Truncate(time.Second)
	start := end.Add(-3 * time.Second)
	doc := evaluationJSON{
		ID:              e.clientID,
		EvalID:          sc.id,
		Workflow:        e.workflow,
		WorkflowVersion: "4.2.0",
		EvalSource:      "API",
		EvalStatus:      "evaluation_completed",
		Decision:        e.decision,
		Status:          e.status,
		SubStatus:       e.subStatus,
		Score:           e.score,
		Tags:            e.tags,
		ReviewQueues:    e.queues,
		EvalStartTime:   start.Format(time.RFC3339),
		EvalEndTime:     end.Format(time.RFC3339),
		EnvironmentName: "Sandbox",
		DataEnrichments: []enrichmentJSON{{
			EnrichmentName:     "Socure Document Request - Default Flow",
			EnrichmentEndpoint: "https://sandbox.socure.com/api/3.0/EmailAuthScore",
			EnrichmentProvider: "Socure",
			StatusCode:         200,
			Response: enrichmentBody{
				ReferenceID: e.referenceID,
				DocumentVerification: documentVerif{
					ReasonCodes:  e.reasonCodes,
					DocumentType: documentTypeJSON{Type: e.docType, Country: e.country, State: e.state},
					Decision:     docvDecisionJSON{Name: e.docvDecisionName, Value: e.docvDecision},
					DocumentData: documentDataJSON{
						FirstName:      e.person.first,
						SurName:        e.person.sur,
						FullName:       e.person.full,
						Address:        e.person.address,
						DocumentNumber: e.person.docNo,
						DOB:            e.person.dob(start),
						ExpirationDate: e.person.expires,
						IssueDate:      e.person.issue,
					},
				},
				CustomerProfile: customerProfileJ{CustomerUserID: e.clientID},
			},
		}},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("marshal evaluation %s: %w", sc.id, err)
	}
	return b, nil
}
