package cli

import (
	"syscall"
	"unsafe"
)

// hugeArchiveMin is the size from which an archive read from disk is held
// in memory mapped for transparent huge pages.
const hugeArchiveMin = 4 << 20

// archiveBuffer returns n bytes for an archive read from disk and the
// function that gives them back (call it once the case is closed). A large
// buffer is mapped directly and asked for transparent huge pages: a cold
// process then takes a handful of page faults for it instead of one per
// 4 KiB, and the memory goes back to the system at once when released.
func archiveBuffer(n int) ([]byte, func()) {
	const huge = 2 << 20
	if n >= hugeArchiveMin {
		m, err := syscall.Mmap(-1, 0, n+huge, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
		if err == nil {
			// Start on a 2 MiB boundary so that every whole huge page can be one.
			skip := int((huge - uintptr(unsafe.Pointer(&m[0]))%huge) % huge)
			b := m[skip : skip+n : skip+n]
			_ = syscall.Madvise(m, syscall.MADV_HUGEPAGE) // a hint; without it the buffer still works
			return b, func() { clear(b); _ = syscall.Munmap(m) }
		}
	}
	return make([]byte, n), func() {}
}
