package ui

import (
	"fmt"
	"time"
)

// idleClock clears the case after a period without activity.
type idleClock struct {
	after time.Duration
	last  time.Time
	timer *time.Timer
}

func (c *idleClock) stop() {
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
}

// touch records activity: a key, a click on the window's controls, the
// pointer over an image.
func (r *review) touch() { r.idle.last = r.opts.Now() }

// armIdle starts the idle clock for the case on screen.
func (r *review) armIdle() {
	r.idle.stop()
	r.touch()
	r.armIdleIn(r.idle.after)
}

func (r *review) armIdleIn(d time.Duration) {
	r.idle.stop()
	r.idle.timer = time.AfterFunc(d, func() { r.opts.Do(r.checkIdle) })
}

// checkIdle clears the case when the idle time has passed since the last
// activity, and otherwise waits for the rest of it.
func (r *review) checkIdle() {
	r.idle.timer = nil
	if !r.hasCaseData() {
		return
	}
	left := r.idle.after - r.opts.Now().Sub(r.idle.last)
	if left > 0 {
		r.armIdleIn(left)
		return
	}
	r.clearCase(fmt.Sprintf("The case was cleared after %s without activity.", idleText(r.idle.after)))
}

// setIdleAfter changes the timeout and restarts the clock.
func (r *review) setIdleAfter(d time.Duration) {
	r.idle.after = d
	if r.hasCaseData() {
		r.armIdleIn(d)
	}
}

func idleText(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return plural(int(d/time.Minute), "minute")
	}
	return d.String()
}
