package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"docvreview/fetch/riskos"
)

// TestReadArchiveFile: a file on disk is read into one buffer of its size
// (no growth copies that would multiply a large archive's peak memory), and
// one over the limit is refused before it is read.
func TestReadArchiveFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Repeat("z", n)), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small := write("small.zip", 300_000)
	data, release, err := readArchiveFile(small, nil, 1<<20)
	defer release()
	if err != nil || len(data) != 300_000 || cap(data) != len(data) {
		t.Errorf("read %d bytes (cap %d), %v; want 300000 in one exact buffer", len(data), cap(data), err)
	}
	// A large archive (a mapped buffer on Linux): read whole, zeroed by release.
	large := write("large.zip", 5<<20)
	ldata, lrelease, err := readArchiveFile(large, nil, 8<<20)
	if err != nil || len(ldata) != 5<<20 || ldata[0] != 'z' || ldata[len(ldata)-1] != 'z' {
		t.Errorf("large archive: %d bytes, %v", len(ldata), err)
	}
	lrelease()
	big := write("big.zip", 2<<20)
	if _, _, err := readArchiveFile(big, nil, 1<<20); !errors.Is(err, riskos.ErrTooLarge) {
		t.Errorf("over the limit: %v, want ErrTooLarge", err)
	}
	if _, _, err := readArchiveFile("-", strings.NewReader(strings.Repeat("z", 2<<20)), 1<<20); !errors.Is(err, riskos.ErrTooLarge) {
		t.Errorf("stdin over the limit: %v, want ErrTooLarge", err)
	}
	if data, _, err := readArchiveFile("-", strings.NewReader("PK"), 1<<20); err != nil || string(data) != "PK" {
		t.Errorf("stdin: %q, %v", data, err)
	}
}

// keepingReader serves data in small pieces and keeps every buffer it was
// asked to fill (whole, to its capacity).
type keepingReader struct {
	data []byte
	bufs [][]byte
	err  error // returned once data is out (io.EOF when nil)
}

func (k *keepingReader) Read(p []byte) (int, error) {
	k.bufs = append(k.bufs, p[:cap(p)])
	if len(k.data) == 0 {
		if k.err != nil {
			return 0, k.err
		}
		return 0, io.EOF
	}
	n := copy(p, k.data[:min(len(k.data), 4096)])
	k.data = k.data[n:]
	return n, nil
}

// sameArray reports whether a and b share their last byte (one backing array).
func sameArray(a, b []byte) bool {
	return cap(a) > 0 && cap(b) > 0 && &a[:cap(a)][cap(a)-1] == &b[:cap(b)][cap(b)-1]
}

// TestReadAllZeroing: reading a piped archive leaves no outgrown copy
// unzeroed, and a failed or oversized read zeroes what it had.
func TestReadAllZeroing(t *testing.T) {
	doc := []byte(strings.Repeat("PII!", 300_000)) // 1.2 MB: several doublings
	k := &keepingReader{data: doc}
	got, err := readAllZeroing(k, 4<<20)
	if err != nil || string(got) != string(doc) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
	for i, b := range k.bufs {
		if !sameArray(b, got) && !allZero(b) {
			t.Errorf("buffer %d (%d bytes), outgrown, still holds data", i, len(b))
		}
	}
	for _, tc := range []struct {
		name string
		k    *keepingReader
		max  int64
		want error
	}{
		{"over the limit", &keepingReader{data: doc}, 1 << 20, riskos.ErrTooLarge},
		{"broken pipe", &keepingReader{data: doc, err: io.ErrUnexpectedEOF}, 4 << 20, io.ErrUnexpectedEOF},
	} {
		if _, err := readAllZeroing(tc.k, tc.max); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		for i, b := range tc.k.bufs {
			if !allZero(b) {
				t.Errorf("%s: buffer %d still holds data", tc.name, i)
			}
		}
	}
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
