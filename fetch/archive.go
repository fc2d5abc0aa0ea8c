package fetch

// OWNER: helper "fetch-data". Contract stub.

import "errors"

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

// Limits bound what an archive may expand to.
type Limits struct {
	MaxEntries    int     // default 1000; more → ErrBadArchive for the whole archive
	MaxEntryBytes int64   // default 64 MiB uncompressed per entry
	MaxTotalBytes int64   // default 512 MiB uncompressed in all
	MaxRatio      float64 // default 100 (uncompressed/compressed) for entries over 1 MiB
}

// DefaultLimits returns the limits the app uses.
func DefaultLimits() Limits { panic("TODO fetch-data") }

// Entry is one file of the documents ZIP, in memory.
type Entry struct {
	Path      string // cleaned path inside the archive, wrapper folder stripped
	Name      string // base name
	Role      Role
	Capture   int    // the N of _N_ in the name; 0 when there is none
	Format    Format // from magic bytes
	Size      int64  // uncompressed bytes
	SHA256    string // hex of Data (empty when Err != nil)
	Data      []byte // nil when Err != nil; zeroed by Case.Close
	Err       error  // per-entry problem (wraps one of the Err* above)
	Duplicate bool   // another entry has the same cleaned path
}

// ReadArchive opens a ZIP held in memory and inflates its entries in
// parallel within lim. Unsafe names (absolute, "..", backslash, drive letter)
// are not returned as entries but reported in warnings in a sanitised form.
// An unreadable archive (not a ZIP, truncated, too many entries) is an error
// wrapping ErrBadArchive.
func ReadArchive(data []byte, lim Limits) (entries []*Entry, warnings []string, err error) {
	panic("TODO fetch-data")
}
