package imaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestProbe(t *testing.T) {
	card := referenceCard(t)
	gray := image.NewGray(image.Rect(0, 0, 40, 30))
	for name, tc := range map[string]struct {
		data []byte
		want Info
	}{
		"go 4:2:0": {encodeJPEG(t, card, 90), Info{JPEG, 64, 48, 1, "4:2:0", false}},
		"go gray":  {encodeJPEG(t, gray, 90), Info{JPEG, 40, 30, 1, "gray", false}},
		"png":      {encodePNG(t, card), Info{PNG, 64, 48, 1, "", false}},
		"png exif": {withPNGChunk(encodePNG(t, card), "eXIf", exifTIFF(8, binary.LittleEndian)), Info{PNG, 64, 48, 8, "", false}},
		"4:4:4":    {readTestdata(t, "s444.jpg"), Info{JPEG, 64, 48, 1, "4:4:4", false}},
		"4:2:2":    {readTestdata(t, "s422.jpg"), Info{JPEG, 64, 48, 1, "4:2:2", false}},
		"progressive": {readTestdata(t, "progressive.jpg"),
			Info{JPEG, 64, 48, 1, "4:2:0", true}},
		"gray progressive": {readTestdata(t, "gray-progressive.jpg"),
			Info{JPEG, 64, 48, 1, "gray", true}},
		"arithmetic": {readTestdata(t, "arithmetic.jpg"), Info{JPEG, 64, 48, 1, "4:2:0", false}},
		"cmyk":       {readTestdata(t, "cmyk.jpg"), Info{JPEG, 64, 48, 1, "cmyk", false}},
		"ycck":       {readTestdata(t, "ycck.jpg"), Info{JPEG, 64, 48, 1, "ycck", false}},
		"exif 6": {withJPEGExif(encodeJPEG(t, card, 90), exifTIFF(6, binary.BigEndian)),
			Info{JPEG, 64, 48, 6, "4:2:0", false}},
		"stray bytes before marker": {append([]byte{0xFF, 0xD8, 0xFF, 0xFE, 0, 3, 'x', 1, 2, 3}, encodeJPEG(t, card, 90)[2:]...),
			Info{JPEG, 64, 48, 1, "4:2:0", false}},
		"bomb header is still probed": {jpegHeader(0xC0, 8, 65535, 65535, 3), Info{JPEG, 65535, 65535, 1, "4:2:0", false}},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := Probe(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Probe = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestProbeErrors(t *testing.T) {
	jpg := encodeJPEG(t, referenceCard(t), 90)
	sos := bytes.Index(jpg, []byte{0xFF, 0xDA})
	twoSOF := append(append([]byte{}, jpegHeader(0xC0, 8, 10, 10, 1)[:2+2+11]...), jpegHeader(0xC0, 8, 99, 99, 1)[2:]...)
	for name, tc := range map[string]struct {
		data []byte
		want error
	}{
		"empty":              {nil, ErrUnsupported},
		"gif":                {[]byte("GIF89a\x01\x00\x01\x00"), ErrUnsupported},
		"text":               {[]byte("hello, world"), ErrUnsupported},
		"pdf":                {[]byte("%PDF-1.7\n"), ErrUnsupported},
		"jpeg SOI only":      {[]byte{0xFF, 0xD8, 0xFF}, ErrCorrupt},
		"jpeg cut in header": {jpg[:sos/2], ErrCorrupt},
		"jpeg EOI first":     {[]byte{0xFF, 0xD8, 0xFF, 0xD9}, ErrCorrupt},
		"jpeg SOS first":     {[]byte{0xFF, 0xD8, 0xFF, 0xDA, 0, 2}, ErrCorrupt},
		"jpeg zero width":    {jpegHeader(0xC0, 8, 0, 10, 3), ErrCorrupt},
		"jpeg zero height":   {jpegHeader(0xC0, 8, 10, 0, 3), ErrCorrupt},
		"jpeg 12-bit":        {jpegHeader(0xC1, 12, 10, 10, 3), ErrUnsupported},
		"jpeg lossless":      {jpegHeader(0xC3, 8, 10, 10, 3), ErrUnsupported},
		"jpeg hierarchical":  {jpegHeader(0xC5, 8, 10, 10, 3), ErrUnsupported},
		"jpeg 2 components":  {jpegHeader(0xC0, 8, 10, 10, 2), ErrUnsupported},
		"jpeg two SOF":       {twoSOF, ErrCorrupt},
		"jpeg bad length":    {[]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 1}, ErrCorrupt},
		"jpeg long segment":  {[]byte{0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF, 0}, ErrCorrupt},
		"jpeg sampling 0":    {bytes.Replace(jpegHeader(0xC0, 8, 10, 10, 1), []byte{1, 0x11, 0}, []byte{1, 0x01, 0}, 1), ErrCorrupt},
		"png magic only":     {pngMagic, ErrCorrupt},
		"png zero size":      {pngHeader(0, 10), ErrCorrupt},
		"png no IHDR":        {append(append([]byte{}, pngMagic...), 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0, 0, 0, 0), ErrCorrupt},
		"png huge dims":      {pngHeader(0x80000000, 1), ErrTooLarge},
		"png chunk overrun":  {append(pngHeader(10, 10)[:33], 0x7F, 0xFF, 0xFF, 0xFF, 'I', 'D', 'A', 'T'), ErrCorrupt},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Probe(tc.data)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Probe error = %v, want %v", err, tc.want)
			}
			if _, err := DecodeForDisplay(tc.data, 100, 100, Options{}); !errors.Is(err, tc.want) {
				t.Fatalf("DecodeForDisplay error = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestManySegmentsBounded: a header of endless empty segments stops early.
func TestManySegmentsBounded(t *testing.T) {
	data := []byte{0xFF, 0xD8}
	for i := 0; i < 50_000; i++ {
		data = append(data, 0xFF, 0xFE, 0, 2)
	}
	if _, err := Probe(data); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
}

// allocDuring reports the bytes allocated on the Go heap while f runs.
func allocDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestDimensionBombs(t *testing.T) {
	for name, tc := range map[string]struct {
		data []byte
		o    Options
	}{
		"jpeg 65535×65535":            {jpegHeader(0xC0, 8, 65535, 65535, 3), Options{}},
		"progressive jpeg 65535²":     {jpegHeader(0xC2, 8, 65535, 65535, 1), Options{}},
		"cmyk jpeg 65535²":            {jpegHeader(0xC0, 8, 65535, 65535, 4), Options{}},
		"png 100000×100000":           {pngHeader(100_000, 100_000), Options{}},
		"png 1×2^31-1":                {pngHeader(1, 1<<31-1), Options{}},
		"jpeg over a custom limit":    {encodeJPEG(t, referenceCard(t), 90), Options{MaxPixels: 64*48 - 1}},
		"png just over custom limit":  {encodePNG(t, referenceCard(t)), Options{MaxPixels: 3000}},
		"jpeg 10001×10000 by default": {jpegHeader(0xC0, 8, 10001, 10000, 3), Options{}},
	} {
		t.Run(name, func(t *testing.T) {
			var err1, err2 error
			start := time.Now()
			alloc := allocDuring(func() {
				_, err1 = DecodeForDisplay(tc.data, 1280, 960, tc.o)
				_, _, err2 = DecodeFull(tc.data, tc.o)
			})
			if !errors.Is(err1, ErrTooLarge) || !errors.Is(err2, ErrTooLarge) {
				t.Fatalf("errors %v / %v, want ErrTooLarge", err1, err2)
			}
			if alloc > 64<<10 {
				t.Errorf("refusing allocated %d bytes", alloc)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("refusing took %v", d)
			}
		})
	}
	// The limit is inclusive: exactly MaxPixels decodes.
	if _, err := DecodeForDisplay(encodePNG(t, referenceCard(t)), 10, 10, Options{MaxPixels: 64 * 48}); err != nil {
		t.Errorf("image at the limit: %v", err)
	}
}

func TestBadImageData(t *testing.T) {
	big := encodeJPEG(t, photoLike(640, 480, 1), 90)
	prog := readTestdata(t, "progressive.jpg")
	pngData := encodePNG(t, photoLike(200, 150, 2))
	sos := bytes.Index(big, []byte{0xFF, 0xDA})
	dht := bytes.Index(big, []byte{0xFF, 0xC4})
	badHuffman := append([]byte{}, big...)
	for i := dht + 5 + 16; i < dht+5+16+12; i++ { // overwrite the code values
		badHuffman[i] = 0xFF
	}
	earlyEOI := append(append([]byte{}, big[:sos+200]...), 0xFF, 0xD9)
	badPNGCRC := append([]byte{}, pngData...)
	badPNGCRC[len(badPNGCRC)/2] ^= 0xFF
	for name, data := range map[string][]byte{
		"jpeg truncated at 50%":       big[:len(big)/2],
		"jpeg truncated after SOS":    big[:sos+20],
		"jpeg truncated by 2 bytes":   big[:len(big)-2],
		"progressive truncated":       prog[:len(prog)*2/3],
		"jpeg early EOI":              earlyEOI,
		"jpeg bad Huffman table":      badHuffman,
		"jpeg SOS names no component": bytes.Replace(big, []byte{0xFF, 0xDA, 0, 12, 3, 1}, []byte{0xFF, 0xDA, 0, 12, 3, 9}, 1),
		"png truncated":               pngData[:len(pngData)/2],
		"png bad CRC":                 badPNGCRC,
	} {
		t.Run(name, func(t *testing.T) {
			var err error
			start := time.Now()
			alloc := allocDuring(func() { _, err = DecodeForDisplay(data, 320, 240, Options{}) })
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", err)
			}
			// Bounded by the image's own size (640×480), not by the damage.
			if alloc > 8<<20 {
				t.Errorf("allocated %d bytes", alloc)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestDecodeVariants(t *testing.T) {
	ref := referenceCard(t)
	for _, tc := range []struct {
		file string
		tol  float64 // mean absolute difference per channel, 0..255
	}{
		{"progressive.jpg", 4},
		{"s444.jpg", 3},
		{"s422.jpg", 4},
		{"cmyk.jpg", 4},
		{"ycck.jpg", 4},
		{"ycck-imagemagick.jpg", 6},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data := readTestdata(t, tc.file)
			d, err := DecodeForDisplay(data, 0, 0, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if mad := meanAbsDiff(t, d.Image, ref); mad > tc.tol {
				t.Errorf("mean abs diff vs card.png = %.2f, want ≤ %.1f", mad, tc.tol)
			}
			full, info, err := DecodeFull(data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if info.Width != 64 || meanAbsDiff(t, full, ref) > tc.tol {
				t.Errorf("DecodeFull differs from card.png (info %+v)", info)
			}
		})
	}
	t.Run("gray", func(t *testing.T) {
		for _, data := range [][]byte{readTestdata(t, "gray-progressive.jpg"), encodeJPEG(t, toGray(ref), 95)} {
			d, err := DecodeForDisplay(data, 32, 24, Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := scaleImage(toGray(ref), 32, 24)
			if mad := meanAbsDiff(t, d.Image, want); mad > 3 {
				t.Errorf("gray mean abs diff %.2f", mad)
			}
			for i := 0; i < len(d.Image.Pix); i += 4 {
				p := d.Image.Pix[i : i+4]
				if p[0] != p[1] || p[1] != p[2] || p[3] != 255 {
					t.Fatalf("gray JPEG gave non-gray pixel %v", p)
				}
			}
		}
	})
	t.Run("png with alpha", func(t *testing.T) {
		m := image.NewNRGBA(image.Rect(0, 0, 20, 10))
		for i := range m.Pix {
			m.Pix[i] = []byte{255, 0, 0, 128}[i%4]
		}
		d, err := DecodeForDisplay(encodePNG(t, m), 10, 10, Options{})
		if err != nil {
			t.Fatal(err)
		}
		// Premultiplied RGBA: red at half alpha.
		if got := d.Image.RGBAAt(2, 2); !colorNear(got, color.RGBA{128, 0, 0, 128}, 1) {
			t.Errorf("pixel %v, want premultiplied half red", got)
		}
	})
	t.Run("arithmetic", func(t *testing.T) {
		data := readTestdata(t, "arithmetic.jpg")
		d, err := DecodeForDisplay(data, 0, 0, Options{})
		if Backend() == "go" {
			if !errors.Is(err, ErrUnsupported) {
				t.Fatalf("pure Go: err = %v, want ErrUnsupported", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if mad := meanAbsDiff(t, d.Image, ref); mad > 4 {
			t.Errorf("mean abs diff %.2f", mad)
		}
	})
}

func toGray(m image.Image) *image.Gray {
	b := m.Bounds()
	g := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g.Set(x, y, m.At(x, y))
		}
	}
	return g
}

func TestFitSize(t *testing.T) {
	for _, tc := range []struct{ w, h, mw, mh, ww, wh int }{
		{4000, 3000, 1280, 960, 1280, 960},
		{4000, 3000, 1280, 1280, 1280, 960},
		{3000, 4000, 1280, 960, 720, 960},
		{100, 50, 1000, 1000, 100, 50}, // never enlarged
		{100, 50, 0, 0, 100, 50},       // unbounded
		{100, 50, 10, 0, 10, 5},
		{100, 50, 0, 10, 20, 10},
		{10000, 1, 100, 100, 100, 1}, // at least one pixel
		{1, 10000, 100, 100, 1, 100},
		{101, 100, 50, 50, 50, 50},
	} {
		if w, h := fitSize(tc.w, tc.h, tc.mw, tc.mh); w != tc.ww || h != tc.wh {
			t.Errorf("fitSize(%d,%d in %d×%d) = %d×%d, want %d×%d", tc.w, tc.h, tc.mw, tc.mh, w, h, tc.ww, tc.wh)
		}
	}
}

func TestBackendName(t *testing.T) {
	if b := Backend(); b != "turbojpeg" && b != "go" {
		t.Fatalf("Backend() = %q", b)
	}
}

// TestDisplayMatchesSource: the display image is close to the lossless
// source area-averaged to the same size, on either backend. (At full size
// the difference is the JPEG q92 loss alone, about 2.5.)
func TestDisplayMatchesSource(t *testing.T) {
	src := testCard(1200, 900)
	data := encodeJPEG(t, src, 92)
	for _, box := range [][2]int{{1200, 900}, {600, 600}, {450, 450}, {400, 300}, {150, 150}} {
		d, err := DecodeForDisplay(data, box[0], box[1], Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := scaleImage(src, d.Image.Rect.Dx(), d.Image.Rect.Dy())
		if mad := meanAbsDiff(t, d.Image, want); mad > 3 {
			t.Errorf("%s backend, box %v: mean abs diff vs source %.2f > 3", Backend(), box, mad)
		}
	}
}

// TestTooManyScans: a progressive JPEG of endless scans is refused by both
// backends (image/jpeg by a count, libjpeg-turbo by TJFLAG_LIMITSCANS).
func TestTooManyScans(t *testing.T) {
	data := readTestdata(t, "gray-progressive.jpg")
	// Append 2000 empty scan headers (one component, DC refinement) before EOI.
	bomb := append([]byte{}, data[:len(data)-2]...)
	scan := []byte{0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0, 0x10}
	for i := 0; i < 2000; i++ {
		bomb = append(bomb, scan...)
	}
	bomb = append(bomb, 0xFF, 0xD9)
	start := time.Now()
	_, err := DecodeForDisplay(bomb, 32, 32, Options{})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "500") {
		t.Fatalf("err = %v, want ErrCorrupt naming the 500-scan limit", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestPNGVariants(t *testing.T) {
	ref := referenceCard(t)
	pal := image.NewPaletted(ref.Rect, nil)
	pal.Palette = color.Palette{}
	for _, c := range []color.RGBA{{220, 40, 40, 255}, {40, 200, 60, 255}, {40, 60, 210, 255}, {230, 210, 40, 255}} {
		pal.Palette = append(pal.Palette, c)
	}
	for v := 0; v < 256; v += 4 {
		pal.Palette = append(pal.Palette, color.RGBA{uint8(v), uint8(v), uint8(v), 255})
	}
	g16 := image.NewGray16(ref.Rect)
	n64 := image.NewNRGBA64(ref.Rect)
	for y := 0; y < ref.Rect.Dy(); y++ {
		for x := 0; x < ref.Rect.Dx(); x++ {
			c := ref.RGBAAt(x, y)
			pal.Set(x, y, c)
			g16.Set(x, y, c)
			n64.Set(x, y, c)
		}
	}
	for name, tc := range map[string]struct {
		m    image.Image
		want *image.RGBA
	}{
		"paletted": {pal, ref},
		"gray16":   {g16, toRGBA(toGray(ref))},
		"nrgba64":  {n64, ref},
	} {
		t.Run(name, func(t *testing.T) {
			data := encodePNG(t, tc.m)
			for _, box := range [][2]int{{0, 0}, {32, 24}, {17, 100}} {
				d, err := DecodeForDisplay(data, box[0], box[1], Options{})
				if err != nil {
					t.Fatal(err)
				}
				want := scaleImage(tc.want, d.Image.Rect.Dx(), d.Image.Rect.Dy())
				if mad := meanAbsDiff(t, d.Image, want); mad > 1 {
					t.Errorf("box %v: mean abs diff %.2f", box, mad)
				}
			}
		})
	}
}
