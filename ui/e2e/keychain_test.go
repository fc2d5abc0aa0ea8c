//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"docvreview/fetch/simulator"
)

// TestKeychain stores a key in a real Secret Service keychain (an unlocked
// gnome-keyring-daemon inside dbus-run-session), fetches with it from the
// simulator, deletes it, and checks the next fetch says there is no key.
func TestKeychain(t *testing.T) {
	if os.Getenv("DOCV_E2E_IN_DBUS") == "" {
		need(t, "dbus-run-session", "gnome-keyring-daemon")
		root := t.TempDir()
		env := sandboxEnv(t, root, "DOCV_E2E_IN_DBUS=1", "DOCV_BIN="+binary(t))
		test, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("dbus-run-session", "--", "sh", "-c",
			`printf 'e2e-keyring-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$0" -test.run '^TestKeychain$' -test.v`, test)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		t.Logf("inside dbus-run-session:\n%s", out)
		if err != nil {
			t.Fatalf("keychain check failed: %v", err)
		}
		if !strings.Contains(string(out), "--- PASS: TestKeychain") {
			t.Fatal("the keychain check did not run")
		}
		return
	}

	const key = "e2e-keychain-key-9c1d"
	env := os.Environ()
	base := startSimulator(t, append(append([]string(nil), env...), "DOCV_SIMULATOR_KEY="+key))
	step := func(name, stdin string, wantCode int, wantOut string, args ...string) result {
		t.Helper()
		r := run(t, env, stdin, time.Minute, args...)
		if r.code != wantCode || !strings.Contains(r.stdout+r.stderr, wantOut) {
			t.Fatalf("%s: exit %d, want %d and %q\nstdout: %s\nstderr: %s", name, r.code, wantCode, wantOut, r.stdout, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, key) {
			t.Fatalf("%s printed the key", name)
		}
		return r
	}
	step("key status (empty)", "", 0, "no key stored", "key", "status", "--env", "sandbox")
	step("key set", key+"\n", 0, "stored", "key", "set", "--env", "sandbox")
	step("key status", "", 0, "OS keychain", "key", "status", "--env", "sandbox")
	step("fetch with the stored key", "", 0, `"role": "selfie"`,
		"fetch", "--json", "--env", "sandbox", "--base-url", base, "--eval-id", simulator.HappyID)
	step("key delete", "", 0, "deleted", "key", "delete", "--env", "sandbox")
	step("fetch without a key", "", 4, "no API key",
		"fetch", "--env", "sandbox", "--base-url", base, "--eval-id", simulator.HappyID)
}
