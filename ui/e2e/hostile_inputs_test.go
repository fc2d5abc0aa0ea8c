//go:build e2e

package e2e

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	be "encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"unicode/utf8"
)

// Generators of hostile and malformed inputs for hostile_test.go. Everything
// is built in memory from scratch (or read from ../../imaging/testdata).

// Paths a RiskOS documents ZIP uses for the three images and the attachments.
const (
	frontPath  = "user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg"
	selfiePath = "user_uploaded/vouched_id_verification/Doc_Selfie_1_blob.jpg"
	pdfPath    = "case_attachments/identity.pdf"
)

// zent is one entry of a generated ZIP. With raw set, data is written as the
// already-compressed bytes of hdr (which may lie about sizes, CRC or flags).
type zent struct {
	name   string
	data   []byte
	store  bool
	raw    bool
	hdr    zip.FileHeader
	repeat int // write the entry this many times (0 = once)
}

// buildZIP writes the entries into a ZIP archive in memory.
func buildZIP(t testing.TB, ents ...zent) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range ents {
		for range max(e.repeat, 1) {
			var w interface{ Write([]byte) (int, error) }
			var err error
			switch {
			case e.raw:
				h := e.hdr
				h.Name = e.name
				w, err = zw.CreateRaw(&h)
			default:
				m := zip.Deflate
				if e.store {
					m = zip.Store
				}
				w, err = zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: m})
			}
			if err != nil {
				t.Fatalf("zip entry %q: %v", e.name, err)
			}
			if _, err := w.Write(e.data); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deflate compresses data with raw DEFLATE (as a ZIP entry holds it).
func deflate(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestSpeed)
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	fw.Close()
	return buf.Bytes()
}

// rawEntry is an entry whose header says what hdr says and whose data is
// the DEFLATE stream of real.
func rawEntry(t testing.TB, name string, real []byte, declared uint64, flags uint16) zent {
	t.Helper()
	comp := deflate(t, real)
	return zent{name: name, raw: true, data: comp, hdr: zip.FileHeader{
		Method: zip.Deflate, Flags: flags, CRC32: crc32.ChecksumIEEE(real),
		CompressedSize64: uint64(len(comp)), UncompressedSize64: declared,
	}}
}

var (
	goodJPEGOnce sync.Once
	goodJPEGData []byte
)

// goodJPEG is a small valid baseline JPEG (640×400, a gradient with noise).
func goodJPEG(t testing.TB) []byte {
	goodJPEGOnce.Do(func() {
		img := image.NewRGBA(image.Rect(0, 0, 640, 400))
		r := rand.New(rand.NewPCG(1, 2))
		for y := range 400 {
			for x := range 640 {
				img.Set(x, y, color.RGBA{uint8(x / 3), uint8(y / 2), uint8(r.IntN(64) + 96), 255})
			}
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
			panic(err)
		}
		goodJPEGData = buf.Bytes()
	})
	return bytes.Clone(goodJPEGData)
}

func smallImage() image.Image {
	img := image.NewPaletted(image.Rect(0, 0, 64, 48), []color.Color{color.Black, color.White})
	for i := range img.Pix {
		img.Pix[i] = uint8(i % 2)
	}
	return img
}

func pngBytes(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, smallImage()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gifBytes(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := gif.Encode(&buf, smallImage(), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// testdata reads a file of the imaging package's test data.
func testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "imaging", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jpegSegment finds the first marker m (0xFFm) and returns its offset.
func jpegSegment(t testing.TB, data []byte, m byte) int {
	t.Helper()
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			t.Fatalf("no marker at %d", i)
		}
		if data[i+1] == m {
			return i
		}
		if data[i+1] == 0xDA {
			break
		}
		i += 2 + int(be.BigEndian.Uint16(data[i+2:]))
	}
	t.Fatalf("marker %#x not found", m)
	return 0
}

// dimensionBomb is the good JPEG with its SOF0 claiming 65535×65535 pixels.
func dimensionBomb(t testing.TB) []byte {
	b := goodJPEG(t)
	i := jpegSegment(t, b, 0xC0)
	be.BigEndian.PutUint16(b[i+5:], 0xFFFF)
	be.BigEndian.PutUint16(b[i+7:], 0xFFFF)
	return b
}

// brokenEXIF is the good JPEG with an APP1 Exif segment whose IFD0 claims
// huge counts and offsets and whose next-IFD pointer loops to itself.
func brokenEXIF(t testing.TB) []byte {
	le := be.LittleEndian
	tiff := []byte("II*\x00\x08\x00\x00\x00")
	ifd := make([]byte, 2+3*12+4)
	le.PutUint16(ifd, 3)
	ent := func(i int, tag, typ uint16, count, value uint32) {
		e := ifd[2+12*i:]
		le.PutUint16(e, tag)
		le.PutUint16(e[2:], typ)
		le.PutUint32(e[4:], count)
		le.PutUint32(e[8:], value)
	}
	ent(0, 0x0112, 3, 0x7FFFFFFF, 0xFFFFFF00) // Orientation: 2 G shorts somewhere past the end
	ent(1, 0x8769, 4, 1, 0xFFFFFFF0)          // Exif IFD pointer past the end
	ent(2, 0x010F, 2, 0xFFFFFFFF, 8)          // Make: 4 GB ASCII at the IFD itself
	le.PutUint32(ifd[2+36:], 8)               // next IFD: IFD0 again (a loop)
	payload := append(append([]byte("Exif\x00\x00"), tiff...), ifd...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	be.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	b := goodJPEG(t)
	return append(append(append([]byte{}, b[:2]...), seg...), b[2:]...)
}

// manyScans is imaging/testdata/progressive.jpg with its last scan repeated
// until the file holds n scans.
func manyScans(t testing.TB, n int) []byte {
	t.Helper()
	b := testdata(t, "progressive.jpg")
	var sos []int
	eoi := -1
	for i := 2; i+1 < len(b); {
		if b[i] != 0xFF {
			i++
			continue
		}
		m := b[i+1]
		switch {
		case m == 0x00 || m == 0xFF || (m >= 0xD0 && m <= 0xD7):
			i += 2
			continue
		case m == 0xD9:
			eoi = i
		case m == 0xDA:
			sos = append(sos, i)
		}
		if eoi >= 0 {
			break
		}
		seglen := int(be.BigEndian.Uint16(b[i+2:]))
		i += 2 + seglen
		if m == 0xDA { // entropy-coded data follows: skip to the next real marker
			for i+1 < len(b) && !(b[i] == 0xFF && b[i+1] != 0x00 && !(b[i+1] >= 0xD0 && b[i+1] <= 0xD7)) {
				i++
			}
		}
	}
	if len(sos) == 0 || eoi < 0 {
		t.Fatalf("progressive.jpg: %d scans, EOI at %d", len(sos), eoi)
	}
	last := b[sos[len(sos)-1]:eoi]
	out := append([]byte{}, b[:eoi]...)
	for range n - len(sos) {
		out = append(out, last...)
	}
	return append(out, 0xFF, 0xD9)
}

// pdfDoc assembles a PDF from object bodies (numbered from 1, the first the
// catalog) with a correct cross-reference table.
func pdfDoc(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
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

// goodPDF is a valid one-page PDF with a line of text.
func goodPDF() []byte {
	content := "BT /F1 24 Tf 72 700 Td (Specimen attachment) Tj ET"
	return pdfDoc(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	)
}

// hugePageCountPDF has one page but a page tree claiming a million.
func hugePageCountPDF() []byte {
	return pdfDoc(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 3 0 R 3 0 R 3 0 R] /Count 1000000 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
	)
}

const htmlPage = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form>Session expired</form></body></html>\n"

// withSelfie is a case's entries plus a good selfie, so that "the rest of
// the case still shows" can be checked.
func withSelfie(t testing.TB, ents ...zent) []byte {
	return buildZIP(t, append(ents, zent{name: selfiePath, data: goodJPEG(t)})...)
}

// zeros returns n zero bytes.
func zeros(n int) []byte { return make([]byte, n) }

// sparseNoise is n bytes, mostly zero, that DEFLATE compresses at roughly
// 20–60:1: under the archive's ratio limit of 100, so only sizes trip.
func sparseNoise(n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(7, 9))
	for i := 0; i < n; i += 1 + r.IntN(40) {
		b[i] = byte(r.IntN(256))
	}
	return b
}

// traversalNames are unsafe entry names in every spelling we know.
var traversalNames = map[string]string{
	"dotdot":          "../evil.jpg",
	"nested dotdot":   "a/../../evil.jpg",
	"absolute":        "/etc/evil.jpg",
	"backslash":       `\..\evil.jpg`,
	"drive backslash": `C:\evil.jpg`,
	"drive slash":     "C:/evil.jpg",
	"unc":             `\\server\share\evil.jpg`,
	"dot dotdot":      "./../evil.jpg",
	"percent":         "%2e%2e/evil.jpg",
	"percent slash":   "..%2fevil.jpg",
	"fullwidth dots":  "\uFF0E\uFF0E/evil.jpg",
	"two-dot leader":  "\u2025/evil.jpg",
	"trailing dots":   ".. ./evil.jpg",
	"nul":             "evil.jpg\x00.pdf",
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

// manyEntries is a ZIP of n tiny entries.
func manyEntries(t testing.TB, n int) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := range n {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("other/f%05d.txt", i), Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("x"))
	}
	zw.Close()
	return buf.Bytes()
}

// containsControl reports control characters, invalid UTF-8 or U+FFFD in s.
func containsControl(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if r == '\uFFFD' || (r < 0x20 && r != '\t') || (r >= 0x7f && r < 0xa0) {
			return true
		}
	}
	return false
}
