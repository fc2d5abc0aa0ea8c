//go:build cgo && !purego && turbo_shared && (linux || darwin)

package imaging

// turboShared reports whether libturbojpeg was linked dynamically.
const turboShared = true
