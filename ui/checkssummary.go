package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/widget"

	"docvreview/fetch/casefile"
	"docvreview/imaging/forensics"
)

// Kinds of finding in the Checks section (tests read them).
const (
	findBarcodeMismatch    = "barcode_mismatch"
	findBarcodeMissing     = "barcode_missing"
	findBarcodeUnavailable = "barcode_unavailable"
	findEditedSoftware     = string(forensics.FlagEditedSoftware)
	findThumbnailMismatch  = string(forensics.FlagThumbnailMismatch)
	findFailed             = "failed"
	findClear              = "clear"
)

// Messages of the Checks section.
const (
	msgChecksRunning        = "Running the evidence checks…"
	msgBarcodeUnavailable   = "Barcode reading is not available in this build."
	msgNoBarcode            = "No barcode found on the ID back."
	msgChecksClear          = "No barcode mismatch, editor trace or thumbnail mismatch found."
	msgChecksClearNoBarcode = "No editor trace or thumbnail mismatch found."
)

// finding is one line of the Checks section; entry is the image it
// concerns (nil: none), which its button opens in the inspector.
type finding struct {
	kind   string
	text   string
	imp    widget.Importance
	entry  *casefile.Entry
	title  string   // the image's title, for the button
	fields []string // barcode mismatches: the fields that differ
}

// checksSummary is what the Checks section shows.
type checksSummary struct {
	running  bool
	findings []finding
	table    *barcodeTable // the ID back's barcode beside the document data
}

// barcodeTable is the three-way table: field, barcode, document data.
type barcodeTable struct {
	title string
	rows  []barcodeRow
}

// barcodeRow is one field; mismatch marks a disagreement.
type barcodeRow struct {
	field, barcode, document string
	mismatch                 bool
}

// fieldNames are the readable names of aamva.Mismatch fields.
var fieldNames = map[string]string{
	"first_name":      "first name",
	"last_name":       "last name",
	"full_name":       "full name",
	"document_number": "document number",
	"dob":             "date of birth",
	"expiration_date": "expiry date",
	"issue_date":      "issue date",
	"address":         "address",
}

// checksSummary turns the reports so far into findings, in image order.
func (r *review) checksSummary() checksSummary {
	s := checksSummary{running: r.checks.running || r.checks.pending}
	var back *casefile.Entry
	if r.sess.Case() != nil {
		back = r.sess.Case().Case().Primary(casefile.RoleBack)
	}
	for _, e := range r.checks.order {
		ic := r.checks.reports[e]
		if ic == nil {
			continue
		}
		title := r.entryTitle(e)
		if ic.err != nil {
			s.findings = append(s.findings, finding{kind: findFailed, entry: e, title: title,
				imp: widget.WarningImportance, text: fmt.Sprintf("%s: the checks could not run: %v", title, ic.err)})
			continue
		}
		rep := ic.report
		if e == back { // the barcode first: it is the strongest tell
			s.findings = append(barcodeFindings(rep, e, title), s.findings...)
			if rep.Barcode != nil && rep.Barcode.Standard == "AAMVA" {
				s.table = newBarcodeTable(rep.Barcode, r.checks.doc)
			}
		}
		for _, f := range rep.EXIFFlags {
			switch f.Name {
			case forensics.FlagEditedSoftware, forensics.FlagThumbnailMismatch:
				s.findings = append(s.findings, finding{kind: string(f.Name), entry: e, title: title,
					imp: widget.DangerImportance, text: "⚠ " + title + ": " + f.Explanation})
			}
		}
	}
	if !s.running && len(r.checks.order) > 0 {
		switch {
		case len(s.findings) == 0:
			s.findings = append(s.findings, finding{kind: findClear, imp: widget.SuccessImportance, text: "✓ " + msgChecksClear})
		case len(s.findings) == 1 && s.findings[0].kind == findBarcodeUnavailable:
			s.findings = append(s.findings, finding{kind: findClear, imp: widget.SuccessImportance, text: "✓ " + msgChecksClearNoBarcode})
		}
	}
	return s
}

// barcodeFindings reports the back's barcode: its mismatches, or that
// there is none, or that this build cannot read it.
func barcodeFindings(rep forensics.Report, e *casefile.Entry, title string) []finding {
	switch {
	case rep.BarcodeUnavailable:
		return []finding{{kind: findBarcodeUnavailable, imp: widget.LowImportance, text: msgBarcodeUnavailable}}
	case rep.Barcode == nil:
		return []finding{{kind: findBarcodeMissing, entry: e, title: title, imp: widget.WarningImportance, text: msgNoBarcode}}
	case len(rep.Barcode.Mismatches) > 0:
		var fields, names []string
		for _, m := range rep.Barcode.Mismatches {
			fields = append(fields, m.Field)
			n := fieldNames[m.Field]
			if n == "" {
				n = m.Field
			}
			names = append(names, n)
		}
		return []finding{{kind: findBarcodeMismatch, entry: e, title: title, imp: widget.DangerImportance, fields: fields,
			text: "⚠ The barcode on the " + title + " differs from the document data: " + strings.Join(names, ", ") + "."}}
	}
	return nil
}

// newBarcodeTable lays the barcode's fields beside the document data.
func newBarcodeTable(b *forensics.Barcode, doc *forensics.DocumentData) *barcodeTable {
	var d forensics.DocumentData
	if doc != nil {
		d = *doc
	}
	bad := map[string]bool{}
	for _, m := range b.Mismatches {
		bad[m.Field] = true
	}
	f := b.Fields
	full := strings.Join(strings.Fields(strings.Join([]string{f.FirstName, f.MiddleName, f.LastName}, " ")), " ")
	addr := strings.Join(nonEmpty(f.Address, f.City, strings.TrimSpace(f.State+" "+f.PostalCode)), ", ")
	t := &barcodeTable{title: fmt.Sprintf("ID back barcode (AAMVA version %d)", b.Version)}
	for _, row := range []struct{ key, name, bar, doc string }{
		{"first_name", "First name", f.FirstName, d.FirstName},
		{"", "Middle name", f.MiddleName, ""},
		{"last_name", "Last name", f.LastName, d.SurName},
		{"full_name", "Full name", full, d.FullName},
		{"dob", "Date of birth", f.DOB, d.DOB},
		{"document_number", "Document number", f.DocumentNumber, d.DocumentNumber},
		{"expiration_date", "Expires", f.ExpirationDate, d.ExpirationDate},
		{"issue_date", "Issued", f.IssueDate, d.IssueDate},
		{"address", "Address", addr, d.Address},
		{"", "Sex", f.Sex, ""},
	} {
		if row.bar == "" && row.doc == "" {
			continue
		}
		t.rows = append(t.rows, barcodeRow{field: row.name, barcode: row.bar, document: row.doc, mismatch: row.key != "" && bad[row.key]})
	}
	return t
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// entryTitle names an image as its pane or the strip does (role and
// capture, never a name).
func (r *review) entryTitle(e *casefile.Entry) string {
	for _, p := range r.evidence.panes {
		if p.entry == e {
			return paneTitle(p)
		}
	}
	t := roleTitle(e.Role)
	if e.Capture > 0 {
		t += fmt.Sprintf(" — capture %d", e.Capture)
	}
	return t
}
