package aamva

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// subfile is one subfile for buildFile: its type and its elements in order.
type subfile struct {
	typ   string
	elems []string // "DAQ123", …
}

// buildFile lays out an AAMVA file as the standard's header section
// describes it: "@", LF, RS, CR, "ANSI ", IIN, version, jurisdiction
// version (versions 2 and later), number of entries, one designator per
// subfile (type, offset and length, 4 digits each), then the subfiles,
// each its type followed by elements separated by LF and ended by CR.
func buildFile(fileType, iin string, version, jurisdiction int, subs []subfile) string {
	head := "@\n\x1e\r" + fileType + iin + fmt.Sprintf("%02d", version)
	if version >= 2 {
		head += fmt.Sprintf("%02d", jurisdiction)
	}
	head += fmt.Sprintf("%02d", len(subs))
	bodies := make([]string, len(subs))
	for i, s := range subs {
		bodies[i] = s.typ + strings.Join(s.elems, "\n") + "\r"
	}
	off := len(head) + 10*len(subs)
	var designators strings.Builder
	for i, s := range subs {
		fmt.Fprintf(&designators, "%s%04d%04d", s.typ, off, len(bodies[i]))
		off += len(bodies[i])
	}
	return head + designators.String() + strings.Join(bodies, "")
}

// The element tables of the AAMVA DL/ID card design standard, as a
// version-10 (2020) licence from Virginia (IIN 636000) would carry them.
var v10Elements = []string{
	"DCAD", "DCBNONE", "DCDNONE", "DBA08312030", "DCSSAMPLE", "DACMICHAEL", "DADJOHN",
	"DBD08312022", "DBB07151986", "DBC1", "DAYBRO", "DAU070 IN", "DAG2300 WEST BROAD STREET",
	"DAIRICHMOND", "DAJVA", "DAK232690000  ", "DAQT64235789", "DCF2424244747474786102204",
	"DCGUSA", "DDEN", "DDFN", "DDGN", "DAZBRO", "DCK123456789", "DDAF", "DDB12102019", "DDK1",
}

var v10Want = Fields{
	FirstName: "MICHAEL", MiddleName: "JOHN", LastName: "SAMPLE", DOB: "1986-07-15",
	DocumentNumber: "T64235789", ExpirationDate: "2030-08-31", IssueDate: "2022-08-31",
	Address: "2300 WEST BROAD STREET", City: "RICHMOND", State: "VA", PostalCode: "23269", Sex: "M",
}

func TestParseVersions(t *testing.T) {
	// Versions 4–10 share the element set of v10Elements (DCS/DAC/DAD).
	modern := func(v int) string {
		return buildFile("ANSI ", "636000", v, 0, []subfile{{"DL", v10Elements}, {"ZV", []string{"ZVA01"}}})
	}
	// Version 1 (AAMVA DL/ID-2000): DAA full name "LAST,FIRST,MIDDLE",
	// dates CCYYMMDD, sex as a letter, no jurisdiction version.
	v1 := buildFile("ANSI ", "636014", 1, 0, []subfile{{"DL", []string{
		"DAQD1234562", "DAASAMPLE,MICHAEL,JOHN", "DAG2300 WEST BROAD STREET", "DAIRICHMOND", "DAJVA",
		"DAK23269", "DARD", "DAS", "DAT", "DBA20300831", "DBB19860715", "DBCM", "DBD20220831",
		"DAU507", "DAW175", "DAYBRO",
	}}})
	// Version 1 with the separate name elements instead of DAA.
	v1Split := buildFile("ANSI ", "636014", 1, 0, []subfile{{"DL", []string{
		"DAQD1234562", "DABSAMPLE", "DACMICHAEL", "DADJOHN", "DBB19860715", "DBA20300831", "DBD20220831", "DBC1",
	}}})
	// Versions 2 and 3 (2003, 2005): DCS family name, DCT given names
	// (first and middle), dates MMDDCCYY, DBC 1/2.
	v2 := buildFile("ANSI ", "636000", 2, 1, []subfile{{"DL", []string{
		"DCAD", "DCBNONE", "DCDNONE", "DBA08312030", "DCSSAMPLE", "DCTMICHAEL,JOHN", "DBD08312022",
		"DBB07151986", "DBC1", "DAYBRO", "DAU070 IN", "DAG2300 WEST BROAD STREET", "DAIRICHMOND",
		"DAJVA", "DAK232691234  ", "DAQT64235789", "DCF2424244747474786102204", "DCGUSA",
	}}})
	v3 := buildFile("ANSI ", "636000", 3, 0, []subfile{{"ID", []string{
		"DCSSAMPLE", "DCTMICHAEL JOHN", "DBA08312030", "DBB07151986", "DBD08312022", "DBC2",
		"DAQT64235789", "DAG2300 WEST BROAD STREET", "DAIRICHMOND", "DAJVA", "DAK23269",
	}}})
	// Canada (Ontario, IIN 636012): CCYYMMDD dates, postal code.
	ontario := buildFile("ANSI ", "636012", 8, 1, []subfile{{"DL", []string{
		"DCAG", "DCBX", "DCDNONE", "DBA20300831", "DCSÉCHANTILLON", "DACMARIE", "DADHÉLÈNE",
		"DBD20220831", "DBB19860715", "DBC2", "DAG123 RUE PRINCIPALE", "DAITORONTO", "DAJON",
		"DAKM5V 2T6", "DAQS1234-56789-01234", "DCGCAN", "DDEN", "DDFN", "DDGN",
	}}})

	v1Want := v10Want
	v1Want.DocumentNumber = "D1234562"
	v2Want := v10Want
	v2Want.PostalCode = "23269-1234"
	v3Want := v10Want
	v3Want.Sex = "F"
	tests := []struct {
		name        string
		data        string
		version     int
		subfile     string
		want        Fields
		wantCountry string
	}{
		{"v1 DAA", v1, 1, "DL", v1Want, ""},
		{"v1 DAB DAC DAD", v1Split, 1, "DL", Fields{FirstName: "MICHAEL", MiddleName: "JOHN", LastName: "SAMPLE",
			DOB: "1986-07-15", ExpirationDate: "2030-08-31", IssueDate: "2022-08-31", DocumentNumber: "D1234562", Sex: "M"}, ""},
		{"v2", v2, 2, "DL", v2Want, "USA"},
		{"v3 ID card", v3, 3, "ID", v3Want, ""},
		{"v4", modern(4), 4, "DL", v10Want, "USA"},
		{"v5", modern(5), 5, "DL", v10Want, "USA"},
		{"v6", modern(6), 6, "DL", v10Want, "USA"},
		{"v7", modern(7), 7, "DL", v10Want, "USA"},
		{"v8", modern(8), 8, "DL", v10Want, "USA"},
		{"v9", modern(9), 9, "DL", v10Want, "USA"},
		{"v10", modern(10), 10, "DL", v10Want, "USA"},
		{"Ontario", ontario, 8, "DL", Fields{FirstName: "MARIE", MiddleName: "HÉLÈNE", LastName: "ÉCHANTILLON",
			DOB: "1986-07-15", ExpirationDate: "2030-08-31", IssueDate: "2022-08-31", DocumentNumber: "S1234-56789-01234",
			Address: "123 RUE PRINCIPALE", City: "TORONTO", State: "ON", PostalCode: "M5V2T6", Sex: "F"}, "CAN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte(tc.data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if c.Version != tc.version || c.Subfile != tc.subfile || c.Country != tc.wantCountry {
				t.Errorf("version %d subfile %q country %q, want %d %q %q", c.Version, c.Subfile, c.Country, tc.version, tc.subfile, tc.wantCountry)
			}
			if c.Fields != tc.want {
				t.Errorf("fields\n got %+v\nwant %+v", c.Fields, tc.want)
			}
		})
	}
}

func TestParseHeaderNumbers(t *testing.T) {
	c, err := Parse([]byte(buildFile("ANSI ", "636026", 9, 4, []subfile{{"DL", v10Elements}})))
	if err != nil {
		t.Fatal(err)
	}
	if c.IIN != "636026" || c.Version != 9 || c.JurisdictionVersion != 4 {
		t.Errorf("IIN %q version %d jurisdiction %d", c.IIN, c.Version, c.JurisdictionVersion)
	}
}

// Deviations seen on real cards that the parser tolerates.
func TestParseQuirks(t *testing.T) {
	good := buildFile("ANSI ", "636000", 10, 0, []subfile{{"DL", v10Elements}})
	tests := map[string]string{
		// The pre-standard file type.
		"AAMVA file type": strings.Replace(good, "ANSI ", "AAMVA", 1),
		// File separator (0x1C) instead of the record separator.
		"FS separator": strings.Replace(good, "\x1e", "\x1c", 1),
		// The subfile offset is off by two.
		"offset off": strings.Replace(good, "DL0031", "DL0033", 1),
		// The designator is garbage: the subfile is found by its type.
		"bad designator": strings.Replace(good, "DL0031", "DLxxxx", 1),
		// Every element ends with CR LF.
		"CRLF": good[:31] + strings.ReplaceAll(good[31:], "\n", "\r\n"),
		// No segment terminator at the end.
		"no terminator": strings.TrimSuffix(good, "\r"),
		// Trailing bytes after the last subfile.
		"trailing": good + "\x00\x00 padding",
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			c, err := Parse([]byte(data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if c.Fields != v10Want {
				t.Errorf("fields\n got %+v\nwant %+v", c.Fields, v10Want)
			}
		})
	}
}

func TestParseHostile(t *testing.T) {
	good := buildFile("ANSI ", "636000", 10, 0, []subfile{{"DL", v10Elements}})
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNotAAMVA},
		{"not AAMVA", []byte("HELLO WORLD"), ErrNotAAMVA},
		{"no compliance indicator", []byte(good[1:]), ErrNotAAMVA},
		{"file type too far", []byte("@" + strings.Repeat(" ", 80) + "ANSI 636000100001DL00410278"), ErrNotAAMVA},
		{"truncated IIN", []byte("@\n\x1e\rANSI 6360"), ErrMalformed},
		{"letters for version", []byte("@\n\x1e\rANSI 636000XX0001"), ErrMalformed},
		{"truncated entries", []byte("@\n\x1e\rANSI 63600010"), ErrMalformed},
		{"no subfile", []byte("@\n\x1e\rANSI 6360001000"), ErrMalformed},
		{"subfile without elements", []byte("@\n\x1e\rANSI 636000100001DL00310004DL\r\r"), ErrMalformed},
		{"lower-case elements", []byte("@\n\x1e\rANSI 636000100001DL00310010DLdaqabc\r"), ErrMalformed},
		{"too large", append([]byte(good), make([]byte, MaxInput)...), ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tc.data)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Parse = %+v, %v; want %v", c, err, tc.want)
			}
			if c != nil {
				t.Errorf("card %+v with an error", c)
			}
		})
	}
}

// The values are cleaned: control characters become spaces, runs of
// spaces collapse, long values are cut, Latin-1 bytes are read as Latin-1.
func TestParseCleansValues(t *testing.T) {
	long := strings.Repeat("A", 500)
	data := buildFile("ANSI ", "636000", 10, 0, []subfile{{"DL", []string{
		"DCSO\x00NEIL\x07", "DAC  MARY   ANN ", "DAD" + long, "DAG1 RUE \xc9COLE", "DBB02302000", "DBA13012030",
		"DBD2022/08/31", "DBC7", "DAQ",
	}}})
	c, err := Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	f := c.Fields
	if f.LastName != "O NEIL" || f.FirstName != "MARY ANN" {
		t.Errorf("names %q %q", f.LastName, f.FirstName)
	}
	if n := len([]rune(f.MiddleName)); n != maxValueRunes {
		t.Errorf("middle name %d runes, want %d", n, maxValueRunes)
	}
	if f.Address != "1 RUE ÉCOLE" {
		t.Errorf("Latin-1 address %q", f.Address)
	}
	// 02/30/2000 and 13/01/2030 are not dates in either order; the issue
	// date with separators is read as CCYYMMDD after MMDDCCYY fails.
	if f.DOB != "" || f.ExpirationDate != "" || f.IssueDate != "2022-08-31" {
		t.Errorf("dates %q %q %q", f.DOB, f.ExpirationDate, f.IssueDate)
	}
	if f.Sex != "" || f.DocumentNumber != "" {
		t.Errorf("sex %q number %q", f.Sex, f.DocumentNumber)
	}
}

func TestNormDate(t *testing.T) {
	tests := []struct {
		in   string
		ymd  bool
		want string
	}{
		{"03141985", false, "1985-03-14"},
		{"19850314", true, "1985-03-14"},
		{"19850314", false, "1985-03-14"}, // MMDDCCYY fails (month 19): the other order
		{"03141985", true, "1985-03-14"},  // CCYYMMDD fails (year 0314)
		{"02292024", false, "2024-02-29"},
		{"02292023", false, ""},
		{"00000000", false, ""},
		{"1234567", false, ""},
		{"123456789", false, ""},
		{"03-14-1985", false, "1985-03-14"},
		{"0314198X", false, ""},
		{"", false, ""},
	}
	for _, tc := range tests {
		if got := normDate(tc.in, tc.ymd); got != tc.want {
			t.Errorf("normDate(%q, %v) = %q, want %q", tc.in, tc.ymd, got, tc.want)
		}
	}
}

func TestNormPostalAndSex(t *testing.T) {
	for in, want := range map[string]string{
		"123450000  ": "12345", "123456789": "12345-6789", "12345": "12345", "12345-6789": "12345-6789",
		"M5V 2T6": "M5V2T6", "": "",
	} {
		if got := normPostal(in); got != want {
			t.Errorf("normPostal(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"1": "M", "2": "F", "9": "X", "m": "M", "F": "F", "x": "X", "3": "", "": ""} {
		if got := normSex(in); got != want {
			t.Errorf("normSex(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitNames(t *testing.T) {
	for in, want := range map[string][3]string{
		"SAMPLE,MICHAEL,JOHN":    {"SAMPLE", "MICHAEL", "JOHN"},
		"SAMPLE,MICHAEL":         {"SAMPLE", "MICHAEL", ""},
		"SAMPLE$MICHAEL$J":       {"SAMPLE", "MICHAEL", "J"},
		"MICHAEL JOHN SAMPLE":    {"SAMPLE", "MICHAEL", "JOHN"},
		"SAMPLE":                 {"SAMPLE", "", ""},
		"SAMPLE, MICHAEL , J, R": {"SAMPLE", "MICHAEL", "J R"},
	} {
		l, f, m := splitFullName(in)
		if [3]string{l, f, m} != want {
			t.Errorf("splitFullName(%q) = %q %q %q, want %q", in, l, f, m, want)
		}
	}
	for in, want := range map[string][2]string{
		"MICHAEL,JOHN": {"MICHAEL", "JOHN"}, "MICHAEL JOHN PAUL": {"MICHAEL", "JOHN PAUL"}, "MICHAEL": {"MICHAEL", ""},
		"MICHAEL,JOHN,PAUL": {"MICHAEL", "JOHN PAUL"},
	} {
		f, m := splitGiven(in)
		if [2]string{f, m} != want {
			t.Errorf("splitGiven(%q) = %q %q, want %q", in, f, m, want)
		}
	}
}
