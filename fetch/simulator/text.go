package simulator

import (
	"image"
	"image/color"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// typefaces are the Go fonts the specimen text is set in. Parsed fonts are
// safe for concurrent use; faces (which hold a rasteriser) are made per call.
type typefaces struct {
	regular, bold, italic, mono *opentype.Font
}

// fonts parses the embedded Go fonts once per process.
var fonts = sync.OnceValue(func() typefaces {
	parse := func(ttf []byte) *opentype.Font {
		f, err := opentype.Parse(ttf)
		if err != nil {
			// The fonts are compiled in; failing to parse them is a build defect.
			panic("simulator: parse embedded Go font: " + err.Error())
		}
		return f
	}
	return typefaces{
		regular: parse(goregular.TTF),
		bold:    parse(gobold.TTF),
		italic:  parse(goitalic.TTF),
		mono:    parse(gomono.TTF),
	}
})

// textStyle is a font at a pixel size in a colour.
type textStyle struct {
	font  *opentype.Font
	size  float64
	color rgb
}

// face makes a rasterising face for st.
func (st textStyle) face() font.Face {
	f, err := opentype.NewFace(st.font, &opentype.FaceOptions{Size: st.size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic("simulator: font face: " + err.Error())
	}
	return f
}

// drawText sets s with its baseline starting at (x, y) and returns the
// advance width in pixels.
func drawText(img *image.RGBA, st textStyle, x, y int, s string) int {
	c := color.RGBA{clamp8(st.color.r), clamp8(st.color.g), clamp8(st.color.b), 255}
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: st.face(), Dot: fixed.P(x, y)}
	d.DrawString(s)
	return (d.Dot.X - fixed.I(x)).Round()
}

// textWidth measures s in st.
func textWidth(st textStyle, s string) int {
	return font.MeasureString(st.face(), s).Round()
}

// microprint fills the band [x0,x1)×[y0,y1) with lines of tiny repeated
// text, as security printing does.
func microprint(img *image.RGBA, st textStyle, x0, y0, x1, y1 int, phrase string) {
	face := st.face()
	c := color.RGBA{clamp8(st.color.r), clamp8(st.color.g), clamp8(st.color.b), 255}
	src := image.NewUniform(c)
	clip := img.SubImage(image.Rect(x0, y0, x1, y1)).(*image.RGBA)
	line := int(st.size * 1.15)
	if line < 1 {
		line = 1
	}
	n := 0
	for y := y0 + int(st.size); y < y1+line; y += line {
		d := font.Drawer{Dst: clip, Src: src, Face: face, Dot: fixed.P(x0-(n*37)%200, y)}
		for d.Dot.X.Round() < x1 {
			d.DrawString(phrase)
		}
		n++
	}
}
