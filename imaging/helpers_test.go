package imaging

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// readTestdata returns a committed test file.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// toRGBA converts any image to RGBA with origin (0,0).
func toRGBA(m image.Image) *image.RGBA {
	b := m.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Rect, m, b.Min, draw.Src)
	return dst
}

// referenceCard is testdata/card.png (64×48: four flat quadrants around a
// gray ramp), the source of the committed JPEG variants.
func referenceCard(t testing.TB) *image.RGBA {
	t.Helper()
	m, err := png.Decode(bytes.NewReader(readTestdata(t, "card.png")))
	if err != nil {
		t.Fatal(err)
	}
	return toRGBA(m)
}

// meanAbsDiff is the mean absolute difference per RGB channel, in 0..255.
func meanAbsDiff(t testing.TB, a, b *image.RGBA) float64 {
	t.Helper()
	if a.Rect.Size() != b.Rect.Size() {
		t.Fatalf("size mismatch: %v vs %v", a.Rect.Size(), b.Rect.Size())
	}
	w, h := a.Rect.Dx(), a.Rect.Dy()
	var sum float64
	for y := 0; y < h; y++ {
		pa := a.Pix[y*a.Stride : y*a.Stride+4*w]
		pb := b.Pix[y*b.Stride : y*b.Stride+4*w]
		for i := 0; i < len(pa); i += 4 {
			for c := 0; c < 3; c++ {
				sum += math.Abs(float64(pa[i+c]) - float64(pb[i+c]))
			}
		}
	}
	return sum / float64(3*w*h)
}

// encodeJPEG encodes m with image/jpeg (4:2:0 for colour, gray for Gray).
func encodeJPEG(t testing.TB, m image.Image, q int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// encodePNG encodes m with image/png.
func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// testByteOrder is binary.BigEndian or binary.LittleEndian.
type testByteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// exifTIFF builds a minimal TIFF/EXIF block with IFD0 holding a few
// unrelated tags and then Orientation (type SHORT, count 1).
func exifTIFF(orientation uint16, bo testByteOrder) []byte {
	var b []byte
	if bo.String() == binary.LittleEndian.String() {
		b = append(b, "II*\x00"...)
	} else {
		b = append(b, "MM\x00*"...)
	}
	b = bo.AppendUint32(b, 8)
	entries := [][3]uint32{
		{0x010F, 2, 4}, // Make, ASCII, 4 bytes ("Acm\0" inline)
		{0x011A, 5, 1}, // XResolution, RATIONAL (offset; not followed)
		{0x0112, 3, 1}, // Orientation
		{0x0131, 2, 4}, // Software
	}
	b = bo.AppendUint16(b, uint16(len(entries)))
	for _, e := range entries {
		b = bo.AppendUint16(b, uint16(e[0]))
		b = bo.AppendUint16(b, uint16(e[1]))
		b = bo.AppendUint32(b, e[2])
		switch e[0] {
		case 0x0112:
			b = bo.AppendUint16(b, orientation)
			b = append(b, 0, 0)
		case 0x011A:
			b = bo.AppendUint32(b, 200)
		default:
			b = append(b, 'A', 'c', 'm', 0)
		}
	}
	b = bo.AppendUint32(b, 0) // no IFD1
	return b
}

// withJPEGExif inserts an APP1 Exif segment carrying tiff right after SOI.
func withJPEGExif(jpg, tiff []byte) []byte {
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, 0xFF, 0xE1)
	out = binary.BigEndian.AppendUint16(out, uint16(len(seg)+2))
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// withPNGChunk inserts a chunk right after IHDR.
func withPNGChunk(p []byte, typ string, body []byte) []byte {
	const ihdrEnd = 8 + 8 + 13 + 4
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	chunk = append(chunk, typ...)
	chunk = append(chunk, body...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, chunk...)
	return append(out, p[ihdrEnd:]...)
}

// jpegHeader forges a JPEG that is only a header: SOI, a frame header
// with the given marker, size and components, and SOS (no data).
func jpegHeader(sof byte, precision byte, w, h int, comps int) []byte {
	b := []byte{0xFF, 0xD8, 0xFF, sof}
	b = binary.BigEndian.AppendUint16(b, uint16(8+3*comps))
	b = append(b, precision)
	b = binary.BigEndian.AppendUint16(b, uint16(h))
	b = binary.BigEndian.AppendUint16(b, uint16(w))
	b = append(b, byte(comps))
	for i := 0; i < comps; i++ {
		s := byte(0x11)
		if i == 0 && comps == 3 {
			s = 0x22
		}
		b = append(b, byte(i+1), s, 0)
	}
	b = append(b, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0)
	return append(b, 0xFF, 0xD9)
}

// pngHeader forges a PNG with only an IHDR of the given size and an IEND.
func pngHeader(w, h uint32) []byte {
	b := append([]byte{}, pngMagic...)
	body := binary.BigEndian.AppendUint32(nil, w)
	body = binary.BigEndian.AppendUint32(body, h)
	body = append(body, 8, 6, 0, 0, 0)
	chunk := binary.BigEndian.AppendUint32(nil, 13)
	chunk = append(chunk, "IHDR"...)
	chunk = append(chunk, body...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	b = append(b, chunk...)
	return append(b, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82)
}

// photoLike draws a w×h image resembling a photographed document:
// smooth gradients, mild noise, flat colour patches, fine lines and text-like
// strokes. It is deterministic.
func photoLike(w, h int, seed uint64) *image.RGBA { return drawCard(w, h, seed, 6) }

// testCard is photoLike without sensor noise: sharp edges and fine print on
// smooth gradients, for comparing decoders and scalers.
func testCard(w, h int) *image.RGBA { return drawCard(w, h, 1, 0) }

func drawCard(w, h int, seed uint64, noise int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(seed, 7))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			n := int(rng.IntN(2*noise+1)) - noise
			r := 60 + 150*x/w + n
			g := 80 + 120*y/h + n
			b := 170 - 100*(x+y)/(w+h) + n
			i := y*img.Stride + 4*x
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = clamp8(r), clamp8(g), clamp8(b), 255
		}
	}
	// Colour patches.
	patches := []color.RGBA{{200, 30, 30, 255}, {30, 160, 60, 255}, {30, 50, 190, 255}, {240, 220, 40, 255}}
	for i, c := range patches {
		r := image.Rect(w/10+i*w/5, h/10, w/10+i*w/5+w/8, h/10+h/6)
		draw.Draw(img, r, &image.Uniform{c}, image.Point{}, draw.Src)
	}
	// "Text": rows of short dark strokes 1–2 px thick, and fine line grids.
	dark := &image.Uniform{color.RGBA{20, 20, 25, 255}}
	for line := 0; line < 20; line++ {
		y := h/3 + line*h/40
		for x := w / 12; x < w*11/12; {
			l := 2 + rng.IntN(max(2, w/150))
			draw.Draw(img, image.Rect(x, y, x+l, y+1+rng.IntN(2)), dark, image.Point{}, draw.Src)
			draw.Draw(img, image.Rect(x, y-h/100, x+1, y), dark, image.Point{}, draw.Src)
			x += l + 1 + rng.IntN(max(2, w/200))
		}
	}
	for x := w / 2; x < w*3/4; x += 2 {
		draw.Draw(img, image.Rect(x, h*3/4, x+1, h*9/10), dark, image.Point{}, draw.Src)
	}
	return img
}

func clamp8(v int) uint8 { return uint8(max(0, min(255, v))) }

// rgbaAt returns the colour at (x, y) of an RGBA image.
func rgbaAt(m *image.RGBA, x, y int) color.RGBA { return m.RGBAAt(m.Rect.Min.X+x, m.Rect.Min.Y+y) }

// near reports whether two colours are within tol per channel.
func colorNear(a, b color.RGBA, tol int) bool {
	d := func(p, q uint8) int { return max(int(p)-int(q), int(q)-int(p)) }
	return d(a.R, b.R) <= tol && d(a.G, b.G) <= tol && d(a.B, b.B) <= tol && d(a.A, b.A) <= tol
}
