package assets

import _ "embed"

// facefinder is Pigo's face detection cascade (github.com/esimov/pigo
// v1.4.6, cascade/facefinder; MIT, see notices/pigo-facefinder-LICENSE.txt).
//
//go:embed facefinder
var facefinder []byte

// puploc is Pigo's pupil localisation cascade (cascade/puploc, same
// licence and notice).
//
//go:embed puploc
var puploc []byte

// FaceCascade returns Pigo's face detection cascade ("facefinder"), for
// imaging.NewFaceDetector. The slice is shared: do not modify it.
func FaceCascade() []byte { return facefinder }

// PupilCascade returns Pigo's pupil localisation cascade ("puploc"), for
// imaging.FaceDetector.WithPupils. The slice is shared: do not modify it.
func PupilCascade() []byte { return puploc }
