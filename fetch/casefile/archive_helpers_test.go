package casefile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"testing"
)

// Minimal bodies with the right magic bytes; classification only looks at
// the first bytes.
var (
	jpegBytes = append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, bytes.Repeat([]byte{0x42}, 200)...)
	pngBytes  = append([]byte{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, bytes.Repeat([]byte{0x17}, 100)...)
	pdfBytes  = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	htmlBytes = []byte("<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Please sign in</body></html>\n")
)

// zfile is one entry for buildZip. With Raw set, the bytes in Data are
// written as the already-compressed body and the header fields are used
// as given (to lie about sizes, CRC, flags or method).
type zfile struct {
	Name   string
	Data   []byte
	Store  bool
	Raw    bool
	Header zip.FileHeader
}

// buildZip writes files into an in-memory ZIP.
func buildZip(t testing.TB, files ...zfile) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		if f.Raw {
			fh := f.Header
			fh.Name = f.Name
			w, err := zw.CreateRaw(&fh)
			if err != nil {
				t.Fatalf("CreateRaw %q: %v", f.Name, err)
			}
			if _, err := w.Write(f.Data); err != nil {
				t.Fatal(err)
			}
			continue
		}
		method := zip.Deflate
		if f.Store {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: method})
		if err != nil {
			t.Fatalf("Create %q: %v", f.Name, err)
		}
		if _, err := w.Write(f.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deflate compresses data at the best level.
func deflate(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	fw.Close()
	return buf.Bytes()
}

// rawDeflated is a Raw zfile whose compressed body is data deflated, with
// the declared uncompressed size and CRC given by the caller.
func rawDeflated(t testing.TB, name string, data []byte, declared uint64, crc uint32) zfile {
	body := deflate(t, data)
	return zfile{Name: name, Data: body, Raw: true, Header: zip.FileHeader{
		Method:             zip.Deflate,
		CRC32:              crc,
		CompressedSize64:   uint64(len(body)),
		UncompressedSize64: declared,
	}}
}

// honestRaw is a Raw stored entry with truthful sizes and CRC, to which the
// caller may add flags.
func honestRaw(name string, data []byte, flags uint16, method uint16) zfile {
	return zfile{Name: name, Data: data, Raw: true, Header: zip.FileHeader{
		Method:             method,
		Flags:              flags,
		CRC32:              crc32.ChecksumIEEE(data),
		CompressedSize64:   uint64(len(data)),
		UncompressedSize64: uint64(len(data)),
	}}
}

// dlCase is the usual driver's-license archive (fetch/simulator/zipgen.go).
func dlCase(t testing.TB, prefix string) []byte {
	return buildZip(t,
		zfile{Name: prefix + "user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg", Data: jpegBytes},
		zfile{Name: prefix + "user_uploaded/document_verification/documentbackDoc_Back_1_blob.jpg", Data: jpegBytes},
		zfile{Name: prefix + "user_uploaded/vouched_id_verification/Doc_Selfie_1_blob.jpg", Data: jpegBytes},
		zfile{Name: prefix + "case_attachments/identity.pdf", Data: pdfBytes},
		zfile{Name: prefix + "case_attachments/additional_doc.pdf", Data: pdfBytes, Store: true},
	)
}

// entryByPath finds an entry by its cleaned path.
func entryByPath(entries []*Entry, p string) *Entry {
	for _, e := range entries {
		if e.Path == p {
			return e
		}
	}
	return nil
}
