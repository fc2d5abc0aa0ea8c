package imaging

import (
	"image/color"
	"testing"
)

// The inlined conversion in combineYCbCr matches color.YCbCrToRGB for every input.
func TestCombineYCbCrMatchesStdlib(t *testing.T) {
	mk := func(v uint32) *planeState { return &planeState{out: []uint32{v << outShift}} }
	dst := make([]byte, 4)
	for y := 0; y < 256; y++ {
		for cb := 0; cb < 256; cb++ {
			for cr := 0; cr < 256; cr += 3 {
				combineYCbCr(dst, []*planeState{mk(uint32(y)), mk(uint32(cb)), mk(uint32(cr))})
				r, g, b := color.YCbCrToRGB(uint8(y), uint8(cb), uint8(cr))
				if dst[0] != r || dst[1] != g || dst[2] != b || dst[3] != 255 {
					t.Fatalf("%d %d %d: %v, want %d %d %d", y, cb, cr, dst, r, g, b)
				}
			}
		}
	}
}
