package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"docvreview/fetch/simulator"
	"docvreview/imaging/barcode"
)

// TestFetchJSONEvidenceChecks reads the suspicious licence (cccc…): the front
// names an image editor and carries another picture's thumbnail, and the
// back's barcode disagrees with the document data on the DOB and number.
func TestFetchJSONEvidenceChecks(t *testing.T) {
	code, out, errOut := runCLI(t, "", nil, "fetch", "--env", "demo", "--eval-id", simulator.SuspectID, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	r := decodeReport(t, out)
	byRole := map[string]ImageReport{}
	for _, im := range r.Images {
		if im.Forensics == nil {
			t.Fatalf("%s: no forensics", im.Role)
		}
		byRole[im.Role] = im
	}
	front := byRole["front"].Forensics
	var flags []string
	for _, f := range front.EXIFFlags {
		flags = append(flags, string(f.Name))
	}
	if !slices.Contains(flags, "edited_software") || !slices.Contains(flags, "thumbnail_mismatch") {
		t.Errorf("front flags %v", flags)
	}
	if front.JPEGQuality == nil || *front.JPEGQuality < 94 {
		t.Errorf("front quality %v, want about 97", front.JPEGQuality)
	}
	if byRole["selfie"].Forensics.Barcode != nil {
		t.Error("a selfie has a barcode")
	}
	back := byRole["back"].Forensics
	if !barcode.Available() {
		if back.Barcode != nil || count(r.Warnings, barcodeUnavailable) != 1 {
			t.Fatalf("without the reader: barcode %v, warnings %q", back.Barcode, r.Warnings)
		}
		t.Skip("built without -tags zxing: the barcode comparison is not checked")
	}
	if back.Barcode == nil || back.Barcode.Standard != "AAMVA" {
		t.Fatalf("back barcode %+v", back.Barcode)
	}
	var fields []string
	for _, m := range back.Barcode.Mismatches {
		fields = append(fields, m.Field)
	}
	slices.Sort(fields)
	if strings.Join(fields, ",") != "dob,document_number" {
		t.Errorf("mismatches on %v, want dob and document_number", fields)
	}
	if count(r.Warnings, barcodeUnavailable) != 0 {
		t.Errorf("warnings %q", r.Warnings)
	}
}

// TestInspectEvidenceWithoutEvaluation: inspect has no document data, so a
// genuine back's barcode is read and compared with nothing.
func TestInspectEvidenceWithoutEvaluation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "case.zip")
	if err := os.WriteFile(path, simulator.CaseZIP(simulator.HappyID), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", nil, "inspect", "--json", path)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, im := range decodeReport(t, out).Images {
		f := im.Forensics
		if f == nil || f.JPEGQuality == nil || len(f.EXIFFlags) != 0 {
			t.Errorf("%s: %+v", im.Role, f)
			continue
		}
		if im.Role == "back" && barcode.Available() && (f.Barcode == nil || len(f.Barcode.Mismatches) != 0) {
			t.Errorf("back barcode %+v, want read with no comparison", f.Barcode)
		}
	}
	// The human summary names the fields, never the values.
	_, human, _ := runCLI(t, "", nil, "fetch", "--env", "demo", "--eval-id", simulator.SuspectID)
	if !strings.Contains(human, "edited_software") {
		t.Errorf("human output lacks the editor flag:\n%s", human)
	}
	if barcode.Available() && (!strings.Contains(human, "document_number, dob") || strings.Contains(human, "1999-03-14")) {
		t.Errorf("human output:\n%s", human)
	}
}

func decodeReport(t *testing.T, out string) Report {
	t.Helper()
	var r Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return r
}

func count(list []string, s string) (n int) {
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}
