package fetch

// OWNER: helper "fetch-data". Contract stub.

import "time"

// Evaluation is the summary of a RiskOS evaluation the app shows. It is PII:
// memory only. JSON tags are the app's own --json schema (snake_case).
type Evaluation struct {
	EvalID          string        `json:"eval_id,omitempty"`
	ID              string        `json:"id,omitempty"`
	Workflow        string        `json:"workflow,omitempty"`
	EvalStatus      string        `json:"eval_status,omitempty"`
	Decision        string        `json:"decision,omitempty"`
	Status          string        `json:"status,omitempty"`
	SubStatus       string        `json:"sub_status,omitempty"`
	Score           *float64      `json:"score,omitempty"`
	Tags            []string      `json:"tags,omitempty"`
	ReviewQueues    []string      `json:"review_queues,omitempty"`
	EvalStartTime   time.Time     `json:"eval_start_time,omitzero"`
	EvalEndTime     time.Time     `json:"eval_end_time,omitzero"`
	EnvironmentName string        `json:"environment_name,omitempty"`
	Enrichments     []Enrichment  `json:"data_enrichments,omitempty"`
	DocV            *DocumentVerification `json:"document_verification,omitempty"`
}

// Enrichment is one data enrichment of the evaluation (its response is not kept).
type Enrichment struct {
	Name       string `json:"enrichment_name,omitempty"`
	Provider   string `json:"enrichment_provider,omitempty"`
	StatusCode int    `json:"status_code,omitempty"`
}

// DocumentVerification is the DocV result found inside an enrichment response.
type DocumentVerification struct {
	ReasonCodes  []string     `json:"reason_codes,omitempty"`
	DocumentType DocumentType `json:"document_type"`
	Decision     DocVDecision `json:"decision"`
	Data         DocumentData `json:"document_data"`
}

// DocumentType says what kind of document was captured.
type DocumentType struct {
	Type    string `json:"type,omitempty"`
	Country string `json:"country,omitempty"`
	State   string `json:"state,omitempty"`
}

// DocVDecision is DocV's decision.
type DocVDecision struct {
	Name  string `json:"name,omitempty"`
	Value string `json:"value,omitempty"`
}

// DocumentData is what DocV read off the document. Dates are as sent (YYYY-MM-DD).
type DocumentData struct {
	FirstName      string `json:"first_name,omitempty"`
	SurName        string `json:"sur_name,omitempty"`
	FullName       string `json:"full_name,omitempty"`
	Address        string `json:"address,omitempty"`
	DocumentNumber string `json:"document_number,omitempty"`
	DOB            string `json:"dob,omitempty"`
	ExpirationDate string `json:"expiration_date,omitempty"`
	IssueDate      string `json:"issue_date,omitempty"`
}

// ParseEvaluation parses RiskOS evaluation JSON leniently: every field is
// optional, wrong types are ignored, and documentVerification is found inside
// any enrichment response up to a bounded depth.
func ParseEvaluation(b []byte) (*Evaluation, error) { panic("TODO fetch-data") }

// AgeAt returns the age in whole years at t from DOB, and whether DOB parsed.
func (d DocumentData) AgeAt(t time.Time) (int, bool) { panic("TODO fetch-data") }

// ExpiredAt reports whether the document had expired at t (false if unknown).
func (d DocumentData) ExpiredAt(t time.Time) bool { panic("TODO fetch-data") }

// Name is FullName, else FirstName + SurName.
func (d DocumentData) Name() string { panic("TODO fetch-data") }
