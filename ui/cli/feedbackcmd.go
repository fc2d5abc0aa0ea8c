package cli

import (
	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

const feedbackSynopsis = `docvreview feedback --eval-id ID --label fraud|non-fraud [--type TEXT] [--notes-file FILE|-]
                   [--recorded-by NAME] [--tag T]... [--env E] [--api-version V] [--base-url URL] [--yes] [--json]

Records a fraud label for the evaluation (PUT /api/feedback). It first reads the evaluation: RiskOS
files feedback under its customer id (the evaluation's "id", never the eval_id) and workflow. It shows
what will be sent and asks on the terminal; without a terminal it needs --yes. recorded_at is today.
A lost answer is never re-sent (exit 7: feedback cannot be read back to check). Notes are sent, never
printed. Exit codes: 0 ok, 1 failure, no customer id or not confirmed, 2 usage, 4 unauthorized/forbidden,
5 not found, 7 network/server or outcome unknown`

// FeedbackReport is what feedback --json prints.
type FeedbackReport struct {
	EvalID      string `json:"eval_id"`
	Environment string `json:"environment"`
	// Sent is the request body, with the notes as their length; null when nothing was sent.
	Sent    *FeedbackSent `json:"sent"`
	Message string        `json:"message"` // RiskOS's answer
	Error   *ErrorReport  `json:"error,omitempty"`
}

// FeedbackSent describes the body of PUT /api/feedback.
type FeedbackSent struct {
	ID         string       `json:"id"`
	Workflow   string       `json:"workflow"`
	FraudLabel string       `json:"fraud_label"`
	FraudType  string       `json:"fraud_type,omitempty"`
	Notes      *NotesReport `json:"notes,omitempty"`
	RecordedAt string       `json:"recorded_at"`
	RecordedBy string       `json:"recorded_by,omitempty"`
	Tags       []string     `json:"tags"`
}

// runFeedback records a fraud label for an evaluation.
func runFeedback(args []string, env *Env) int {
	fs := newFlagSet("feedback", feedbackSynopsis, env.Stderr)
	conn := addConnFlags(fs, "eval_id of the evaluation")
	evalID, asJSON := conn.evalID, conn.asJSON
	label := fs.String("label", "", "fraud label: fraud or non-fraud")
	fraudType := fs.String("type", "", "fraud type, e.g. synthetic, third_party, first_party, account_takeover")
	notesFile := fs.String("notes-file", "", "read the notes from FILE, or from standard input for -")
	recordedBy := fs.String("recorded-by", "", "who records the feedback (optional)")
	var tags listFlag
	fs.Var(&tags, "tag", "a tag (repeatable)")
	yes := fs.Bool("yes", false, "do not ask for confirmation (needed without a terminal)")
	if err := parseFlags(fs, args, 0); err != nil {
		return exitFor(err, env.Stderr)
	}
	if *evalID == "" || *label == "" {
		return exitFor(usageError(fs, "feedback needs --eval-id and --label"), env.Stderr)
	}
	e, err := eval.ParseEnvironment(*conn.env)
	if err != nil {
		return exitFor(usageError(fs, "%v", err), env.Stderr)
	}
	id, err := riskos.ParseEvalID(*evalID)
	if err != nil {
		return exitFor(usageError(fs, "%v", err), env.Stderr)
	}
	fb := riskos.Feedback{FraudType: *fraudType, RecordedBy: *recordedBy, Tags: tags, RecordedAt: env.now()}
	if fb.FraudLabel, err = riskos.ParseFraudLabel(*label); err != nil {
		return exitFor(usageError(fs, "%v", err), env.Stderr)
	}
	if err := needConfirmation(fs, env, *yes, "feedback"); err != nil {
		return exitFor(err, env.Stderr)
	}
	if fb.Notes, err = readNotes(env, *notesFile); err != nil {
		return exitFor(usageError(fs, "%v", err), env.Stderr)
	}

	rep := FeedbackReport{EvalID: id, Environment: string(e)}
	var sent *FeedbackSent
	finish := func(err error) int {
		if err != nil {
			rep.Error = errorReport(err)
		}
		if mayHaveSent(err, "feedback") {
			rep.Sent = sent
		}
		if *asJSON {
			if werr := writeFeedbackJSON(env.Stdout, rep); werr != nil {
				fmt.Fprintf(env.Stderr, "docvreview: write output: %v\n", werr)
				return ExitFailure
			}
		} else if err == nil {
			fmt.Fprintf(env.Stdout, "%s [%s]: feedback %s recorded for customer id %s", id, e, sent.FraudLabel, sent.ID)
			if rep.Message != "" {
				fmt.Fprintf(env.Stdout, " (RiskOS: %s)", rep.Message)
			}
			fmt.Fprintln(env.Stdout)
		}
		return writeExit(env, *asJSON, err)
	}

	client, err := conn.client(env, e)
	if err != nil {
		return finish(err)
	}
	ctx, cancel := commandContext(env.Interrupt, writeTimeout)
	defer cancel()
	ev, err := client.Evaluation(ctx, id)
	if err != nil {
		return finish(fmt.Errorf("read %s: %w", id, err))
	}
	body, err := riskos.NewFeedbackBody(ev, fb, env.now())
	if err != nil {
		return finish(err)
	}
	sent = &FeedbackSent{ID: body.ID, Workflow: body.Workflow, FraudLabel: body.FraudLabel, FraudType: body.FraudType,
		Notes: notesReport(body.Notes), RecordedAt: body.RecordedAt, RecordedBy: body.RecordedBy, Tags: body.Tags}
	printFeedbackPlan(env.Stderr, id, e, sent)
	if !*yes {
		ok, err := confirm(env, "Send this feedback to "+e.Title()+"?")
		if err != nil {
			return finish(err)
		}
		if !ok {
			return finish(errNotConfirmed)
		}
	}
	res, err := client.SendFeedback(ctx, ev, fb)
	if err != nil {
		return finish(err)
	}
	rep.Message = res.Message
	return finish(nil)
}

// printFeedbackPlan shows what will be sent (never the notes).
func printFeedbackPlan(w io.Writer, id string, e eval.Environment, s *FeedbackSent) {
	fmt.Fprintf(w, "%s [%s]: feedback for customer id %s, workflow %s\n", id, e, s.ID, s.Workflow)
	fmt.Fprintf(w, "  label       %s\n", s.FraudLabel)
	if s.FraudType != "" {
		fmt.Fprintf(w, "  type        %s\n", s.FraudType)
	}
	fmt.Fprintf(w, "  recorded    %s", s.RecordedAt)
	if s.RecordedBy != "" {
		fmt.Fprintf(w, " by %s", s.RecordedBy)
	}
	fmt.Fprintln(w)
	if len(s.Tags) > 0 {
		fmt.Fprintf(w, "  tags        %s\n", strings.Join(s.Tags, ", "))
	}
	if s.Notes != nil {
		fmt.Fprintf(w, "  notes       %d characters (not shown)\n", s.Notes.NotesChars)
	}
}

func writeFeedbackJSON(w io.Writer, r FeedbackReport) error {
	if r.Sent != nil && r.Sent.Tags == nil {
		cp := *r.Sent
		cp.Tags = []string{}
		r.Sent = &cp
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
