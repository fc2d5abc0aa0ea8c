package simulator

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"testing"
)

// checkPDFStructure verifies the header, the cross-reference table, the
// trailer and every stream length of a generated PDF, and returns its page
// count.
func checkPDFStructure(t *testing.T, b []byte) int {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-1.")) {
		t.Fatalf("header %q", b[:min(8, len(b))])
	}
	if !bytes.HasSuffix(b, []byte("%%EOF\n")) {
		t.Fatal("no end-of-file marker at the end")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if xref >= len(b) || !bytes.HasPrefix(b[xref:], []byte("xref\n")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	sub := regexp.MustCompile(`^xref\n0 (\d+)\n`).FindSubmatch(b[xref:])
	if sub == nil {
		t.Fatal("no xref subsection header")
	}
	n, _ := strconv.Atoi(string(sub[1]))
	entries := b[xref+len(sub[0]):]
	if len(entries) < 20*n {
		t.Fatalf("xref table shorter than %d entries", n)
	}
	if string(entries[:20]) != "0000000000 65535 f \n" {
		t.Errorf("entry 0 is %q", entries[:20])
	}
	entry := regexp.MustCompile(`^(\d{10}) 00000 n \n$`)
	for num := 1; num < n; num++ {
		e := entries[20*num : 20*num+20]
		em := entry.FindSubmatch(e)
		if em == nil {
			t.Fatalf("entry %d is %q (each must be exactly 20 bytes)", num, e)
		}
		off, _ := strconv.Atoi(string(em[1]))
		want := fmt.Sprintf("%d 0 obj\n", num)
		if off >= len(b) || !bytes.HasPrefix(b[off:], []byte(want)) {
			t.Errorf("entry %d: offset %d points at %q, want %q", num, off, b[off:min(off+12, len(b))], want)
		}
	}
	trailer := entries[20*n:]
	if !regexp.MustCompile(fmt.Sprintf(`^trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\n`, n)).Match(trailer) {
		t.Errorf("trailer %q", trailer[:min(60, len(trailer))])
	}
	for _, sm := range regexp.MustCompile(`(?s)<< /Length (\d+) >>\nstream\n(.*?)\nendstream`).FindAllSubmatch(b, -1) {
		if l, _ := strconv.Atoi(string(sm[1])); l != len(sm[2]) {
			t.Errorf("stream /Length %d, actual %d", l, len(sm[2]))
		}
	}
	pages := len(regexp.MustCompile(`/Type /Page /`).FindAll(b, -1))
	cm := regexp.MustCompile(`/Type /Pages /Kids \[[^\]]*\] /Count (\d+)`).FindSubmatch(b)
	if cm == nil {
		t.Fatal("no page tree")
	}
	if count, _ := strconv.Atoi(string(cm[1])); count != pages {
		t.Errorf("/Count %d, %d page objects", count, pages)
	}
	return pages
}

func TestPDFs(t *testing.T) {
	cases := []struct {
		name  string
		b     []byte
		pages int
		text  string
	}{
		{"license note", licenseNotePDF(), 1, "(Reviewer note \\227 SPECIMEN) Tj"},
		{"passport note", passportNotePDF(), 1, "Passport X00000000"},
		{"additional document", additionalDocPDF(), 2, "(Proof of address \\227 SPECIMEN) Tj"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkPDFStructure(t, tc.b); got != tc.pages {
				t.Errorf("%d pages, want %d", got, tc.pages)
			}
			if !bytes.Contains(tc.b, []byte(tc.text)) {
				t.Errorf("text %q not found", tc.text)
			}
			if !bytes.Contains(tc.b, []byte("/BaseFont /Helvetica ")) {
				t.Error("not set in Helvetica")
			}
		})
	}
}

func TestPDFsInZIPs(t *testing.T) {
	for id, names := range map[string][]string{
		HappyID:    {nameIdentity, nameAdditional},
		PassportID: {nameIdentity},
	} {
		for _, name := range names {
			checkPDFStructure(t, zipEntry(t, CaseZIP(id), name))
		}
	}
}

func TestPDFWithEscapes(t *testing.T) {
	b := makePDF(pdfDocument{title: `a (b) \ c`, pages: []pdfPage{
		{heading: "Paren ) ( \\", lines: []string{"Label:   value (x)", "", "é — · –"}},
		{heading: "two"}, {heading: "three"},
	}})
	if got := checkPDFStructure(t, b); got != 3 {
		t.Errorf("%d pages", got)
	}
	for _, want := range []string{`/Title (a \(b\) \\ c)`, `(Paren \) \( \\) Tj`, `(Label:) Tj`, `(value \(x\)) Tj`, `(? \227 \267 \226) Tj`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("missing %q", want)
		}
	}
}

func TestPDFStrings(t *testing.T) {
	cases := []struct{ in, lit, text string }{
		{"plain", "(plain)", "(plain)"},
		{"a(b)c", `(a\(b\)c)`, `(a\(b\)c)`},
		{`back\slash`, `(back\\slash)`, `(back\\slash)`},
		{"em—dash", `(em\227dash)`, "<FEFF0065006D20140064006100730068>"},
		{"mid·dot", `(mid\267dot)`, "<FEFF006D0069006400B70064006F0074>"},
		{"tab\there", "(tab?here)", "<FEFF00740061006200090068006500720065>"},
		{"😀", "(?)", "<FEFFD83DDE00>"},
	}
	for _, c := range cases {
		if got := pdfString(c.in); got != c.lit {
			t.Errorf("pdfString(%q) = %s, want %s", c.in, got, c.lit)
		}
		if got := pdfTextString(c.in); got != c.text {
			t.Errorf("pdfTextString(%q) = %s, want %s", c.in, got, c.text)
		}
	}
}
