//go:build cgo && zxing && !race && linux

package barcode

import (
	"context"
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// threadCPU is the CPU time the calling OS thread has used.
func threadCPU(t *testing.T) time.Duration {
	t.Helper()
	const rusageThread = 1 // RUSAGE_THREAD (Linux)
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Finding and decoding the PDF417 on a 12 MP photo stays under 250 ms of
// CPU, upright and turned. The work runs on one thread (zxing-cpp starts
// none), so the test locks itself to it and measures that thread's CPU
// time, which other work on a busy machine does not inflate; the fastest
// of three runs is taken. Not in race builds, whose instrumented pixel
// loops are several times slower by design.
func TestBarcode12MPBudget(t *testing.T) {
	img := photo(t, 4032, 3024, aamvaSample, 6, 0.03)
	for _, q := range []int{0, 1} {
		in := turn(img, q)
		t.Run(fmt.Sprintf("%d°", 90*q), func(t *testing.T) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			best := time.Duration(1 << 62)
			for range 3 {
				start := threadCPU(t)
				if _, err := ReadPDF417(context.Background(), in); err != nil {
					t.Fatal(err)
				}
				best = min(best, threadCPU(t)-start)
			}
			t.Logf("best of 3: %v CPU", best)
			if best > 250*time.Millisecond {
				t.Errorf("took %v of CPU, budget 250 ms", best)
			}
		})
	}
}
