package simulator

import (
	"archive/zip"
	"bytes"
	"image/jpeg"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCaseZIPNames(t *testing.T) {
	license := []string{nameFront1, nameBack1, nameSelfie1, nameIdentity, nameAdditional}
	cases := map[string][]string{
		HappyID:     license,
		PassportID:  {nameFront1, nameSelfie1, nameIdentity},
		MilitaryID:  nil,
		MinorID:     nil,
		RetentionID: nil,
		NotFoundID:  nil,
		FlakyID:     license,
		SlowID:      license,
		HostileID:   {"../../etc/evil.txt", nameFront1, nameBack1, nameIdentity},
		RecaptureID: {nameFront1, nameFront2, nameBack1, nameSelfie1, nameSelfie2, nameBarcodePNG, nameCaptureTXT},
		PausedID:    nil,
		SuspectID:   license,
		IPRejectID:  license,
	}
	// The names RiskOS uses, spelled out once here.
	for name, want := range map[string]string{
		nameFront1:     "user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg",
		nameFront2:     "user_uploaded/document_verification/documentfrontDoc_Front_2_blob.jpg",
		nameBack1:      "user_uploaded/document_verification/documentbackDoc_Back_1_blob.jpg",
		nameSelfie1:    "user_uploaded/vouched_id_verification/Doc_Selfie_1_blob.jpg",
		nameSelfie2:    "user_uploaded/vouched_id_verification/Doc_Selfie_2_blob.jpg",
		nameIdentity:   "case_attachments/identity.pdf",
		nameAdditional: "case_attachments/additional_doc.pdf",
	} {
		if name != want {
			t.Errorf("entry name %q, want %q", name, want)
		}
	}
	for _, id := range IDs() {
		want, ok := cases[id]
		if !ok {
			t.Fatalf("no expectation for %s", id)
		}
		b := CaseZIP(id)
		if want == nil {
			if b != nil {
				t.Errorf("%s: CaseZIP = %d bytes, want nil", id, len(b))
			}
			continue
		}
		if got := zipNames(t, b); !slices.Equal(got, want) {
			t.Errorf("%s: entries %q, want %q", id, got, want)
		}
	}
}

func TestCaseZIPUnknownAndNormalised(t *testing.T) {
	for _, id := range []string{"", "nope", "fb1ddadc-6dba-4ce4-aa6d-25c005b192b5"} {
		if b := CaseZIP(id); b != nil {
			t.Errorf("CaseZIP(%q) = %d bytes, want nil", id, len(b))
		}
	}
	if !bytes.Equal(CaseZIP(" "+strings.ToUpper(HappyID)+"\n"), CaseZIP(HappyID)) {
		t.Error("CaseZIP does not normalise case and whitespace")
	}
}

func TestCaseZIPIsACopy(t *testing.T) {
	a := CaseZIP(PassportID)
	clear(a) // what fetch.Case.Close does to its buffers
	b := CaseZIP(PassportID)
	if len(b) == 0 || bytes.Equal(a, b) {
		t.Fatal("zeroing one CaseZIP result changed the cache")
	}
	if _, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err != nil {
		t.Fatalf("cached ZIP damaged: %v", err)
	}
}

func TestCaseZIPShared(t *testing.T) {
	// Flaky and slow serve the happy case.
	for _, id := range []string{FlakyID, SlowID} {
		if !bytes.Equal(CaseZIP(id), CaseZIP(HappyID)) {
			t.Errorf("%s: ZIP differs from the happy case", id)
		}
	}
}

func TestZIPMethodsAndDeterminism(t *testing.T) {
	files := []zipFile{{"a.jpg", []byte{0xFF, 0xD8, 0xFF, 1, 2}}, {"b.png", []byte("\x89PNG\r\n\x1a\nxx")}, {"c.pdf", []byte("%PDF-1.4 aaaaaaaa")}}
	b := buildZIP(files)
	if !bytes.Equal(b, buildZIP(files)) {
		t.Error("buildZIP is not deterministic")
	}
	want := map[string]uint16{"a.jpg": zip.Store, "b.png": zip.Store, "c.pdf": zip.Deflate}
	for _, f := range openZIP(t, b).File {
		if f.Method != want[f.Name] {
			t.Errorf("%s: method %d, want %d", f.Name, f.Method, want[f.Name])
		}
		if !f.Modified.Equal(zipModified) {
			t.Errorf("%s: modified %v", f.Name, f.Modified)
		}
	}
}

func TestHostileEntries(t *testing.T) {
	b := CaseZIP(HostileID)
	if names := zipNames(t, b); filepath.IsLocal(names[0]) || !strings.HasPrefix(names[0], "../") {
		t.Errorf("first entry %q is not a path traversal", names[0])
	}
	back := zipEntry(t, b, nameBack1)
	if !bytes.HasPrefix(back, []byte{0xFF, 0xD8, 0xFF}) {
		t.Error("corrupt back does not start with the JPEG signature")
	}
	if _, err := jpeg.Decode(bytes.NewReader(back)); err == nil {
		t.Error("corrupt back decodes")
	}
	pdf := zipEntry(t, b, nameIdentity)
	if bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.HasPrefix(pdf, []byte("<!DOCTYPE html>")) {
		t.Errorf("fake PDF starts %q", pdf[:min(20, len(pdf))])
	}
	if _, err := jpeg.DecodeConfig(bytes.NewReader(zipEntry(t, b, nameFront1))); err != nil {
		t.Errorf("good front: %v", err)
	}
	if got := zipEntry(t, b, nameTraversal); len(got) == 0 {
		t.Error("traversal entry is empty")
	}
}

func TestRecaptureEntries(t *testing.T) {
	b := CaseZIP(RecaptureID)
	img, re := licenseImages(), recaptureImages()
	for name, want := range map[string][]byte{
		nameFront1: re.front1, nameFront2: img.front, nameBack1: img.back,
		nameSelfie1: re.selfie1, nameSelfie2: img.selfie, nameBarcodePNG: re.barcode,
	} {
		if !bytes.Equal(zipEntry(t, b, name), want) {
			t.Errorf("%s: unexpected content", name)
		}
	}
	if bytes.Equal(re.front1, img.front) || bytes.Equal(re.selfie1, img.selfie) {
		t.Error("the first captures are identical to the second ones")
	}
	if txt := zipEntry(t, b, nameCaptureTXT); !bytes.Contains(txt, []byte("front_attempts=2")) {
		t.Errorf("capture_info.txt: %q", txt)
	}
}
