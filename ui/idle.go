package ui

import "time"

// The idle clock is the session's (ui/session): the window reports
// activity to it and clears the case on its IdleExpired event.

// touch records activity: a key, a click on the window's controls, the
// pointer over an image.
func (r *review) touch() { r.sess.Touch() }

// armIdle starts the idle clock for the case on screen.
func (r *review) armIdle() { r.sess.ArmIdle() }

// setIdleAfter changes the timeout and restarts the clock.
func (r *review) setIdleAfter(d time.Duration) { r.sess.SetIdleAfter(d) }

func idleText(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return plural(int(d/time.Minute), "minute")
	}
	return d.String()
}
