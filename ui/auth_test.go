package ui

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/zalando/go-keyring"

	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
	"docvreview/fetch/riskos"
	"docvreview/fetch/simulator"
)

// loopback serves the simulator on 127.0.0.1 and returns a NewClient that
// points every client at it, with attempts capped at maxAttempts (0: default).
func loopback(t *testing.T, maxAttempts int) (*simulator.Server, func(riskos.Options) (*riskos.Client, error)) {
	t.Helper()
	sim := simulator.New(simulator.Config{APIKey: "good", OtherEnvKey: "other"})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, func(o riskos.Options) (*riskos.Client, error) {
		o.BaseURL = srv.URL
		o.MaxAttempts = maxAttempts
		o.BaseBackoff = 10 * time.Millisecond
		return riskos.NewClient(o)
	}
}

// sessionKeychain is a keychain over the mocked keyring holding key for Sandbox.
func sessionKeychain(t *testing.T, key string) *keychain.Keychain {
	t.Helper()
	keyring.MockInit()
	kc := keychain.New(time.Second, nil)
	if key != "" {
		kc.SetSession(eval.Sandbox, key)
	}
	return kc
}

func TestAuthOutcomes(t *testing.T) {
	cases := map[string]struct {
		key, id   string
		kind      string
		titlePart string
		hintPart  string
		settings  bool
	}{
		"401 wrong key":        {"wrong", simulator.HappyID, outcomeUnauthorized, "401", "Settings", true},
		"403 other env key":    {"other", simulator.HappyID, outcomeForbidden, "403", "Production", true},
		"404 typo":             {"good", simulator.NotFoundID, outcomeNotFound, "404", "typo", false},
		"no key in keychain":   {"", simulator.HappyID, outcomeNoKey, "No API key for Sandbox", "Settings", true},
		"good key, happy case": {"good", simulator.HappyID, "", "", "", false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, newClient := loopback(t, 0)
			h := newHarness(t, Options{Env: eval.Sandbox, Keychain: sessionKeychain(t, tc.key), NewClient: newClient})
			h.open(tc.id)
			if tc.kind == "" {
				loadedWithImages(3)(t, h)
				return
			}
			failure(tc.kind, tc.titlePart, false)(t, h)
			title, body, hint := h.outcomeText()
			text := title + " " + body + " " + hint
			if !strings.Contains(text, tc.hintPart) {
				t.Errorf("outcome %q does not mention %q", text, tc.hintPart)
			}
			if shown := h.outcomeButton("Open Settings") != nil; shown != tc.settings {
				t.Errorf("Settings button visible %v, want %v", shown, tc.settings)
			}
			for _, secret := range []string{"wrong", "other", "good"} {
				if secret == tc.key && strings.Contains(markupOf(h.win.Canvas().Content()), secret) {
					t.Errorf("the key %q appears on screen", secret)
				}
			}
		})
	}
}

func TestRetryAfterServerFailures(t *testing.T) {
	// One attempt per fetch: the flaky case answers 503, then 429, then the
	// case. Each failure offers Retry; the third fetch shows the case.
	sim, newClient := loopback(t, 1)
	h := newHarness(t, Options{Env: eval.Sandbox, Keychain: sessionKeychain(t, "good"), NewClient: newClient})
	h.open(simulator.FlakyID)
	failure(outcomeUnavailable, "could not be reached", true)(t, h)
	h.shortcut(fyne.KeyR)
	h.idle()
	failure(outcomeRateLimited, "429", true)(t, h)
	test.Tap(h.outcomeButton("Retry"))
	h.idle()
	loadedWithImages(3)(t, h)
	if n := sim.Requests(simulator.FlakyID); n != 3 {
		t.Errorf("documents requests %d, want 3", n)
	}
}
