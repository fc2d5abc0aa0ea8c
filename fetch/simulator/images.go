package simulator

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
)

// The synthetic captures: an ID card front and back, a passport data page
// and a selfie, each at phone size (4032×3024, about 12 MP), and a small
// barcode crop as PNG. All drawing is deterministic (fixed seeds) and shows
// only specimen data and a drawn cartoon face.

// Capture geometry and encoding.
const (
	photoW      = 4032
	photoH      = 3024
	jpegQuality = 90
	photoNoise  = 7.0
)

// The specimen identity printed on the documents (and in the evaluation
// JSON of the scenarios that have images).
const (
	specimenFirst    = "JANE"
	specimenMiddle   = "Q"
	specimenSurname  = "SPECIMEN"
	specimenFull     = "JANE Q SPECIMEN"
	specimenDOB      = "1985-03-14"
	specimenIssue    = "2022-06-01"
	specimenExpiry   = "2030-03-14"
	specimenDocNo    = "SPEC-0001-2345"
	specimenPassNo   = "X00000000"
	specimenStreet   = "123 SPECIMEN ST"
	specimenTown     = "ANYTOWN"
	specimenState    = "NY"
	specimenZIP      = "12345"
	specimenCity     = specimenTown + ", " + specimenState + " " + specimenZIP
	specimenAddress  = specimenStreet + ", " + specimenCity
	specimenPassExpy = "2032-03-14"
)

// sinLUT is a 4096-entry table of one sine period, for patterns evaluated
// at every pixel.
var sinLUT = func() [4096]float64 {
	var t [4096]float64
	for i := range t {
		t[i] = math.Sin(2 * math.Pi * float64(i) / 4096)
	}
	return t
}()

// fastSin is sin(phase·2π) for any phase, via sinLUT.
func fastSin(phase float64) float64 {
	return sinLUT[int(phase*4096)&4095]
}

// tableBackground returns a dark wood-like desk surface of w×h pixels,
// drawn at scale k.
//
//go:norace
func tableBackground(w, h int, k float64, seed uint64, base rgb) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := newRNG(seed)
	colOff := make([]float64, w)
	for x := range colOff {
		colOff[x] = 0.06*fastSin(float64(x)/(1900*k)) + 0.02*fastSin(float64(x)/(530*k)+0.3)
	}
	for y := 0; y < h; y++ {
		rowJitter := (r.float() - 0.5) * 0.08
		shade := 1 - 0.25*float64(y)/float64(h)
		i := img.PixOffset(0, y)
		for x := 0; x < w; x, i = x+1, i+4 {
			grain := fastSin(float64(y)/(41*k) + colOff[x]*9 + rowJitter)
			k := shade * (0.9 + 0.1*grain)
			img.Pix[i] = clamp8(base.r * k)
			img.Pix[i+1] = clamp8(base.g * k)
			img.Pix[i+2] = clamp8(base.b * k)
			img.Pix[i+3] = 255
		}
	}
	return img
}

// guilloche paints the fine interlaced wave lines of security printing over
// r, blending line colour c at the given strength.
//
//go:norace
func guilloche(img *image.RGBA, r image.Rectangle, c rgb, strength, period float64) {
	r = r.Intersect(img.Rect)
	colWave := make([]float64, r.Dx())
	for x := range colWave {
		colWave[x] = fastSin(float64(x) / (period * 7))
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		rowWave := fastSin(float64(y) / (period * 5))
		i := img.PixOffset(r.Min.X, y)
		for x := r.Min.X; x < r.Max.X; x, i = x+1, i+4 {
			a := fastSin(float64(x)/period + 0.9*rowWave)
			b := fastSin(float64(y)/(period*1.3) + 1.1*colWave[x-r.Min.X])
			v := math.Abs(a)
			if b := math.Abs(b); b > v {
				v = b
			}
			if v < 0.93 {
				continue
			}
			blend(img.Pix, i, c, strength*(v-0.93)/0.07)
		}
	}
}

// gradientRect fills r with a diagonal gradient from c0 (top left) to c1.
//
//go:norace
func gradientRect(img *image.RGBA, r image.Rectangle, c0, c1 rgb) {
	r = r.Intersect(img.Rect)
	span := float64(r.Dx() + r.Dy())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		i := img.PixOffset(r.Min.X, y)
		for x := r.Min.X; x < r.Max.X; x, i = x+1, i+4 {
			t := float64(x-r.Min.X+y-r.Min.Y) / span
			c := c0.mix(c1, t)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = clamp8(c.r), clamp8(c.g), clamp8(c.b), 255
		}
	}
}

// Card palette.
var (
	inkDark   = rgb{22, 24, 34}
	inkLabel  = rgb{160, 38, 42}
	inkMicro  = rgb{110, 124, 150}
	bandBlue  = rgb{22, 52, 112}
	cardLight = rgb{238, 243, 247}
	cardTint  = rgb{206, 224, 234}
	white     = rgb{250, 250, 250}
)

// field prints a small label above a larger value.
func field(s surface, x, y int, label, value string) {
	f := fonts()
	s.text(textStyle{f.bold, 40, inkLabel}, x, y-78, label)
	s.text(textStyle{f.bold, 74, inkDark}, x, y, value)
}

// photoBox draws the portrait window of a document at design rectangle r.
func photoBox(s surface, r image.Rectangle, bg rgb) {
	s.gradient(r, bg, bg.scale(0.88))
	w := float64(r.Dx())
	drawPortrait(s, r, specimenPerson, float64(r.Min.X)+w/2, float64(r.Min.Y)+float64(r.Dy())*0.42, w*0.3)
}

// frontData is what the licence front prints that differs between the
// genuine specimen and the edited one.
type frontData struct {
	docNo string // 4d DLN
	dob   string // 3 DOB, MM/DD/YYYY
}

// specimenFront is the genuine specimen's front.
var specimenFront = frontData{docNo: specimenDocNo, dob: "03/14/1985"}

// Design rectangles of the front's document number and date of birth
// values (the parts an editor changes).
var (
	frontDocNoBox = image.Rect(1120, 440, 2200, 545)
	frontDOBBox   = image.Rect(1120, 1210, 2200, 1315)
)

// drawLicenseFront draws the upright front of a driver's license card.
func drawLicenseFront(k float64, d frontData) *image.RGBA {
	f := fonts()
	w, h := cardW, cardH
	s := newSurface(w, h, k, cardLight)
	all := image.Rect(0, 0, w, h)
	s.gradient(all, cardLight, cardTint)
	s.guilloche(all, rgb{150, 190, 205}, 0.55, 38)
	s.textCentered(textStyle{f.bold, 420, cardTint.scale(0.94)}, w*62/100, h*80/100, "SPECIMEN")

	s.rect(image.Rect(0, 0, w, 300), bandBlue)
	s.text(textStyle{f.bold, 128, white}, 120, 185, "DRIVER LICENSE — SPECIMEN")
	s.text(textStyle{f.regular, 54, rgb{200, 215, 240}}, 124, 265, "STATE OF SPECIMEN · USA · NOT A GOVERNMENT DOCUMENT")
	s.microprint(textStyle{f.regular, 15, inkMicro}, 0, 308, w, 350, "SPECIMEN·NOT VALID·")

	photoBox(s, image.Rect(120, 420, 1020, 1580), rgb{196, 212, 228})

	x1, x2 := 1130, 2250
	field(s, x1, 520, "4d DLN", d.docNo)
	field(s, x2, 520, "4b EXP", "03/14/2030")
	field(s, x1, 690, "1 LN", specimenSurname)
	field(s, x1, 860, "2 FN", specimenFirst+" "+specimenMiddle)
	field(s, x1, 1030, "8 ADDRESS", specimenStreet)
	s.text(textStyle{f.bold, 74, inkDark}, x1, 1120, specimenCity)
	field(s, x1, 1290, "3 DOB", d.dob)
	field(s, x2, 1290, "4a ISS", "06/01/2022")
	field(s, x1, 1460, "15 SEX", "F")
	field(s, x1+330, 1460, "16 HGT", "5'-06\"")
	field(s, x1+750, 1460, "18 EYES", "BRN")
	field(s, x2+300, 1460, "9 CLASS", "D")

	// Ghost portrait, faded into the card.
	ghost := image.Rect(2560, 1540, 2920, 1880)
	photoBox(s, ghost, rgb{205, 220, 232})
	s.fill(roundRect(float64(ghost.Min.X), float64(ghost.Min.Y), float64(ghost.Max.X), float64(ghost.Max.Y), 1), solid(cardTint), 0.62, 1)

	// Signature.
	s.text(textStyle{f.italic, 96, rgb{30, 40, 90}}, 140, 1740, "Jane Q Specimen")
	s.rect(image.Rect(120, 1765, 1100, 1771), inkDark)
	s.microprint(textStyle{f.regular, 14, inkMicro}, 0, 1800, 2500, h, "SPECIMEN·SYNTHETIC·DOCV·")
	return s.img
}

// drawLicenseBack draws the upright back of the card: the PDF417 with the
// holder's AAMVA data, a linear barcode and fine print.
func drawLicenseBack(k float64) (*image.RGBA, error) {
	sym, err := specimenSymbol()
	if err != nil {
		return nil, err
	}
	f := fonts()
	w, h := cardW, cardH
	s := newSurface(w, h, k, cardLight)
	all := image.Rect(0, 0, w, h)
	s.gradient(all, cardLight, cardTint)
	s.guilloche(all, rgb{160, 196, 210}, 0.45, 44)
	s.rect(image.Rect(0, 0, w, 150), bandBlue)
	s.text(textStyle{f.bold, 78, white}, 120, 105, "SPECIMEN — NOT VALID FOR IDENTIFICATION")

	s.rect(image.Rect(120, 180, w-120, 1110), white)
	drawPDF417(s, image.Rect(130, 190, w-130, 1100), sym)

	s.rect(image.Rect(120, 1150, 1600, 1490), white)
	linearBarcode(s, image.Rect(160, 1175, 1560, 1405), 0x5EED)
	s.textCentered(textStyle{f.mono, 46, inkDark}, 860, 1465, "DD 0000 1111 2222 SPEC")

	st := textStyle{f.regular, 54, inkDark}
	lines := []string{
		"9a END: NONE",
		"12 RESTR: NONE",
		"CLASS D — SPECIMEN",
		"ORGAN DONOR: SPECIMEN",
		"ISSUED BY THE DOCV SIMULATOR",
	}
	for i, line := range lines {
		s.text(st, 1720, 1210+i*68, line)
	}
	s.microprint(textStyle{f.regular, 14, inkMicro}, 0, 1560, w, 1700, "SPECIMEN·NOT A GOVERNMENT DOCUMENT·")
	s.textCentered(textStyle{f.bold, 64, inkMicro}, w/2, 1830, "SYNTHETIC SPECIMEN — GENERATED FOR SOFTWARE TESTS")
	return s.img, nil
}

// linearBarcode fills r with bars of random widths.
func linearBarcode(s surface, r image.Rectangle, seed uint64) {
	rg := newRNG(seed)
	x := r.Min.X
	bar := true
	for x < r.Max.X {
		wd := 5 + rg.intn(4)*5
		if bar {
			s.rect(image.Rect(x, r.Min.Y, min(x+wd, r.Max.X), r.Max.Y), inkDark)
		}
		x += wd
		bar = !bar
	}
}

// drawPassportPage draws the upright data page of a passport with its
// machine-readable zone.
func drawPassportPage(k float64) *image.RGBA {
	f := fonts()
	w, h := passportW, passportH
	s := newSurface(w, h, k, white)
	all := image.Rect(0, 0, w, h)
	s.gradient(all, rgb{240, 236, 224}, rgb{222, 230, 218})
	s.guilloche(all, rgb{200, 160, 180}, 0.5, 34)
	s.text(textStyle{f.bold, 104, rgb{70, 40, 90}}, 140, 170, "PASSPORT — SPECIMEN")
	s.text(textStyle{f.regular, 46, rgb{90, 70, 100}}, 150, 250, "TYPE P   CODE USA   PASSPORT NO. "+specimenPassNo+"   NOT A GOVERNMENT DOCUMENT")
	s.microprint(textStyle{f.regular, 14, inkMicro}, 0, 280, w, 320, "SPECIMEN·PASSPORT·")

	photoBox(s, image.Rect(150, 380, 1050, 1560), rgb{214, 214, 220})

	x1, x2 := 1180, 2250
	field(s, x1, 480, "Surname", specimenSurname)
	field(s, x1, 650, "Given names", specimenFirst+" "+specimenMiddle)
	field(s, x1, 820, "Nationality", "UNITED STATES OF SPECIMEN")
	field(s, x1, 990, "Date of birth", "14 MAR 1985")
	field(s, x2, 990, "Sex", "F")
	field(s, x1, 1160, "Place of birth", "ANYTOWN, U.S.A.")
	field(s, x1, 1330, "Date of issue", "01 JUN 2022")
	field(s, x2, 1330, "Date of expiration", "14 MAR 2032")
	field(s, x1, 1500, "Authority", "DOCV SIMULATOR")

	s.rect(image.Rect(0, h-440, w, h), rgb{246, 244, 238})
	mrz := textStyle{f.mono, 92, inkDark}
	s.text(mrz, 130, h-270, "P<USASPECIMEN<<JANE<Q<<<<<<<<<<<<<<<<<<<<<<<")
	s.text(mrz, 130, h-130, "X000000003USA8503146F3203149<<<<<<<<<<<<<<04")
	return s.img
}

// drawSelfie draws an upright portrait-format selfie (design size
// photoH×photoW) with the face centred at (fx, fy) as fractions of the
// frame, half-width rx in design pixels.
func drawSelfie(k, fx, fy, rx float64, wall rgb) *image.RGBA {
	w, h := photoH, photoW
	s := newSurface(w, h, k, wall)
	s.gradient(image.Rect(0, 0, w, h), wall, wall.scale(0.8))
	drawPortrait(s, image.Rect(0, 0, w, h), specimenPerson, fx*float64(w), fy*float64(h), rx)
	return s.img
}

// photoOfCard lays the upright card (drawn at scale k) on a desk, its
// centre offset by (dx, dy) design pixels, and gives the result the look of
// a phone capture.
func photoOfCard(card *image.RGBA, k float64, seed uint64, angle, dx, dy float64, glare *glareSpot) *image.RGBA {
	img := tableBackground(scaled(photoW, k), scaled(photoH, k), k, seed, rgb{92, 70, 54})
	placeRotated(img, card, k, (photoW/2+dx)*k, (photoH/2+dy)*k, angle, 110)
	finishPhoto(img, seed^0x9E3779B97F4A7C15, 0.35, 0.3, 0.45, photoNoise, glare.scaled(k))
	return img
}

// encodeJPEG encodes img at quality 90 and inserts the EXIF block for m.
func encodeJPEG(img *image.RGBA, m exifMeta) ([]byte, error) {
	return encodeJPEGAt(img, m, jpegQuality)
}

// encodeJPEGAt encodes img at quality q and inserts the EXIF block for m.
func encodeJPEGAt(img *image.RGBA, m exifMeta, q int) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(3 << 20)
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		return nil, fmt.Errorf("encode JPEG: %w", err)
	}
	m.width, m.height = uint32(img.Rect.Dx()), uint32(img.Rect.Dy())
	return insertAfterSOI(buf.Bytes(), exifAPP1(m))
}

// encodePNG encodes img as PNG.
func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// Card sizes in pixels (ID-1 aspect ratio 85.60 × 53.98 mm; passport page
// about 125 × 88 mm).
const (
	cardW     = 3100
	cardH     = 1955
	passportW = 3200
	passportH = 2250
)

// makeFront renders the license front capture; variant 1 is an earlier,
// worse capture (tilted, with glare) used by the re-capture scenario.
func makeFront(variant int) ([]byte, error) {
	k := renderScale
	card := drawLicenseFront(k, specimenFront)
	m := exifMeta{orientation: 1, taken: "2025:01:15 10:30:12", offset: "-05:00"}
	if variant == 1 {
		img := photoOfCard(card, k, 0xF1, 0.055, -90, 60, &glareSpot{x: 2500, y: 1100, r: 620, strength: 120})
		m.taken = "2025:01:15 10:29:41"
		return encodeJPEG(img, m)
	}
	return encodeJPEG(photoOfCard(card, k, frontSeed, frontAngle, 0, 0, nil), m)
}

// makeBack renders the license back capture.
func makeBack() ([]byte, error) { return makeBackAt(renderScale) }

// makeBackAt renders the license back capture at scale k.
func makeBackAt(k float64) ([]byte, error) {
	card, err := drawLicenseBack(k)
	if err != nil {
		return nil, err
	}
	img := photoOfCard(card, k, 0xB0, 0.012, 20, -10, nil)
	return encodeJPEG(img, exifMeta{orientation: 1, taken: "2025:01:15 10:30:31", offset: "-05:00"})
}

// makePassport renders the passport data page capture.
func makePassport() ([]byte, error) {
	k := renderScale
	page := drawPassportPage(k)
	img := tableBackground(scaled(photoW, k), scaled(photoH, k), k, 0xA0, rgb{70, 74, 80})
	placeRotated(img, page, k, photoW/2*k, photoH/2*k, 0.01, 36)
	finishPhoto(img, 0xA1, 0.4, 0.3, 0.4, photoNoise, nil)
	return encodeJPEG(img, exifMeta{orientation: 1, taken: "2025:02:03 16:04:55", offset: "+01:00"})
}

// makeSelfie renders the selfie. Variant 0 is drawn upright (portrait,
// 3024×4032 at full scale) and stored turned 90° counter-clockwise
// (4032×3024) with EXIF Orientation 6 in a big-endian block, as a phone held
// upright stores it. Variant 1 is an earlier capture (darker, off-centre)
// stored upright with Orientation 1.
func makeSelfie(variant int) ([]byte, error) {
	k := renderScale
	if variant == 1 {
		img := drawSelfie(k, 0.42, 0.5, 500, rgb{178, 170, 160})
		finishPhoto(img, 0x51, 0.9, 0.2, 0.7, photoNoise, nil)
		return encodeJPEG(img, exifMeta{orientation: 1, bigEndian: true, taken: "2025:01:15 10:31:02", offset: "-05:00"})
	}
	img := drawSelfie(k, 0.5, 0.42, 560, rgb{206, 212, 218})
	finishPhoto(img, 0x50, 0.5, 0.4, 0.5, photoNoise, nil)
	return encodeJPEG(rotateCCW(img), exifMeta{orientation: 6, bigEndian: true, taken: "2025:01:15 10:31:20", offset: "-05:00"})
}

// makeBarcodePNG renders a clean crop of the back's PDF417, as the capture
// SDK uploads it (1600×600 at full scale).
func makeBarcodePNG() ([]byte, error) {
	sym, err := specimenSymbol()
	if err != nil {
		return nil, err
	}
	s := newSurface(barcodePNGW, barcodePNGH, renderScale, white)
	drawPDF417(s, image.Rect(0, 0, barcodePNGW, barcodePNGH), sym)
	return encodePNG(s.img)
}

// The barcode crop's design size.
const (
	barcodePNGW = 1600
	barcodePNGH = 600
)
