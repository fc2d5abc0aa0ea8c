//go:build !cgo || !zxing

package barcode

import "image"

const readerAvailable = false

// readPDF417 is never called in a build without the reader.
func readPDF417(*image.Gray, passFlags) ([]Symbol, error) { return nil, ErrUnavailable }
