package aamva

import (
	"encoding/json"
	"reflect"
	"testing"
)

// specimen is the barcode side of the comparisons.
var specimen = Fields{
	FirstName: "JANE", MiddleName: "Q", LastName: "SPECIMEN", DOB: "1985-03-14",
	DocumentNumber: "SPEC00012345", ExpirationDate: "2030-03-14", IssueDate: "2022-06-01",
	Address: "123 SPECIMEN ST", City: "ANYTOWN", State: "NY", PostalCode: "12345", Sex: "F",
}

// matching is document data that agrees with specimen in every way the
// comparison forgives.
var matching = DocumentData{
	FirstName: "Jane", SurName: "Spécimen", FullName: "JANE Q SPECIMEN", Address: "123 Specimen St, Anytown, NY 12345",
	DocumentNumber: "SPEC-0001 2345", DOB: "1985-03-14", ExpirationDate: "2030-03-14T00:00:00Z", IssueDate: "2022-06-01",
}

func TestCompareMatching(t *testing.T) {
	if got := Compare(specimen, matching); len(got) != 0 {
		t.Errorf("mismatches %+v", got)
	}
	// Nothing to compare with: an empty list, not nil (JSON []).
	got := Compare(specimen, DocumentData{})
	if got == nil || len(got) != 0 {
		t.Errorf("empty document data: %#v", got)
	}
	if b, _ := json.Marshal(got); string(b) != "[]" {
		t.Errorf("JSON %s", b)
	}
}

func TestCompareMismatches(t *testing.T) {
	tests := []struct {
		name string
		edit func(*DocumentData)
		want []Mismatch
	}{
		{"dob", func(d *DocumentData) { d.DOB = "1999-03-14" }, []Mismatch{{"dob", "1985-03-14", "1999-03-14"}}},
		{"document number", func(d *DocumentData) { d.DocumentNumber = "SPEC-0009-8765" },
			[]Mismatch{{"document_number", "SPEC00012345", "SPEC-0009-8765"}}},
		{"first name", func(d *DocumentData) { d.FirstName = "JOAN" }, []Mismatch{{"first_name", "JANE", "JOAN"}}},
		{"surname", func(d *DocumentData) { d.SurName = "SPECIMAN" }, []Mismatch{{"last_name", "SPECIMEN", "SPECIMAN"}}},
		{"full name extra word", func(d *DocumentData) { d.FullName = "JANE Q SPECIMEN SMITH" },
			[]Mismatch{{"full_name", "JANE Q SPECIMEN", "JANE Q SPECIMEN SMITH"}}},
		{"full name other middle", func(d *DocumentData) { d.FullName = "JANE R SPECIMEN" },
			[]Mismatch{{"full_name", "JANE Q SPECIMEN", "JANE R SPECIMEN"}}},
		{"expiry", func(d *DocumentData) { d.ExpirationDate = "2031-03-14" },
			[]Mismatch{{"expiration_date", "2030-03-14", "2031-03-14"}}},
		{"issue as text", func(d *DocumentData) { d.IssueDate = "June 2022" },
			[]Mismatch{{"issue_date", "2022-06-01", "June 2022"}}},
		{"address", func(d *DocumentData) { d.Address = "125 SPECIMEN ST, ANYTOWN, NY 12345" },
			[]Mismatch{{"address", "123 SPECIMEN ST, ANYTOWN, NY 12345", "125 SPECIMEN ST, ANYTOWN, NY 12345"}}},
		{"two fields, in order", func(d *DocumentData) { d.DOB, d.DocumentNumber = "1999-03-14", "X1" },
			[]Mismatch{{"document_number", "SPEC00012345", "X1"}, {"dob", "1985-03-14", "1999-03-14"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := matching
			tc.edit(&d)
			if got := Compare(specimen, d); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// What the comparison forgives.
func TestCompareForgives(t *testing.T) {
	tests := []struct {
		name string
		f    func(*Fields)
		d    func(*DocumentData)
	}{
		{"accents and case in names", func(f *Fields) { f.LastName = "ÉCHANTILLON" }, func(d *DocumentData) {
			d.SurName, d.FullName = "echantillon", "Jane Q Echantillon"
		}},
		{"hyphen and apostrophe", func(f *Fields) { f.LastName = "O'NEIL-SMITH" }, func(d *DocumentData) {
			d.SurName, d.FullName = "ONEIL SMITH", "JANE Q O'NEIL SMITH"
		}},
		{"full middle name vs initial", func(f *Fields) { f.MiddleName = "QUINN" }, func(*DocumentData) {}},
		{"full name without middle", func(*Fields) {}, func(d *DocumentData) { d.FullName = "JANE SPECIMEN" }},
		{"ZIP+4 in the barcode only", func(f *Fields) { f.PostalCode = "12345-6789" }, func(*DocumentData) {}},
		{"street only in the document", func(*Fields) {}, func(d *DocumentData) { d.Address = "123 SPECIMEN ST" }},
		{"missing on one side", func(f *Fields) { f.DOB, f.Address = "", "" }, func(d *DocumentData) { d.IssueDate = "" }},
		{"document number case and dashes", func(*Fields) {}, func(d *DocumentData) { d.DocumentNumber = "spec–0001–2345" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, d := specimen, matching
			tc.f(&f)
			tc.d(&d)
			if got := Compare(f, d); len(got) != 0 {
				t.Errorf("mismatches %+v", got)
			}
		})
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Élodie": "ELODIE", "straße": "STRASSE", "Øyvind": "OYVIND", "Łukasz": "LUKASZ", "Ĳssel": "IJSSEL",
		"ñandú": "NANDU", "Zoë": "ZOE", "plain": "PLAIN",
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}
