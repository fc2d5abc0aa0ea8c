package session

import "time"

// idleClock clears the case after a period without activity.
type idleClock struct {
	after time.Duration
	last  time.Time
	stopT func() bool // the running timer's stop, nil when none runs
}

func (k *idleClock) stop() {
	if k.stopT != nil {
		k.stopT()
		k.stopT = nil
	}
}

// Touch records activity: a key, a click on the window's controls, the
// pointer over an image.
func (c *Controller) Touch() { c.idle.last = c.cfg.Now() }

// IdleAfter is the idle timeout.
func (c *Controller) IdleAfter() time.Duration { return c.idle.after }

// ArmIdle starts the idle clock for the case on screen.
func (c *Controller) ArmIdle() {
	c.idle.stop()
	c.Touch()
	c.armIdleIn(c.idle.after)
}

// SetIdleAfter changes the timeout and restarts the clock when a case is
// open.
func (c *Controller) SetIdleAfter(d time.Duration) {
	c.idle.after = d
	if c.HasCase() {
		c.armIdleIn(d)
	}
}

// IdleArmed reports whether the idle clock runs.
func (c *Controller) IdleArmed() bool { return c.idle.stopT != nil }

func (c *Controller) armIdleIn(d time.Duration) {
	c.idle.stop()
	c.idle.stopT = c.cfg.AfterFunc(d, func() { c.cfg.Do(c.checkIdle) })
}

// checkIdle emits IdleExpired when the idle time has passed since the last
// activity, and otherwise waits for the rest of it.
func (c *Controller) checkIdle() {
	c.idle.stopT = nil
	if !c.HasCase() {
		return
	}
	left := c.idle.after - c.cfg.Now().Sub(c.idle.last)
	if left > 0 {
		c.armIdleIn(left)
		return
	}
	c.emit(Event{Kind: IdleExpired, After: c.idle.after, Index: -1})
}
