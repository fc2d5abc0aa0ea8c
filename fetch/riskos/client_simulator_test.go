package riskos

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
)

// warmSimulator generates the simulator's license ZIP (shared by the happy,
// flaky and slow scenarios) before anything is timed.
func warmSimulator(t *testing.T) {
	start := time.Now()
	if len(simulator.CaseZIP(simulator.HappyID)) == 0 {
		t.Fatal("simulator has no ZIP for the happy case")
	}
	if d := time.Since(start); d > time.Second {
		t.Logf("simulator generated its license case in %v", d)
	}
}

// demoClient is a Demo client (in-process simulator) with fast retries.
func demoClient(t *testing.T) *Client {
	t.Helper()
	warmSimulator(t)
	c, err := NewClient(Options{Env: eval.Demo, Demo: simulatorDemo, APIKey: "ignored", BaseBackoff: time.Millisecond, MaxRetryAfter: 10 * time.Millisecond})
	if err != nil {
		t.Fatalf("NewClient(Demo): %v", err)
	}
	return c
}

func TestDemoScenarios(t *testing.T) {
	c := demoClient(t)
	if c.Env() != eval.Demo || c.key != "" || c.headerTimeout != demoHeaderTimeout {
		t.Fatalf("demo client env %q, key kept %v, header timeout %v", c.Env(), c.key != "", c.headerTimeout)
	}
	// Only scenarios built on the license ZIP (plus the cheap ones): the
	// passport and re-capture image sets are the simulator's own tests' cost.
	tests := []struct {
		id       string
		back     int // 1 present, 0 absent, -1 not checked
		pdfs     int // -1 not checked
		reason   NoDocsReason
		notFound bool
	}{
		{id: simulator.HappyID, back: 1, pdfs: 2},
		{id: simulator.MilitaryID, reason: ReasonMilitary},
		{id: simulator.MinorID, reason: ReasonMinor},
		{id: simulator.RetentionID, reason: ReasonRetention},
		{id: simulator.NotFoundID, notFound: true},
		{id: simulator.FlakyID, back: 1, pdfs: 2},
		{id: simulator.HostileID, back: -1, pdfs: -1},
	}
	for _, tt := range tests {
		t.Run(tt.id[:8], func(t *testing.T) {
			cs, err := c.FetchCase(context.Background(), strings.ToUpper(tt.id), nil)
			switch {
			case tt.notFound:
				if !errors.Is(err, ErrNotFound) || KindName(err) != "not_found" {
					t.Fatalf("error %v, want not found", err)
				}
				return
			case tt.reason != "":
				var nd *NoDocumentsError
				if !errors.As(err, &nd) || nd.Explanation.Reason != tt.reason || nd.Evaluation == nil {
					t.Fatalf("error %v, want no documents (%s) with the evaluation", err, tt.reason)
				}
				return
			}
			if err != nil {
				t.Fatalf("FetchCase: %v", err)
			}
			defer cs.Close()
			if cs.EvalID != tt.id || cs.Env != eval.Demo || cs.Evaluation == nil {
				t.Errorf("case %s %s, evaluation %v", cs.EvalID, cs.Env, cs.Evaluation != nil)
			}
			if cs.Primary(casefile.RoleFront) == nil {
				t.Error("no front")
			}
			if has := cs.Primary(casefile.RoleBack) != nil; tt.back >= 0 && has != (tt.back == 1) {
				t.Errorf("back present = %v", has)
			}
			if tt.pdfs >= 0 && len(cs.Attachments()) != tt.pdfs {
				t.Errorf("%d attachments, want %d", len(cs.Attachments()), tt.pdfs)
			}
		})
	}
}

// TestSimulatorOverLoopback runs the simulator as a server, as `docvreview
// simulate` does, with keys checked.
func TestSimulatorOverLoopback(t *testing.T) {
	warmSimulator(t)
	sim := simulator.New(simulator.Config{APIKey: clientKey, OtherEnvKey: "prod-key-0000", SlowDuration: 300 * time.Millisecond})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	client := func(key string) *Client {
		return newTestClient(t, srv.URL, func(o *Options) { o.APIKey = key })
	}

	t.Run("flaky is retried", func(t *testing.T) {
		c := client(clientKey)
		rec := &waitRecorder{}
		c.sleep = rec.sleep
		cs, err := c.FetchCase(context.Background(), simulator.FlakyID, nil)
		if err != nil {
			t.Fatal(err)
		}
		cs.Close()
		if n := sim.Requests(simulator.FlakyID); n != 3 {
			t.Errorf("simulator answered %d documents requests, want 3", n)
		}
		// 503 → backoff; 429 Retry-After: 1 → capped at the test's MaxRetryAfter.
		if waits := rec.all(); len(waits) != 2 || waits[1] != 20*time.Millisecond {
			t.Errorf("waits %v", waits)
		}
	})

	t.Run("wrong key", func(t *testing.T) {
		_, err := client("wrong-key").FetchCase(context.Background(), simulator.HappyID, nil)
		e := asAPIError(t, err)
		if !errors.Is(err, ErrUnauthorized) || e.Status != 401 || e.Attempts != 1 {
			t.Errorf("error %v", err)
		}
	})

	t.Run("other environment's key", func(t *testing.T) {
		_, err := client("prod-key-0000").FetchCase(context.Background(), simulator.HappyID, nil)
		e := asAPIError(t, err)
		if !errors.Is(err, ErrForbidden) || !strings.Contains(e.Hint, "other environment (Production)") {
			t.Errorf("error %v, hint %q", err, e.Hint)
		}
		if strings.Contains(err.Error(), "prod-key-0000") {
			t.Errorf("error %q holds the key", err)
		}
	})

	t.Run("slow download reports progress", func(t *testing.T) {
		var mu sync.Mutex
		var calls []Progress
		cs, err := client(clientKey).FetchCase(context.Background(), simulator.SlowID, func(p Progress) {
			mu.Lock()
			calls = append(calls, p)
			mu.Unlock()
		})
		if err != nil {
			t.Fatal(err)
		}
		defer cs.Close()
		if len(calls) < 3 {
			t.Fatalf("%d progress calls", len(calls))
		}
		total := calls[0].Total
		for i, p := range calls {
			if p.Total != total || total <= 0 || i > 0 && p.Done <= calls[i-1].Done {
				t.Fatalf("progress %d: %+v after %+v", i, p, calls[max(i-1, 0)])
			}
		}
		if last := calls[len(calls)-1]; last.Done != total || cs.ArchiveSize != total {
			t.Errorf("last progress %+v, archive %d bytes", last, cs.ArchiveSize)
		}
	})
}

func TestDemoCancelMidTrickle(t *testing.T) {
	c := demoClient(t) // SlowID trickles over 6 s
	ctx, cancel := context.WithCancel(context.Background())
	var once sync.Once
	var canceledAt time.Time
	_, err := c.FetchCase(ctx, simulator.SlowID, func(p Progress) {
		if p.Done > 0 {
			once.Do(func() { canceledAt = time.Now(); cancel() })
		}
	})
	if canceledAt.IsZero() {
		t.Fatalf("no progress before the end; error %v", err)
	}
	elapsed := time.Since(canceledAt)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want canceled", err)
	}
	if elapsed > 200*time.Millisecond {
		t.Errorf("cancel took %v, want ≤ 200 ms", elapsed)
	}
	t.Logf("demo cancel mid-trickle returned after %v", elapsed)
}

// TestFetchCaseWritesNoFiles fetches a whole case with HOME, TMPDIR and the
// XDG folders pointed at empty directories, and checks they stay empty.
func TestFetchCaseWritesNoFiles(t *testing.T) {
	dirs := map[string]string{}
	for _, v := range []string{"HOME", "TMPDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"} {
		dirs[v] = t.TempDir()
		t.Setenv(v, dirs[v])
	}
	c := demoClient(t)
	for _, id := range []string{simulator.HappyID, simulator.MilitaryID, simulator.HostileID} {
		cs, err := c.FetchCase(context.Background(), id, nil)
		if cs != nil {
			cs.Close()
		} else if !errors.Is(err, ErrNoDocuments) {
			t.Fatalf("%s: %v", id, err)
		}
	}
	for v, dir := range dirs {
		if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
			t.Errorf("%s (%s) holds %d entries after fetching, err %v", v, dir, len(entries), err)
		}
	}
}
