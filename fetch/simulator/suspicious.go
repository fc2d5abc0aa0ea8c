package simulator

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"math"
)

// The suspicious licence (scenario cccc…): the genuine specimen's capture,
// opened in an image editor, its document number and date of birth typed
// over, and saved again. What gives it away:
//
//   - the front's EXIF Software names the editor;
//   - the front's EXIF thumbnail shows another picture (the editor kept the
//     thumbnail of the file it started from, a face photo);
//   - the edited values were pasted from an uncompressed rendering onto the
//     decoded camera JPEG and the whole saved at another quality, so error
//     level analysis shows them brighter than the rest of the card;
//   - the back is the genuine one: its PDF417 still holds the specimen's
//     DOB and document number.
//
// The scenario's documentData (what the verification service read from the
// edited front) should carry suspiciousDOB and suspiciousDocNo.
const (
	suspiciousDOB   = "1999-03-14"
	suspiciousDocNo = "SPEC-0009-8765"
	// editorSoftware is the EXIF Software the editor writes.
	editorSoftware = "Adobe Photoshop 25.0 (Windows)"
	// editorQuality is the quality the editor saves at ("maximum").
	editorQuality = 97
)

// suspiciousFront is what the edited front prints.
var suspiciousFront = frontData{docNo: suspiciousDocNo, dob: "03/14/1999"}

// The genuine front capture's placement, shared with makeFront(0).
const (
	frontSeed  = 0xF0
	frontAngle = -0.018
)

// makeSuspiciousFront renders the edited licence front.
func makeSuspiciousFront() ([]byte, error) {
	k := renderScale
	// The file the editor opened: the camera's JPEG (the genuine licence
	// front: same drawing, placement, light and noise), decoded.
	dec, err := jpeg.Decode(bytes.NewReader(licenseImages().front))
	if err != nil {
		return nil, fmt.Errorf("suspicious front: decode: %w", err)
	}
	base := image.NewRGBA(dec.Bounds())
	draw.Draw(base, base.Rect, dec, dec.Bounds().Min, draw.Src)

	// The edit: the same capture with other values, pasted over the two
	// value boxes (both renderings are identical elsewhere: same drawing,
	// placement, light and noise).
	edited := photoOfCard(drawLicenseFront(k, suspiciousFront), k, frontSeed, frontAngle, 0, 0, nil)
	for _, box := range []image.Rectangle{frontDocNoBox, frontDOBBox} {
		r := cardBoxInPhoto(box, k, frontAngle, 0, 0).Intersect(base.Rect)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			copy(base.Pix[base.PixOffset(r.Min.X, y):base.PixOffset(r.Max.X, y)],
				edited.Pix[edited.PixOffset(r.Min.X, y):edited.PixOffset(r.Max.X, y)])
		}
	}

	thumb, err := otherPictureThumbnail()
	if err != nil {
		return nil, err
	}
	return encodeJPEGAt(base, exifMeta{
		orientation: 1, taken: "2025:01:15 10:30:12", offset: "-05:00",
		software: editorSoftware, thumbnail: thumb,
	}, editorQuality)
}

// cardBoxInPhoto returns the pixel rectangle of a capture made by
// photoOfCard (card centre offset dx, dy, turned by angle, at scale k) that
// covers the card's design rectangle box, with a margin of a few pixels.
func cardBoxInPhoto(box image.Rectangle, k, angle, dx, dy float64) image.Rectangle {
	cx, cy := (photoW/2+dx)*k, (photoH/2+dy)*k
	sin, cos := math.Sincos(angle)
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range [][2]int{{box.Min.X, box.Min.Y}, {box.Max.X, box.Min.Y}, {box.Min.X, box.Max.Y}, {box.Max.X, box.Max.Y}} {
		// Card space relative to the card's centre, in pixels.
		u, v := (float64(p[0])-cardW/2)*k, (float64(p[1])-cardH/2)*k
		x, y := cx+u*cos-v*sin, cy+u*sin+v*cos
		minX, minY, maxX, maxY = math.Min(minX, x), math.Min(minY, y), math.Max(maxX, x), math.Max(maxY, y)
	}
	const margin = 3
	return image.Rect(int(minX)-margin, int(minY)-margin, int(maxX)+margin+1, int(maxY)+margin+1)
}

// otherPictureThumbnail is a 160×120 JPEG of a different picture (a face
// against a wall), the thumbnail the edited file still carries.
func otherPictureThumbnail() ([]byte, error) {
	const tw = 160
	k := float64(tw) / photoW
	wall := rgb{196, 206, 214}
	s := newSurface(photoW, photoH, k, wall)
	s.gradient(image.Rect(0, 0, photoW, photoH), wall, wall.scale(0.75))
	drawPortrait(s, image.Rect(0, 0, photoW, photoH), specimenPerson, photoW*0.5, photoH*0.42, 640)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, s.img, &jpeg.Options{Quality: 75}); err != nil {
		return nil, fmt.Errorf("thumbnail: %w", err)
	}
	return buf.Bytes(), nil
}
