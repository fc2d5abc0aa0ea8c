package fetch

import (
	"errors"
	"io"
	"time"
)

// Progress throttling: a report at most every progressBytes or
// progressInterval, whichever comes first, plus a final one.
const (
	progressBytes    = 64 << 10
	progressInterval = 50 * time.Millisecond
	readChunk        = 32 << 10
)

// errBodyTooLarge and errTruncated are the two ways readBody rejects a body
// that arrived fine at the transport level.
var (
	errBodyTooLarge   = errors.New("body exceeds the size limit")
	errTruncated      = errors.New("body shorter than its Content-Length")
	errLengthMismatch = errors.New("body longer than its Content-Length")
)

// maxInitialBuffer bounds the first allocation, whatever Content-Length claims.
const maxInitialBuffer = 16 << 20

// bodyReader reads a response body into memory in chunks.
type bodyReader struct {
	r        io.Reader
	total    int64 // Content-Length, or -1
	max      int64 // refuse more than this many bytes
	truncate bool  // stop quietly at max instead of failing (error bodies)
	progress func(Progress)
	attempt  int
	onData   func() // called after every chunk that carried bytes (stall timer reset)
	now      func() time.Time
}

// read returns the whole body. Growth copies zero the buffer they leave
// behind, and every failure zeroes what was read, so no stray copy of a
// document stays in memory. In truncate mode a failure returns what was read
// so far along with the error.
func (br *bodyReader) read() ([]byte, error) {
	limit := br.max + 1 // one byte more than allowed shows an oversized body
	if br.total >= 0 {
		limit = min(limit, br.total+1)
	}
	initial := min(limit, maxInitialBuffer)
	if br.total < 0 {
		initial = min(limit, 2*readChunk) // unknown length: start small, grow by doubling
	}
	buf := make([]byte, 0, initial)
	var lastDone int64
	lastTime := br.now()
	br.report(0)
	fail := func(err error) ([]byte, error) {
		if br.truncate {
			return buf[:min(int64(len(buf)), br.max)], err
		}
		clear(buf)
		return nil, err
	}
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) >= limit {
				break
			}
			grown := make([]byte, len(buf), min(max(int64(2*cap(buf)), readChunk), limit))
			copy(grown, buf)
			clear(buf)
			buf = grown
		}
		n, err := br.r.Read(buf[len(buf):min(cap(buf), len(buf)+readChunk)])
		buf = buf[:len(buf)+n]
		if n > 0 {
			if br.onData != nil {
				br.onData()
			}
			done := int64(len(buf))
			if now := br.now(); done <= br.max && (done-lastDone >= progressBytes || now.Sub(lastTime) >= progressInterval) {
				br.report(done)
				lastDone, lastTime = done, now
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(err)
		}
	}
	done := int64(len(buf))
	switch {
	case done > br.max:
		if br.truncate {
			return buf[:br.max], nil
		}
		return fail(errBodyTooLarge)
	case br.total >= 0 && done > br.total:
		return fail(errLengthMismatch)
	case br.total >= 0 && done < br.total:
		return fail(errTruncated)
	}
	if done != lastDone {
		br.report(done)
	}
	return buf, nil
}

func (br *bodyReader) report(done int64) {
	if br.progress != nil {
		br.progress(Progress{Done: done, Total: br.total, Attempt: br.attempt})
	}
}
