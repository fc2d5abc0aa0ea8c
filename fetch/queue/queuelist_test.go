package queue

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"docvreview/fetch/riskos"
)

const (
	qlA = "11111111-1111-4111-8111-111111111111"
	qlB = "22222222-2222-4222-8222-222222222222"
	qlC = "fb1ddadc-6dba-4ce4-aa6d-25c005b192b5"
)

func TestParseQueueList(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		ids      []string
		problems []Problem
		blanks   int
		column   string
	}{
		{name: "empty", in: ""},
		{name: "plain LF", in: qlA + "\n" + qlB + "\n", ids: []string{qlA, qlB}},
		{name: "plain CRLF no final newline", in: qlA + "\r\n" + qlB, ids: []string{qlA, qlB}},
		{name: "lone CR", in: qlA + "\r" + qlB + "\r", ids: []string{qlA, qlB}},
		{name: "BOM, spaces, quotes, upper case", in: "\ufeff  \"" + strings.ToUpper(qlC) + "\"  \n", ids: []string{qlC}},
		{
			name:   "blanks counted and listed",
			in:     "\n" + qlA + "\n   \n\t\n" + qlB + "\n",
			ids:    []string{qlA, qlB},
			blanks: 3,
			problems: []Problem{
				{Line: 1, Kind: ProblemBlank}, {Line: 3, Kind: ProblemBlank}, {Line: 4, Kind: ProblemBlank},
			},
		},
		{
			name: "duplicates dropped with first line",
			in:   qlA + "\n" + qlB + "\n" + strings.ToUpper(qlA) + "\nhttps://dashboard.example/eval/" + qlB + "\n",
			ids:  []string{qlA, qlB},
			problems: []Problem{
				{Line: 3, Kind: ProblemDuplicate, Text: qlA, FirstLine: 1},
				{Line: 4, Kind: ProblemDuplicate, Text: qlB, FirstLine: 2},
			},
		},
		{
			name: "dashboard URLs",
			in:   "https://riskos.socure.com/evaluations/" + qlA + "?tab=docs\n<" + qlB + ">\n",
			ids:  []string{qlA, qlB},
		},
		{
			name: "malformed reported not fatal",
			in:   "not an id\n" + qlA + "\n1111-2222\n" + qlA + " " + qlB + "\n",
			ids:  []string{qlA},
			problems: []Problem{
				{Line: 1, Kind: ProblemMalformed, Text: "not an id", Reason: malformedReason("not an id")},
				{Line: 3, Kind: ProblemMalformed, Text: "1111-2222", Reason: malformedReason("1111-2222")},
				{Line: 4, Kind: ProblemMalformed, Text: (qlA + " " + qlB)[:39] + "…", Reason: "2 different eval_ids on one line"},
			},
		},
		{
			name:   "CSV eval_id column not first",
			in:     "name,Eval_ID,decision\nAlice," + qlA + ",ACCEPT\n\"Bob, Jr\",\"" + qlB + "\",REVIEW\n",
			ids:    []string{qlA, qlB},
			column: "eval_id",
		},
		{
			name:   "CSV evaluation_id with semicolons",
			in:     "decision;Evaluation ID\r\nACCEPT;" + qlA + "\r\n;;\r\nREJECT;" + qlB + "\r\n",
			ids:    []string{qlA, qlB},
			column: "evaluation_id",
			blanks: 1,
			problems: []Problem{
				{Line: 3, Kind: ProblemBlank},
			},
		},
		{
			name:   "CSV id column, tab separated, eval_id preferred over id",
			in:     "id\teval_id\n" + qlA + "\t" + qlB + "\n",
			ids:    []string{qlB},
			column: "eval_id",
		},
		{
			name:   "single-column CSV with header",
			in:     "ID\n" + qlA + "\n" + qlB + "\n",
			ids:    []string{qlA, qlB},
			column: "id",
		},
		{
			name:   "CSV short row and empty cell",
			in:     "x,eval_id\nonly\nsomething,\n" + "y," + qlA + "\n",
			ids:    []string{qlA},
			column: "eval_id",
			problems: []Problem{
				{Line: 2, Kind: ProblemMalformed, Text: "only", Reason: "no eval_id column on this line"},
				{Line: 3, Kind: ProblemMalformed, Text: "something,", Reason: "empty eval_id cell"},
			},
		},
		{
			name: "CSV without a header works when each row holds one UUID",
			in:   "Alice," + qlA + ",ACCEPT\nBob," + qlB + ",REVIEW\n",
			ids:  []string{qlA, qlB},
		},
		{
			name: "malformed excerpt is sanitised and short",
			in:   "bad\x00\x1b[31m\tline  with   spaces " + strings.Repeat("é", 50) + "\n",
			problems: []Problem{{Line: 1, Kind: ProblemMalformed,
				Text:   "bad[31m line with spaces " + strings.Repeat("é", 14) + "…",
				Reason: malformedReason("x")}},
		},
		{
			name: "secret-looking token masked",
			in:   "sk_live_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345\n",
			problems: []Problem{{Line: 1, Kind: ProblemMalformed,
				Text: "sk_l…", Reason: malformedReason("x")}},
		},
		{
			name: "mistyped UUID stays visible",
			in:   "11111111-1111-4111-8111-11111111111\n",
			problems: []Problem{{Line: 1, Kind: ProblemMalformed,
				Text: "11111111-1111-4111-8111-11111111111", Reason: malformedReason("x")}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseList(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("ParseList: %v", err)
			}
			if !reflect.DeepEqual(got.IDs, tt.ids) {
				t.Errorf("IDs = %q, want %q", got.IDs, tt.ids)
			}
			if !reflect.DeepEqual(got.Problems, tt.problems) {
				t.Errorf("Problems =\n%+v\nwant\n%+v", got.Problems, tt.problems)
			}
			if got.Blanks != tt.blanks {
				t.Errorf("Blanks = %d, want %d", got.Blanks, tt.blanks)
			}
			if got.Column != tt.column {
				t.Errorf("Column = %q, want %q", got.Column, tt.column)
			}
		})
	}
}

func TestParseQueueListLimits(t *testing.T) {
	uuid := func(i int) string { return fmt.Sprintf("%08x-0000-4000-8000-000000000000", i) }
	var b strings.Builder
	for i := 0; i < MaxIDs; i++ {
		b.WriteString(uuid(i) + "\n")
	}
	got, err := ParseList(strings.NewReader(b.String()))
	if err != nil || len(got.IDs) != MaxIDs {
		t.Fatalf("exactly %d ids: got %d, err %v", MaxIDs, len(got.IDs), err)
	}
	// Duplicates beyond the cap are fine: only distinct ids count.
	if _, err := ParseList(strings.NewReader(b.String() + uuid(0) + "\n")); err != nil {
		t.Fatalf("duplicate after the cap: %v", err)
	}
	_, err = ParseList(strings.NewReader(b.String() + uuid(MaxIDs) + "\n"))
	if !errors.Is(err, ErrListTooLarge) {
		t.Fatalf("%d ids: err = %v, want ErrListTooLarge", MaxIDs+1, err)
	}

	big := strings.Repeat(" ", MaxListBytes-len(qlA)) + qlA
	if got, err := ParseList(strings.NewReader(big)); err != nil || len(got.IDs) != 1 {
		t.Fatalf("input of exactly the cap: ids %d, err %v", len(got.IDs), err)
	}
	_, err = ParseList(strings.NewReader(big + "\n"))
	if !errors.Is(err, ErrListTooLarge) {
		t.Fatalf("cap+1 bytes: err = %v, want ErrListTooLarge", err)
	}

	// Problems are capped; the rest are counted.
	got, err = ParseList(strings.NewReader(strings.Repeat("\n", MaxProblems+5) + qlA))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Problems) != MaxProblems || got.MoreProblems != 5 || got.Blanks != MaxProblems+5 {
		t.Fatalf("problems %d, more %d, blanks %d", len(got.Problems), got.MoreProblems, got.Blanks)
	}
}

func TestParseQueueListReadError(t *testing.T) {
	boom := errors.New("boom")
	_, err := ParseList(io.MultiReader(strings.NewReader(qlA+"\n"), iotest.ErrReader(boom)))
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want wrapped boom", err)
	}
}

func FuzzParseQueueList(f *testing.F) {
	for _, s := range []string{
		"", qlA + "\n" + qlB, "eval_id\n" + qlA, "a;Evaluation_ID\r\nx;" + qlA + "\r\n", "\"id\"\n\"" + qlA + "\"",
		"\n\n\r\r\n", "https://x/" + qlA + "/" + qlB, "\ufeff" + qlA, "id,id\n,\n" + qlA + ",",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := ParseList(strings.NewReader(string(in)))
		if err != nil {
			if !errors.Is(err, ErrListTooLarge) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		lines := len(splitLines(string(in)))
		seen := map[string]bool{}
		for _, id := range got.IDs {
			if c, err := riskos.ParseEvalID(id); err != nil || c != id {
				t.Fatalf("id %q not canonical: %q %v", id, c, err)
			}
			if seen[id] {
				t.Fatalf("duplicate id %q", id)
			}
			seen[id] = true
		}
		blanks, last := 0, 0
		for _, p := range got.Problems {
			if p.Line < 1 || p.Line > lines || p.Line <= last {
				t.Fatalf("problem line %d out of order/range (lines %d, last %d)", p.Line, lines, last)
			}
			last = p.Line
			if !utf8.ValidString(p.Text) || utf8.RuneCountInString(p.Text) > queueExcerptLen && p.Kind != ProblemDuplicate {
				t.Fatalf("problem text %q too long or invalid", p.Text)
			}
			switch p.Kind {
			case ProblemBlank:
				blanks++
			case ProblemDuplicate:
				if !seen[p.Text] || p.FirstLine >= p.Line {
					t.Fatalf("duplicate %+v of an unknown id", p)
				}
			case ProblemMalformed:
			default:
				t.Fatalf("unknown kind %q", p.Kind)
			}
		}
		if got.MoreProblems == 0 && blanks != got.Blanks {
			t.Fatalf("listed %d blanks, counted %d", blanks, got.Blanks)
		}
	})
}
