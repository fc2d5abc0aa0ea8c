package imaging

// This file holds the resampler's weights along one axis (see scale.go).

// weightBits is the fixed-point precision of each axis' weights.
const (
	weightBits = 12
	weightOne  = 1 << weightBits
)

// axisFilter maps src samples onto dst samples along one axis.
type axisFilter struct {
	start   []int32  // first source sample of each destination sample
	off     []int32  // offset of its weights in w; len(off) = dst+1
	weights []uint32 // weights of each destination sample sum to weightOne

	// The same weights with n per destination sample, zero-padded, when no
	// sample has more than maxFixedTaps (else n is 0): the horizontal pass
	// then runs without an inner loop of varying length. Sources read this
	// way are padded with fixedPad zero samples.
	n     int
	fixed []uint32
}

// maxFixedTaps bounds the fixed-width form; fixedPad is the padding it needs.
const (
	maxFixedTaps = 4
	fixedPad     = maxFixedTaps
)

// fix fills the fixed-width form when every sample has few enough taps.
func (f *axisFilter) fix() *axisFilter {
	dst := len(f.start)
	m := 0
	for i := 0; i < dst; i++ {
		m = max(m, int(f.off[i+1]-f.off[i]))
	}
	if m < 2 || m > maxFixedTaps {
		return f
	}
	f.n = m
	f.fixed = make([]uint32, dst*m)
	for i := 0; i < dst; i++ {
		copy(f.fixed[i*m:], f.weights[f.off[i]:f.off[i+1]])
	}
	return f
}

// taps returns the first source index and the weights of destination i.
func (f *axisFilter) taps(i int) (int, []uint32) {
	return int(f.start[i]), f.weights[f.off[i]:f.off[i+1]]
}

// newAxisFilter returns area-average weights when reducing (or keeping the
// size) and bilinear weights when enlarging. Source samples are
// full-resolution pixels; see newAreaFilter for subsampled planes.
func newAxisFilter(src, dst int) *axisFilter {
	if dst > src {
		return newBilinearFilter(src, dst)
	}
	return newAreaFilter(src, dst, 1, src)
}

// newAreaFilter maps a plane whose samples each cover factor full-resolution
// pixels (chroma planes) onto dst output pixels covering full pixels of the
// image. samples is the number of samples in the plane (≥ ceil(full/factor)).
func newAreaFilter(full, dst, factor, samples int) *axisFilter {
	f := &axisFilter{
		start: make([]int32, dst),
		off:   make([]int32, dst+1),
	}
	f.weights = make([]uint32, 0, dst+samples+dst)
	// Coordinates in units of 1/dst pixel: destination i covers
	// [i*full, (i+1)*full); sample j covers [j*factor*dst, (j+1)*factor*dst).
	unit := int64(factor) * int64(dst)
	for i := 0; i < dst; i++ {
		lo, hi := int64(i)*int64(full), int64(i+1)*int64(full)
		j0 := int(lo / unit)
		j1 := int((hi + unit - 1) / unit) // exclusive
		if j1 > samples {
			j1 = samples
		}
		if j0 >= j1 {
			j0 = j1 - 1
		}
		f.start[i] = int32(j0)
		f.off[i] = int32(len(f.weights))
		var cum, prev int64
		for j := j0; j < j1; j++ {
			a, b := int64(j)*unit, int64(j+1)*unit
			if a < lo {
				a = lo
			}
			if b > hi {
				b = hi
			}
			if b > a {
				cum += b - a
			}
			// Cumulative rounding keeps the sum exactly weightOne.
			r := (cum*weightOne + int64(full)/2) / int64(full)
			f.weights = append(f.weights, uint32(r-prev))
			prev = r
		}
	}
	f.off[dst] = int32(len(f.weights))
	return f.fix()
}

// newBilinearFilter enlarges src samples to dst (> src) with pixel centres
// aligned: destination i samples source coordinate (i+0.5)*src/dst - 0.5.
func newBilinearFilter(src, dst int) *axisFilter {
	f := &axisFilter{
		start:   make([]int32, dst),
		off:     make([]int32, dst+1),
		weights: make([]uint32, 0, 2*dst),
	}
	den := 2 * int64(dst)
	for i := 0; i < dst; i++ {
		num := int64(2*i+1)*int64(src) - int64(dst)
		f.off[i] = int32(len(f.weights))
		if num <= 0 {
			f.start[i] = 0
			f.weights = append(f.weights, weightOne)
			continue
		}
		x0 := num / den
		frac := ((num%den)*weightOne + den/2) / den
		if x0 >= int64(src-1) || frac == 0 {
			if x0 > int64(src-1) {
				x0 = int64(src - 1)
			}
			f.start[i] = int32(x0)
			f.weights = append(f.weights, weightOne)
			continue
		}
		f.start[i] = int32(x0)
		f.weights = append(f.weights, uint32(weightOne-frac), uint32(frac))
	}
	f.off[dst] = int32(len(f.weights))
	return f.fix()
}
