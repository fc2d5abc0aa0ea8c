package cli

import (
	"errors"
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
