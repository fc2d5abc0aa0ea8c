package imaging

// cmykToRGBA converts 4-byte CMYK pixels, as libjpeg outputs them, to opaque
// RGBA in place. Adobe files store inverted CMYK (255 = no ink), as browsers
// and image/jpeg assume; other four-component files are taken as plain
// CMYK. The arithmetic matches color.CMYKToRGB so both backends agree.
func cmykToRGBA(pix []byte, adobeInverted bool) {
	for i := 0; i+4 <= len(pix); i += 4 {
		p := pix[i : i+4 : i+4]
		c, m, y, k := uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3])
		if !adobeInverted {
			c, m, y, k = 255-c, 255-m, 255-y, 255-k
		}
		// Here c, m, y, k are "amount of no ink": RGB = (c·k, m·k, y·k).
		w := k * 0x101
		p[0] = uint8((c * 0x101 * w / 0xffff) >> 8)
		p[1] = uint8((m * 0x101 * w / 0xffff) >> 8)
		p[2] = uint8((y * 0x101 * w / 0xffff) >> 8)
		p[3] = 0xFF
	}
}
