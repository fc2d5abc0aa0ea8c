//go:build !cgo || !zxing

package barcode

import (
	"context"
	"errors"
	"image"
	"testing"
)

func TestUnavailable(t *testing.T) {
	if Available() {
		t.Fatal("Available in a build without the reader")
	}
	_, err := ReadPDF417(context.Background(), image.NewGray(image.Rect(0, 0, 10, 10)))
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err %v", err)
	}
	if err.Error() != "barcode reading not available in this build" {
		t.Errorf("message %q", err)
	}
}
