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

// TestStoredEntriesInPlace: NewCase reads stored entries in place (no
// copy), still checking their CRC-32 and the total budget, zeroes the rest
// of the archive at once and all of it on Close.
func TestStoredEntriesInPlace(t *testing.T) {
	body := append(bytes.Clone(jpegBytes), bytes.Repeat([]byte{7}, 5000)...)
	bad := honestRaw("user_uploaded/bad_Back_1.jpg", body, 0, 0)
	bad.Header.CRC32 ^= 1
	data := buildZip(t,
		zfile{Name: "user_uploaded/x_Front_1.jpg", Data: body, Store: true},
		zfile{Name: "case_attachments/a.pdf", Data: pdfBytes},
		bad,
	)
	c, err := NewCase("x", "", data, nil, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	front := entryByPath(c.Entries, "user_uploaded/x_Front_1.jpg")
	if front == nil || front.Err != nil || !bytes.Equal(front.Data, body) {
		t.Fatalf("front %+v", front)
	}
	if front.offset <= 0 || &data[front.offset] != &front.Data[0] || cap(front.Data) != len(front.Data) {
		t.Error("the stored front was copied, not read in place")
	}
	if e := entryByPath(c.Entries, "user_uploaded/bad_Back_1.jpg"); e == nil || !errors.Is(e.Err, ErrCorruptEntry) || e.Data != nil {
		t.Errorf("stored entry with a wrong CRC: %+v", e)
	}
	// Everything but the front's bytes is zeroed already.
	outside := bytes.Clone(data)
	clear(outside[front.offset : front.offset+int64(len(body))])
	if !allBytes(outside, 0) {
		t.Error("archive bytes outside the in-place entries not zeroed by NewCase")
	}
	c.Close()
	if !allBytes(data, 0) {
		t.Error("archive not zeroed by Close")
	}

	// The total budget counts in-place entries.
	data = buildZip(t, zfile{Name: "a_Front_1.jpg", Data: body, Store: true}, zfile{Name: "b_Back_1.jpg", Data: body, Store: true})
	entries, _, err := ReadArchiveWith(context.Background(), data, ReadOptions{InPlace: true, Limits: Limits{MaxTotalBytes: int64(len(body)) + 10}})
	if err != nil {
		t.Fatal(err)
	}
	if e := entryByPath(entries, "b_Back_1.jpg"); e == nil || !errors.Is(e.Err, ErrTotalTooLarge) {
		// Declared sizes are checked first: either way the second is refused.
		t.Errorf("second entry past the budget: %+v", e)
	}
}
