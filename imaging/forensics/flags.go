package forensics

import (
	"encoding/json"
	"fmt"

	"docvreview/imaging"
)

// FlagName is one of the EXIF tells. The JSON report lists the names only.
type FlagName string

// The EXIF flag vocabulary; no other names are ever reported.
const (
	// FlagEditedSoftware: Software, ProcessingSoftware or XMP CreatorTool
	// names an image editor.
	FlagEditedSoftware FlagName = "edited_software"
	// FlagThumbnailMismatch: the embedded EXIF thumbnail does not show the
	// same picture as the image, after orientation.
	FlagThumbnailMismatch FlagName = "thumbnail_mismatch"
	// FlagGPSPresent: the EXIF block has GPS data.
	FlagGPSPresent FlagName = "gps_present"
	// FlagNoCameraMetadata: no Make, no Model and no DateTimeOriginal.
	FlagNoCameraMetadata FlagName = "no_camera_metadata"
)

// Flag is one EXIF tell with a one-line explanation for the inspector.
type Flag struct {
	Name        FlagName
	Explanation string
}

// MarshalJSON writes the flag as its name: exif_flags is a list of names.
func (f Flag) MarshalJSON() ([]byte, error) { return json.Marshal(string(f.Name)) }

// UnmarshalJSON reads a name of the vocabulary; the explanation becomes
// the name's general one.
func (f *Flag) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("EXIF flag: %w", err)
	}
	n := FlagName(s)
	e, ok := genericExplanations[n]
	if !ok {
		return fmt.Errorf("EXIF flag: %q is not in the vocabulary", s)
	}
	*f = Flag{Name: n, Explanation: e}
	return nil
}

// genericExplanations explain each flag without the specifics of a file.
var genericExplanations = map[FlagName]string{
	FlagEditedSoftware:    "the metadata names an image editor: the image was saved by editing software, not straight from a camera",
	FlagThumbnailMismatch: "the EXIF thumbnail shows a different picture from the image: the image was changed after the thumbnail was written",
	FlagGPSPresent:        "the EXIF block holds GPS data (where the photo was taken)",
	FlagNoCameraMetadata:  "no camera make, model or capture time in EXIF: a screenshot, an export or a browser capture rather than a camera file",
}

// exifFlags computes the EXIF tells of raw, in vocabulary order. x is its
// parsed EXIF (nil when it has none), xmpTool its XMP CreatorTool and
// shown its display decode (nil when the caller has none).
func exifFlags(raw []byte, x *imaging.EXIF, xmpTool string, shown *imaging.Display) []Flag {
	flags := []Flag{}
	if f, ok := editedSoftware(x, xmpTool); ok {
		flags = append(flags, f)
	}
	if mismatch, corr, checked := thumbnailCheck(raw, shown); checked && mismatch {
		flags = append(flags, Flag{FlagThumbnailMismatch, thumbnailExplanation(corr)})
	}
	if x != nil && x.HasGPS {
		flags = append(flags, Flag{FlagGPSPresent, genericExplanations[FlagGPSPresent]})
	}
	if x == nil || (x.Make == "" && x.Model == "" && x.DateTimeOriginal == "") {
		flags = append(flags, Flag{FlagNoCameraMetadata, genericExplanations[FlagNoCameraMetadata]})
	}
	return flags
}

// editedSoftware checks the three places an editor writes its name.
func editedSoftware(x *imaging.EXIF, xmpTool string) (Flag, bool) {
	type source struct{ field, value string }
	var sources []source
	if x != nil {
		sources = append(sources, source{"EXIF Software", x.Software}, source{"EXIF ProcessingSoftware", x.ProcessingSoftware})
	}
	sources = append(sources, source{"XMP CreatorTool", xmpTool})
	for _, s := range sources {
		if editorIn(s.value) != "" {
			return Flag{FlagEditedSoftware, fmt.Sprintf("%s names an image editor (%s): the image was saved by editing software, not straight from a camera",
				s.field, cleanText(s.value))}, true
		}
	}
	return Flag{}, false
}
