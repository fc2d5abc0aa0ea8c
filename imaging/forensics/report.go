package forensics

import (
	"context"
	"errors"
	"fmt"

	"docvreview/imaging"
	"docvreview/imaging/barcode"
	"docvreview/imaging/barcode/aamva"
)

// DocumentData is what the verification service read from the document
// (RiskOS documentData), to compare the barcode with.
type DocumentData = aamva.DocumentData

// BarcodeFields are the holder's data read from the barcode.
type BarcodeFields = aamva.Fields

// Mismatch is a field on which the barcode and the document data disagree.
type Mismatch = aamva.Mismatch

// RoleBack is the role of an ID back: the only role whose barcode is read.
const RoleBack = "back"

// Report is the evidence checks of one image. It marshals to the
// images[].forensics object of the command line's JSON.
type Report struct {
	// JPEGQuality is the IJG-equivalent quality (1–100) of the luma
	// quantization table; nil for a PNG (or a JPEG without a table).
	JPEGQuality *int `json:"jpeg_quality"`
	// ChromaSubsampling is "4:2:0", "4:2:2", "4:4:4", "gray" … ("" for PNG).
	ChromaSubsampling string `json:"chroma_subsampling"`
	Progressive       bool   `json:"progressive"`
	// EXIFFlags are the EXIF tells found, never nil.
	EXIFFlags []Flag `json:"exif_flags"`
	// Barcode is the PDF417 of an ID back; nil for other roles, when none
	// is found, or when the build cannot read barcodes.
	Barcode *Barcode `json:"barcode"`
	// BarcodeUnavailable is true when the image is a back and this build
	// has no barcode reader (barcode.ErrUnavailable): say so once, do not
	// guess.
	BarcodeUnavailable bool `json:"-"`
}

// Barcode is the PDF417 found on an ID back.
type Barcode struct {
	Format string `json:"format"` // "PDF417"
	// Standard is "AAMVA" when the content is an AAMVA DL/ID file, else ""
	// (then Version is 0 and Fields are empty).
	Standard string        `json:"standard"`
	Version  int           `json:"version"`
	Fields   BarcodeFields `json:"fields"`
	// Mismatches compare Fields with the document data; empty (never nil)
	// when there is no document data.
	Mismatches []Mismatch `json:"mismatches"`
}

// ErrNotImage: the bytes are not a JPEG or PNG whose header can be read.
var ErrNotImage = errors.New("not a readable JPEG or PNG")

// Analyze runs the evidence checks on one image. role is the image's role
// (front, back, selfie, image); only a back's barcode is read, and
// compared with doc when doc is not nil. It fails only when raw is not a
// readable JPEG or PNG (ErrNotImage, wrapping the imaging error) or ctx
// ends (ctx's error, with the report so far); a part that cannot be
// computed (a damaged EXIF block, an undecodable thumbnail) is left out.
// Reading the barcode decodes the image (about 0.1 s for 12 MP); the
// other checks read the header and a 1/8-scale decode.
func Analyze(ctx context.Context, raw []byte, role string, doc *DocumentData) (Report, error) {
	return AnalyzeWith(ctx, raw, role, doc, Options{})
}

// Options give Analyze what the caller already has.
type Options struct {
	// Display is raw already decoded for display (upright, any size), by
	// the load pipeline. When set, the thumbnail check compares with it
	// instead of decoding raw again, and a back's barcode is looked for
	// in it first: raw is decoded again only when it holds none.
	Display *imaging.Display
}

// AnalyzeWith is Analyze reusing what o gives.
func AnalyzeWith(ctx context.Context, raw []byte, role string, doc *DocumentData, o Options) (Report, error) {
	r := Report{EXIFFlags: []Flag{}}
	if err := ctx.Err(); err != nil {
		return r, fmt.Errorf("evidence checks: %w", err)
	}
	info, err := imaging.Probe(raw)
	if err != nil {
		return r, fmt.Errorf("evidence checks: %w: %w", ErrNotImage, err)
	}
	var xmpTool string
	if info.Format == imaging.JPEG {
		r.ChromaSubsampling, r.Progressive = info.Subsampling, info.Progressive
		if m, err := readMarkers(raw); err == nil {
			if q, ok := jpegQuality(m); ok {
				r.JPEGQuality = &q
			}
			xmpTool = xmpCreatorTool(m.xmp)
		}
	}
	x, _ := imaging.ReadEXIF(raw)
	r.EXIFFlags = exifFlags(raw, x, xmpTool, o.Display)

	if role != RoleBack {
		return r, nil
	}
	if !barcode.Available() {
		r.BarcodeUnavailable = true
		return r, nil
	}
	syms, err := findBarcode(ctx, raw, info, o.Display)
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return r, fmt.Errorf("evidence checks: %w", err)
	case err != nil || len(syms) == 0:
		return r, nil
	}
	r.Barcode = barcodeReport(syms, doc)
	return r, nil
}

// findBarcode looks for the PDF417 in the display image when there is one,
// then decodes the image's luma at a reduced size (the JPEG decoder scales
// by 1/2 in the DCT; the reader needs no colour and finds the symbol at any
// rotation) and looks there, then, if that finds none, at full resolution.
// Each decode is dropped before the next.
func findBarcode(ctx context.Context, raw []byte, info imaging.Info, shown *imaging.Display) ([]barcode.Symbol, error) {
	if shown != nil && shown.Image != nil {
		syms, err := barcode.ReadPDF417AtSize(ctx, imaging.Luma(shown.Image))
		if !errors.Is(err, barcode.ErrNotFound) {
			return syms, err
		}
	}
	if max(info.Width, info.Height) > barcodeReducedSide {
		g, err := imaging.DecodeLuma(raw, barcodeReducedSide, imaging.Options{})
		if err != nil {
			return nil, err
		}
		syms, err := barcode.ReadPDF417AtSize(ctx, g)
		if !errors.Is(err, barcode.ErrNotFound) {
			return syms, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	g, err := imaging.DecodeLuma(raw, 0, imaging.Options{})
	if err != nil {
		return nil, err
	}
	return barcode.ReadPDF417AtSize(ctx, g)
}

// CompareWith (re)compares the barcode's fields with doc, for a caller
// that learned the document data after Analyze ran (nil clears the
// mismatches).
func (r *Report) CompareWith(doc *DocumentData) {
	if r == nil || r.Barcode == nil || r.Barcode.Standard != "AAMVA" {
		return
	}
	r.Barcode.Mismatches = []Mismatch{}
	if doc != nil {
		r.Barcode.Mismatches = aamva.Compare(r.Barcode.Fields, *doc)
	}
}

// barcodeReducedSide is the long side of the first, reduced decode.
const barcodeReducedSide = 2048

// barcodeReport reads the first symbol that holds AAMVA data (else the
// first symbol, reported without fields).
func barcodeReport(syms []barcode.Symbol, doc *DocumentData) *Barcode {
	for _, s := range syms {
		card, err := aamva.Parse(s.Data)
		if err != nil {
			continue
		}
		b := &Barcode{Format: "PDF417", Standard: "AAMVA", Version: card.Version, Fields: card.Fields, Mismatches: []Mismatch{}}
		if doc != nil {
			b.Mismatches = aamva.Compare(card.Fields, *doc)
		}
		return b
	}
	return &Barcode{Format: "PDF417", Mismatches: []Mismatch{}}
}
