package imaging

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
)

// testPDF describes a small PDF built by makePDF.
type testPDF struct {
	pages        int    // page objects really present (default 1)
	claimedCount int    // /Count written in the page tree (default pages)
	transparent  bool   // give pages a transparency group
	heavyOps     int    // extra tiny filled rectangles per page (slow to render)
	width        int    // MediaBox width in points (default 612)
	height       int    // MediaBox height in points (default 792)
	text         string // drawn on each page (default "DocV test")
}

// makePDF writes a valid PDF with a correct cross-reference table. Each page
// has a blue 200×100 pt rectangle at (72, 72) from the bottom left and a
// line of Helvetica text near the top.
func makePDF(p testPDF) []byte {
	if p.pages == 0 {
		p.pages = 1
	}
	if p.claimedCount == 0 {
		p.claimedCount = p.pages
	}
	if p.width == 0 {
		p.width = 612
	}
	if p.height == 0 {
		p.height = 792
	}
	if p.text == "" {
		p.text = "DocV test"
	}

	var content strings.Builder
	fmt.Fprintf(&content, "BT /F1 24 Tf 72 %d Td (%s) Tj ET\n0 0 1 rg 72 72 200 100 re f\n", p.height-92, p.text)
	for i := 0; i < p.heavyOps; i++ {
		fmt.Fprintf(&content, "%d %d 0.5 0.5 re f\n", 10+i%500, 300+(i/500)%300)
	}
	stream := []byte(content.String())
	filter := ""
	if p.heavyOps > 0 {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		_, _ = zw.Write(stream)
		_ = zw.Close()
		stream = z.Bytes()
		filter = " /Filter /FlateDecode"
	}

	var b bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	var kids strings.Builder
	for i := 0; i < p.pages; i++ {
		fmt.Fprintf(&kids, "%d 0 R ", 5+i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids.String(), p.claimedCount))
	offsets = append(offsets, b.Len())
	fmt.Fprintf(&b, "3 0 obj\n<< /Length %d%s >>\nstream\n", len(stream), filter)
	b.Write(stream)
	b.WriteString("\nendstream\nendobj\n")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	group := ""
	if p.transparent {
		group = " /Group << /Type /Group /S /Transparency /CS /DeviceRGB >>"
	}
	for i := 0; i < p.pages; i++ {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >>%s >>",
			p.width, p.height, group))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}
