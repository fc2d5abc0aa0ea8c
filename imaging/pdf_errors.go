package imaging

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
)

// PDF errors.
var (
	ErrNotPDF       = errors.New("not a PDF")
	ErrPDFEncrypted = errors.New("PDF is password-protected")
	ErrPDFCorrupt   = errors.New("PDF is damaged")
	ErrPDFPage      = errors.New("no such page")
	// ErrPDFEngine reports that the PDF engine could not start or was closed.
	ErrPDFEngine = errors.New("PDF engine unavailable")
)

// errEngineFault marks an error after which the worker must be discarded.
var errEngineFault = errors.New("engine fault")

// pdfHeaderWindow is how far into a file PDFium looks for "%PDF-".
const pdfHeaderWindow = 1024

// hasPDFHeader reports whether "%PDF-" occurs in the first 1024 bytes, the
// same window PDFium accepts.
func hasPDFHeader(data []byte) bool {
	if len(data) > pdfHeaderWindow {
		data = data[:pdfHeaderWindow]
	}
	return bytes.Contains(data, []byte("%PDF-"))
}

// classifyPDFError maps an error from go-pdfium to one of this package's
// sentinels. engineFault is true when the error did not come from PDFium's
// own error codes (a WebAssembly trap, a closed instance, …): the instance
// must then be discarded.
func classifyPDFError(err error) (sentinel error, engineFault bool) {
	switch {
	case errors.Is(err, pdfiumerrors.ErrPassword), errors.Is(err, pdfiumerrors.ErrSecurity):
		return ErrPDFEncrypted, false
	case errors.Is(err, pdfiumerrors.ErrPage):
		return ErrPDFPage, false
	case errors.Is(err, pdfiumerrors.ErrFormat), errors.Is(err, pdfiumerrors.ErrFile),
		errors.Is(err, pdfiumerrors.ErrUnknown), errors.Is(err, pdfiumerrors.ErrUnexpected),
		errors.Is(err, pdfiumerrors.ErrSuccess):
		return ErrPDFCorrupt, false
	}
	return ErrPDFCorrupt, true
}

// firstLine shortens an engine error (which may carry a WebAssembly stack
// trace) to its first line for an error message. Engine errors never carry
// document content.
func firstLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	const max = 200
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}

// pdfError wraps err from go-pdfium with what was being done, as the
// matching sentinel.
func pdfError(what string, err error) error {
	sentinel, fault := classifyPDFError(err)
	if fault {
		return fmt.Errorf("%s: %w (%w: %s)", what, sentinel, errEngineFault, firstLine(err))
	}
	return fmt.Errorf("%s: %w", what, sentinel)
}
