package simulator

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"unicode/utf16"
)

// This file writes small, valid PDF 1.4 files by hand: uncompressed content
// streams set in the standard Helvetica fonts, and a cross-reference table
// whose offsets are computed from the bytes actually written.

// pdfPage is one page: a bold heading and body lines.
type pdfPage struct {
	heading string
	lines   []string
}

// pdfDocument is the input of makePDF.
type pdfDocument struct {
	title string
	pages []pdfPage
}

// Fixed object numbers; page i uses firstPageObj+2i and its content stream
// firstPageObj+2i+1.
const (
	objCatalog   = 1
	objPages     = 2
	objFontBody  = 3
	objFontBold  = 4
	objInfo      = 5
	firstPageObj = 6
)

// makePDF lays out doc on US Letter pages and serialises it.
func makePDF(doc pdfDocument) []byte {
	n := len(doc.pages)
	objs := make([]string, firstPageObj+2*n) // index = object number; 0 unused
	kids := make([]string, n)
	for i := range doc.pages {
		kids[i] = fmt.Sprintf("%d 0 R", firstPageObj+2*i)
	}
	objs[objCatalog] = fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", objPages)
	objs[objPages] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n)
	objs[objFontBody] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
	objs[objFontBold] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
	objs[objInfo] = fmt.Sprintf("<< /Title %s /Producer (DocV Review simulator) /Creator (DocV Review simulator) /CreationDate (D:20250115103000Z) >>",
		pdfTextString(doc.title))
	for i, p := range doc.pages {
		content := pageContent(p, i+1, n)
		objs[firstPageObj+2*i] = fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "+
			"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>",
			objPages, objFontBody, objFontBold, firstPageObj+2*i+1)
		objs[firstPageObj+2*i+1] = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content)
	}

	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")
	offsets := make([]int, len(objs))
	for num := 1; num < len(objs); num++ {
		offsets[num] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", num, objs[num])
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs))
	for num := 1; num < len(objs); num++ {
		fmt.Fprintf(&b, "%010d 00000 n \n", offsets[num])
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		len(objs), objCatalog, objInfo, xref)
	return b.Bytes()
}

// pageContent is the content stream of one page: a frame, a banner, the
// heading, the lines and a footer.
func pageContent(p pdfPage, num, total int) string {
	var s strings.Builder
	s.WriteString("0.13 0.2 0.44 RG 1.5 w 36 36 540 720 re S\n")
	s.WriteString("0.93 0.95 0.98 rg 37 700 538 55 re f\n")
	fmt.Fprintf(&s, "BT /F2 20 Tf 0.13 0.2 0.44 rg 56 720 Td %s Tj ET\n", pdfString(p.heading))
	// A line "Label:   value" is set as a bold label and an aligned value.
	for i, line := range p.lines {
		y := 670 - 16*i
		if label, value, ok := strings.Cut(line, ":  "); ok {
			fmt.Fprintf(&s, "BT /F2 11 Tf 0 0 0 rg 56 %d Td %s Tj ET\n", y, pdfString(label+":"))
			fmt.Fprintf(&s, "BT /F1 11 Tf 0 0 0 rg 170 %d Td %s Tj ET\n", y, pdfString(strings.TrimSpace(value)))
			continue
		}
		fmt.Fprintf(&s, "BT /F1 11 Tf 0 0 0 rg 56 %d Td %s Tj ET\n", y, pdfString(line))
	}
	fmt.Fprintf(&s, "BT /F1 8 Tf 0.4 0.4 0.4 rg 56 50 Td %s Tj ET",
		pdfString(fmt.Sprintf("SYNTHETIC SPECIMEN · no real personal data · page %d of %d", num, total)))
	return s.String()
}

// pdfTextString encodes s for the document information dictionary: a
// literal string when it is printable ASCII, else UTF-16BE with a byte
// order mark, as hexadecimal.
func pdfTextString(s string) string {
	ascii := true
	for _, r := range s {
		if r < 0x20 || r >= 0x7F {
			ascii = false
			break
		}
	}
	if ascii {
		return pdfString(s)
	}
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteByte('>')
	return b.String()
}

// pdfString returns s as a PDF literal string in WinAnsiEncoding (for text
// shown on a page), with
// parentheses and backslashes escaped and non-ASCII written as octal.
func pdfString(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7F:
			b.WriteRune(r)
		case r == '—':
			b.WriteString(`\227`)
		case r == '–':
			b.WriteString(`\226`)
		case r == '·':
			b.WriteString(`\267`)
		default:
			b.WriteByte('?')
		}
	}
	b.WriteByte(')')
	return b.String()
}

// The reviewer PDFs, generated once per process.
var (
	licenseNotePDF = sync.OnceValue(func() []byte {
		return makePDF(pdfDocument{title: "Reviewer note — SPECIMEN", pages: []pdfPage{{
			heading: "Reviewer note — SPECIMEN",
			lines: []string{
				"Synthetic document generated by the DocV Review simulator.",
				"",
				"Subject:       " + specimenFull + " (fictitious)",
				"Document:      Driver License " + specimenDocNo + " (specimen, state of Specimen)",
				"Date of birth: " + specimenDOB,
				"Reviewer:      A. Example (Dashboard)",
				"",
				"Front and back reviewed: layout, fonts and barcode consistent.",
				"Portrait on the card compared with the selfie: same drawn face.",
				"Decision recommended: accept.",
				"",
				"This file contains no real personal data.",
			},
		}}})
	})
	passportNotePDF = sync.OnceValue(func() []byte {
		return makePDF(pdfDocument{title: "Reviewer note — SPECIMEN", pages: []pdfPage{{
			heading: "Reviewer note — SPECIMEN",
			lines: []string{
				"Synthetic document generated by the DocV Review simulator.",
				"",
				"Subject:       " + specimenFull + " (fictitious)",
				"Document:      Passport " + specimenPassNo + " (specimen)",
				"MRZ checked:   P<USASPECIMEN<<JANE<Q",
				"Reviewer:      B. Sample (Dashboard)",
				"",
				"Passports have no back side; none expected.",
				"",
				"This file contains no real personal data.",
			},
		}}})
	})
	additionalDocPDF = sync.OnceValue(func() []byte {
		return makePDF(pdfDocument{title: "Additional document — SPECIMEN", pages: []pdfPage{
			{
				heading: "Proof of address — SPECIMEN",
				lines: []string{
					"Utility statement (synthetic) for " + specimenFull,
					"Service address:  " + specimenAddress,
					"Statement date:  2025-01-02",
					"Account:         0000-SPECIMEN-0000",
					"",
					"Amount due:      $0.00 (specimen)",
				},
			},
			{
				heading: "Proof of address — SPECIMEN (continued)",
				lines: []string{
					"Usage history (synthetic):",
					"  2024-10   123 units",
					"  2024-11   118 units",
					"  2024-12   131 units",
					"",
					"End of document.",
				},
			},
		}})
	})
)
