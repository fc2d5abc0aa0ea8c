//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// binary returns the binary under test (DOCV_BIN), skipping when it is not set.
func binary(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("DOCV_BIN")
	if bin == "" {
		t.Skip("DOCV_BIN is not set: run `make e2e`")
	}
	abs, err := filepath.Abs(bin)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// sandboxEnv returns an environment whose HOME, XDG_* and TMPDIR point at
// fresh empty folders under root, plus the variables a program needs.
func sandboxEnv(t *testing.T, root string, extra ...string) []string {
	t.Helper()
	dirs := map[string]string{
		"HOME": "home", "XDG_CONFIG_HOME": "config", "XDG_CACHE_HOME": "cache", "XDG_DATA_HOME": "data",
		"XDG_STATE_HOME": "state", "XDG_RUNTIME_DIR": "runtime", "TMPDIR": "tmp",
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "LANG=en_US.UTF-8", "MESA_SHADER_CACHE_DISABLE=true"}
	for k, d := range dirs {
		p := filepath.Join(root, d)
		if err := os.MkdirAll(p, 0o700); err != nil {
			t.Fatal(err)
		}
		env = append(env, k+"="+p)
	}
	return append(env, extra...)
}

// result is what one run of the binary did.
type result struct {
	code           int
	stdout, stderr string
}

// run runs the binary with args, stdin and env, bounded by timeout.
func run(t *testing.T, env []string, stdin string, timeout time.Duration, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%v timed out after %v\nstderr: %s", args, timeout, errb.String())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// startSimulator starts `docvreview simulate` on a free loopback port and returns its base URL.
func startSimulator(t *testing.T, env []string) string {
	t.Helper()
	cmd := exec.Command(binary(t), "simulate", "--addr", "127.0.0.1:0")
	cmd.Env = env
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() })
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
	}()
	select {
	case line := <-lines:
		i := strings.Index(line, "http://")
		if i < 0 {
			t.Fatalf("simulate printed %q", line)
		}
		return strings.Fields(line[i:])[0]
	case <-time.After(30 * time.Second):
		t.Fatal("simulate did not start")
	}
	return ""
}

// need skips the test when a program is missing.
func need(t *testing.T, progs ...string) {
	t.Helper()
	for _, p := range progs {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("%s is not installed (make deps-test installs it)", p)
		}
	}
}

// listFiles lists every regular file under root, relative to it.
func listFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func fmtFiles(files []string) string {
	if len(files) == 0 {
		return "(none)"
	}
	return fmt.Sprintf("%d: %s", len(files), strings.Join(files, ", "))
}
