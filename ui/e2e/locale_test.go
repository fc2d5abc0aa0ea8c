//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"docvreview/fetch/simulator"
)

// TestNoStderrInAnyLocale runs ordinary commands under the locales that
// containers, CI and ssh sessions use: nothing may appear on stderr (Fyne
// used to print "Error parsing user locale C" three times under C.UTF-8).
func TestNoStderrInAnyLocale(t *testing.T) {
	zipPath := filepath.Join(t.TempDir(), "case.zip")
	if err := os.WriteFile(zipPath, simulator.CaseZIP(simulator.PassportID), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, loc := range []string{"C", "C.UTF-8", "C.utf8", "POSIX", "POSIX.UTF-8", "en_US.UTF-8", "de_DE.UTF-8", ""} {
		for _, v := range []string{"LANG", "LC_ALL"} {
			t.Run(v+"="+loc, func(t *testing.T) {
				env := sandboxEnv(t, t.TempDir())
				for i, e := range env {
					if strings.HasPrefix(e, "LANG=") {
						env[i] = v + "=" + loc
					}
				}
				cmds := [][]string{{"version"}}
				if loc == "C.UTF-8" { // a whole case once: decoding, PDF pages, the report
					cmds = append(cmds, []string{"inspect", zipPath}, []string{"inspect", "--json", zipPath})
				}
				for _, args := range cmds {
					if r := run(t, env, "", 60*time.Second, args...); r.code != 0 || r.stderr != "" {
						t.Errorf("%v: exit %d, stderr %q", args[0], r.code, r.stderr)
					}
				}
			})
		}
	}
}
