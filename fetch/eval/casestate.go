package eval

import "strings"

// EnumKey folds an enum value for comparison: upper case, spaces and
// hyphens as underscores ("on hold" → "ON_HOLD").
func EnumKey(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(s)))
}

// SameEnum compares two decisions or statuses as RiskOS means them.
func SameEnum(a, b string) bool { return EnumKey(a) == EnumKey(b) }

// CaseState is the part of an evaluation a reviewer changes.
type CaseState struct {
	Decision  string `json:"decision"`
	Status    string `json:"status"`
	SubStatus string `json:"sub_status"`
}

// State returns the evaluation's decision, status and sub-status (zero for nil).
func (ev *Evaluation) State() CaseState {
	if ev == nil {
		return CaseState{}
	}
	return CaseState{Decision: ev.Decision, Status: ev.Status, SubStatus: ev.SubStatus}
}

// Precondition is what the evaluation must still say right before a state
// change is sent; an empty field is not checked. Use the state the caller
// loaded (Evaluation.State) so a change made meanwhile by someone else is
// not overwritten.
type Precondition struct {
	Decision, Status string
}

// Precondition is the precondition that keeps a change from overwriting
// one made since ev was loaded: ev's decision and status.
func (ev *Evaluation) Precondition() Precondition {
	if ev == nil {
		return Precondition{}
	}
	return Precondition{Decision: ev.Decision, Status: ev.Status}
}

// Holds reports whether s satisfies p (decisions and statuses compare in
// any case, "ON HOLD" as ON_HOLD).
func (p Precondition) Holds(s CaseState) bool {
	return (p.Decision == "" || SameEnum(p.Decision, s.Decision)) && (p.Status == "" || SameEnum(p.Status, s.Status))
}
