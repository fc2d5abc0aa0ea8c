package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/zalando/go-keyring"

	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
	"docvreview/fetch/simulator"
)

func openSettings(t *testing.T, h *harness) *settingsDialog {
	t.Helper()
	h.shortcut(fyne.KeyComma)
	s := h.settingsDialog()
	if s == nil || !h.dialogTitled("Settings") {
		t.Fatal("Ctrl+, did not open Settings")
	}
	h.loop.until(t, "key status", 10*time.Second, func() bool {
		return !s.keys[eval.Sandbox].busy && !s.keys[eval.Production].busy
	})
	return s
}

func TestSettingsSaveAndDeleteKey(t *testing.T) {
	keyring.MockInit()
	kc := keychain.New(time.Second, nil)
	h := newHarness(t, Options{Env: eval.Demo, Keychain: kc})
	s := openSettings(t, h)
	k := s.keys[eval.Sandbox]
	if k.state.Text != "not stored" || !k.del.Disabled() {
		t.Fatalf("fresh keychain: %q, delete enabled %v", k.state.Text, !k.del.Disabled())
	}
	if !k.entry.Password {
		t.Error("the key entry is not a password field")
	}

	test.Type(k.entry, "sandbox-secret-123")
	test.Tap(k.save)
	if k.entry.Text != "" {
		t.Error("the key stays in the entry after Save")
	}
	h.loop.until(t, "save", 10*time.Second, func() bool { return !k.busy })
	if want := "stored (" + string(keychain.SourceKeychain) + ")"; k.state.Text != want {
		t.Errorf("after save: %q, want %q", k.state.Text, want)
	}
	if got, src, err := kc.Get(eval.Sandbox); err != nil || got != "sandbox-secret-123" || src != keychain.SourceKeychain {
		t.Errorf("keychain holds %q from %q (%v)", got, src, err)
	}
	if strings.Contains(test.RenderToMarkup(h.win.Canvas()), "sandbox-secret-123") {
		t.Error("the key is shown in the dialog")
	}
	if p := s.keys[eval.Production]; p.state.Text != "not stored" {
		t.Errorf("production: %q", p.state.Text)
	}

	test.Tap(k.del)
	h.loop.until(t, "delete", 10*time.Second, func() bool { return !k.busy })
	if k.state.Text != "not stored" || !k.del.Disabled() {
		t.Errorf("after delete: %q", k.state.Text)
	}
	if _, _, err := kc.Get(eval.Sandbox); !errors.Is(err, keychain.ErrKeyNotFound) {
		t.Errorf("key still readable after delete: %v", err)
	}
	s.dlg.Dismiss()
	if h.settingsDialog() != nil {
		t.Error("settings still marked open")
	}
}

func TestSettingsWithoutKeychainOffersSessionKey(t *testing.T) {
	keyring.MockInitWithError(errors.New(`exec: "dbus-launch": executable file not found in $PATH`))
	t.Cleanup(keyring.MockInit)
	kc := keychain.New(time.Second, nil)
	h := newHarness(t, Options{Env: eval.Demo, Keychain: kc})
	s := openSettings(t, h)
	k := s.keys[eval.Production]
	test.Type(k.entry, "prod-secret")
	test.Tap(k.save)
	h.loop.until(t, "save", 10*time.Second, func() bool { return !k.busy })
	if !k.warning.Visible() || !strings.Contains(k.warning.Text, "No OS keychain") || !k.sessionBtn.Visible() {
		t.Fatalf("no clear warning: %q (session button %v)", k.warning.Text, k.sessionBtn.Visible())
	}
	test.Tap(k.sessionBtn)
	if got, src, err := kc.Get(eval.Production); err != nil || got != "prod-secret" || src != keychain.SourceSession {
		t.Errorf("session key %q from %q (%v)", got, src, err)
	}
	if !strings.Contains(k.state.Text, string(keychain.SourceSession)) {
		t.Errorf("state %q does not say session only", k.state.Text)
	}
}

func TestSettingsPreferencesHoldNoPII(t *testing.T) {
	keyring.MockInit()
	h := newHarness(t, Options{Env: eval.Demo, Keychain: keychain.New(time.Second, nil)})
	s := openSettings(t, h)
	s.version.SetText(" 2025-01-01.orion ")
	s.idle.SetText("5")
	s.dlg.Confirm()
	p := h.app.Preferences()
	if p.String(prefAPIVersion) != "2025-01-01.orion" || p.Int(prefIdleMinutes) != 5 {
		t.Errorf("saved version %q, idle %d", p.String(prefAPIVersion), p.Int(prefIdleMinutes))
	}
	if got := h.r.sess.IdleAfter(); got != 5*time.Minute {
		t.Errorf("idle timeout %s", got)
	}

	// Bad idle values are refused and nothing is saved.
	s = openSettings(t, h)
	s.idle.SetText("0")
	s.dlg.Confirm()
	if p.Int(prefIdleMinutes) != 5 {
		t.Errorf("idle 0 saved")
	}
}

func TestLoadPreferences(t *testing.T) {
	cases := map[string]struct {
		env  string
		idle int
		want preferences
	}{
		"defaults":      {"", 0, preferences{env: eval.Demo, idleMinutes: defaultIdleMinutes}},
		"production":    {"production", 30, preferences{env: eval.Production, idleMinutes: 30}},
		"junk env":      {"staging", 30, preferences{env: eval.Demo, idleMinutes: 30}},
		"negative idle": {"sandbox", -4, preferences{env: eval.Sandbox, idleMinutes: defaultIdleMinutes}},
		"huge idle":     {"sandbox", 100000, preferences{env: eval.Sandbox, idleMinutes: defaultIdleMinutes}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			a := test.NewTempApp(t)
			p := a.Preferences()
			if tc.env != "" {
				p.SetString(prefEnv, tc.env)
			}
			if tc.idle != 0 {
				p.SetInt(prefIdleMinutes, tc.idle)
			}
			if got := loadPreferences(p); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestParseIdleMinutes(t *testing.T) {
	for in, want := range map[string]int{"1": 1, " 15 ": 15, "480": 480, "0": 0, "481": 0, "-3": 0, "x": 0, "": 0, "1.5": 0} {
		got, err := parseIdleMinutes(in)
		if (err == nil) != (want != 0) || got != want {
			t.Errorf("parseIdleMinutes(%q) = %d, %v", in, got, err)
		}
	}
}

func TestEscDismissesDialogsAndNoneStack(t *testing.T) {
	keyring.MockInit()
	h := newHarness(t, Options{Env: eval.Demo, Keychain: keychain.New(time.Second, nil)})
	h.open(simulator.PassportID)
	for name, open := range map[string]func(){
		"settings":  func() { h.shortcut(fyne.KeyComma) },
		"export":    func() { h.shortcut(fyne.KeyE) },
		"shortcuts": func() { h.key(fyne.KeyF1) },
		"about":     func() { h.menu("Help", "About") },
	} {
		open()
		h.idle()
		d := h.overlay()
		if d == nil {
			t.Fatalf("%s: no dialog", name)
		}
		h.shortcut(fyne.KeyComma) // a second dialog does not open on top
		h.shortcut(fyne.KeyL)     // nor does the focus move behind it
		if h.overlay() != d || h.win.Canvas().Focused() != nil {
			t.Errorf("%s: a shortcut acted behind the dialog", name)
		}
		h.key(fyne.KeyEscape)
		if h.overlay() != nil || !h.dialogsForgotten() {
			t.Errorf("%s: Esc did not dismiss the dialog", name)
		}
		if h.r.sess.Case() == nil {
			t.Fatalf("%s: Esc on a dialog closed the case", name)
		}
	}
}
