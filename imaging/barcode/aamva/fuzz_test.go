package aamva

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse: any input gives a card or one of the package's errors, never
// a panic, and the fields stay clean and bounded.
func FuzzParse(f *testing.F) {
	f.Add([]byte(buildFile("ANSI ", "636000", 10, 0, []subfile{{"DL", v10Elements}, {"ZV", []string{"ZVA01"}}})))
	f.Add([]byte(buildFile("ANSI ", "636014", 1, 0, []subfile{{"DL", []string{"DAASAMPLE,MICHAEL,JOHN", "DBB19860715"}}})))
	f.Add([]byte(buildFile("AAMVA", "636000", 3, 1, []subfile{{"ID", []string{"DCSSAMPLE", "DCTMICHAEL JOHN"}}})))
	f.Add([]byte("@\n\x1e\rANSI 636000100001DL00310004DL\r"))
	f.Add([]byte("@\n\x1c\rANSI 6360001000"))
	f.Add([]byte("@"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			if c != nil {
				t.Fatalf("card with error %v", err)
			}
			if !errors.Is(err, ErrNotAAMVA) && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		for _, v := range []string{c.Fields.FirstName, c.Fields.MiddleName, c.Fields.LastName, c.Fields.DocumentNumber,
			c.Fields.Address, c.Fields.City, c.Fields.State, c.Fields.PostalCode, c.Fields.Sex, c.Fields.DOB,
			c.Fields.ExpirationDate, c.Fields.IssueDate} {
			if !utf8.ValidString(v) || strings.ContainsAny(v, "\x00\n\r\x1e") {
				t.Fatalf("unclean value %q", v)
			}
			if n := utf8.RuneCountInString(v); n > 2*maxValueRunes+2 {
				t.Fatalf("value of %d runes", n)
			}
		}
		for _, d := range []string{c.Fields.DOB, c.Fields.ExpirationDate, c.Fields.IssueDate} {
			if _, ok := datePart(d); d != "" && (!ok || len(d) != 10) {
				t.Fatalf("date %q", d)
			}
		}
		// Comparing with anything never panics and yields a list.
		if Compare(c.Fields, DocumentData{FirstName: c.Fields.LastName, DOB: "x", Address: "y"}) == nil {
			t.Fatal("nil mismatches")
		}
	})
}
