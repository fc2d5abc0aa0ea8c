package simulator

import (
	"archive/zip"
	"bytes"
	"fmt"
	"runtime/debug"
	"sync"
	"time"
)

// Entry names, as RiskOS lays out a case.
const (
	nameFront1     = "user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg"
	nameFront2     = "user_uploaded/document_verification/documentfrontDoc_Front_2_blob.jpg"
	nameBack1      = "user_uploaded/document_verification/documentbackDoc_Back_1_blob.jpg"
	nameSelfie1    = "user_uploaded/vouched_id_verification/Doc_Selfie_1_blob.jpg"
	nameSelfie2    = "user_uploaded/vouched_id_verification/Doc_Selfie_2_blob.jpg"
	nameBarcodePNG = "user_uploaded/document_verification/documentbarcodeDoc_Barcode_1_blob.png"
	nameCaptureTXT = "user_uploaded/metadata/capture_info.txt"
	nameIdentity   = "case_attachments/identity.pdf"
	nameAdditional = "case_attachments/additional_doc.pdf"
	nameTraversal  = "../../etc/evil.txt"
)

// zipFile is one entry to write.
type zipFile struct {
	name string
	data []byte
}

// zipModified is the fixed timestamp of every entry, so archives are
// byte-for-byte deterministic.
var zipModified = time.Date(2025, 1, 15, 15, 31, 40, 0, time.UTC)

// buildZIP writes files in order. Images (already compressed) are stored;
// everything else is deflated, as a server would do.
func buildZIP(files []zipFile) []byte {
	var buf bytes.Buffer
	// Sized up front (data, plus headers and the central directory), so a
	// 7 MB archive is written into one buffer instead of a doubling series.
	n := 22
	for _, f := range files {
		n += len(f.data) + 2*len(f.name) + 128
	}
	buf.Grow(n)
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		method := zip.Deflate
		if isImage(f.data) {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: method, Modified: zipModified})
		if err != nil {
			panic(fmt.Sprintf("simulator: zip entry: %v", err)) // writing to memory cannot fail
		}
		if _, err := w.Write(f.data); err != nil {
			panic(fmt.Sprintf("simulator: zip write: %v", err))
		}
	}
	if err := zw.Close(); err != nil {
		panic(fmt.Sprintf("simulator: zip close: %v", err))
	}
	return buf.Bytes()
}

// isImage reports whether b starts with a JPEG or PNG signature.
func isImage(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}) || bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n"))
}

// The scenario archives, each built once per process.
var (
	// licenseZIP is generated first; licenseImages reads its captures
	// back out of it in place.
	licenseZIP = sync.OnceValue(func() []byte {
		front, back, selfie := generateLicense()
		z := buildZIP([]zipFile{
			{nameFront1, front},
			{nameBack1, back},
			{nameSelfie1, selfie},
			{nameIdentity, licenseNotePDF()},
			{nameAdditional, additionalDocPDF()},
		})
		// The captures now live in z (licenseImages reads them in place):
		// their separate copies go back to the system at once, before the
		// window that asked for the case starts loading it.
		debug.FreeOSMemory()
		return z
	})
	passportZIP = sync.OnceValue(func() []byte {
		return buildZIP([]zipFile{
			{nameFront1, passportImage()},
			{nameSelfie1, licenseImages().selfie},
			{nameIdentity, passportNotePDF()},
		})
	})
	hostileZIP = sync.OnceValue(func() []byte {
		return buildZIP([]zipFile{
			{nameTraversal, []byte("This entry tries to escape the extraction folder. It must never be written.\n")},
			{nameFront1, licenseImages().front},
			{nameBack1, corruptJPEG()},
			{nameIdentity, []byte(fakePDF)},
		})
	})
	// suspiciousLicenseZIP is the suspicious licence (scenario cccc…): the
	// licence layout with the edited front (see suspicious.go) and the
	// genuine back and selfie.
	suspiciousLicenseZIP = sync.OnceValue(func() []byte {
		img := licenseImages()
		return buildZIP([]zipFile{
			{nameFront1, suspiciousFrontImage()},
			{nameBack1, img.back},
			{nameSelfie1, img.selfie},
			{nameIdentity, licenseNotePDF()},
			{nameAdditional, additionalDocPDF()},
		})
	})
	recaptureZIP = sync.OnceValue(func() []byte {
		img, re := licenseImages(), recaptureImages()
		return buildZIP([]zipFile{
			{nameFront1, re.front1},
			{nameFront2, img.front},
			{nameBack1, img.back},
			{nameSelfie1, re.selfie1},
			{nameSelfie2, img.selfie},
			{nameBarcodePNG, re.barcode},
			{nameCaptureTXT, []byte(captureInfo)},
		})
	})
)

// fakePDF is HTML wearing a .pdf name.
const fakePDF = `<!DOCTYPE html>
<html><head><title>Document</title></head>
<body><h1>Session expired</h1><p>Please sign in again.</p>
<script>document.location = "https://example.invalid/login";</script>
</body></html>
`

// captureInfo is the unknown text entry of the re-capture case.
const captureInfo = `capture_sdk=DocV Simulator 1.0 (synthetic)
front_attempts=2
back_attempts=1
selfie_attempts=2
note=first front capture rejected for glare; first selfie off-centre
`

// corruptJPEG is a JPEG signature and header start followed by garbage: it
// passes a magic-byte check and fails to decode.
func corruptJPEG() []byte {
	b := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00}
	r := newRNG(0xBAD)
	for range 48 << 10 {
		b = append(b, byte(r.next()>>32))
	}
	return b
}
