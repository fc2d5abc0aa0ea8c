package forensics

import "strings"

// imageEditors are the names (lower case, as words) that mark a Software,
// ProcessingSoftware or XMP CreatorTool value as an image editor rather
// than a camera, a phone's firmware or a capture SDK.
var imageEditors = []string{
	"photoshop", "lightroom", "gimp", "snapseed", "pixelmator", "affinity", "canva", "picsart",
	"paint.net", "paintshop", "paint shop pro", "corel", "photopea", "facetune", "fotor", "photoscape",
	"krita", "luminar", "befunky", "pixlr", "photodirector", "airbrush", "meitu", "polarr",
	"acdsee", "darktable", "rawtherapee", "capture one", "photo editor", "photoeditor",
	"inpixio", "photoworks", "movavi photo", "lensa", "remini", "picmonkey", "photomator",
}

// editorIn returns the image editor that s names ("" when none): a name
// matches whole words, so "Canva" matches but "canvas" does not.
func editorIn(s string) string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.')
	})
	for i, w := range words {
		words[i] = strings.Trim(w, ".")
	}
	norm := " " + strings.Join(words, " ") + " "
	for _, e := range imageEditors {
		if strings.Contains(norm, " "+e+" ") {
			return e
		}
	}
	return ""
}
