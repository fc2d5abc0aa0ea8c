package cli

import (
	"strings"
	"testing"
)

// TestKeyNeverEchoedFromArgs: a key typed on the command line by mistake
// (as a stray argument or in place of the verb) is refused without being
// repeated on the terminal.
func TestKeyNeverEchoedFromArgs(t *testing.T) {
	const key = "SENTINEL-KEY-7d1e0c"
	for _, args := range [][]string{
		{"key", "set", "--env", "sandbox", key},
		{"key", "set", key, "--env", "sandbox"},
		{"key", "status", "--env", "sandbox", key},
		{"key", key, "--env", "sandbox"},
	} {
		code, stdout, stderr := runCLI(t, "", nil, args...)
		if code != ExitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, ExitUsage)
		}
		if strings.Contains(stdout+stderr, key) {
			t.Errorf("%q: the key was echoed: %s", args, stderr)
		}
		if !strings.Contains(stderr, "Usage:") {
			t.Errorf("%q: no usage: %s", args, stderr)
		}
	}
	_, _, stderr := runCLI(t, "", nil, "key", "set", "--env", "sandbox", key)
	if !strings.Contains(stderr, "standard input") {
		t.Errorf("stderr %q does not say where the key comes from", stderr)
	}
}
