package imaging

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"math"
	"slices"
	"sync"

	pigo "github.com/esimov/pigo/core"

	"docvreview/assets"
)

// Face detection uses Pigo (github.com/esimov/pigo, pure Go, MIT) with its
// "facefinder" cascade, and Pigo's "puploc" cascade to locate the pupils,
// from which the roll of the head is measured. Both cascades ship in
// assets/ with their licence notice.

// ErrBadCascade is returned (wrapped) for cascade data Pigo cannot use.
var ErrBadCascade = errors.New("invalid cascade data")

// Detection parameters. Faces are searched from minFaceFraction of the
// image's short side (at least minFacePixels) up to the whole short side.
// minFaceScore was set from measurements with these parameters: pigo's
// sample photo scores ~340, the simulator's drawn ID portrait 43 (its small
// ghost portrait 4.7, its drawn selfie 2.4, both missed), while smooth
// random blobs reached 8.6 in 120 noise images.
const (
	minFaceFraction = 0.1
	minFacePixels   = 24
	shiftFactor     = 0.1  // window step, as a fraction of its size
	scaleFactor     = 1.1  // window growth between scales
	iouThreshold    = 0.2  // detections overlapping more are one face
	minFaceScore    = 10.0 // clustered score below which a "face" is noise
	minPupilFace    = 48   // faces smaller than this (pixels) get no pupil search
	pupilPerturbs   = 63   // Pigo's maximum (and its examples' choice)
	maxRollRadians  = 0.44 // ~25°: a steeper eye line is a mislocated pupil
	// DefaultDetectSide is the long side DetectScaled is meant for: Detect
	// on a 640×800 image costs about 15 ms of CPU (BenchmarkDetect800).
	DefaultDetectSide = 800
)

// Face is one detected face.
type Face struct {
	// Rect is the square face box (brows to chin) in the coordinates of
	// the image passed to Detect or DetectScaled.
	Rect image.Rectangle
	// Score is Pigo's clustered detection score: higher is surer.
	Score float32
	// Angle is the roll of the head in radians: the slope of the line from
	// the image-left pupil to the image-right pupil, positive when the
	// image-right eye sits lower (head tilted clockwise on screen). It is
	// 0 when the pupils were not located (HasEyes false). CropFace turns
	// the crop by -Angle so the eyes are level.
	Angle float64
	// Eyes are the pupils (image-left first), valid when HasEyes.
	Eyes    [2]image.Point
	HasEyes bool
}

// FaceDetector finds faces. Build it once and share it: it is read-only
// after construction, and Pigo's RunCascade, ClusterDetections and
// RunDetector only read the unpacked cascades (their scratch memory comes
// from sync.Pools), so Detect is safe for concurrent use.
type FaceDetector struct {
	face   *pigo.Pigo
	pupils *pigo.PuplocCascade // nil: no pupils, Angle stays 0
}

// NewFaceDetector unpacks a Pigo face cascade (assets.FaceCascade()).
// The detector it returns does not locate pupils, so every Face has Angle
// 0; NewFaceDetectorWithPupils adds them.
func NewFaceDetector(cascade []byte) (*FaceDetector, error) {
	return NewFaceDetectorWithPupils(cascade, nil)
}

// NewFaceDetectorWithPupils unpacks a Pigo face cascade and, when
// pupilCascade is not nil, a Pigo pupil-localisation cascade
// (assets.PupilCascade()) used to measure each face's roll.
func NewFaceDetectorWithPupils(cascade, pupilCascade []byte) (*FaceDetector, error) {
	if err := checkFaceCascade(cascade); err != nil {
		return nil, fmt.Errorf("face cascade: %w", err)
	}
	face, err := pigo.NewPigo().Unpack(cascade)
	if err != nil {
		return nil, fmt.Errorf("face cascade: %w: %w", ErrBadCascade, err)
	}
	d := &FaceDetector{face: face}
	if pupilCascade != nil {
		if err := checkPupilCascade(pupilCascade); err != nil {
			return nil, fmt.Errorf("pupil cascade: %w", err)
		}
		if d.pupils, err = pigo.NewPuplocCascade().UnpackCascade(pupilCascade); err != nil {
			return nil, fmt.Errorf("pupil cascade: %w: %w", ErrBadCascade, err)
		}
	}
	return d, nil
}

// defaultDetector is built once from the embedded cascades.
var defaultDetector = sync.OnceValues(func() (*FaceDetector, error) {
	return NewFaceDetectorWithPupils(assets.FaceCascade(), assets.PupilCascade())
})

// DefaultFaceDetector returns the shared detector built from the embedded
// face and pupil cascades (unpacked on first use, ~10 ms).
func DefaultFaceDetector() (*FaceDetector, error) { return defaultDetector() }

// checkFaceCascade verifies that a Pigo face cascade is as long as its
// header says (Pigo's Unpack does not check and would panic).
func checkFaceCascade(b []byte) error {
	if len(b) < 16 {
		return fmt.Errorf("%w: %d bytes", ErrBadCascade, len(b))
	}
	depth, trees := binary.LittleEndian.Uint32(b[8:]), binary.LittleEndian.Uint32(b[12:])
	if depth < 1 || depth > 12 || trees < 1 || trees > 1<<16 {
		return fmt.Errorf("%w: depth %d, %d trees", ErrBadCascade, depth, trees)
	}
	leaves := int64(1) << depth
	per := (4*leaves - 4) + 4*leaves + 4 // node codes, leaf predictions, threshold
	if need := 16 + int64(trees)*per; int64(len(b)) < need {
		return fmt.Errorf("%w: %d bytes, header needs %d", ErrBadCascade, len(b), need)
	}
	return nil
}

// checkPupilCascade does the same for a Pigo pupil cascade.
func checkPupilCascade(b []byte) error {
	if len(b) < 16 {
		return fmt.Errorf("%w: %d bytes", ErrBadCascade, len(b))
	}
	stages := binary.LittleEndian.Uint32(b[0:])
	trees := binary.LittleEndian.Uint32(b[8:])
	depth := binary.LittleEndian.Uint32(b[12:])
	if stages < 1 || stages > 64 || trees < 1 || trees > 1<<12 || depth < 1 || depth > 12 {
		return fmt.Errorf("%w: %d stages, %d trees, depth %d", ErrBadCascade, stages, trees, depth)
	}
	leaves := int64(1) << depth
	per := (4*leaves - 4) + 8*leaves // node codes, (row, col) leaf predictions
	if need := 16 + int64(stages)*int64(trees)*per; int64(len(b)) < need {
		return fmt.Errorf("%w: %d bytes, header needs %d", ErrBadCascade, len(b), need)
	}
	return nil
}

// Detect finds upright faces (Pigo tolerates roughly ±15° of roll) in img,
// best score first. Faces smaller than a tenth of the short side are not
// searched. The cost grows with the pixel count: pass a copy of about
// DefaultDetectSide pixels on its long side, or use DetectScaled.
func (d *FaceDetector) Detect(img image.Image) []Face {
	if img == nil {
		return nil
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	short := min(w, h)
	minSize := max(minFacePixels, int(float64(short)*minFaceFraction))
	if short < minSize {
		return nil
	}
	gray := grayPixels(img)
	params := pigo.CascadeParams{
		MinSize:     minSize,
		MaxSize:     short,
		ShiftFactor: shiftFactor,
		ScaleFactor: scaleFactor,
		ImageParams: pigo.ImageParams{Pixels: gray, Rows: h, Cols: w, Dim: w},
	}
	dets := d.face.ClusterDetections(d.face.RunCascade(params, 0), iouThreshold)
	var faces []Face
	for _, det := range dets {
		if det.Q < minFaceScore {
			continue
		}
		half := det.Scale / 2
		r := image.Rect(det.Col-half, det.Row-half, det.Col-half+det.Scale, det.Row-half+det.Scale)
		f := Face{Rect: r.Add(b.Min), Score: det.Q}
		if d.pupils != nil && det.Scale >= minPupilFace {
			if eyes, ok := d.locatePupils(det, &params.ImageParams); ok {
				f.Eyes = [2]image.Point{eyes[0].Add(b.Min), eyes[1].Add(b.Min)}
				f.HasEyes = true
				f.Angle = eyeAngle(eyes[0], eyes[1])
			}
		}
		faces = append(faces, f)
	}
	slices.SortStableFunc(faces, func(p, q Face) int {
		if c := cmp.Compare(q.Score, p.Score); c != 0 {
			return c
		}
		return cmp.Compare(area(q.Rect), area(p.Rect))
	})
	return faces
}

// locatePupils runs the pupil cascade around where Pigo's examples expect
// the eyes in a face box and keeps the result only when it is plausible:
// both pupils inside the box, in its upper part, a sensible distance apart
// and roughly level.
func (d *FaceDetector) locatePupils(det pigo.Detection, img *pigo.ImageParams) ([2]image.Point, bool) {
	s := float32(det.Scale)
	row := det.Row - int(0.075*s)
	left := d.pupils.RunDetector(pigo.Puploc{
		Row: row, Col: det.Col - int(0.175*s), Scale: s * 0.25, Perturbs: pupilPerturbs,
	}, *img, 0, false)
	right := d.pupils.RunDetector(pigo.Puploc{
		Row: row, Col: det.Col + int(0.185*s), Scale: s * 0.25, Perturbs: pupilPerturbs,
	}, *img, 0, false)
	if left == nil || right == nil {
		return [2]image.Point{}, false
	}
	l, r := image.Pt(left.Col, left.Row), image.Pt(right.Col, right.Row)
	box := image.Rect(det.Col-det.Scale/2, det.Row-det.Scale/2, det.Col+det.Scale/2, det.Row+det.Scale/6)
	if !l.In(box) || !r.In(box) || l.X >= r.X {
		return [2]image.Point{}, false
	}
	dist := math.Hypot(float64(r.X-l.X), float64(r.Y-l.Y))
	if dist < 0.2*float64(det.Scale) || dist > 0.7*float64(det.Scale) {
		return [2]image.Point{}, false
	}
	if math.Abs(eyeAngle(l, r)) > maxRollRadians {
		return [2]image.Point{}, false
	}
	return [2]image.Point{l, r}, true
}

// eyeAngle is the slope angle of the line from pupil l to pupil r.
func eyeAngle(l, r image.Point) float64 {
	return math.Atan2(float64(r.Y-l.Y), float64(r.X-l.X))
}

func area(r image.Rectangle) int { return r.Dx() * r.Dy() }

// DetectScaled detects faces on a copy of img reduced (area-averaged) to
// maxSide pixels on its long side — or on img itself when it is already
// that small or maxSide ≤ 0 — and maps the faces back to img's
// coordinates. Use DefaultDetectSide for maxSide.
func (d *FaceDetector) DetectScaled(img *image.RGBA, maxSide int) []Face {
	if img == nil {
		return nil
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if maxSide <= 0 || max(w, h) <= maxSide {
		return d.Detect(img)
	}
	sw, sh := maxSide, max(1, int(math.Round(float64(h)*float64(maxSide)/float64(w))))
	if h > w {
		sw, sh = max(1, int(math.Round(float64(w)*float64(maxSide)/float64(h)))), maxSide
	}
	faces := d.Detect(RenderRegion(img, b, sw, sh))
	fx, fy := float64(w)/float64(sw), float64(h)/float64(sh)
	mapPt := func(p image.Point) image.Point {
		return image.Pt(b.Min.X+int(math.Round(float64(p.X)*fx)), b.Min.Y+int(math.Round(float64(p.Y)*fy)))
	}
	for i := range faces {
		f := &faces[i]
		f.Rect = image.Rectangle{Min: mapPt(f.Rect.Min), Max: mapPt(f.Rect.Max)}.Intersect(b)
		if f.HasEyes {
			f.Eyes = [2]image.Point{mapPt(f.Eyes[0]), mapPt(f.Eyes[1])}
			f.Angle = eyeAngle(f.Eyes[0], f.Eyes[1])
		}
	}
	return faces
}

// Largest returns the face with the largest box (the better score on a
// tie), and false when there is none.
func Largest(faces []Face) (Face, bool) {
	if len(faces) == 0 {
		return Face{}, false
	}
	best := faces[0]
	for _, f := range faces[1:] {
		if a, ba := area(f.Rect), area(best.Rect); a > ba || a == ba && f.Score > best.Score {
			best = f
		}
	}
	return best, true
}

// grayPixels converts img to 8-bit luma (BT.601, as Pigo expects), one
// byte per pixel, rows packed. *image.RGBA, *image.YCbCr and *image.Gray
// are read directly; other types a row at a time through image/draw.
func grayPixels(img image.Image) []uint8 {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	gray := make([]uint8, w*h)
	switch s := img.(type) {
	case *image.RGBA:
		for y := 0; y < h; y++ {
			off := s.PixOffset(b.Min.X, b.Min.Y+y)
			rgbaRowToGray(s.Pix[off:off+4*w], gray[y*w:(y+1)*w])
		}
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			off := s.YOffset(b.Min.X, b.Min.Y+y)
			copy(gray[y*w:(y+1)*w], s.Y[off:off+w])
		}
	case *image.Gray:
		for y := 0; y < h; y++ {
			off := s.PixOffset(b.Min.X, b.Min.Y+y)
			copy(gray[y*w:(y+1)*w], s.Pix[off:off+w])
		}
	default:
		row := image.NewRGBA(image.Rect(0, 0, w, 1))
		for y := 0; y < h; y++ {
			draw.Draw(row, row.Rect, img, image.Pt(b.Min.X, b.Min.Y+y), draw.Src)
			rgbaRowToGray(row.Pix, gray[y*w:(y+1)*w])
		}
	}
	return gray
}

// rgbaRowToGray converts premultiplied RGBA pixels to luma, in 16-bit
// fixed point (0.299, 0.587, 0.114).
func rgbaRowToGray(src []byte, dst []uint8) {
	for i := range dst {
		p := src[4*i : 4*i+3 : 4*i+3]
		dst[i] = uint8((19595*uint32(p[0]) + 38470*uint32(p[1]) + 7471*uint32(p[2]) + 1<<15) >> 16)
	}
}

// CropFace cuts the face f out of img with margin (a fraction of the face
// box added on every side, e.g. 0.3), square, as a size×size image: the
// same framing and scale for any face, so two crops can be compared side
// by side or overlaid. When f.Angle is not 0 the crop is turned by
// -f.Angle around the face centre (bilinear) so the eyes are level. Parts
// of the crop outside img are transparent. A non-positive size gives an
// empty image.
func CropFace(img *image.RGBA, f Face, size int, margin float64) *image.RGBA {
	if size <= 0 || img == nil {
		return image.NewRGBA(image.Rectangle{})
	}
	margin = min(max(margin, 0), 4)
	cx := float64(f.Rect.Min.X+f.Rect.Max.X) / 2
	cy := float64(f.Rect.Min.Y+f.Rect.Max.Y) / 2
	side := max(float64(max(f.Rect.Dx(), f.Rect.Dy()))*(1+2*margin), 1)
	if math.Abs(f.Angle) < 0.5*math.Pi/180 { // under half a degree: no resampling twice
		return renderSquare(img, cx, cy, side, size)
	}
	sin, cos := math.Sincos(f.Angle)
	// The source square, turned by Angle, must cover the output: render
	// a larger upright square at the output's scale, then sample it.
	k := float64(size) / side
	n := int(math.Ceil(side*(math.Abs(cos)+math.Abs(sin))*k)) + 2
	big := renderSquare(img, cx, cy, float64(n)/k, n)
	return rotateCenter(big, sin, cos, size)
}

// renderSquare renders the square of the given side centred on (cx, cy)
// into an n×n image; parts outside img stay transparent.
func renderSquare(img *image.RGBA, cx, cy, side float64, n int) *image.RGBA {
	s := max(1, int(math.Round(side)))
	x0 := int(math.Round(cx - float64(s)/2))
	y0 := int(math.Round(cy - float64(s)/2))
	region := image.Rect(x0, y0, x0+s, y0+s)
	clip := region.Intersect(img.Rect)
	if clip == region {
		return RenderRegion(img, region, n, n)
	}
	out := image.NewRGBA(image.Rect(0, 0, n, n))
	if clip.Empty() {
		return out
	}
	scale := func(v, origin int) int { return int(math.Round(float64(v-origin) * float64(n) / float64(s))) }
	dst := image.Rect(scale(clip.Min.X, x0), scale(clip.Min.Y, y0), scale(clip.Max.X, x0), scale(clip.Max.Y, y0))
	if dst.Empty() {
		return out
	}
	part := RenderRegion(img, clip, dst.Dx(), dst.Dy())
	draw.Draw(out, dst, part, image.Point{}, draw.Src)
	return out
}

// rotateCenter samples the centre size×size of src turned by the angle
// whose sine and cosine are given (output point p maps to src point
// centre + R·p), bilinearly; samples outside src are transparent.
func rotateCenter(src *image.RGBA, sin, cos float64, size int) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, size, size))
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	scx, scy := float64(sw)/2, float64(sh)/2
	half := float64(size) / 2
	for y := 0; y < size; y++ {
		v := float64(y) + 0.5 - half
		for x := 0; x < size; x++ {
			u := float64(x) + 0.5 - half
			sx := scx + cos*u - sin*v - 0.5
			sy := scy + sin*u + cos*v - 0.5
			o := out.PixOffset(x, y)
			bilinear(src, sx, sy, out.Pix[o:o+4:o+4])
		}
	}
	return out
}

// bilinear writes src sampled at pixel-centre coordinates (sx, sy) to
// dst (4 bytes), treating pixels outside src as transparent.
func bilinear(src *image.RGBA, sx, sy float64, dst []byte) {
	x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
	fx, fy := sx-float64(x0), sy-float64(y0)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	var acc [4]float64
	for j := 0; j < 2; j++ {
		y := y0 + j
		wy := fy
		if j == 0 {
			wy = 1 - fy
		}
		if y < 0 || y >= h || wy == 0 {
			continue
		}
		for i := 0; i < 2; i++ {
			x := x0 + i
			wx := fx
			if i == 0 {
				wx = 1 - fx
			}
			if x < 0 || x >= w || wx == 0 {
				continue
			}
			p := src.Pix[y*src.Stride+4*x : y*src.Stride+4*x+4 : y*src.Stride+4*x+4]
			wt := wx * wy
			acc[0] += wt * float64(p[0])
			acc[1] += wt * float64(p[1])
			acc[2] += wt * float64(p[2])
			acc[3] += wt * float64(p[3])
		}
	}
	for c := range acc {
		dst[c] = uint8(min(255, acc[c]+0.5))
	}
}
