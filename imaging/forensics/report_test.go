package forensics

import (
	"context"
	"encoding/json"
	"errors"
	"image"
	"reflect"
	"testing"

	"github.com/boombuler/barcode/pdf417"

	"docvreview/imaging"
	"docvreview/imaging/barcode"
)

// backAAMVA is the barcode content of the crafted backs (AAMVA version 9).
const backAAMVA = "@\n\x1e\rANSI 636000090001DL00310190DLDAQT64235789\nDCSSAMPLE\nDACMICHAEL\nDADJOHN\n" +
	"DBD08312022\nDBB07151986\nDBA08312030\nDBC1\nDAG2300 WEST BROAD STREET\nDAIRICHMOND\nDAJVA\nDAK232690000  \nDCGUSA\r"

// drawSymbol draws data as a PDF417 with modules of module pixels (rows
// three modules high) at (x0, y0) on img. The encoder writes a wrong left
// row indicator unless the row count is a multiple of three, so the
// error-correction level is chosen to make it one.
func drawSymbol(t testing.TB, img *image.RGBA, data string, x0, y0 int, module float64) {
	t.Helper()
	for _, level := range []byte{5, 4, 3, 6, 2} {
		bc, err := pdf417.Encode(data, level)
		if err != nil {
			t.Fatal(err)
		}
		rows := bc.Bounds().Dy() / 2
		if rows%3 != 0 {
			continue
		}
		cols := bc.Bounds().Dx()
		for r := 0; r < rows; r++ {
			for c := 0; c < cols; c++ {
				if v, _, _, _ := bc.At(c, 2*r).RGBA(); v != 0 {
					continue
				}
				for y := y0 + int(float64(3*r)*module); y < y0+int(float64(3*r+3)*module); y++ {
					for x := x0 + int(float64(c)*module); x < x0+int(float64(c+1)*module); x++ {
						i := img.PixOffset(x, y)
						img.Pix[i], img.Pix[i+1], img.Pix[i+2] = 20, 20, 30
					}
				}
			}
		}
		return
	}
	t.Fatal("no usable error-correction level")
}

// backJPEG is a w×h photo of a card back carrying data as a PDF417.
func backJPEG(t testing.TB, w, h int, data string, module float64) []byte {
	img := scene(w, h, 0)
	drawSymbol(t, img, data, w/4, h/3, module)
	return withEXIF(encJPEG(t, img, 90), cameraEXIF(1, "", nil, false))
}

func TestReportJSONShape(t *testing.T) {
	r := analyze(t, withEXIF(encJPEG(t, scene(64, 48, 0), 85), cameraEXIF(1, "", nil, true)))
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"jpeg_quality":85,"chroma_subsampling":"4:2:0","progressive":false,"exif_flags":["gps_present"],"barcode":null}`; string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
	p := analyze(t, encPNG(t, scene(64, 48, 0)))
	b, _ = json.Marshal(p)
	if want := `{"jpeg_quality":null,"chroma_subsampling":"","progressive":false,"exif_flags":["no_camera_metadata"],"barcode":null}`; string(b) != want {
		t.Errorf("PNG JSON\n got %s\nwant %s", b, want)
	}
	bc := Barcode{Format: "PDF417", Standard: "AAMVA", Version: 9, Mismatches: []Mismatch{{Field: "dob", Barcode: "1986-07-15", Document: "1990-01-01"}}}
	b, _ = json.Marshal(bc)
	want := `{"format":"PDF417","standard":"AAMVA","version":9,"fields":{"first_name":"","middle_name":"","last_name":"",` +
		`"dob":"","document_number":"","expiration_date":"","issue_date":"","address":"","city":"","state":"",` +
		`"postal_code":"","sex":""},"mismatches":[{"field":"dob","barcode":"1986-07-15","document":"1990-01-01"}]}`
	if string(b) != want {
		t.Errorf("barcode JSON\n got %s\nwant %s", b, want)
	}
}

func TestAnalyzeBadInput(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty": nil, "text": []byte("hello"), "truncated JPEG": encJPEG(t, scene(64, 48, 0), 90)[:100],
	} {
		t.Run(name, func(t *testing.T) {
			r, err := Analyze(context.Background(), data, RoleBack, nil)
			if !errors.Is(err, ErrNotImage) {
				t.Fatalf("err %v", err)
			}
			if r.EXIFFlags == nil || r.Barcode != nil {
				t.Errorf("report %+v", r)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Analyze(ctx, encJPEG(t, scene(64, 48, 0), 90), RoleBack, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestAnalyzeBarcode(t *testing.T) {
	back := backJPEG(t, 1600, 1200, backAAMVA, 3)
	doc := &DocumentData{FirstName: "Michael", SurName: "Sample", DOB: "1990-01-01", DocumentNumber: "T-642-357-89"}

	front, err := Analyze(context.Background(), back, "front", doc)
	if err != nil || front.Barcode != nil || front.BarcodeUnavailable {
		t.Fatalf("front: %+v %v", front, err)
	}
	r, err := Analyze(context.Background(), back, RoleBack, doc)
	if err != nil {
		t.Fatal(err)
	}
	if !barcode.Available() {
		if r.Barcode != nil || !r.BarcodeUnavailable {
			t.Fatalf("build without the reader: %+v", r)
		}
		return
	}
	if r.BarcodeUnavailable || r.Barcode == nil {
		t.Fatalf("no barcode: %+v", r)
	}
	b := r.Barcode
	if b.Format != "PDF417" || b.Standard != "AAMVA" || b.Version != 9 || b.Fields.LastName != "SAMPLE" || b.Fields.PostalCode != "23269" {
		t.Errorf("barcode %+v", b)
	}
	if len(b.Mismatches) != 1 || b.Mismatches[0] != (Mismatch{Field: "dob", Barcode: "1986-07-15", Document: "1990-01-01"}) {
		t.Errorf("mismatches %+v", b.Mismatches)
	}
	// Without document data (inspect): the fields, no mismatches.
	r, _ = Analyze(context.Background(), back, RoleBack, nil)
	if r.Barcode == nil || r.Barcode.Mismatches == nil || len(r.Barcode.Mismatches) != 0 {
		t.Errorf("without document data: %+v", r.Barcode)
	}
	// Found in the display decode (no second decode), compared later: the same report.
	d, err := imaging.DecodeForDisplay(back, 1280, 1280, imaging.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rd, err := AnalyzeWith(context.Background(), back, RoleBack, nil, Options{Display: d})
	if err != nil {
		t.Fatal(err)
	}
	rd.CompareWith(doc)
	want, _ := Analyze(context.Background(), back, RoleBack, doc)
	if !reflect.DeepEqual(rd, want) {
		t.Errorf("with the display decode, compared later:\n%+v\nwant\n%+v", rd, want)
	}
	rd.CompareWith(nil)
	if len(rd.Barcode.Mismatches) != 0 || rd.Barcode.Mismatches == nil {
		t.Errorf("compared with no document data: %+v", rd.Barcode.Mismatches)
	}
}

func TestAnalyzeBarcodeCases(t *testing.T) {
	if !barcode.Available() {
		t.Skip(barcode.ErrUnavailable)
	}
	// A symbol whose modules are too small for the half-size decode is
	// found at full resolution.
	small := backJPEG(t, 2400, 1800, backAAMVA, 2.5)
	half, err := imaging.DecodeForDisplay(small, 1200, 900, imaging.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := barcode.ReadPDF417AtSize(context.Background(), imaging.Luma(half.Image)); !errors.Is(err, barcode.ErrNotFound) {
		t.Fatalf("the half-size decode already reads the symbol (%v): the case shows nothing", err)
	}
	r, err := Analyze(context.Background(), small, RoleBack, nil)
	if err != nil || r.Barcode == nil || r.Barcode.Fields.FirstName != "MICHAEL" {
		t.Fatalf("small modules: %+v %v", r.Barcode, err)
	}
	// … also when the display decode (too small to read it) was given.
	r, err = AnalyzeWith(context.Background(), small, RoleBack, nil, Options{Display: half})
	if err != nil || r.Barcode == nil || r.Barcode.Fields.FirstName != "MICHAEL" {
		t.Fatalf("small modules, display given: %+v %v", r.Barcode, err)
	}
	// A PDF417 that is not AAMVA: reported, without fields.
	other := backJPEG(t, 1600, 1200, "NOT A LICENCE 0123456789", 4)
	r, _ = Analyze(context.Background(), other, RoleBack, nil)
	if r.Barcode == nil || r.Barcode.Standard != "" || r.Barcode.Version != 0 || r.Barcode.Fields != (BarcodeFields{}) {
		t.Errorf("non-AAMVA: %+v", r.Barcode)
	}
	// No symbol: null.
	r, _ = Analyze(context.Background(), encJPEG(t, scene(1600, 1200, 0), 90), RoleBack, nil)
	if r.Barcode != nil {
		t.Errorf("no symbol: %+v", r.Barcode)
	}
}
