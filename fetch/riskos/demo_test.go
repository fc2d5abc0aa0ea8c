package riskos

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
)

// simulatorDemo serves the Demo environment from the built-in simulator, as
// main.go does.
func simulatorDemo(now func() time.Time) http.RoundTripper {
	return simulator.Transport(simulator.New(simulator.Config{Now: now}))
}

// TestDemoNeedsTransport: riskos has no Demo of its own; a Demo client
// without Options.Demo (and without a BaseURL) fails clearly, and one with
// it gets the client's clock.
func TestDemoNeedsTransport(t *testing.T) {
	if c, err := NewClient(Options{Env: eval.Demo}); c != nil || !errors.Is(err, ErrNoDemo) {
		t.Fatalf("NewClient(Demo) without a transport = %v, %v; want ErrNoDemo", c, err)
	}
	now := func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }
	var got func() time.Time
	c, err := NewClient(Options{Env: eval.Demo, Now: now, Demo: func(n func() time.Time) http.RoundTripper {
		got = n
		return simulatorDemo(n)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Env() != eval.Demo || got == nil || !got().Equal(now()) {
		t.Fatal("the Demo transport was not made with the client's clock")
	}
}
