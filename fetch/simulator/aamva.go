package simulator

import (
	"fmt"
	"strings"
)

// This file writes the content of the PDF417 on the licence back, laid out
// as the AAMVA DL/ID card design standard (version 10, 2020) prescribes:
// a header ("@", LF, RS, CR, "ANSI ", issuer identification number,
// AAMVA version, jurisdiction version, number of entries), one subfile
// designator per subfile (type, offset and length, four digits each), then
// the subfiles: their type, data elements separated by LF, a CR at the end.

// aamvaIIN is the issuer identification number written in the header
// (the specimen is "issued" in New York).
const aamvaIIN = "636001"

// aamvaSubfile is one subfile: its two-letter type and its elements
// (three-letter ID followed by the value) in order.
type aamvaSubfile struct {
	typ      string
	elements []string
}

// aamvaFile lays out the subfiles with a version-10 header.
func aamvaFile(subs []aamvaSubfile) string {
	head := fmt.Sprintf("@\n\x1e\rANSI %s%02d%02d%02d", aamvaIIN, 10, 0, len(subs))
	bodies := make([]string, len(subs))
	for i, s := range subs {
		bodies[i] = s.typ + strings.Join(s.elements, "\n") + "\r"
	}
	var b strings.Builder
	b.WriteString(head)
	off := len(head) + 10*len(subs)
	for i, s := range subs {
		fmt.Fprintf(&b, "%s%04d%04d", s.typ, off, len(bodies[i]))
		off += len(bodies[i])
	}
	for _, body := range bodies {
		b.WriteString(body)
	}
	return b.String()
}

// aamvaDate writes a YYYY-MM-DD date as the standard's US form MMDDCCYY.
func aamvaDate(iso string) string {
	if len(iso) != 10 {
		panic("simulator: aamvaDate: not YYYY-MM-DD: " + iso) // compiled-in constants only
	}
	return iso[5:7] + iso[8:10] + iso[:4]
}

// specimenAAMVA is the licence back's barcode content: the specimen
// holder's data as printed on the front (the document number without its
// dashes, as issuers encode it).
func specimenAAMVA() string {
	return aamvaFile([]aamvaSubfile{
		{"DL", []string{
			"DCAD",
			"DCBNONE",
			"DCDNONE",
			"DBA" + aamvaDate(specimenExpiry),
			"DCS" + specimenSurname,
			"DAC" + specimenFirst,
			"DAD" + specimenMiddle,
			"DBD" + aamvaDate(specimenIssue),
			"DBB" + aamvaDate(specimenDOB),
			"DBC2", // female
			"DAYBRO",
			"DAU066 IN",
			"DAG" + specimenStreet,
			"DAI" + specimenTown,
			"DAJ" + specimenState,
			"DAK" + specimenZIP + "0000  ",
			"DAQ" + strings.ReplaceAll(specimenDocNo, "-", ""),
			"DCFDD000011112222SPEC",
			"DCGUSA",
			"DDEN",
			"DDFN",
			"DDGN",
		}},
		{"ZN", []string{"ZNASPECIMEN"}},
	})
}
