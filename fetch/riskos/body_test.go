package riskos

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"
	"unsafe"
)

// keepingReader serves data in small pieces and keeps every buffer it was
// handed, to check afterwards what was left in memory.
type keepingReader struct {
	data  []byte
	piece int
	err   error // returned after data instead of io.EOF
	seen  [][]byte
}

func (r *keepingReader) Read(p []byte) (int, error) {
	r.seen = append(r.seen, p[:cap(p)])
	if len(r.data) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.piece)], r.data)
	r.data = r.data[n:]
	return n, nil
}

// sharesArray reports whether a and b share their backing array.
func sharesArray(a, b []byte) bool {
	if cap(a) == 0 || cap(b) == 0 {
		return false
	}
	a0, b0 := uintptr(unsafe.Pointer(unsafe.SliceData(a))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return a0 >= b0 && a0 < b0+uintptr(cap(b)) || b0 >= a0 && b0 < a0+uintptr(cap(a))
}

func allZeroBytes(b []byte) bool { return len(bytes.Trim(b, "\x00")) == 0 }

func TestBodyReader(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789"), 30_000) // 300 kB, several growths
	tests := []struct {
		name     string
		total    int64
		max      int64
		truncate bool
		readErr  error
		data     []byte
		wantErr  error
		wantLen  int
	}{
		{name: "unknown length", total: -1, max: 1 << 20, data: payload, wantLen: len(payload)},
		{name: "known length", total: int64(len(payload)), max: 1 << 20, data: payload, wantLen: len(payload)},
		{name: "empty", total: 0, max: 10, data: nil, wantLen: 0},
		{name: "at the cap", total: -1, max: int64(len(payload)), data: payload, wantLen: len(payload)},
		{name: "over the cap", total: -1, max: 1000, data: payload, wantErr: errBodyTooLarge},
		{name: "shorter than declared", total: int64(len(payload)) + 1, max: 1 << 20, data: payload, wantErr: errTruncated},
		{name: "longer than declared", total: 100, max: 1 << 20, data: payload, wantErr: errLengthMismatch},
		{name: "read error", total: -1, max: 1 << 20, data: payload[:5000], readErr: io.ErrUnexpectedEOF, wantErr: io.ErrUnexpectedEOF},
		{name: "truncate mode cuts quietly", total: -1, max: 1000, truncate: true, data: payload, wantLen: 1000},
		{name: "truncate mode keeps a partial read", total: -1, max: 1 << 20, truncate: true, data: payload[:700], readErr: io.ErrUnexpectedEOF, wantErr: io.ErrUnexpectedEOF, wantLen: 700},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &keepingReader{data: tt.data, piece: 7000, err: tt.readErr}
			var calls []Progress
			br := &bodyReader{r: r, total: tt.total, max: tt.max, truncate: tt.truncate, now: time.Now, attempt: 1,
				progress: func(p Progress) { calls = append(calls, p) }}
			got, err := br.read()
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if len(got) != tt.wantLen || !bytes.Equal(got, tt.data[:len(got)]) {
				t.Fatalf("got %d bytes, want %d", len(got), tt.wantLen)
			}
			// No copy of the data stays behind in a buffer the caller does not own.
			for i, p := range r.seen {
				if err == nil || tt.truncate {
					if sharesArray(p, got) {
						continue
					}
				}
				if !allZeroBytes(p) {
					t.Errorf("buffer %d handed to Read still holds data", i)
					break
				}
			}
			if err == nil && !tt.truncate {
				if last := calls[len(calls)-1]; last.Done != int64(len(got)) || last.Total != tt.total {
					t.Errorf("last progress %+v", last)
				}
			}
			for _, p := range calls {
				if p.Done > tt.max {
					t.Errorf("progress %+v beyond the cap", p)
				}
			}
		})
	}
}

func TestBodyReaderThrottlesProgress(t *testing.T) {
	data := bytes.Repeat([]byte{'x'}, 1<<20)
	var calls int
	clock := time.Unix(0, 0)
	br := &bodyReader{r: &keepingReader{data: data, piece: 1024}, total: -1, max: 2 << 20,
		now: func() time.Time { return clock }, progress: func(Progress) { calls++ }}
	if _, err := br.read(); err != nil {
		t.Fatal(err)
	}
	// 1024 reads of 1 KiB with a frozen clock: one call per 64 KiB, plus first and last.
	if want := 1 + (1<<20)/progressBytes; calls < want || calls > want+1 {
		t.Errorf("%d progress calls, want about %d", calls, want)
	}
}
