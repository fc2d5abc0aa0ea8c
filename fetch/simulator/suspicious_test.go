package simulator

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	"io"
	"slices"
	"strings"
	"testing"

	"docvreview/imaging"
	"docvreview/imaging/barcode"
	"docvreview/imaging/forensics"
)

// zipEntries reads every entry of an archive into memory; the key ""
// holds the entry names in order, one per line.
func zipEntries(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = data
		names = append(names, f.Name)
	}
	out[""] = []byte(strings.Join(names, "\n"))
	return out
}

func TestSuspiciousLicenseZIP(t *testing.T) {
	sus, lic := zipEntries(t, suspiciousLicenseZIP()), zipEntries(t, licenseZIP())
	if !bytes.Equal(sus[""], lic[""]) {
		t.Fatalf("entries\n%s\nwant the licence layout\n%s", sus[""], lic[""])
	}
	for _, name := range []string{nameBack1, nameSelfie1, nameIdentity, nameAdditional} {
		if !bytes.Equal(sus[name], lic[name]) {
			t.Errorf("%s differs from the licence case's", name)
		}
	}
	if bytes.Equal(sus[nameFront1], lic[nameFront1]) {
		t.Error("the front is the genuine one")
	}
	if !bytes.Equal(suspiciousLicenseZIP(), suspiciousLicenseZIP()) {
		t.Error("not deterministic")
	}
}

// The edited front raises edited_software and thumbnail_mismatch and was
// saved at the editor's quality; the genuine front raises neither.
func TestSuspiciousFrontTells(t *testing.T) {
	ctx := context.Background()
	r, err := forensics.Analyze(ctx, suspiciousFrontImage(), "front", nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []forensics.FlagName
	for _, f := range r.EXIFFlags {
		names = append(names, f.Name)
	}
	if !slices.Equal(names, []forensics.FlagName{forensics.FlagEditedSoftware, forensics.FlagThumbnailMismatch}) {
		t.Errorf("flags %v", names)
	}
	if r.JPEGQuality == nil || *r.JPEGQuality != editorQuality {
		t.Errorf("quality %v, want %d", r.JPEGQuality, editorQuality)
	}
	g, err := forensics.Analyze(ctx, licenseImages().front, "front", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.EXIFFlags) != 0 || g.JPEGQuality == nil || *g.JPEGQuality != jpegQuality {
		t.Errorf("genuine front: flags %v quality %v", g.EXIFFlags, g.JPEGQuality)
	}
}

// The pasted values stand out in error level analysis against the card's
// other printed fields.
func TestSuspiciousFrontELA(t *testing.T) {
	img, _, err := imaging.DecodeFull(suspiciousFrontImage(), imaging.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ela, err := forensics.ELA(img, jpegQuality, forensics.DefaultELAGain)
	if err != nil {
		t.Fatal(err)
	}
	k := renderScale
	level := func(box image.Rectangle) float64 {
		r := cardBoxInPhoto(box, k, frontAngle, 0, 0).Inset(int(8 * k))
		sum, n := 0.0, 0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				i := ela.PixOffset(x, y)
				sum += float64(ela.Pix[i]) + float64(ela.Pix[i+1]) + float64(ela.Pix[i+2])
				n += 3
			}
		}
		return sum / float64(n)
	}
	edited := (level(frontDocNoBox) + level(frontDOBBox)) / 2
	// The surname and the address: printed the same way, not edited.
	other := (level(image.Rect(1120, 610, 2200, 715)) + level(image.Rect(1120, 950, 2200, 1055))) / 2
	t.Logf("mean ELA level: edited values %.1f, other fields %.1f", edited, other)
	if edited < 1.5*other {
		t.Errorf("edited values %.1f do not stand out from the other fields %.1f", edited, other)
	}
}

// The back of the suspicious case is the genuine one: its barcode
// disagrees with the edited values on the DOB and the document number.
func TestSuspiciousBackMismatches(t *testing.T) {
	if !barcode.Available() {
		t.Skip(barcode.ErrUnavailable)
	}
	doc := &forensics.DocumentData{
		FirstName: specimenFirst, SurName: specimenSurname, FullName: specimenFull, Address: specimenAddress,
		DocumentNumber: suspiciousDocNo, DOB: suspiciousDOB, ExpirationDate: specimenExpiry, IssueDate: specimenIssue,
	}
	r, err := forensics.Analyze(context.Background(), zipEntries(t, suspiciousLicenseZIP())[nameBack1], forensics.RoleBack, doc)
	if err != nil || r.Barcode == nil {
		t.Fatalf("%+v %v", r.Barcode, err)
	}
	want := []forensics.Mismatch{
		{Field: "document_number", Barcode: "SPEC00012345", Document: suspiciousDocNo},
		{Field: "dob", Barcode: specimenDOB, Document: suspiciousDOB},
	}
	if !slices.Equal(r.Barcode.Mismatches, want) {
		t.Errorf("mismatches %+v, want %+v", r.Barcode.Mismatches, want)
	}
}
