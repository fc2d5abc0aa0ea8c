package simulator

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"docvreview/imaging/barcode"
	"docvreview/imaging/barcode/aamva"
)

// decodeGray decodes a JPEG or PNG to gray.
func decodeGray(t *testing.T, b []byte) *image.Gray {
	t.Helper()
	var (
		img image.Image
		err error
	)
	if bytes.HasPrefix(b, []byte("\x89PNG")) {
		img, err = png.Decode(bytes.NewReader(b))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(b))
	}
	if err != nil {
		t.Fatal(err)
	}
	return barcode.Gray(img)
}

// turnGray returns img turned clockwise by q quarter turns.
func turnGray(img *image.Gray, q int) *image.Gray {
	for ; q > 0; q-- {
		w, h := img.Rect.Dx(), img.Rect.Dy()
		out := image.NewGray(image.Rect(0, 0, h, w))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out.Pix[x*out.Stride+h-1-y] = img.Pix[y*img.Stride+x]
			}
		}
		img = out
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
// transform (placement, tilt, lighting, noise, JPEG q90), at the build's
// scale (12 MP, or 1008×756 in race builds), turned by 90° and 180°.
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

// The race build's reduced scale, checked in normal builds too.
func TestBackBarcodeQuarterScale(t *testing.T) {
	if !barcode.Available() {
		t.Skip(barcode.ErrUnavailable)
	}
	if renderScale == 0.25 {
		t.Skip("TestBackBarcodeRoundTrip covers this scale in this build")
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
