//go:build purego || !cgo || !(linux || darwin)

package imaging

import "image"

// backendName is reported by Backend.
const backendName = "go"

// decodeJPEG decodes a JPEG into a tw×th image in stored orientation.
func decodeJPEG(data []byte, h *header, tw, th int) (*image.RGBA, error) {
	return decodeJPEGGo(data, h, tw, th)
}

// decodeJPEGDisplay decodes a JPEG to tw×th in stored orientation (upright
// false: the caller turns it).
func decodeJPEGDisplay(data []byte, h *header, tw, th int) (*image.RGBA, bool, error) {
	img, err := decodeJPEGGo(data, h, tw, th)
	return img, false, err
}

// decodeJPEGUpright decodes a JPEG at full size, upright.
func decodeJPEGUpright(data []byte, h *header) (*image.RGBA, error) {
	img, err := decodeJPEGGo(data, h, h.Width, h.Height)
	if err != nil {
		return nil, err
	}
	return orient(img, h.Orientation), nil
}

// decodeJPEGLuma decodes a JPEG's luma to fit tw×th, in stored orientation.
func decodeJPEGLuma(data []byte, h *header, tw, th int) (*image.Gray, error) {
	return decodeJPEGLumaGo(data, h, tw, th)
}
