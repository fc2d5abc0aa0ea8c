package simulator

import (
	"bytes"
	"strings"
	"time"
)

// documentsOutcome is what the documents endpoint does for a scenario.
type documentsOutcome int

const (
	docsZIP      documentsOutcome = iota // 200 with the case ZIP
	docsNone                             // 400 {"message":"No Documents Found"}
	docsNotFound                         // 404, on both endpoints
)

// holder is the person an evaluation is about (all fictitious).
type holder struct {
	first, sur, full, address, docNo string
	// dob returns the date of birth given the evaluation start time.
	dob            func(evalStart time.Time) string
	issue, expires string
}

// fixedDate returns a dob function that ignores the evaluation time.
func fixedDate(d string) func(time.Time) string { return func(time.Time) string { return d } }

// specimenHolder is the person the generated images show.
var specimenHolder = holder{
	first: specimenFirst, sur: specimenSurname, full: specimenFull, address: specimenAddress,
	docNo: specimenDocNo, dob: fixedDate(specimenDOB), issue: specimenIssue, expires: specimenExpiry,
}

// evalSpec is the content of a scenario's evaluation JSON.
type evalSpec struct {
	clientID, workflow             string
	decision, status, subStatus    string
	score                          int
	tags, queues, reasonCodes      []string
	age                            time.Duration // how long before Now the evaluation ended
	docType, country, state        string
	docvDecisionName, docvDecision string
	referenceID                    string
	person                         holder
	// paused: eval_status evaluation_paused at a document-capture step, no
	// end time and no DocV result yet.
	paused bool
	// earlier are DocV attempts before the current one, oldest first; they
	// come before it in data_enrichments.
	earlier []docvAttempt
}

// docvAttempt is an earlier DocV result of the same evaluation.
type docvAttempt struct {
	reasonCodes  []string
	docvDecision string
	referenceID  string
	person       holder
}

// scenario is one fixed eval_id and how the simulator answers for it.
type scenario struct {
	id    string
	docs  documentsOutcome
	flaky bool // documents: 503, 429 Retry-After: 1, 200, and again
	slow  bool // documents: the ZIP trickles over Config.SlowDuration
	// ipRejected: every write (PUT …/state, PUT /api/feedback) answers 403
	// "IP Address was rejected", as RiskOS does for an address outside the
	// account's allow-list.
	ipRejected bool
	zip        func() []byte
	eval       evalSpec
}

// scenarioList returns every scenario in IDs order.
func scenarioList() []scenario {
	license := func(clientID, decision, status, sub string, score int, age time.Duration, codes []string, docv string) evalSpec {
		return evalSpec{
			clientID: clientID, workflow: "consumer_onboarding", decision: decision, status: status, subStatus: sub,
			score: score, tags: []string{"DocV", "Specimen"}, queues: []string{}, reasonCodes: codes, age: age,
			docType: "Drivers License", country: "US", state: "NY",
			docvDecisionName: "standard", docvDecision: docv, person: specimenHolder,
		}
	}
	happy := license("SPECIMEN-APP-0001", "ACCEPT", "CLOSED", "Auto Accepted", 8, 2*time.Hour, []string{"I831", "I836", "I845"}, "accept")
	happy.referenceID = "a1b2c3d4-0001-4000-8000-000000000001"

	passport := happy
	passport.clientID, passport.age = "SPECIMEN-APP-0002", 5*time.Hour
	passport.docType, passport.state = "Passport", ""
	passport.person.docNo, passport.person.expires = specimenPassNo, specimenPassExpy
	passport.referenceID = "a1b2c3d4-0002-4000-8000-000000000002"

	military := license("SPECIMEN-APP-0003", "REVIEW", "OPEN", "Awaiting Review", 41, 72*time.Hour, []string{"I831", "R827"}, "review")
	military.docType, military.state = "Military", ""
	military.queues = []string{"Manual DocV Review"}
	military.person = holder{first: "JOHN", sur: "SAMPLE", full: "JOHN R SAMPLE", address: "1 SPECIMEN BASE RD, FORT EXAMPLE, VA 22000",
		docNo: "MIL-0000-0003", dob: fixedDate("1990-07-04"), issue: "2021-09-01", expires: "2029-09-01"}
	military.referenceID = "a1b2c3d4-0003-4000-8000-000000000003"

	minor := license("SPECIMEN-APP-0004", "REJECT", "CLOSED", "Underage", 93, 24*time.Hour, []string{"I831", "R919"}, "reject")
	minor.person = holder{first: "ALEX", sur: "EXAMPLE", full: "ALEX T EXAMPLE", address: "42 SAMPLE AVE, ANYTOWN, NY 12345",
		docNo: "SPEC-0004-0016", issue: "2024-05-20", expires: "2029-05-20",
		// Sixteen years and about three months old when evaluated.
		dob: func(start time.Time) string { return start.AddDate(-16, -3, 0).Format(time.DateOnly) }}
	minor.referenceID = "a1b2c3d4-0004-4000-8000-000000000004"

	retention := license("SPECIMEN-APP-0005", "ACCEPT", "CLOSED", "Auto Accepted", 12, 400*24*time.Hour, []string{"I831", "I836"}, "accept")
	retention.person = holder{first: "MARIA", sur: "SPECIMEN", full: "MARIA L SPECIMEN", address: "7 EXAMPLE CT, SAMPLETON, NY 12000",
		docNo: "SPEC-0005-7788", dob: fixedDate("1972-11-30"), issue: "2019-02-11", expires: "2027-11-30"}
	retention.referenceID = "a1b2c3d4-0005-4000-8000-000000000005"

	notFound := evalSpec{}

	flaky := happy
	flaky.clientID, flaky.age, flaky.referenceID = "SPECIMEN-APP-0007", 30*time.Minute, "a1b2c3d4-0007-4000-8000-000000000007"
	slow := happy
	slow.clientID, slow.age, slow.referenceID = "SPECIMEN-APP-0008", 45*time.Minute, "a1b2c3d4-0008-4000-8000-000000000008"

	hostile := license("SPECIMEN-APP-0009", "REVIEW", "ON_HOLD", "Pending Documents", 66, 6*time.Hour, []string{"I831", "R810", "R827"}, "review")
	hostile.queues = []string{"Manual DocV Review", "Fraud Escalations"}
	hostile.referenceID = "a1b2c3d4-0009-4000-8000-000000000009"

	recapture := license("SPECIMEN-APP-000A", "REVIEW", "OPEN", "Awaiting Review", 37, 20*time.Minute, []string{"I831", "I836", "R810"}, "review")
	recapture.queues = []string{"Manual DocV Review"}
	recapture.referenceID = "a1b2c3d4-000a-4000-8000-00000000000a"

	paused := license("SPECIMEN-APP-000B", "REVIEW", "OPEN", "Awaiting Document Capture", 51, 15*time.Minute, nil, "")
	paused.paused = true
	paused.queues = []string{"Manual DocV Review"}
	paused.referenceID = "a1b2c3d4-000b-4000-8000-00000000000b"

	// The images show the specimen holder; what DocV read differs in the
	// date of birth and the document number, and a first capture was
	// rejected before the current one.
	suspect := license("SPECIMEN-APP-000C", "REVIEW", "OPEN", "Fraud Review", 146, 3*time.Hour, []string{"I831", "R810", "R827", "R838"}, "review")
	suspect.queues = []string{"Fraud Escalations"}
	suspect.tags = []string{"DocV", "Specimen", "Escalated"}
	suspect.person.dob = fixedDate(suspiciousDOB) // as printed on the edited front, not the barcode
	suspect.person.docNo = suspiciousDocNo
	suspect.referenceID = "a1b2c3d4-000c-4000-8000-00000000000c"
	suspect.earlier = []docvAttempt{{
		reasonCodes: []string{"I831", "R822"}, docvDecision: "resubmit",
		referenceID: "a1b2c3d4-000c-4000-8000-0000000000c1", person: suspect.person,
	}}

	ipReject := license("SPECIMEN-APP-000D", "REVIEW", "OPEN", "Awaiting Review", 91, 90*time.Minute, []string{"I831", "I836", "R810"}, "review")
	ipReject.queues = []string{"Manual DocV Review"}
	ipReject.referenceID = "a1b2c3d4-000d-4000-8000-00000000000d"

	return []scenario{
		{id: HappyID, docs: docsZIP, zip: licenseZIP, eval: happy},
		{id: PassportID, docs: docsZIP, zip: passportZIP, eval: passport},
		{id: MilitaryID, docs: docsNone, eval: military},
		{id: MinorID, docs: docsNone, eval: minor},
		{id: RetentionID, docs: docsNone, eval: retention},
		{id: NotFoundID, docs: docsNotFound, eval: notFound},
		{id: FlakyID, docs: docsZIP, flaky: true, zip: licenseZIP, eval: flaky},
		{id: SlowID, docs: docsZIP, slow: true, zip: licenseZIP, eval: slow},
		{id: HostileID, docs: docsZIP, zip: hostileZIP, eval: hostile},
		{id: RecaptureID, docs: docsZIP, zip: recaptureZIP, eval: recapture},
		{id: PausedID, docs: docsNone, eval: paused},
		{id: SuspectID, docs: docsZIP, zip: suspiciousLicenseZIP, eval: suspect},
		{id: IPRejectID, docs: docsZIP, ipRejected: true, zip: licenseZIP, eval: ipReject},
	}
}

// lookupScenario finds the scenario for a (normalised, lower-case) eval_id.
func lookupScenario(id string) (scenario, bool) {
	for _, sc := range scenarioList() {
		if sc.id == id {
			return sc, true
		}
	}
	return scenario{}, false
}

// IDs lists every scenario id in the order above.
func IDs() []string {
	list := scenarioList()
	ids := make([]string, len(list))
	for i, sc := range list {
		ids[i] = sc.id
	}
	return ids
}

// CaseZIP returns the documents ZIP the simulator serves for id (nil for
// scenarios without one). Generated once per process and cached; each call
// returns a fresh copy, so the caller may zero or modify it.
func CaseZIP(id string) []byte {
	sc, ok := lookupScenario(strings.ToLower(strings.TrimSpace(id)))
	if !ok || sc.zip == nil {
		return nil
	}
	return bytes.Clone(sc.zip())
}
