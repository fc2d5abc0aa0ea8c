package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
	"docvreview/fetch/riskos"
	"docvreview/imaging"
	"docvreview/ui/session"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

func TestDescribeFailure(t *testing.T) {
	req := session.Request{Env: eval.Sandbox, EvalID: "fb1ddadc-6dba-4ce4-aa6d-25c005b192b5"}
	api := func(kind error, status int) error {
		return fmt.Errorf("fetch: %w", &riskos.APIError{Kind: kind, Op: "documents", Status: status, Hint: "server hint"})
	}
	cases := map[string]struct {
		err      error
		kind     string
		retry    bool
		settings bool
		mention  string
	}{
		"401":              {api(riskos.ErrUnauthorized, 401), outcomeUnauthorized, false, true, "Sandbox key"},
		"403":              {api(riskos.ErrForbidden, 403), outcomeForbidden, false, true, "Production"},
		"404":              {api(riskos.ErrNotFound, 404), outcomeNotFound, false, false, "typo"},
		"429":              {api(riskos.ErrRateLimited, 429), outcomeRateLimited, true, false, "Retry"},
		"500":              {api(riskos.ErrServer, 500), outcomeUnavailable, true, false, "Retry"},
		"network":          {api(riskos.ErrNetwork, 0), outcomeUnavailable, true, false, "network"},
		"no key":           {fmt.Errorf("read: %w", keychain.ErrKeyNotFound), outcomeNoKey, false, true, "Settings"},
		"no key (client)":  {api(riskos.ErrNoKey, 0), outcomeNoKey, false, true, "Settings"},
		"no keychain":      {fmt.Errorf("read: %w", keychain.ErrUnavailable), outcomeKeychain, false, true, "session"},
		"keychain timeout": {&keychain.TimeoutError{Op: "get", Timeout: 30e9}, outcomeKeychain, true, false, "unlock"},
		"bad archive":      {api(riskos.ErrBadArchive, 200), outcomeBadArchive, true, false, "server hint"},
		"cancelled":        {fmt.Errorf("fetch: %w", context.Canceled), outcomeCancelled, true, false, "Nothing was kept"},
		"other":            {errors.New("boom"), outcomeOther, true, false, "Retry"},
		"no documents": {&riskos.NoDocumentsError{EvalID: req.EvalID,
			Explanation: riskos.Explanation{Reason: riskos.ReasonMilitary, Summary: "Images were deleted because the ID is a Military ID.", Detail: "d"}},
			outcomeNoDocuments, false, false, "Military"},
		"still processing": {&riskos.NoDocumentsError{EvalID: req.EvalID,
			Explanation: riskos.Explanation{Reason: riskos.ReasonRetention, Summary: "s", Detail: "d", StillProcessing: true}},
			outcomeNoDocuments, true, false, "try again in a few seconds"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			o := describeFailure(tc.err, req)
			if o.kind != tc.kind || o.retry != tc.retry || o.settings != tc.settings {
				t.Errorf("got kind %q retry %v settings %v", o.kind, o.retry, o.settings)
			}
			all := strings.Join([]string{o.title, o.body, o.hint, o.status}, " ")
			if !strings.Contains(all, tc.mention) {
				t.Errorf("%q does not mention %q", all, tc.mention)
			}
			if o.title == "" || o.status == "" {
				t.Error("empty title or status")
			}
		})
	}
}

func TestNeedsRedecode(t *testing.T) {
	info := imaging.Info{Width: 4000, Height: 3000, Orientation: 1}
	rotated := imaging.Info{Width: 4000, Height: 3000, Orientation: 6}
	cases := []struct {
		name             string
		info             imaging.Info
		oldW, oldH, w, h int
		want             bool
	}{
		{"same box", info, 400, 300, 400, 300, false},
		{"small change", info, 400, 300, 440, 330, false},
		{"doubled", info, 400, 300, 800, 600, true},
		{"halved", info, 800, 600, 400, 300, true},
		{"height-limited grows only in width", info, 400, 300, 1200, 300, false},
		{"full size either way", imaging.Info{Width: 300, Height: 200, Orientation: 1}, 1000, 1000, 2000, 2000, false},
		{"oriented size used", rotated, 300, 400, 300, 400, false},
		{"never decoded", info, 0, 0, 400, 300, true},
	}
	for _, tc := range cases {
		if got := needsRedecode(tc.info, tc.oldW, tc.oldH, tc.w, tc.h); got != tc.want {
			t.Errorf("%s: got %v", tc.name, got)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 1536: "1.5 kB",
		3_100_000: "3.1 MB", 2_500_000_000: "2.5 GB"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestShortcutHelpListsEveryKey(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	text := h.shortcutKeys()
	for _, k := range []string{"Enter", "Esc", "Ctrl+R", "Ctrl+W", "Ctrl+L", "1 / 2 / 3", "Ctrl+E", "Ctrl+,", "F1", "Ctrl+/", "Ctrl+0", "Ctrl+Q", "P"} {
		if !strings.Contains(text, k) {
			t.Errorf("Help → Keyboard shortcuts lacks %s", k)
		}
	}
}

// A menu shortcut runs before the focused widget sees its keys: no menu may
// take Ctrl+Enter, which the paste-queue box and the decision notes use.
func TestNoMenuTakesCtrlEnter(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	for _, m := range h.win.MainMenu().Items {
		for _, it := range m.Items {
			if cs, ok := it.Shortcut.(*desktop.CustomShortcut); ok && (cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter) {
				t.Errorf("menu item %q takes Ctrl+Enter", it.Label)
			}
		}
	}
}
