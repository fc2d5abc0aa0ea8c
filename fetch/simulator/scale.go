package simulator

// renderScale is the factor from the design size (4032×3024 captures) to the
// pixels generated: full size in every build, race-detector builds included,
// so that a test that claims a size (12 MP, the JPEG byte budget) tests it.
const renderScale = 1.0
