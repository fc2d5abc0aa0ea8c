package casefile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"docvreview/fetch/internal/safetext"
)

// ErrBadArchive is wrapped by the error of an archive that cannot be read
// at all (not a ZIP, truncated, too many entries). riskos.ErrBadArchive is
// the same error: a documents answer that is not a ZIP has it too.
var ErrBadArchive = errors.New("unreadable archive")

// Per-entry problems. An entry with one of these has Err set and Data nil;
// the rest of the case still loads.
var (
	ErrUnsafePath       = errors.New("unsafe path in archive")
	ErrEntryTooLarge    = errors.New("entry too large")
	ErrCompressionRatio = errors.New("suspicious compression ratio (zip bomb)")
	ErrEncryptedEntry   = errors.New("encrypted entry")
	ErrCorruptEntry     = errors.New("corrupt entry")
	ErrWrongMagic       = errors.New("content does not match its name")
	ErrTotalTooLarge    = errors.New("archive expands beyond the total size limit")
)

// RatioFloor is the uncompressed size above which Limits.MaxRatio applies:
// small entries (headers, blank pages) legitimately compress very well.
const RatioFloor = 1 << 20

// Limits bound what an archive may expand to. A zero or negative field
// means its default.
type Limits struct {
	MaxEntries    int     // default 1000; more → ErrBadArchive for the whole archive
	MaxEntryBytes int64   // default 64 MiB uncompressed per entry
	MaxTotalBytes int64   // default 512 MiB uncompressed in all
	MaxRatio      float64 // default 100 (uncompressed/compressed) for entries over RatioFloor (1 MiB)
}

// DefaultLimits returns the limits the app uses.
func DefaultLimits() Limits {
	return Limits{
		MaxEntries:    1000,
		MaxEntryBytes: 64 << 20,
		MaxTotalBytes: 512 << 20,
		MaxRatio:      100,
	}
}

// withDefaults replaces every unset field of l by its default.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxEntryBytes <= 0 {
		l.MaxEntryBytes = d.MaxEntryBytes
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = d.MaxTotalBytes
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	return l
}

// Entry is one file of the documents ZIP, in memory.
type Entry struct {
	Path      string // cleaned path inside the archive, wrapper folder stripped
	Name      string // base name
	Role      Role
	Capture   int    // the N of _N_ in the name; 0 when there is none
	Format    Format // from magic bytes
	Size      int64  // uncompressed bytes (as declared when the entry could not be read)
	SHA256    string // hex of Data (empty when Err != nil)
	Data      []byte // nil when Err != nil; zeroed by Case.Close
	Err       error  // per-entry problem (wraps one of the Err* above)
	Duplicate bool   // another entry has the same cleaned path

	// inPlace: Data is archive[offset:offset+len(Data)], read in place
	// (ReadOptions.InPlace) rather than copied.
	inPlace bool
	offset  int64
}

// ReadArchive opens a ZIP held in memory and inflates its entries in
// parallel within lim. Unsafe names (absolute, "..", backslash, drive letter)
// are not returned as entries but reported in warnings in a sanitised form.
// An unreadable archive (not a ZIP, truncated, too many entries) is an error
// wrapping ErrBadArchive.
//
// Details:
//   - Entries come back in central-directory order; directories are skipped.
//     The entry count limit counts every central-directory record.
//   - A single top-level folder around everything ("<eval_id>_document/…",
//     or any folder holding user_uploaded/ or case_attachments/) is stripped.
//   - Declared sizes are checked first (per entry, ratio, running total in
//     archive order, so the outcome is deterministic); then each entry is
//     inflated through a limit of MaxEntryBytes+1 while its real bytes are
//     counted against the entry limit, the ratio and a total budget shared
//     by the parallel workers. archive/zip itself refuses data longer or
//     shorter than declared (reported as ErrCorruptEntry).
//   - Bytes before the archive proper (a self-extractor stub, junk) are
//     tolerated when archive/zip can locate the archive from its end record.
//   - An empty archive is not an error: it yields the warning "the archive is empty".
//   - data is only read; the caller still owns it.
func ReadArchive(data []byte, lim Limits) (entries []*Entry, warnings []string, err error) {
	return ReadArchiveWith(context.Background(), data, ReadOptions{Limits: lim})
}

// ReadOptions tune ReadArchiveWith.
type ReadOptions struct {
	Limits Limits // a zero field means its default

	// OnEntry, when set, is called once for every entry as soon as it is
	// final — inflated, hashed and classified, or refused — with how many
	// entries are final so far out of total. It is called from the
	// inflating goroutines, never two calls at once, while other entries
	// still inflate: a caller can start working on e (decode it) at once.
	// e's fields do not change after the call; e.Data stays the caller's
	// to zero (ReadArchiveWith zeroes it itself only when it fails).
	OnEntry func(e *Entry, done, total int)

	// InPlace reads stored (uncompressed) entries in place: their Data are
	// sub-slices of the archive instead of copies, checked against their
	// CRC-32 and every limit as an inflated entry is. The caller then owns
	// data together with the entries (NewCaseWith does: the case zeroes
	// it on Close).
	InPlace bool

	// Drain, when set, is called when ReadArchiveWith fails after handing
	// out entries, once its own workers have stopped and before it zeroes
	// their buffers: whoever still reads an entry it was handed (a decoder)
	// finishes there.
	Drain func()
}

// ReadArchiveWith is ReadArchive with cancellation and a per-entry
// completion callback (see ReadOptions). When ctx ends it stops inflating,
// waits for its workers, zeroes every buffer it inflated and returns ctx's
// error (wrapped); entries already passed to OnEntry then read as zeros.
func ReadArchiveWith(ctx context.Context, data []byte, o ReadOptions) (entries []*Entry, warnings []string, err error) {
	lim := o.Limits.withDefaults()
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("read archive: %w", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return nil, nil, archiveOpenError(data, err)
	}
	if n := len(zr.File); n > lim.MaxEntries {
		return nil, nil, fmt.Errorf("%w: %d entries, more than the limit of %d", ErrBadArchive, n, lim.MaxEntries)
	}

	type job struct {
		f     *zip.File
		entry *Entry
	}
	var jobs []job
	for _, f := range zr.File {
		clean, reason := checkEntryName(f.Name)
		if reason != "" {
			warnings = append(warnings, fmt.Sprintf("skipped unsafe entry %q: %s", safetext.Name(f.Name), reason))
			continue
		}
		if strings.HasSuffix(f.Name, "/") || f.FileInfo().IsDir() {
			continue
		}
		jobs = append(jobs, job{f: f, entry: &Entry{Path: clean}})
	}
	if len(jobs) == 0 && len(warnings) == 0 {
		return nil, []string{"the archive is empty"}, nil
	}

	paths := make([]string, len(jobs))
	for i, j := range jobs {
		paths[i] = j.entry.Path
	}
	paths = stripWrapper(paths)

	var declaredTotal uint64
	var work []job
	var refused []*Entry
	for i, j := range jobs {
		e := j.entry
		e.Path = paths[i]
		e.Name = e.Path[strings.LastIndexByte(e.Path, '/')+1:]
		e.Size = int64(min(j.f.UncompressedSize64, 1<<62))
		if e.Err = precheck(j.f, len(data), lim); e.Err == nil {
			declaredTotal += j.f.UncompressedSize64
			if declaredTotal > uint64(lim.MaxTotalBytes) {
				declaredTotal -= j.f.UncompressedSize64
				e.Err = fmt.Errorf("%w: this entry would bring the archive past %d MiB", ErrTotalTooLarge, lim.MaxTotalBytes>>20)
			}
		}
		if e.Err == nil {
			work = append(work, j)
		} else {
			e.Role, e.Capture, _, _ = Classify(e.Path, nil)
			e.Format = FormatUnknown
			refused = append(refused, e)
		}
		entries = append(entries, e)
	}
	// Duplicates depend on the paths alone: flagged before any entry is
	// handed out, so an entry never changes after OnEntry saw it.
	warnings = append(warnings, flagDuplicates(entries)...)

	var (
		mu   sync.Mutex // serialises OnEntry and counts done
		done int
	)
	final := func(e *Entry) {
		if o.OnEntry == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		done++
		o.OnEntry(e, done, len(entries))
	}
	for _, e := range refused {
		final(e)
	}

	budget := &byteBudget{limit: lim.MaxTotalBytes}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(work)) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(work) {
					return
				}
				if !o.InPlace || !readInPlace(work[i].entry, work[i].f, data, budget, lim) {
					loadEntry(ctx, work[i].entry, work[i].f, lim, budget)
				}
				final(work[i].entry)
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		if o.Drain != nil {
			o.Drain()
		}
		for _, e := range entries {
			clear(e.Data[:cap(e.Data)])
			e.Data = nil
		}
		return nil, nil, fmt.Errorf("read archive: %w", err)
	}
	return entries, warnings, nil
}

// archiveOpenError explains why archive/zip could not open data.
func archiveOpenError(data []byte, err error) error {
	switch {
	case len(data) == 0:
		return fmt.Errorf("%w: not a ZIP archive (no data)", ErrBadArchive)
	case looksHTML(data):
		return fmt.Errorf("%w: not a ZIP archive (the server sent an HTML page)", ErrBadArchive)
	case !bytes.Contains(data, []byte("PK\x05\x06")) && bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return fmt.Errorf("%w: archive is truncated", ErrBadArchive)
	case !bytes.Contains(data, []byte("PK\x05\x06")):
		return fmt.Errorf("%w: not a ZIP archive", ErrBadArchive)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: archive is truncated", ErrBadArchive)
	}
	return fmt.Errorf("%w: archive is truncated or corrupt (%v)", ErrBadArchive, err)
}

// precheck refuses an entry from its header alone: encryption, unknown
// compression, and declared sizes beyond the limits.
func precheck(f *zip.File, archiveSize int, lim Limits) error {
	switch {
	case f.Flags&0x1 != 0:
		return fmt.Errorf("%w: the entry is password-protected", ErrEncryptedEntry)
	case f.Method != zip.Store && f.Method != zip.Deflate:
		return fmt.Errorf("%w: unsupported compression method %d", ErrCorruptEntry, f.Method)
	case f.CompressedSize64 > uint64(archiveSize):
		return fmt.Errorf("%w: declared compressed size exceeds the archive", ErrCorruptEntry)
	case f.UncompressedSize64 > uint64(lim.MaxEntryBytes):
		return fmt.Errorf("%w: declares %d bytes, limit %d", ErrEntryTooLarge, f.UncompressedSize64, lim.MaxEntryBytes)
	case f.UncompressedSize64 > RatioFloor && overRatio(int64(f.UncompressedSize64), int64(f.CompressedSize64), lim.MaxRatio):
		return fmt.Errorf("%w: declares %d bytes from %d compressed", ErrCompressionRatio, f.UncompressedSize64, f.CompressedSize64)
	}
	return nil
}

// overRatio reports uncompressed/compressed > ratio (compressed 0 counts as 1).
func overRatio(uncompressed, compressed int64, ratio float64) bool {
	return float64(uncompressed) > ratio*float64(max(compressed, 1))
}

// readInPlace makes a stored entry's Data the slice of data holding it,
// when the entry is plainly stored (sizes equal and inside data, a CRC-32
// in the central directory, which archive/zip also trusts over a data
// descriptor). It reports false, leaving e untouched, when the entry is
// not such an entry: loadEntry then reads it. A CRC-32 mismatch, the total
// budget or a classification error is e.Err, as loadEntry would set it.
func readInPlace(e *Entry, f *zip.File, data []byte, budget *byteBudget, lim Limits) bool {
	if f.Method != zip.Store || f.CompressedSize64 != f.UncompressedSize64 || (f.CRC32 == 0 && f.UncompressedSize64 > 0) {
		return false
	}
	off, err := f.DataOffset()
	size := int64(f.UncompressedSize64)
	if err != nil || off < 0 || size > int64(len(data)) || off > int64(len(data))-size {
		return false
	}
	fail := func(err error) bool {
		e.Err = err
		e.Role, e.Capture, _, _ = Classify(e.Path, nil)
		e.Format = FormatUnknown
		return true
	}
	if !budget.take(size) {
		return fail(fmt.Errorf("%w: limit %d MiB", ErrTotalTooLarge, lim.MaxTotalBytes>>20))
	}
	b := data[off : off+size : off+size]
	if crc32.ChecksumIEEE(b) != f.CRC32 {
		return fail(fmt.Errorf("%w: checksum mismatch", ErrCorruptEntry))
	}
	e.Size = size
	if e.Role, e.Capture, e.Format, e.Err = Classify(e.Path, b); e.Err != nil {
		return true
	}
	sum := sha256.Sum256(b)
	e.SHA256 = hex.EncodeToString(sum[:])
	e.Data, e.inPlace, e.offset = b, true, off
	return true
}

// loadEntry inflates one entry, hashes it and classifies it. On any error
// its buffer is zeroed and dropped.
func loadEntry(ctx context.Context, e *Entry, f *zip.File, lim Limits, budget *byteBudget) {
	rc, err := f.Open()
	if err != nil {
		e.Err = fmt.Errorf("%w: %v", ErrCorruptEntry, err)
		e.Role, e.Capture, _, _ = Classify(e.Path, nil)
		e.Format = FormatUnknown
		return
	}
	data, err := inflate(ctx, rc, int64(f.UncompressedSize64), int64(f.CompressedSize64), lim, budget)
	rc.Close()
	if err != nil {
		e.Err = err
		e.Role, e.Capture, _, _ = Classify(e.Path, nil)
		e.Format = FormatUnknown
		return
	}
	e.Size = int64(len(data))
	e.Role, e.Capture, e.Format, e.Err = Classify(e.Path, data)
	if e.Err != nil {
		clear(data)
		return
	}
	sum := sha256.Sum256(data)
	e.SHA256 = hex.EncodeToString(sum[:])
	e.Data = data
}

// inflate reads r into a buffer of the declared size, never more than
// MaxEntryBytes+1 bytes, counting what really arrives against the entry
// limit, the compression ratio and the shared total budget. Once the
// buffer is full it probes for more through a small scratch array, so an
// honest entry is read with one allocation of exactly its size. Any buffer
// it gives up is zeroed first.
func inflate(ctx context.Context, r io.Reader, declared, compressed int64, lim Limits, budget *byteBudget) ([]byte, error) {
	buf := make([]byte, 0, min(max(declared, 0), lim.MaxEntryBytes+1))
	var scratch [512]byte
	fail := func(err error) ([]byte, error) {
		clear(buf[:cap(buf)])
		clear(scratch[:])
		return nil, err
	}
	lr := io.LimitReader(r, lim.MaxEntryBytes+1)
	for {
		var n int
		var err error
		if len(buf) < cap(buf) {
			n, err = lr.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
		} else {
			// More than declared: only a lying header gets data here.
			n, err = lr.Read(scratch[:])
			if n > 0 {
				grown := make([]byte, len(buf), min(max(2*cap(buf), len(buf)+n, 32<<10), int(lim.MaxEntryBytes+1)))
				copy(grown, buf)
				clear(buf[:cap(buf)])
				buf = append(grown, scratch[:n]...)
				clear(scratch[:n])
			}
		}
		got := int64(len(buf))
		switch {
		case ctx.Err() != nil:
			return fail(fmt.Errorf("inflate: %w", ctx.Err()))
		case !budget.take(int64(n)):
			return fail(fmt.Errorf("%w: limit %d MiB", ErrTotalTooLarge, lim.MaxTotalBytes>>20))
		case got > lim.MaxEntryBytes:
			return fail(fmt.Errorf("%w: expands beyond %d bytes", ErrEntryTooLarge, lim.MaxEntryBytes))
		case got > RatioFloor && overRatio(got, compressed, lim.MaxRatio):
			return fail(fmt.Errorf("%w: expands beyond %.0f times its compressed size", ErrCompressionRatio, lim.MaxRatio))
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return fail(entryReadError(err, got, declared))
		}
	}
}

// entryReadError names a failure of archive/zip or flate while inflating.
func entryReadError(err error, got, declared int64) error {
	var ce flate.CorruptInputError
	switch {
	case errors.Is(err, zip.ErrChecksum):
		return fmt.Errorf("%w: checksum mismatch", ErrCorruptEntry)
	case errors.Is(err, zip.ErrFormat) && got >= declared:
		return fmt.Errorf("%w: expands beyond its declared size of %d bytes", ErrCorruptEntry, declared)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: data is truncated or shorter than declared", ErrCorruptEntry)
	case errors.As(err, &ce):
		return fmt.Errorf("%w: compressed data is damaged", ErrCorruptEntry)
	}
	return fmt.Errorf("%w: %v", ErrCorruptEntry, err)
}

// byteBudget is the total number of uncompressed bytes the parallel
// workers may still produce.
type byteBudget struct {
	used  atomic.Int64
	limit int64
}

// take records n more bytes and reports whether the total is still within the limit.
func (b *byteBudget) take(n int64) bool {
	return b.used.Add(n) <= b.limit
}

// stripWrapper removes one top-level folder shared by every path when it
// is the RiskOS wrapper ("…_document") or holds user_uploaded/ or
// case_attachments/. Other paths are returned unchanged.
func stripWrapper(paths []string) []string {
	if len(paths) == 0 {
		return paths
	}
	top, _, ok := strings.Cut(paths[0], "/")
	if !ok {
		return paths
	}
	known := strings.HasSuffix(strings.ToLower(top), "_document")
	for _, p := range paths {
		t, rest, ok := strings.Cut(p, "/")
		if !ok || t != top {
			return paths
		}
		second, _, _ := strings.Cut(strings.ToLower(rest), "/")
		if second == "user_uploaded" || second == "case_attachments" {
			known = true
		}
	}
	if !known {
		return paths
	}
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = p[len(top)+1:]
	}
	return out
}

// flagDuplicates marks entries whose cleaned paths are equal ignoring case
// and returns one warning per duplicated path.
func flagDuplicates(entries []*Entry) []string {
	groups := map[string][]*Entry{}
	var order []string
	for _, e := range entries {
		k := strings.ToLower(e.Path)
		if _, seen := groups[k]; !seen {
			order = append(order, k)
		}
		groups[k] = append(groups[k], e)
	}
	var warnings []string
	for _, k := range order {
		g := groups[k]
		if len(g) < 2 {
			continue
		}
		for _, e := range g {
			e.Duplicate = true
		}
		warnings = append(warnings, fmt.Sprintf("%d entries share the name %q; all are listed", len(g), safetext.Name(g[0].Path)))
	}
	return warnings
}
