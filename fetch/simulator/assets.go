package simulator

import (
	"archive/zip"
	"bytes"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Generated files are made lazily, once per process, and never modified
// afterwards: inside the package they are shared read-only byte slices
// (CaseZIP hands out copies).

// licenseSet is the driver's license case: front, back and selfie.
type licenseSet struct {
	front, back, selfie []byte
	took                time.Duration // wall time to generate the three
}

// generateInTurn runs the jobs one after another (each draws on all
// cores) and returns their results in order, giving the memory of each
// back to the system before the next: a 12 MP capture holds about
// 100 MB of canvases while it is drawn, and the window that serves the
// Demo environment should not hold three at once. Generation of
// compiled-in drawings cannot fail short of a bug, so an error panics.
func generateInTurn(jobs ...func() ([]byte, error)) [][]byte {
	out := make([][]byte, len(jobs))
	for i, job := range jobs {
		var err error
		if out[i], err = job(); err != nil {
			panic("simulator: generate image: " + err.Error())
		}
		debug.FreeOSMemory()
	}
	return out
}

// licenseImages is the license case images, generated once per process.
// They are the stored entries of licenseZIP itself (read in place), so the
// process holds each capture once.
var licenseImages = sync.OnceValue(func() licenseSet {
	z := licenseZIP()
	took, _ := licenseTook.Load().(time.Duration)
	return licenseSet{front: storedEntry(z, nameFront1), back: storedEntry(z, nameBack1), selfie: storedEntry(z, nameSelfie1), took: took}
})

// licenseTook is the wall time licenseZIP spent generating the images.
var licenseTook atomic.Value

// generateLicense draws the license case's front, back and selfie.
func generateLicense() (front, back, selfie []byte) {
	start := time.Now()
	b := generateInTurn(
		func() ([]byte, error) { return makeFront(0) },
		makeBack,
		func() ([]byte, error) { return makeSelfie(0) },
	)
	licenseTook.Store(time.Since(start))
	return b[0], b[1], b[2]
}

// storedEntry is the data of the stored (uncompressed) entry name of the
// ZIP z, as a slice of z itself; it panics when there is none (the
// archives are built here, so that is a bug).
func storedEntry(z []byte, name string) []byte {
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		panic("simulator: read own archive: " + err.Error())
	}
	for _, f := range zr.File {
		if f.Name != name || f.Method != zip.Store {
			continue
		}
		off, err := f.DataOffset()
		if err != nil {
			panic("simulator: read own archive: " + err.Error())
		}
		n := int64(f.UncompressedSize64)
		return z[off : off+n : off+n]
	}
	panic("simulator: no stored entry " + name)
}

// passportImage generates the passport data page once per process.
var passportImage = sync.OnceValue(func() []byte {
	return generateInTurn(makePassport)[0]
})

// suspiciousFrontImage generates the edited front of the suspicious
// licence once per process.
var suspiciousFrontImage = sync.OnceValue(func() []byte {
	return generateInTurn(makeSuspiciousFront)[0]
})

// recaptureSet holds the extra captures of the re-capture scenario.
type recaptureSet struct {
	front1, selfie1, barcode []byte
}

// recaptureImages generates the earlier captures once per process.
var recaptureImages = sync.OnceValue(func() recaptureSet {
	b := generateInTurn(
		func() ([]byte, error) { return makeFront(1) },
		func() ([]byte, error) { return makeSelfie(1) },
		makeBarcodePNG,
	)
	return recaptureSet{front1: b[0], selfie1: b[1], barcode: b[2]}
})
