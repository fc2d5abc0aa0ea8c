package session

import (
	"testing"
	"testing/synctest"
	"time"
)

// syncDo runs the functions Do queues when the test calls run: inside a
// synctest bubble the test advances time, waits for the timers' goroutines
// and then runs what they queued.
type syncDo struct{ q chan func() }

func (s *syncDo) Do(fn func()) { s.q <- fn }

func (s *syncDo) run() {
	for {
		select {
		case fn := <-s.q:
			fn()
		default:
			return
		}
	}
}

func TestIdleClockClearsAfterTheTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := &syncDo{q: make(chan func(), 16)}
		c := New(Config{Do: d.Do, IdleAfter: 5 * time.Minute, FreeMemory: func() {},
			Load: newFakeLoader(t).load})
		rec := &recorder{}
		c.Subscribe(rec.on)
		defer c.Close()

		c.cur = NewCaseRef(newTestCase(t, idA)) // a case on screen
		c.ArmIdle()
		if !c.IdleArmed() {
			t.Fatal("the idle clock does not run")
		}
		time.Sleep(3 * time.Minute)
		c.Touch() // activity 3 minutes in: the clock runs to 8 minutes
		time.Sleep(2*time.Minute + time.Second)
		synctest.Wait()
		d.run()
		if rec.count(IdleExpired) != 0 {
			t.Fatal("cleared 2 minutes after the last activity")
		}
		if !c.IdleArmed() {
			t.Fatal("the clock was not re-armed for the rest of the time")
		}
		time.Sleep(3 * time.Minute)
		synctest.Wait()
		d.run()
		e, ok := rec.last(IdleExpired)
		if !ok || e.After != 5*time.Minute {
			t.Fatalf("no IdleExpired 5 minutes after the last activity (events %v)", rec.kinds())
		}
	})
}

func TestIdleClockWithoutACaseDoesNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := &syncDo{q: make(chan func(), 16)}
		c := New(Config{Do: d.Do, IdleAfter: time.Minute, FreeMemory: func() {}})
		rec := &recorder{}
		c.Subscribe(rec.on)
		c.ArmIdle()
		time.Sleep(2 * time.Minute)
		synctest.Wait()
		d.run()
		if rec.count(IdleExpired) != 0 || c.IdleArmed() {
			t.Errorf("idle fired or re-armed with no case: %v", rec.kinds())
		}
	})
}

func TestSetIdleAfterRestartsTheClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := &syncDo{q: make(chan func(), 16)}
		c := New(Config{Do: d.Do, IdleAfter: time.Hour, FreeMemory: func() {}})
		rec := &recorder{}
		c.Subscribe(rec.on)
		defer c.Close()
		c.cur = NewCaseRef(newTestCase(t, idA))
		c.ArmIdle()
		time.Sleep(2 * time.Minute)
		c.SetIdleAfter(time.Minute) // the last activity was 2 minutes ago
		if c.IdleAfter() != time.Minute {
			t.Fatalf("IdleAfter %s", c.IdleAfter())
		}
		time.Sleep(time.Minute + time.Second)
		synctest.Wait()
		d.run()
		if rec.count(IdleExpired) != 1 {
			t.Errorf("events %v, want one IdleExpired", rec.kinds())
		}
	})
}

func TestDropStopsTheIdleClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := &syncDo{q: make(chan func(), 16)}
		c := New(Config{Do: d.Do, IdleAfter: time.Minute, FreeMemory: func() {}})
		rec := &recorder{}
		c.Subscribe(rec.on)
		c.cur = NewCaseRef(newTestCase(t, idA))
		c.ArmIdle()
		c.Drop()
		if c.IdleArmed() {
			t.Fatal("the clock runs after Drop")
		}
		time.Sleep(2 * time.Minute)
		synctest.Wait()
		d.run()
		if rec.count(IdleExpired) != 0 {
			t.Error("IdleExpired after Drop")
		}
	})
}
