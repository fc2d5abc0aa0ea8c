//go:build purego || !cgo || !(linux || darwin)

package imaging

import "image"

// backendName is reported by Backend.
const backendName = "go"

// decodeJPEG decodes a JPEG into a tw×th image in stored orientation.
func decodeJPEG(data []byte, h *header, tw, th int) (*image.RGBA, error) {
	return decodeJPEGGo(data, h, tw, th)
}
