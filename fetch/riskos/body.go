package riskos

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

// read returns the whole body. It reads into segments (the first bounded
// by maxInitialBuffer, then doubling up to maxBodySegment) and joins them once
// at the end, so a body of unknown length costs about twice its size at
// the peak and a body over the limit about the limit: growing one buffer
// by doubling left every outgrown copy to the garbage collector, and an
// endless body peaked at three times the limit. Segments are zeroed once
// copied, and every failure zeroes what was read, so no stray copy of a
// document stays in memory. In truncate mode a failure returns what was
// read so far along with the error.
func (br *bodyReader) read() ([]byte, error) {
	limit := br.max + 1 // one byte more than allowed shows an oversized body
	if br.total >= 0 {
		limit = min(limit, br.total+1)
	}
	initial := min(limit, maxInitialBuffer)
	if br.total < 0 {
		initial = min(limit, 2*readChunk) // unknown length: start small, grow by doubling
	}
	var segs [][]byte // full segments before seg
	seg := make([]byte, 0, initial)
	var done, lastDone int64
	lastTime := br.now()
	br.report(0)
	fail := func(err error) ([]byte, error) {
		if br.truncate {
			return joinSegments(segs, seg, min(done, br.max)), err
		}
		for _, s := range segs {
			clear(s)
		}
		clear(seg)
		return nil, err
	}
	for {
		if len(seg) == cap(seg) {
			if done >= limit {
				break
			}
			segs = append(segs, seg)
			seg = make([]byte, 0, min(max(int64(2*cap(seg)), readChunk), maxBodySegment, limit-done))
		}
		n, err := br.r.Read(seg[len(seg):min(cap(seg), len(seg)+readChunk)])
		seg = seg[:len(seg)+n]
		done += int64(n)
		if n > 0 {
			if br.onData != nil {
				br.onData()
			}
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
	switch {
	case done > br.max:
		if br.truncate {
			return joinSegments(segs, seg, br.max), nil
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
	return joinSegments(segs, seg, done), nil
}

// maxBodySegment bounds one segment of a body being read.
const maxBodySegment = 16 << 20

// joinSegments returns the first n bytes of segs followed by last. A lone
// segment is returned as is; otherwise the bytes are copied into one buffer
// of exactly n bytes and every segment is zeroed.
func joinSegments(segs [][]byte, last []byte, n int64) []byte {
	if len(segs) == 0 {
		return last[:min(int64(len(last)), n)]
	}
	out := make([]byte, 0, n)
	for _, s := range append(segs, last) {
		out = append(out, s[:min(int64(len(s)), n-int64(len(out)))]...)
		clear(s)
	}
	return out
}

func (br *bodyReader) report(done int64) {
	if br.progress != nil {
		br.progress(Progress{Done: done, Total: br.total, Attempt: br.attempt})
	}
}
