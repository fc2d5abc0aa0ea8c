package simulator

import (
	"context"
	"fmt"
	"image"
	"strings"
	"testing"

	"docvreview/imaging"
	"docvreview/imaging/barcode"
	"docvreview/imaging/barcode/aamva"
)

// decodeGray decodes a JPEG or PNG to gray, upright, with the imaging
// package (TurboJPEG unless built purego).
func decodeGray(t *testing.T, b []byte) *image.Gray {
	t.Helper()
	img, _, err := imaging.DecodeFull(b, imaging.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return imaging.Luma(img)
}

// turnGray returns img turned clockwise by q quarter turns (0, 1 or 2).
func turnGray(img *image.Gray, q int) *image.Gray {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	switch q {
	case 1:
		out := image.NewGray(image.Rect(0, 0, h, w))
		for y := 0; y < h; y++ {
			row := img.Pix[y*img.Stride:][:w]
			for x, v := range row {
				out.Pix[x*out.Stride+h-1-y] = v
			}
		}
		return out
	case 2:
		out := image.NewGray(image.Rect(0, 0, w, h))
		for i, v := range img.Pix[:w*h] {
			out.Pix[w*h-1-i] = v
		}
		return out
	}
	return img
}

// checkSpecimenSymbol reads the PDF417 in img and checks it holds the
// specimen's AAMVA data.
func checkSpecimenSymbol(t *testing.T, img *image.Gray) {
	t.Helper()
	syms, err := barcode.ReadPDF417(context.Background(), img)
	if err != nil {
		t.Fatalf("%d×%d: %v", img.Rect.Dx(), img.Rect.Dy(), err)
	}
	if len(syms) != 1 || string(syms[0].Data) != specimenAAMVA() {
		t.Fatalf("%d symbols; first differs from the specimen's data", len(syms))
	}
	card, err := aamva.Parse(syms[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	want := aamva.Fields{
		FirstName: specimenFirst, MiddleName: specimenMiddle, LastName: specimenSurname, DOB: specimenDOB,
		DocumentNumber: strings.ReplaceAll(specimenDocNo, "-", ""), ExpirationDate: specimenExpiry, IssueDate: specimenIssue,
		Address: specimenStreet, City: specimenTown, State: specimenState, PostalCode: specimenZIP, Sex: "F",
	}
	if card.Version != 10 || card.Fields != want {
		t.Errorf("version %d fields\n got %+v\nwant %+v", card.Version, card.Fields, want)
	}
	if m := aamva.Compare(card.Fields, aamva.DocumentData{
		FirstName: specimenFirst, SurName: specimenSurname, FullName: specimenFull, Address: specimenAddress,
		DocumentNumber: specimenDocNo, DOB: specimenDOB, ExpirationDate: specimenExpiry, IssueDate: specimenIssue,
	}); len(m) != 0 {
		t.Errorf("the barcode disagrees with the specimen's document data: %+v", m)
	}
}

// The licence back carries a real AAMVA PDF417 that survives the photo
// transform (placement, tilt, lighting, noise, JPEG q90) at 12 MP, turned
// by 90° and 180° too.
func TestBackBarcodeRoundTrip(t *testing.T) {
	if !barcode.Available() {
		t.Skip(barcode.ErrUnavailable)
	}
	img := decodeGray(t, licenseImages().back)
	for _, q := range []int{0, 1, 2} {
		t.Run(fmt.Sprintf("scale %v %d°", renderScale, 90*q), func(t *testing.T) {
			checkSpecimenSymbol(t, turnGray(img, q))
		})
	}
}

// The same capture drawn at a quarter of the size (1008×756, modules of
// about 2.6 pixels) still reads.
func TestBackBarcodeQuarterScale(t *testing.T) {
	if !barcode.Available() {
		t.Skip(barcode.ErrUnavailable)
	}
	b, err := makeBackAt(0.25)
	if err != nil {
		t.Fatal(err)
	}
	checkSpecimenSymbol(t, decodeGray(t, b))
}

func TestBarcodePNGDecodes(t *testing.T) {
	if !barcode.Available() {
		t.Skip(barcode.ErrUnavailable)
	}
	checkSpecimenSymbol(t, decodeGray(t, recaptureImages().barcode))
}

func TestSpecimenAAMVALayout(t *testing.T) {
	d := specimenAAMVA()
	if !strings.HasPrefix(d, "@\n\x1e\rANSI 636001100002DL00410") {
		t.Errorf("header %q", d[:min(len(d), 40)])
	}
	// The DL designator's offset points at "DL", its length covers the
	// subfile up to and including its CR, and the ZN subfile follows.
	off, ln := atoi(t, d[23:27]), atoi(t, d[27:31])
	if d[off:off+2] != "DL" || d[off+ln-1] != '\r' || d[off+ln:off+ln+2] != "ZN" {
		t.Errorf("DL subfile at %d+%d does not match the designator", off, ln)
	}
	if _, err := encodePDF417(d); err != nil {
		t.Fatal(err)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not a number: %q", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}
