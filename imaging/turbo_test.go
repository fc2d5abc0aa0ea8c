//go:build cgo && !purego && (linux || darwin)

package imaging

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestPickScale(t *testing.T) {
	for _, tc := range []struct {
		w, h, tw, th int
		want         scalingFactor
	}{
		{4000, 3000, 1280, 960, scalingFactor{1, 2}},
		{4000, 3000, 2000, 1500, scalingFactor{1, 2}},
		{4000, 3000, 2001, 1500, scalingFactor{1, 1}},
		{4000, 3000, 1001, 750, scalingFactor{1, 2}},
		{4000, 3000, 1000, 750, scalingFactor{1, 4}},
		{4000, 3000, 500, 375, scalingFactor{1, 8}},
		{4000, 3000, 1, 1, scalingFactor{1, 8}},
		{4000, 3000, 4000, 3000, scalingFactor{1, 1}},
		{4000, 3000, 3900, 2900, scalingFactor{1, 1}},
		{3000, 4000, 960, 1280, scalingFactor{1, 2}},
		{4000, 3000, 1000, 751, scalingFactor{1, 2}}, // both axes must cover
		{9, 9, 2, 2, scalingFactor{1, 8}},            // TJSCALED rounds up: ceil(9/8) = 2
	} {
		got := pickScale(tc.w, tc.h, tc.tw, tc.th)
		if got != tc.want {
			t.Errorf("pickScale(%d×%d → %d×%d) = %d/%d, want %d/%d", tc.w, tc.h, tc.tw, tc.th, got.num, got.denom, tc.want.num, tc.want.denom)
		}
		if got.scaled(tc.w) < tc.tw || got.scaled(tc.h) < tc.th {
			t.Errorf("scale %d/%d undershoots the target", got.num, got.denom)
		}
	}
}

// TestTurboMatchesGo: both backends give visually equivalent output.
func TestTurboMatchesGo(t *testing.T) {
	photo := encodeJPEG(t, testCard(1600, 1200), 92)
	inputs := map[string][]byte{"photo": photo}
	for _, f := range []string{"progressive.jpg", "s444.jpg", "s422.jpg", "cmyk.jpg", "ycck.jpg", "gray-progressive.jpg"} {
		inputs[f] = readTestdata(t, f)
	}
	for name, data := range inputs {
		h, err := probeLimited(data, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range [][2]int{{h.Width, h.Height}, {h.Width / 2, h.Height / 2}, {h.Width / 3, h.Height / 3}, {h.Width * 3 / 8, h.Height * 3 / 8}, {h.Width / 7, h.Height / 7}} {
			t.Run(fmt.Sprintf("%s/%dx%d", name, size[0], size[1]), func(t *testing.T) {
				a, _, err := decodeJPEGTurbo(data, &h, size[0], size[1], 1)
				if err != nil {
					t.Fatal(err)
				}
				b, err := decodeJPEGGo(data, &h, size[0], size[1])
				if err != nil {
					t.Fatal(err)
				}
				if mad := meanAbsDiff(t, a, b); mad > 3 {
					t.Errorf("turbo vs go: mean abs diff %.2f > 3", mad)
				}
			})
		}
	}
}

// TestTurboLinkedStatically: the default Linux build carries libjpeg-turbo
// inside the binary, so no libturbojpeg.so is mapped.
func TestTurboLinkedStatically(t *testing.T) {
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skip("no /proc/self/maps:", err)
	}
	if strings.Contains(string(maps), "libturbojpeg.so") && !turboShared {
		t.Error("libturbojpeg.so is mapped: the static link fell back to the shared library")
	}
}
