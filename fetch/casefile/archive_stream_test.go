package casefile

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// TestReadArchiveWithOnEntry: every entry, refused ones included, is
// reported once, with a done count that rises to the total, and calls
// never overlap.
func TestReadArchiveWithOnEntry(t *testing.T) {
	data := buildZip(t,
		zfile{Name: "a/user_uploaded/front_1.jpg", Data: jpegBytes},
		zfile{Name: "a/user_uploaded/back_1.jpg", Data: jpegBytes},
		honestRaw("a/case_attachments/secret.pdf", pdfBytes, 0x1, 0), // encrypted: refused before inflating
		zfile{Name: "a/case_attachments/identity.pdf", Data: pdfBytes},
	)
	var (
		seen    = map[*Entry]int{}
		last    int
		inCall  bool
		overlap bool
	)
	entries, _, err := ReadArchiveWith(context.Background(), data, ReadOptions{OnEntry: func(e *Entry, done, total int) {
		if inCall {
			overlap = true
		}
		inCall = true
		defer func() { inCall = false }()
		seen[e]++
		if done != last+1 || total != 4 {
			t.Errorf("done %d of %d after %d, want %d of 4", done, total, last, last+1)
		}
		last = done
		if e.Err == nil && (e.Data == nil || e.SHA256 == "" || e.Format == "") {
			t.Errorf("%s reported before it was complete: %+v", e.Path, e)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if overlap {
		t.Error("OnEntry calls overlapped")
	}
	if len(seen) != len(entries) || last != len(entries) {
		t.Fatalf("%d entries reported (last done %d), want %d", len(seen), last, len(entries))
	}
	for _, e := range entries {
		if seen[e] != 1 {
			t.Errorf("%s reported %d times", e.Path, seen[e])
		}
	}
	if e := entryByPath(entries, "case_attachments/secret.pdf"); e == nil || !errors.Is(e.Err, ErrEncryptedEntry) {
		t.Errorf("encrypted entry: %+v", e)
	}
}

// TestReadArchiveWithCancel: cancelling while entries inflate returns the
// context's error and zeroes every buffer already handed out.
func TestReadArchiveWithCancel(t *testing.T) {
	body := bytes.Repeat([]byte{0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3}, 4000)
	var files []zfile
	for _, n := range []string{"f1", "f2", "f3", "f4", "f5", "f6"} {
		files = append(files, zfile{Name: "user_uploaded/" + n + ".jpg", Data: body})
	}
	data := buildZip(t, files...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var handed [][]byte
	entries, warnings, err := ReadArchiveWith(ctx, data, ReadOptions{OnEntry: func(e *Entry, done, total int) {
		if e.Data != nil {
			handed = append(handed, e.Data)
		}
		if done == 2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || entries != nil || warnings != nil {
		t.Fatalf("got %d entries, %v, err %v; want context.Canceled and nothing", len(entries), warnings, err)
	}
	if len(handed) < 2 {
		t.Fatalf("%d buffers handed out before the cancel, want ≥ 2", len(handed))
	}
	if !allZero(handed) {
		t.Error("a buffer handed out before the cancel is not zeroed")
	}
	if _, _, err := ReadArchiveWith(ctx, data, ReadOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("already cancelled: err %v", err)
	}
}
