package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
	"docvreview/imaging/barcode"
)

// waitChecks waits until the case's evidence checks are done.
func (h *harness) waitChecks() {
	h.t.Helper()
	state, _ := h.checks()
	h.loop.until(h.t, "the evidence checks", 120*time.Second, func() bool { return state.done })
	h.idle()
}

func findingsOf(s checksSummary, kind string) []finding {
	var out []finding
	for _, f := range s.findings {
		if f.kind == kind {
			out = append(out, f)
		}
	}
	return out
}

// TestChecksOnSuspectLicence opens cccc…: the Checks section lists the
// barcode's DOB and document-number mismatches (with the three-way table),
// the front's editor and thumbnail tells; a finding's button inspects its
// image, whose metadata panel shows the flags; closing the case drops it
// all.
func TestChecksOnSuspectLicence(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the barcode of a full-size simulator image")
	}
	h := newHarness(t, Options{Env: eval.Demo})
	state, panel := h.checks()
	h.open(simulator.SuspectID)
	h.waitChecks()
	s := panel.shown
	front := h.r.sess.Case().Case().Primary(casefile.RoleFront)

	for _, kind := range []string{findEditedSoftware, findThumbnailMismatch} {
		f := findingsOf(s, kind)
		if len(f) != 1 || f[0].entry != front {
			t.Errorf("%s: findings %+v, want one on the ID front", kind, f)
		}
	}
	if !barcode.Available() {
		t.Log("built without the zxing tag: barcode.Available() is false, the barcode mismatches are not checked")
		if len(findingsOf(s, findBarcodeUnavailable)) != 1 {
			t.Errorf("findings %+v: no %q", s.findings, msgBarcodeUnavailable)
		}
	} else {
		m := findingsOf(s, findBarcodeMismatch)
		if len(m) != 1 || !slices.Contains(m[0].fields, "dob") || !slices.Contains(m[0].fields, "document_number") {
			t.Fatalf("barcode findings %+v, want the DOB and document number", m)
		}
		if s.table == nil {
			t.Fatal("no three-way table")
		}
		marked := map[string]bool{}
		for _, row := range s.table.rows {
			if row.mismatch {
				marked[row.field] = true
			}
		}
		if !marked["Date of birth"] || !marked["Document number"] || marked["Last name"] {
			t.Errorf("rows marked %v, want the date of birth and document number", marked)
		}
		if md := markupOf(h.tab("Details")); !strings.Contains(md, "⚠ Date of birth") || !strings.Contains(md, "Document data") {
			t.Errorf("the table is not in Details:\n%s", md)
		}
	}

	// The editor finding's button inspects the front, whose panel has the flags.
	var row *findingRow
	for _, r := range panel.rows {
		if r.f.kind == findEditedSoftware {
			row = r
		}
	}
	if row == nil || !row.button.Visible() {
		t.Fatal("no Inspect button on the editor finding")
	}
	test.Tap(row.button)
	h.idle()
	ins, ok := h.viewer().(*inspector)
	if !ok {
		t.Fatalf("viewer %T, want the inspector", h.viewer())
	}
	texts := inspTexts(ins.checksBox)
	for _, want := range []string{"JPEG quality: ", "Progressive: ", "Image editor in the metadata", "Thumbnail shows another picture"} {
		if !inspHasText(texts, want) {
			t.Errorf("inspector checks %q lack %q", texts, want)
		}
	}
	h.key(fyne.KeyEscape)

	// Closing the case drops the checks.
	labels := panel.rows
	h.shortcut(fyne.KeyW)
	h.idle()
	if state.reports != nil || state.order != nil || state.doc != nil {
		t.Error("the checks outlive the case")
	}
	if panel.root.Visible() || len(panel.shown.findings) != 0 || panel.shown.table != nil {
		t.Error("the Checks section still shows the closed case")
	}
	for _, r := range labels {
		if r.label.Text != "" || r.f.entry != nil {
			t.Errorf("a finding row keeps %q", r.label.Text)
		}
	}
	for _, row := range panel.cells {
		for _, l := range row {
			if l.Text != "" {
				t.Errorf("a table cell keeps %q", l.Text)
			}
		}
	}
}

// TestChecksHappyCase: the happy licence raises no barcode mismatch, editor
// trace or thumbnail mismatch, and the checks wait for the panes.
func TestChecksHappyCase(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the barcode of a full-size simulator image")
	}
	h := newHarness(t, Options{Env: eval.Demo})
	state, panel := h.checks()
	h.typeAndEnter(simulator.HappyID)
	h.loop.untilEach(t, "the checks to start", 3*time.Minute, func() bool {
		if state.running && h.imagesShown() < len(h.panesWithImages()) {
			t.Fatal("the checks started before the panes had their images")
		}
		return state.running || state.done
	})
	h.waitChecks()
	s := panel.shown
	for _, kind := range []string{findBarcodeMismatch, findEditedSoftware, findThumbnailMismatch, findFailed} {
		if f := findingsOf(s, kind); len(f) != 0 {
			t.Errorf("happy case: %s findings %+v", kind, f)
		}
	}
	if len(findingsOf(s, findClear)) != 1 {
		t.Errorf("findings %+v: want the all-clear line", s.findings)
	}
	if barcode.Available() && (s.table == nil || len(s.table.rows) < 5) {
		t.Errorf("the happy back's barcode table is missing: %+v", s.table)
	}
}

// TestChecksCancelledWithTheCase closes the case while its checks run:
// nothing from them arrives afterwards.
func TestChecksCancelledWithTheCase(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	state, panel := h.checks()
	h.typeAndEnter(simulator.SuspectID)
	// Checked after every queued function: the checks can start and end
	// within one drain of the queue.
	h.loop.untilEach(t, "the checks to start", 3*time.Minute, func() bool { return state.running })
	h.shortcut(fyne.KeyW)
	h.idle()
	if state.reports != nil || panel.root.Visible() {
		t.Error("checks of a closed case arrived")
	}
}
