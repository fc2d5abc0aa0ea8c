package simulator

import (
	"image"
	"math"
)

// person is the look of a drawn (cartoon) face. No real person is depicted.
type person struct {
	skin, hair, shirt, iris, lips rgb
	longHair                      bool
}

// specimenPerson is the one face every card, passport and selfie shows.
var specimenPerson = person{
	skin:     rgb{222, 178, 145},
	hair:     rgb{62, 42, 30},
	shirt:    rgb{46, 84, 140},
	iris:     rgb{88, 60, 38},
	lips:     rgb{178, 92, 88},
	longHair: true,
}

// drawPortrait draws p's head and shoulders centred on (cx, cy) (the centre
// of the face oval, half-width rx, in design coordinates) into the clip
// rectangle of s. Light comes from the upper left.
func drawPortrait(s surface, clip image.Rectangle, p person, cx, cy, rx float64) {
	dst := s.sub(clip)
	ry := rx * 1.32

	// Shaded skin: brighter towards the upper left, darker at the rim.
	skinAt := func(ox, oy, sx, sy float64) paint {
		return func(x, y float64) rgb {
			dx, dy := (x-ox)/sx, (y-oy)/sy
			r2 := dx*dx + dy*dy
			k := 1.06 - 0.22*r2 - 0.06*dx - 0.05*dy
			return p.skin.scale(k)
		}
	}

	// Shoulders and shirt, with a collar opening.
	shirt := func(x, y float64) rgb {
		return p.shirt.scale(1.05 - 0.25*math.Abs(x-cx)/(2.6*rx))
	}
	dst.fill(ellipse(cx, cy+2.55*ry, 2.6*rx, 1.35*ry), shirt, 1, 3)
	// Round neckline: skin showing below the neck, with a hem line.
	dst.fill(ellipse(cx, cy+1.3*ry, 0.5*rx, 0.32*ry), solid(p.shirt.scale(0.7)), 1, 2)
	dst.fill(ellipse(cx, cy+1.28*ry, 0.46*rx, 0.3*ry), skinAt(cx, cy+1.6*ry, rx, 1.3*ry), 1, 2)
	// Hair falling behind the shoulders.
	if p.longHair {
		dst.fill(roundRect(cx-1.22*rx, cy-0.6*ry, cx+1.22*rx, cy+1.25*ry, 0.5*rx), solid(p.hair.scale(0.85)), 1, 6)
	}
	// Neck, in shadow under the chin.
	dst.fill(roundRect(cx-0.42*rx, cy+0.55*ry, cx+0.42*rx, cy+1.55*ry, 0.2*rx), skinAt(cx, cy+1.6*ry, rx, 1.3*ry), 1, 2)
	dst.fill(ellipse(cx, cy+0.9*ry, 0.5*rx, 0.3*ry), solid(p.skin.scale(0.7)), 0.5, 0.2*rx)
	// Hair mass behind the head.
	dst.fill(ellipse(cx, cy-0.12*ry, 1.14*rx, 1.06*ry), solid(p.hair), 1, 4)
	// Ears.
	for _, side := range []float64{-1, 1} {
		dst.fill(ellipse(cx+side*0.97*rx, cy+0.02*ry, 0.15*rx, 0.24*ry), skinAt(cx+side*0.97*rx, cy, 0.3*rx, 0.4*ry), 1, 2)
	}
	// Face.
	dst.fill(ellipse(cx, cy, rx, ry), skinAt(cx-0.2*rx, cy-0.25*ry, 1.3*rx, 1.3*ry), 1, 2)
	// Fringe across the forehead.
	dst.fill(rotated(ellipse(cx+0.3*rx, cy-0.84*ry, 0.85*rx, 0.3*ry), cx+0.3*rx, cy-0.84*ry, 0.12), solid(p.hair), 1, 3)
	dst.fill(rotated(ellipse(cx-0.5*rx, cy-0.8*ry, 0.6*rx, 0.26*ry), cx-0.5*rx, cy-0.8*ry, -0.35), solid(p.hair), 1, 3)

	for _, side := range []float64{-1, 1} {
		ex, ey := cx+side*0.37*rx, cy-0.1*ry
		// Eye socket shade, brow, eye white, iris, pupil, catch light.
		dst.fill(ellipse(ex, ey-0.02*ry, 0.3*rx, 0.15*ry), solid(p.skin.scale(0.72)), 0.55, 0.08*rx)
		dst.fill(rotated(ellipse(ex, cy-0.3*ry, 0.25*rx, 0.045*ry), ex, cy-0.3*ry, side*0.1), solid(p.hair.scale(0.9)), 1, 2)
		dst.fill(ellipse(ex, ey, 0.19*rx, 0.075*ry), solid(rgb{240, 236, 230}), 1, 2)
		dst.fill(ellipse(ex, ey, 0.085*rx, 0.085*rx), solid(p.iris), 1, 2)
		dst.fill(ellipse(ex, ey, 0.04*rx, 0.04*rx), solid(rgb{15, 12, 10}), 1, 2)
		dst.fill(ellipse(ex-0.025*rx, ey-0.025*rx, 0.015*rx, 0.015*rx), solid(rgb{250, 250, 250}), 1, 1)
		// Upper lid line.
		dst.fill(ellipse(ex, ey-0.055*ry, 0.2*rx, 0.018*ry), solid(rgb{40, 28, 24}), 1, 1)
		// Cheek.
		dst.fill(ellipse(cx+side*0.5*rx, cy+0.28*ry, 0.2*rx, 0.12*ry), solid(rgb{215, 140, 130}), 0.18, 0.1*rx)
	}
	// Nose: side shadow, tip, nostrils.
	dst.fill(ellipse(cx+0.07*rx, cy+0.12*ry, 0.07*rx, 0.22*ry), solid(p.skin.scale(0.78)), 0.6, 0.05*rx)
	dst.fill(ellipse(cx, cy+0.3*ry, 0.13*rx, 0.07*ry), solid(p.skin.scale(1.05)), 0.7, 0.04*rx)
	for _, side := range []float64{-1, 1} {
		dst.fill(ellipse(cx+side*0.075*rx, cy+0.34*ry, 0.04*rx, 0.022*ry), solid(rgb{90, 55, 45}), 0.9, 2)
	}
	// Mouth: lips and the line between them.
	dst.fill(ellipse(cx, cy+0.56*ry, 0.29*rx, 0.075*ry), solid(p.lips), 1, 3)
	dst.fill(ellipse(cx, cy+0.555*ry, 0.28*rx, 0.012*ry), solid(rgb{95, 40, 40}), 1, 1.5)
	// Chin shade.
	dst.fill(ellipse(cx, cy+0.82*ry, 0.35*rx, 0.1*ry), solid(p.skin.scale(0.88)), 0.4, 0.1*rx)
}
