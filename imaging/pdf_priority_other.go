//go:build !linux

package imaging

// lowerThreadPriority does nothing here: only Linux sets the priority of
// one thread (elsewhere the engine starts at normal priority).
func lowerThreadPriority() error { return nil }
