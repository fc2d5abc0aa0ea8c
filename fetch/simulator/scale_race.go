//go:build race

package simulator

// renderScale is the factor from the design size (4032×3024 captures) to
// the pixels generated. The race detector slows the pixel loops and the
// JPEG encoder about tenfold, so race-enabled builds (tests) draw the same
// pictures at a quarter of the linear size (1008×756): the scenarios, names,
// EXIF and structure are identical, only the pixel count differs.
const renderScale = 0.25
