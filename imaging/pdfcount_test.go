package imaging

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// pdfOf writes objs (bodies of objects 1…n) as a one-revision PDF with a
// correct cross-reference table and the trailer's /Root 1 0 R.
func pdfOf(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// pdfCountCases are the table of CountPDFPages; want 0 means ErrPageCountUnsure.
func pdfCountCases() []struct {
	name string
	data []byte
	want int
} {
	onePage := pdfOf("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>")
	content := "BT (/Type /Page) Tj ET\n/Type /Page"
	withStream := pdfOf("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	updated := append(bytes.Clone(onePage), []byte("3 0 obj\n<< /Type /Page >>\nendobj\ntrailer\n<< /Root 1 0 R /Prev 9 >>\nstartxref\n9\n%%EOF\n")...)
	return []struct {
		name string
		data []byte
		want int
	}{
		{"one page", onePage, 1},
		{"two pages (generator)", makePDF(testPDF{pages: 2}), 2},
		{"five pages, compressed content", makePDF(testPDF{pages: 5, heavyOps: 20}), 5},
		{"/Type /Page inside a content stream", withStream, 1},
		{"tree claims a million", makePDF(testPDF{pages: 1, claimedCount: 1000000}), 0},
		{"tree claims fewer than there are", makePDF(testPDF{pages: 3, claimedCount: 2}), 0},
		{"incremental update", updated, 0},
		{"encrypted", bytes.Replace(onePage, []byte("/Root 1 0 R"), []byte("/Root 1 0 R /Encrypt 9 0 R"), 1), 0},
		{"object stream", bytes.Replace(onePage, []byte("/Type /Catalog"), []byte("/Type /Catalog /X /ObjStm"), 1), 0},
		{"truncated", onePage[:len(onePage)/2], 0},
		{"no header", onePage[1:], 0},
		{"html", []byte("<!DOCTYPE html><html></html>"), 0},
		{"empty", nil, 0},
		{"startxref points nowhere", bytes.Replace(onePage, []byte("startxref\n"), []byte("startxref\n9"), 1), 0},
		{"root is not a page tree", pdfOf("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Page /Count 1 >>"), 0},
		{"dangling root", pdfOf("<< /Type /Catalog /Pages 7 0 R >>", "<< /Type /Pages /Count 1 >>", "<< /Type /Page >>"), 0},
		{"negative count", pdfOf("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count -1 >>"), 0},
		{"unclosed stream", bytes.Replace(withStream, []byte("endstream"), []byte("endstrea"), 1), 0},
		{"two objects with one number", bytes.Replace(onePage, []byte("endobj\nxref"), []byte("endobj\n2 0 obj\n<< /Type /Pages /Count 1 >>\nendobj\nxref"), 1), 0},
	}
}

func TestCountPDFPages(t *testing.T) {
	for _, tc := range pdfCountCases() {
		t.Run(tc.name, func(t *testing.T) {
			n, err := CountPDFPages(tc.data)
			switch {
			case tc.want == 0 && (!errors.Is(err, ErrPageCountUnsure) || n != 0):
				t.Errorf("got %d, %v; want ErrPageCountUnsure", n, err)
			case tc.want != 0 && (err != nil || n != tc.want):
				t.Errorf("got %d, %v; want %d", n, err, tc.want)
			}
		})
	}
}

// Where CountPDFPages answers, the PDF engine agrees.
func TestCountPDFPagesAgreesWithTheEngine(t *testing.T) {
	e := testPDFEngine(t)
	for _, tc := range pdfCountCases() {
		n, err := CountPDFPages(tc.data)
		if err != nil {
			continue
		}
		d, err := e.Open(context.Background(), tc.data)
		if err != nil {
			t.Errorf("%s: counted %d pages, the engine cannot open it: %v", tc.name, n, err)
			continue
		}
		if d.Pages() != n {
			t.Errorf("%s: counted %d pages, the engine %d", tc.name, n, d.Pages())
		}
		d.Close()
	}
}

func FuzzCountPDFPages(f *testing.F) {
	for _, tc := range pdfCountCases() {
		f.Add(tc.data)
	}
	f.Add([]byte("%PDF-1.4\nstream\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := CountPDFPages(data)
		if err == nil && (n < 1 || n > maxCountedPages) {
			t.Fatalf("count %d without an error", n)
		}
		if err != nil && (n != 0 || !errors.Is(err, ErrPageCountUnsure)) {
			t.Fatalf("got %d, %v", n, err)
		}
		if err == nil && !strings.HasPrefix(string(data), "%PDF-") {
			t.Fatal("counted a file without a PDF header")
		}
	})
}
