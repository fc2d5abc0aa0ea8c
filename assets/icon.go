// Package assets holds DocV Review's embedded static data: the app icon and
// the third-party notices. It does not import Fyne.
package assets

import _ "embed"

//go:embed icon.png
var icon []byte

// Icon returns the app icon (256×256 PNG). The slice is shared: do not modify it.
func Icon() []byte { return icon }
