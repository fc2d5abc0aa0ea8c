package imaging

import (
	"context"
	"errors"
	"testing"
	"time"
)

// FuzzPDFOpen feeds arbitrary bytes to the engine: it must not panic or
// hang, and every error must be one of the package's PDF errors.
func FuzzPDFOpen(f *testing.F) {
	good := makePDF(testPDF{pages: 2})
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(makePDF(testPDF{claimedCount: 1_000_000}))
	f.Add(makePDF(testPDF{transparent: true}))
	f.Add([]byte("%PDF-1.7\n"))
	f.Add([]byte("<html>not a pdf</html>"))
	e := testPDFEngine(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		d, err := e.Open(ctx, data)
		if err != nil {
			checkPDFError(t, err)
			return
		}
		defer d.Close()
		if d.Pages() < 1 {
			t.Fatalf("Pages = %d", d.Pages())
		}
		if _, err := d.Render(ctx, 0, 10); err != nil {
			checkPDFError(t, err)
		}
	})
}

func checkPDFError(t *testing.T, err error) {
	t.Helper()
	for _, known := range []error{ErrNotPDF, ErrPDFEncrypted, ErrPDFCorrupt, ErrPDFPage, ErrTooLarge} {
		if errors.Is(err, known) {
			return
		}
	}
	t.Fatalf("unexpected error: %v", err)
}
