package casefile

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"

	"docvreview/fetch/internal/safetext"
)

func TestReadArchiveGoodCase(t *testing.T) {
	entries, warnings, err := ReadArchive(dlCase(t, ""), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings = %q, want none", warnings)
	}
	want := map[string]Role{
		"user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg": RoleFront,
		"user_uploaded/document_verification/documentbackDoc_Back_1_blob.jpg":   RoleBack,
		"user_uploaded/vouched_id_verification/Doc_Selfie_1_blob.jpg":           RoleSelfie,
		"case_attachments/identity.pdf":                                         RoleAttachment,
		"case_attachments/additional_doc.pdf":                                   RoleAttachment,
	}
	if len(entries) != len(want) {
		t.Fatalf("got %d entries, want %d", len(entries), len(want))
	}
	for p, role := range want {
		e := entryByPath(entries, p)
		if e == nil {
			t.Errorf("missing %s", p)
			continue
		}
		if e.Role != role || e.Err != nil || e.Duplicate {
			t.Errorf("%s: role %s err %v dup %v, want %s", p, e.Role, e.Err, e.Duplicate, role)
		}
		sum := sha256.Sum256(e.Data)
		if e.SHA256 != hex.EncodeToString(sum[:]) || e.Size != int64(len(e.Data)) {
			t.Errorf("%s: sha/size mismatch", p)
		}
		if cap(e.Data) != len(e.Data) {
			t.Errorf("%s: buffer capacity %d for %d bytes (one exact allocation expected)", p, cap(e.Data), len(e.Data))
		}
		if e.Name != p[strings.LastIndexByte(p, '/')+1:] {
			t.Errorf("%s: Name = %q", p, e.Name)
		}
	}
	front := entryByPath(entries, "user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg")
	if front.Capture != 1 || front.Format != FormatJPEG || !bytes.Equal(front.Data, jpegBytes) {
		t.Errorf("front: capture %d format %s", front.Capture, front.Format)
	}
}

func TestReadArchiveUnsafeNames(t *testing.T) {
	good := zfile{Name: "user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg", Data: jpegBytes}
	tests := []struct {
		name   string
		reason string
	}{
		{"../x", ".."},
		{"a/../../x", ".."},
		{"a/../b.jpg", ".."}, // resolves inside, refused all the same
		{"./../x", ".."},
		{"/etc/x", "absolute"},
		{"//server/share/x", "absolute"},
		{`\..\x`, "backslash"},
		{`a\..\..\x`, "backslash"},
		{`C:\x`, "backslash"},
		{"C:/x", "drive letter"},
		{"c:x", "drive letter"},
		{`\\server\x`, "backslash"},
		{"a/%2e%2e/x", "encoded"},
		{"a/..%2fx", "encoded"},
		{"a/%2E%2E%5Cx", "encoded"},
		{"a/\uFF0E\uFF0E/x", ".."},
		{"a/\u2025/x", ".."},
		{"\uFE30/x", ".."},
		{"a/.. /x", ".."},
		{"a/.../x", ".."},
		{"x\x00.jpg", "control"},
		{"x\n.jpg", "control"},
		{"gpj.\u202Eexe", "control"},
		{"bad\xff.jpg", "UTF-8"},
		{strings.Repeat("a", 1100), "too long"},
	}
	for _, tt := range tests {
		t.Run(safetext.Name(fmt.Sprintf("%.40q", tt.name)), func(t *testing.T) {
			t.Parallel()
			entries, warnings, err := ReadArchive(buildZip(t, zfile{Name: tt.name, Data: jpegBytes}, good), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || entries[0].Path != good.Name || entries[0].Err != nil {
				t.Fatalf("entries = %v, want only the good front", paths(entries))
			}
			if len(warnings) != 1 || !strings.Contains(warnings[0], "skipped unsafe entry") || !strings.Contains(warnings[0], tt.reason) {
				t.Fatalf("warnings = %q, want one mentioning %q", warnings, tt.reason)
			}
			for _, r := range warnings[0] {
				if r < 0x20 || r == 0x7f || r == 0x202E {
					t.Fatalf("warning carries control character %U: %q", r, warnings[0])
				}
			}
			if len(warnings[0]) > 250 {
				t.Fatalf("warning too long (%d bytes)", len(warnings[0]))
			}
		})
	}
}

func TestReadArchiveNamesCleaned(t *testing.T) {
	tests := map[string]string{
		"./a.jpg":         "a.jpg",
		"a//b.jpg":        "a/b.jpg",
		"a/./b.jpg":       "a/b.jpg",
		"a..b.jpg":        "a..b.jpg",
		"..hidden.jpg":    "..hidden.jpg",
		"100%25 real.jpg": "100%25 real.jpg",
	}
	for in, want := range tests {
		entries, warnings, err := ReadArchive(buildZip(t, zfile{Name: in, Data: jpegBytes}), Limits{})
		if err != nil || len(warnings) != 0 || len(entries) != 1 {
			t.Fatalf("%q: entries %v warnings %q err %v", in, paths(entries), warnings, err)
		}
		if entries[0].Path != want {
			t.Errorf("%q cleaned to %q, want %q", in, entries[0].Path, want)
		}
	}
}

func paths(entries []*Entry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Path)
	}
	return out
}

func TestReadArchiveWholeArchiveErrors(t *testing.T) {
	valid := dlCase(t, "")
	many := make([]zfile, 20000)
	for i := range many {
		many[i] = zfile{Name: fmt.Sprintf("f%05d.txt", i), Store: true}
	}
	manyZip := buildZip(t, many...)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"nil", nil, "not a ZIP archive"},
		{"html served as zip", htmlBytes, "not a ZIP archive (the server sent an HTML page)"},
		{"json error body", []byte(`{"message":"Internal Server Error"}`), "not a ZIP archive"},
		{"random", bytes.Repeat([]byte{0x5A}, 5000), "not a ZIP archive"},
		{"truncated half", valid[:len(valid)/2], "archive is truncated"},
		{"truncated end record", valid[:len(valid)-10], "truncated"},
		{"20000 entries", manyZip, "20000 entries, more than the limit of 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, _, err := ReadArchive(tt.data, Limits{})
			if !errors.Is(err, ErrBadArchive) {
				t.Fatalf("err = %v, want ErrBadArchive", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %q, want it to contain %q", err, tt.want)
			}
			if entries != nil {
				t.Errorf("entries returned with a whole-archive error")
			}
		})
	}
}

func TestReadArchiveEntryCountLimitIsConfigurable(t *testing.T) {
	data := buildZip(t, zfile{Name: "a.jpg", Data: jpegBytes}, zfile{Name: "b.jpg", Data: jpegBytes}, zfile{Name: "c.jpg", Data: jpegBytes})
	if _, _, err := ReadArchive(data, Limits{MaxEntries: 3}); err != nil {
		t.Fatalf("3 entries at limit 3: %v", err)
	}
	if _, _, err := ReadArchive(data, Limits{MaxEntries: 2}); !errors.Is(err, ErrBadArchive) {
		t.Fatalf("3 entries at limit 2: err = %v", err)
	}
}

func TestReadArchiveEmpty(t *testing.T) {
	for name, data := range map[string][]byte{
		"no entries":       buildZip(t),
		"only directories": buildZip(t, zfile{Name: "user_uploaded/"}, zfile{Name: "case_attachments/"}),
	} {
		entries, warnings, err := ReadArchive(data, Limits{})
		if err != nil || len(entries) != 0 {
			t.Fatalf("%s: entries %v err %v", name, paths(entries), err)
		}
		if len(warnings) != 1 || warnings[0] != "the archive is empty" {
			t.Errorf("%s: warnings = %q", name, warnings)
		}
	}
}

func TestReadArchiveGarbagePrefix(t *testing.T) {
	// archive/zip finds the archive from its end record and corrects the
	// offsets, so junk before it (a self-extractor stub) is tolerated.
	junk := bytes.Repeat([]byte("MZ junk "), 300)
	entries, warnings, err := ReadArchive(append(junk, dlCase(t, "")...), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 5 || len(warnings) != 0 {
		t.Fatalf("entries %v warnings %q", paths(entries), warnings)
	}
	for _, e := range entries {
		if e.Err != nil {
			t.Errorf("%s: %v", e.Path, e.Err)
		}
	}
}

func TestReadArchiveWrapperFolder(t *testing.T) {
	tests := []struct {
		name  string
		files []zfile
		want  []string
	}{
		{"eval_id wrapper", []zfile{
			{Name: "fb1ddadc-6dba-4ce4-aa6d-25c005b192b5_document/user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg", Data: jpegBytes},
			{Name: "fb1ddadc-6dba-4ce4-aa6d-25c005b192b5_document/case_attachments/identity.pdf", Data: pdfBytes},
		}, []string{"user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg", "case_attachments/identity.pdf"}},
		{"eval_id wrapper, flat", []zfile{
			{Name: "X_Document/Doc_Front_1_blob.jpg", Data: jpegBytes},
		}, []string{"Doc_Front_1_blob.jpg"}},
		{"any folder holding user_uploaded", []zfile{
			{Name: "export/user_uploaded/Doc_Selfie_1_blob.jpg", Data: jpegBytes},
			{Name: "export/notes.txt", Data: []byte("x")},
		}, []string{"user_uploaded/Doc_Selfie_1_blob.jpg", "notes.txt"}},
		{"wrapper with directory records", []zfile{
			{Name: "w/"}, {Name: "w/case_attachments/"},
			{Name: "w/case_attachments/a.pdf", Data: pdfBytes},
		}, []string{"case_attachments/a.pdf"}},
		{"plain folder kept", []zfile{
			{Name: "photos/a.jpg", Data: jpegBytes},
			{Name: "photos/b.jpg", Data: jpegBytes},
		}, []string{"photos/a.jpg", "photos/b.jpg"}},
		{"two top folders kept", []zfile{
			{Name: "user_uploaded/a.jpg", Data: jpegBytes},
			{Name: "case_attachments/a.pdf", Data: pdfBytes},
		}, []string{"user_uploaded/a.jpg", "case_attachments/a.pdf"}},
		{"top-level file prevents stripping", []zfile{
			{Name: "x_document/user_uploaded/a.jpg", Data: jpegBytes},
			{Name: "readme.txt", Data: []byte("x")},
		}, []string{"x_document/user_uploaded/a.jpg", "readme.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, warnings, err := ReadArchive(buildZip(t, tt.files...), Limits{})
			if err != nil || len(warnings) != 0 {
				t.Fatalf("err %v warnings %q", err, warnings)
			}
			if got := paths(entries); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("paths = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReadArchiveDuplicates(t *testing.T) {
	data := buildZip(t,
		zfile{Name: "user_uploaded/Doc_Front_1_blob.jpg", Data: jpegBytes},
		zfile{Name: "USER_UPLOADED/doc_front_1_blob.JPG", Data: pngBytes},
		zfile{Name: "./user_uploaded//Doc_Front_1_blob.jpg", Data: jpegBytes},
		zfile{Name: "user_uploaded/Doc_Back_1_blob.jpg", Data: jpegBytes},
	)
	entries, warnings, err := ReadArchive(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 4 {
		t.Fatalf("got %d entries, want all 4 listed", len(entries))
	}
	dups := 0
	for _, e := range entries {
		if e.Duplicate {
			dups++
			if e.Role != RoleFront {
				t.Errorf("%s flagged duplicate", e.Path)
			}
		}
	}
	if dups != 3 {
		t.Errorf("%d entries flagged duplicate, want 3", dups)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "3 entries share the name") {
		t.Errorf("warnings = %q", warnings)
	}
}

func TestReadArchiveEntryProblems(t *testing.T) {
	zeros2M := make([]byte, 2<<20)
	random := make([]byte, 8192)
	rand.Read(random)
	bigLie := rawDeflated(t, "user_uploaded/Doc_Front_1_blob.jpg", make([]byte, 100), 70<<20, 0)
	tests := []struct {
		name    string
		file    zfile
		lim     Limits
		wantErr error
		wantMsg string
		role    Role
	}{
		{"bomb by ratio (honest header)", zfile{Name: "user_uploaded/Doc_Front_1_blob.jpg", Data: zeros2M}, Limits{}, ErrCompressionRatio, "declares 2097152 bytes", RoleFront},
		{"bomb: declared size small, data huge", rawDeflated(t, "user_uploaded/Doc_Back_1_blob.jpg", make([]byte, 10<<20), 1000, 0), Limits{}, ErrCorruptEntry, "expands beyond its declared size of 1000 bytes", RoleBack},
		{"declared size over entry limit", bigLie, Limits{}, ErrEntryTooLarge, "declares 73400320 bytes", RoleFront},
		{"entry over a small limit", zfile{Name: "case_attachments/a.pdf", Data: random, Store: true}, Limits{MaxEntryBytes: 4096}, ErrEntryTooLarge, "limit 4096", RoleAttachment},
		{"encrypted", honestRaw("user_uploaded/Doc_Selfie_1_blob.jpg", jpegBytes, 0x1, 0), Limits{}, ErrEncryptedEntry, "password", RoleSelfie},
		{"bad checksum", func() zfile {
			f := honestRaw("case_attachments/a.pdf", pdfBytes, 0, 0)
			f.Header.CRC32 ^= 0xFFFF
			return f
		}(), Limits{}, ErrCorruptEntry, "checksum", RoleAttachment},
		{"unknown method", honestRaw("x.jpg", jpegBytes, 0, 99), Limits{}, ErrCorruptEntry, "compression method 99", RoleImage},
		{"damaged deflate stream", zfile{Name: "y.jpg", Data: []byte{0xFF, 0xFF, 0xFF, 0xFF}, Raw: true, Header: zipHeader(8, 4, 100, 0)}, Limits{}, ErrCorruptEntry, "", RoleImage},
		{"declared shorter compressed than data", zfile{Name: "z.jpg", Data: deflate(t, jpegBytes)[:10], Raw: true, Header: zipHeader(8, 10, uint64(len(jpegBytes)), crc32.ChecksumIEEE(jpegBytes))}, Limits{}, ErrCorruptEntry, "", RoleImage},
		{"fake pdf", zfile{Name: "case_attachments/identity.pdf", Data: htmlBytes}, Limits{}, ErrWrongMagic, "named .pdf but is an HTML page", RoleAttachment},
		{"corrupt jpeg magic", zfile{Name: "user_uploaded/Doc_Front_1_blob.jpg", Data: []byte("GIF89a....")}, Limits{}, ErrWrongMagic, "not a JPEG or PNG image", RoleFront},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			good := zfile{Name: "user_uploaded/other/good.png", Data: pngBytes}
			entries, warnings, err := ReadArchive(buildZip(t, tt.file, good), tt.lim)
			if err != nil {
				t.Fatalf("a bad entry failed the whole archive: %v", err)
			}
			if len(warnings) != 0 {
				t.Errorf("warnings = %q", warnings)
			}
			if len(entries) != 2 {
				t.Fatalf("entries = %v", paths(entries))
			}
			bad, ok := entries[0], entries[1]
			if !errors.Is(bad.Err, tt.wantErr) || !strings.Contains(bad.Err.Error(), tt.wantMsg) {
				t.Errorf("err = %v, want %v containing %q", bad.Err, tt.wantErr, tt.wantMsg)
			}
			if bad.Data != nil || bad.SHA256 != "" {
				t.Errorf("bad entry kept its data or hash")
			}
			if bad.Role != tt.role {
				t.Errorf("role = %s, want %s", bad.Role, tt.role)
			}
			if ok.Err != nil || !bytes.Equal(ok.Data, pngBytes) || ok.Role != RoleImage {
				t.Errorf("good entry: %v role %s", ok.Err, ok.Role)
			}
		})
	}
}

func zipHeader(method uint16, compressed, uncompressed uint64, crc uint32) zip.FileHeader {
	return zip.FileHeader{Method: method, CompressedSize64: compressed, UncompressedSize64: uncompressed, CRC32: crc}
}

func TestReadArchiveTotalLimitIsDeterministic(t *testing.T) {
	mk := func(n int) []byte {
		b := make([]byte, n)
		rand.Read(b)
		return b
	}
	data := buildZip(t,
		zfile{Name: "a.bin", Data: mk(4000), Store: true},
		zfile{Name: "b.bin", Data: mk(4000), Store: true},
		zfile{Name: "c.bin", Data: mk(4000), Store: true},
		zfile{Name: "d.bin", Data: mk(1000), Store: true},
	)
	for range 20 {
		entries, _, err := ReadArchive(data, Limits{MaxTotalBytes: 10000})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, fmt.Sprintf("%s:%v", e.Path, errors.Is(e.Err, ErrTotalTooLarge)))
		}
		if want := "a.bin:false b.bin:false c.bin:true d.bin:false"; strings.Join(got, " ") != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	}
}

// spyReader hands out bytes 0xAA forever (or n of them) and remembers every
// buffer it wrote into, so a test can check they were zeroed.
type spyReader struct {
	n     int64
	seen  [][]byte
	limit bool
}

func (s *spyReader) Read(p []byte) (int, error) {
	if s.limit && s.n <= 0 {
		return 0, io.EOF
	}
	if s.limit {
		p = p[:min(int64(len(p)), s.n)]
		s.n -= int64(len(p))
	}
	for i := range p {
		p[i] = 0xAA
	}
	s.seen = append(s.seen, p)
	return len(p), nil
}

func TestInflateCountsRealBytes(t *testing.T) {
	lim := DefaultLimits()
	tests := []struct {
		name       string
		r          *spyReader
		declared   int64
		compressed int64
		lim        Limits
		budget     int64
		want       error
	}{
		{"lying header, endless data: ratio", &spyReader{}, 10, 10, lim, 1 << 40, ErrCompressionRatio},
		{"lying header, endless data: entry limit", &spyReader{}, 10, 1 << 40, Limits{MaxEntryBytes: 3 << 20, MaxTotalBytes: 1 << 40, MaxRatio: 100}, 1 << 40, ErrEntryTooLarge},
		{"shared budget exhausted", &spyReader{n: 5000, limit: true}, 5000, 5000, lim, 4000, ErrTotalTooLarge},
		{"within limits", &spyReader{n: 5000, limit: true}, 5000, 5000, lim, 1 << 40, nil},
		{"more than declared but within limits", &spyReader{n: 70000, limit: true}, 10, 70000, lim, 1 << 40, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &byteBudget{limit: tt.budget}
			data, err := inflate(context.Background(), tt.r, tt.declared, tt.compressed, tt.lim, b)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.want == nil {
				if int64(len(data)) != sumLen(tt.r.seen) || !allBytes(data, 0xAA) {
					t.Fatalf("got %d bytes, want the %d read", len(data), sumLen(tt.r.seen))
				}
				return
			}
			if data != nil {
				t.Fatal("data returned with an error")
			}
			for _, p := range tt.r.seen {
				if !allBytes(p, 0) {
					t.Fatal("a buffer given up by inflate was not zeroed")
				}
			}
			if sumLen(tt.r.seen) > tt.lim.MaxEntryBytes+1 {
				t.Fatalf("read %d bytes, more than the limit + 1", sumLen(tt.r.seen))
			}
		})
	}
}

func sumLen(bufs [][]byte) int64 {
	var n int64
	for _, b := range bufs {
		n += int64(len(b))
	}
	return n
}

func TestReadArchiveDoesNotAliasInput(t *testing.T) {
	data := buildZip(t, zfile{Name: "a.jpg", Data: jpegBytes, Store: true})
	entries, _, err := ReadArchive(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	clear(data)
	if !bytes.Equal(entries[0].Data, jpegBytes) {
		t.Fatal("entry data shares memory with the archive bytes")
	}
}

// allBytes reports whether every byte of b is v.
func allBytes(b []byte, v byte) bool {
	for _, c := range b {
		if c != v {
			return false
		}
	}
	return true
}

func TestReadArchiveCompressedSizeBeyondArchive(t *testing.T) {
	data := buildZip(t, zfile{Name: "w.jpg", Data: jpegBytes, Raw: true, Header: zipHeader(0, 1<<30, uint64(len(jpegBytes)), crc32.ChecksumIEEE(jpegBytes))})
	entries, _, err := ReadArchive(data, Limits{})
	if err != nil || len(entries) != 1 {
		t.Fatalf("entries %v err %v", paths(entries), err)
	}
	if e := entries[0]; !errors.Is(e.Err, ErrCorruptEntry) || !strings.Contains(e.Err.Error(), "exceeds the archive") {
		t.Fatalf("err = %v", e.Err)
	}
}

func TestReadArchiveBadLocalHeader(t *testing.T) {
	data := buildZip(t, zfile{Name: "case_attachments/a.pdf", Data: pdfBytes}, zfile{Name: "b.jpg", Data: jpegBytes})
	copy(data, "XXXX") // the first entry's local header signature
	entries, _, err := ReadArchive(data, Limits{})
	if err != nil || len(entries) != 2 {
		t.Fatalf("entries %v err %v", paths(entries), err)
	}
	if e := entries[0]; !errors.Is(e.Err, ErrCorruptEntry) || e.Data != nil || e.Role != RoleAttachment {
		t.Errorf("first entry: %v role %s", e.Err, e.Role)
	}
	if e := entries[1]; e.Err != nil || e.Role != RoleImage {
		t.Errorf("second entry: %v", e.Err)
	}
}
