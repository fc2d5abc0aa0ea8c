package forensics

// The IJG (libjpeg) quality scale: a quality Q in 1…100 scales the
// standard's example tables (ITU-T T.81 Annex K) by 5000/Q percent below 50
// and by 200-2Q percent from 50 on, rounding, with every value at least 1
// and, for baseline files, at most 255. libjpeg, libjpeg-turbo (cjpeg
// -quality), Go's image/jpeg and most phone and desktop encoders use it.

// stdLuma is the example luminance table of ITU-T T.81 Annex K.1 in
// zigzag order (the order DQT stores).
var stdLuma = [64]uint16{
	16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40,
	26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51,
	56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87,
	95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99,
}

// ijgTable returns the luma table libjpeg writes for quality q; limit is
// 255 for 8-bit (baseline) tables and 32767 for 16-bit ones.
func ijgTable(q int, limit int) [64]uint16 {
	scale := 200 - 2*q
	if q < 50 {
		scale = 5000 / q
	}
	var t [64]uint16
	for i, b := range stdLuma {
		v := (int(b)*scale + 50) / 100
		t[i] = uint16(min(max(v, 1), limit))
	}
	return t
}

// estimateQuality returns the IJG quality (1–100) whose luma table is
// closest to t (least total absolute difference; ties go to the higher
// quality). For a table written by an IJG-scaled encoder it is the quality
// the file was saved with; for other tables (some cameras, Photoshop) it
// is the IJG quality of equivalent coarseness.
func estimateQuality(t *quantTable) int {
	limit := 255
	if t.sixteen {
		limit = 32767
	}
	best, bestDiff := 0, int(^uint(0)>>1)
	for q := 100; q >= 1; q-- {
		ref := ijgTable(q, limit)
		diff := 0
		for i, v := range t.values {
			d := int(v) - int(ref[i])
			if d < 0 {
				d = -d
			}
			diff += d
		}
		if diff < bestDiff {
			best, bestDiff = q, diff
		}
	}
	return best
}

// jpegQuality estimates the quality of a JPEG from its luma table: the
// table of the frame's first component, or table 0 when the frame header
// names none that is defined. ok is false when there is no such table.
func jpegQuality(m jpegMarkers) (q int, ok bool) {
	t := (*quantTable)(nil)
	if m.lumaTable >= 0 && m.lumaTable < len(m.quant) {
		t = m.quant[m.lumaTable]
	}
	if t == nil {
		t = m.quant[0]
	}
	if t == nil {
		return 0, false
	}
	return estimateQuality(t), true
}
