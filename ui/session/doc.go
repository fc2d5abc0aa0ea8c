// Package session owns the lifetime of the case on screen, without Fyne:
// the generation that makes late results stale, the context cancelled when
// the case is dropped, the ref-counted case, the last request (Retry), the
// fetching and no-documents states, the client and evaluation of the case,
// the move to a position of a review queue and the idle clock.
//
// A Controller is driven from one goroutine (the window's Fyne goroutine)
// and never blocks it: loading runs on goroutines of its own, and what they
// produce comes back as Events through the Do function the window gives it,
// so that the window's handlers run on that goroutine too. The window wires
// its panels to the events; it keeps no lifetime state of its own.
package session
