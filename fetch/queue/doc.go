// Package queue is a supervisor's review queue: it parses a list of
// eval_ids (plain or CSV), walks it one case at a time with at most one
// load in flight and one case prefetched, records spot-check marks and
// notes, and writes the checklist CSV.
//
// Its place in the data flow eval_id → riskos → casefile → imaging → ui:
// it feeds eval_ids, one after another, to the load function ui gives it
// (riskos fetching a casefile.Case), and holds at most three loaded cases.
package queue
