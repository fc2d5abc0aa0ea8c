//go:build !race

package simulator

// renderScale is the factor from the design size (4032×3024 captures) to
// the pixels generated. Full size in normal builds.
const renderScale = 1.0
