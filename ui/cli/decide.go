package cli

import (
	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

const decideSynopsis = `docvreview decide --eval-id ID --decision ACCEPT|REJECT|REVIEW|RESUBMIT|CANCEL --status OPEN|CLOSED|ON_HOLD
                   [--sub-status TEXT] [--notes-file FILE|-] [--attach FILE]... [--if-status S] [--if-decision D]
                   [--env E] [--api-version V] [--base-url URL] [--yes] [--json]

Sets the evaluation's decision and status in RiskOS (PUT /api/evaluation/{eval_id}/state).
It first reads the evaluation (for its workflow and current state), shows what will change and asks
on the terminal; without a terminal it needs --yes. --if-status/--if-decision send nothing and exit 8
unless the evaluation still says so; the state read is checked again right before sending. A lost
answer is never re-sent: the evaluation is read back (exit 0 if the change is there, 7 if it cannot
tell). Notes are sent, never printed. Exit codes: 0 ok, 1 failure or not confirmed, 2 usage,
4 unauthorized/forbidden, 5 not found, 7 network/server or outcome unknown, 8 the evaluation changed`

// DecideReport is what decide --json prints.
type DecideReport struct {
	EvalID      string          `json:"eval_id"`
	Environment string          `json:"environment"`
	Before      *eval.CaseState `json:"before"`
	After       *eval.CaseState `json:"after"`
	// Sent is the request body, with the notes as their length and the
	// attachments as name, size and hash; null when nothing was sent.
	Sent     *DecideSent  `json:"sent"`
	ReadBack bool         `json:"read_back,omitempty"` // the answer was lost; the change was confirmed by reading the evaluation back
	Error    *ErrorReport `json:"error,omitempty"`
}

// DecideSent describes the body of PUT …/state.
type DecideSent struct {
	Workflow    string           `json:"workflow"`
	Decision    string           `json:"decision"`
	Status      string           `json:"status"`
	SubStatus   string           `json:"sub_status,omitempty"`
	Notes       *NotesReport     `json:"notes,omitempty"`
	Attachments []SentAttachment `json:"attachments"`
}

// decideArgs are decide's parsed flags.
type decideArgs struct {
	id     string
	env    eval.Environment
	change riskos.StateChange
	pre    eval.Precondition // --if-decision / --if-status
	yes    bool
	asJSON bool
	conn   connFlags
}

// runDecide sets an evaluation's decision and status.
func runDecide(args []string, env *Env) int {
	a, code, ok := parseDecide(args, env)
	if !ok {
		return code
	}
	rep := DecideReport{EvalID: a.id, Environment: string(a.env)}
	sent := &DecideSent{Decision: a.change.Decision, Status: a.change.Status, SubStatus: a.change.SubStatus,
		Notes: notesReport(a.change.Notes), Attachments: sentAttachments(a.change.Attachments)}
	defer func() {
		for _, att := range a.change.Attachments {
			clear(att.Data)
		}
	}()
	finish := func(err error) int {
		if err != nil {
			rep.Error = errorReport(err)
		}
		if mayHaveSent(err, "state update") && rep.Before != nil {
			rep.Sent = sent
		}
		if a.asJSON {
			if werr := writeDecideJSON(env.Stdout, rep); werr != nil {
				fmt.Fprintf(env.Stderr, "docvreview: write output: %v\n", werr)
				return ExitFailure
			}
		} else if err == nil {
			writeDecideHuman(env.Stdout, rep)
		}
		return writeExit(env, a.asJSON, err)
	}

	client, err := a.conn.client(env, a.env)
	if err != nil {
		return finish(err)
	}
	ctx, cancel := commandContext(env.Interrupt, writeTimeout)
	defer cancel()

	ev, err := client.Evaluation(ctx, a.id)
	if err != nil {
		return finish(fmt.Errorf("read %s: %w", a.id, err))
	}
	before := ev.State()
	rep.Before = &before
	if !a.pre.Holds(before) {
		return finish(&riskos.ChangedError{EvalID: a.id, Before: eval.CaseState{Decision: a.pre.Decision, Status: a.pre.Status}, Now: before})
	}
	sent.Workflow = a.change.Workflow
	if sent.Workflow == "" {
		sent.Workflow = ev.Workflow
	}
	printDecidePlan(env.Stderr, a, ev, sent)
	if !a.yes {
		ok, err := confirm(env, "Send this change to "+a.env.Title()+"?")
		if err != nil {
			return finish(err)
		}
		if !ok {
			return finish(errNotConfirmed)
		}
	}
	// Right before sending, UpdateState reads the evaluation again and
	// sends nothing if it no longer shows what was just read.
	res, err := client.UpdateState(ctx, a.id, a.change, eval.Precondition{Decision: before.Decision, Status: before.Status})
	if err != nil {
		return finish(err)
	}
	rep.Before, rep.After, rep.ReadBack = &res.Before, &res.After, res.ReadBack
	return finish(nil)
}

// parseDecide parses and checks decide's flags and reads the notes and
// attachments; ok is false when the command is over (with code).
func parseDecide(args []string, env *Env) (a decideArgs, code int, ok bool) {
	fs := newFlagSet("decide", decideSynopsis, env.Stderr)
	a.conn = addConnFlags(fs, "eval_id of the evaluation to change")
	evalID, asJSON := a.conn.evalID, a.conn.asJSON
	decision := fs.String("decision", "", "new decision: ACCEPT, REJECT, REVIEW, RESUBMIT or CANCEL")
	status := fs.String("status", "", "new status: OPEN, CLOSED or ON_HOLD")
	subStatus := fs.String("sub-status", "", "new sub-status (optional text)")
	notesFile := fs.String("notes-file", "", "read the notes from FILE, or from standard input for -")
	var attach listFlag
	fs.Var(&attach, "attach", "attach a PDF, JPEG or PNG file (≤ 10 MiB; repeatable)")
	ifStatus := fs.String("if-status", "", "send only if the evaluation's status is still S (else exit 8)")
	ifDecision := fs.String("if-decision", "", "send only if the evaluation's decision is still D (else exit 8)")
	yes := fs.Bool("yes", false, "do not ask for confirmation (needed without a terminal)")
	fail := func(err error) (decideArgs, int, bool) { return a, exitFor(err, env.Stderr), false }
	if err := parseFlags(fs, args, 0); err != nil {
		return fail(err)
	}
	if *evalID == "" || *decision == "" || *status == "" {
		return fail(usageError(fs, "decide needs --eval-id, --decision and --status"))
	}
	var err error
	if a.env, err = eval.ParseEnvironment(*a.conn.env); err != nil {
		return fail(usageError(fs, "%v", err))
	}
	if a.id, err = riskos.ParseEvalID(*evalID); err != nil {
		return fail(usageError(fs, "%v", err))
	}
	a.change = riskos.StateChange{Decision: *decision, Status: *status, SubStatus: *subStatus}
	if *ifDecision != "" {
		if a.pre.Decision, err = riskos.ParseDecision(*ifDecision); err != nil {
			return fail(usageError(fs, "--if-decision: %v", err))
		}
	}
	if *ifStatus != "" {
		if a.pre.Status, err = riskos.ParseCaseStatus(*ifStatus); err != nil {
			return fail(usageError(fs, "--if-status: %v", err))
		}
	}
	if _, err := a.change.Normalize(); err != nil {
		return fail(usageError(fs, "%v", err))
	}
	a.yes, a.asJSON = *yes, *asJSON
	if err := needConfirmation(fs, env, a.yes, "decide"); err != nil {
		return fail(err)
	}
	if a.change.Notes, err = readNotes(env, *notesFile); err != nil {
		return fail(usageError(fs, "%v", err))
	}
	for _, p := range attach {
		att, err := readAttachment(p)
		if err != nil {
			return fail(usageError(fs, "%v", err))
		}
		a.change.Attachments = append(a.change.Attachments, att)
	}
	if a.change, err = a.change.Normalize(); err != nil {
		return fail(usageError(fs, "%v", err))
	}
	return a, 0, true
}

// printDecidePlan shows what will change (never the notes).
func printDecidePlan(w io.Writer, a decideArgs, ev *eval.Evaluation, sent *DecideSent) {
	fmt.Fprintf(w, "%s [%s], workflow %s\n", a.id, a.env, orDash(sent.Workflow))
	fmt.Fprintf(w, "  decision   %s → %s\n", orDash(ev.Decision), sent.Decision)
	fmt.Fprintf(w, "  status     %s → %s\n", orDash(ev.Status), sent.Status)
	if sent.SubStatus != "" {
		fmt.Fprintf(w, "  sub-status %s → %s\n", quoted(ev.SubStatus), quoted(sent.SubStatus))
	}
	if sent.Notes != nil {
		fmt.Fprintf(w, "  notes      %d characters (not shown)\n", sent.Notes.NotesChars)
	}
	for _, att := range sent.Attachments {
		fmt.Fprintf(w, "  attach     %s (%s)\n", att.FileName, sizeString(int64(att.Bytes)))
	}
	if ev.InProgress() {
		fmt.Fprintf(w, "  note: the evaluation is %s; its current decision is not final\n", strings.TrimPrefix(ev.EvalStatus, "evaluation_"))
	}
}

func writeDecideJSON(w io.Writer, r DecideReport) error {
	if r.Sent != nil && r.Sent.Attachments == nil {
		r.Sent.Attachments = []SentAttachment{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeDecideHuman prints a short summary of a change that was made.
func writeDecideHuman(w io.Writer, r DecideReport) {
	fmt.Fprintf(w, "%s [%s]: changed\n", r.EvalID, r.Environment)
	if r.Before != nil && r.After != nil {
		fmt.Fprintf(w, "  decision   %s → %s\n", orDash(r.Before.Decision), orDash(r.After.Decision))
		fmt.Fprintf(w, "  status     %s → %s\n", orDash(r.Before.Status), orDash(r.After.Status))
		fmt.Fprintf(w, "  sub-status %s → %s\n", quoted(r.Before.SubStatus), quoted(r.After.SubStatus))
	}
	if r.ReadBack {
		fmt.Fprintln(w, "  the answer was lost; the change was confirmed by reading the evaluation back (it was not sent twice)")
	}
}
