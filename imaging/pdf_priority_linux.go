package imaging

import "syscall"

// lowerThreadPriority gives the calling OS thread the lowest CPU priority
// (nice 19): the other threads of the process, and every other process,
// get the cores first. The caller has locked its goroutine to the thread
// and ends with it still locked, so the thread ends too and its priority
// is never passed on to other goroutines.
func lowerThreadPriority() error {
	return syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), 19)
}
