package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"docvreview/fetch/casefile"
	"docvreview/fetch/keychain"
	"docvreview/fetch/riskos"
	"docvreview/fetch/simulator"
)

// simulatorDemo serves the Demo environment from the built-in simulator,
// as main.go does.
func simulatorDemo(now func() time.Time) http.RoundTripper {
	return simulator.Transport(simulator.New(simulator.Config{Now: now}))
}

// runCLI runs Main in process with the given stdin and environment
// variables, no terminal, and a reason-code cache in a temporary folder.
func runCLI(t *testing.T, stdin string, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLIEnv(t, Env{Stdin: strings.NewReader(stdin)}, vars, args...)
}

// runCLIEnv is runCLI with env's Stdin, IsTerminal, Now and CacheDir (a
// temporary folder when empty).
func runCLIEnv(t *testing.T, env Env, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return vars[k] }
	env.Stdout, env.Stderr, env.Getenv = &out, &errb, getenv
	env.Keychain = keychain.New(2*time.Second, getenv)
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	if env.IsTerminal == nil {
		env.IsTerminal = func() bool { return false }
	}
	if env.CacheDir == "" {
		env.CacheDir = t.TempDir()
	}
	if env.Demo == nil {
		env.Demo = simulatorDemo
	}
	code = Main(args, env)
	return code, out.String(), errb.String()
}

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{&riskos.APIError{Kind: riskos.ErrNoDocuments, Status: 400}, ExitNoDocuments},
		{&riskos.NoDocumentsError{Err: &riskos.APIError{Kind: riskos.ErrNoDocuments}}, ExitNoDocuments},
		{&riskos.APIError{Kind: riskos.ErrUnauthorized, Status: 401}, ExitUnauthorized},
		{&riskos.APIError{Kind: riskos.ErrForbidden, Status: 403}, ExitUnauthorized},
		{fmt.Errorf("x: %w", riskos.ErrNoKey), ExitUnauthorized},
		{&riskos.APIError{Kind: riskos.ErrNotFound, Status: 404}, ExitNotFound},
		{fmt.Errorf("open: %w", riskos.ErrBadArchive), ExitBadArchive},
		{&riskos.APIError{Kind: riskos.ErrRateLimited, Status: 429}, ExitNetwork},
		{&riskos.APIError{Kind: riskos.ErrServer, Status: 503}, ExitNetwork},
		{&riskos.APIError{Kind: riskos.ErrNetwork}, ExitNetwork},
		{&riskos.APIError{Kind: riskos.ErrBadRequest, Status: 400}, ExitFailure},
		{errors.New("other"), ExitFailure},
	} {
		if got := ExitCode(tc.err); got != tc.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"bogus"}, {"inspect"}, {"inspect", "a", "b"}, {"fetch"}, {"fetch", "--eval-id", "x", "--save", "a", "--extract", "b"},
		{"fetch", "--eval-id", simulator.HappyID, "--env", "mars"}, {"key"}, {"key", "set"}, {"key", "set", "--env", "demo"},
		{"key", "frob", "--env", "sandbox"}, {"simulate", "--addr", "0.0.0.0:1"}, {"--env", "mars"}, {"--eval-id", "not-a-uuid"},
		{"version", "extra"},
	} {
		code, _, stderr := runCLI(t, "", nil, args...)
		if code != ExitUsage || stderr == "" {
			t.Errorf("%q: exit %d, stderr %q; want %d and a message", args, code, stderr, ExitUsage)
		}
	}
	for _, args := range [][]string{{"help"}, {"inspect", "--help"}, {"fetch", "-h"}, {"key", "--help"}, {"version"}} {
		if code, out, errOut := runCLI(t, "", nil, args...); code != ExitOK || out+errOut == "" {
			t.Errorf("%q: exit %d; want 0 and some help", args, code)
		}
	}
}

func TestInspectJSON(t *testing.T) {
	dir := t.TempDir()
	zipPath := filepath.Join(dir, simulator.HappyID+"_document.zip")
	if err := os.WriteFile(zipPath, simulator.CaseZIP(simulator.HappyID), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "", nil, "inspect", "--json", zipPath)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.EvalID != simulator.HappyID || len(rep.Images) != 3 || len(rep.Attachments) != 2 {
		t.Fatalf("report %+v", rep)
	}
	for _, im := range rep.Images {
		if im.Error != "" || im.Width == 0 || len(im.SHA256) != 64 {
			t.Errorf("image %+v", im)
		}
	}
	// The simulator's PDFs are simple: their pages are counted without a
	// PDF engine (this Env has none); --pdf-engine asks for the engine.
	pages := map[string]int{}
	for _, a := range rep.Attachments {
		pages[a.Path] = a.Pages
	}
	if pages["case_attachments/identity.pdf"] != 1 || pages["case_attachments/additional_doc.pdf"] != 2 {
		t.Errorf("pages without the engine: %v", pages)
	}
	_, out, _ = runCLI(t, "", nil, "inspect", "--json", "--pdf-engine", zipPath)
	var rep2 Report
	if err := json.Unmarshal([]byte(out), &rep2); err != nil || len(rep2.Attachments) != 2 || rep2.Attachments[0].Pages != 0 {
		t.Errorf("--pdf-engine without an engine: %+v, %v", rep2.Attachments, err)
	}
	// The same archive from standard input, human output.
	var out2, err2 bytes.Buffer
	code = Main([]string{"inspect", "-"}, Env{Stdin: bytes.NewReader(simulator.CaseZIP(simulator.HappyID)), Stdout: &out2, Stderr: &err2})
	if code != ExitOK || !strings.Contains(out2.String(), "selfie") {
		t.Errorf("inspect -: exit %d, %q %q", code, out2.String(), err2.String())
	}
}

func TestInspectBadArchive(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.zip")
	if err := os.WriteFile(p, []byte("<html>not a zip</html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, "", nil, "inspect", "--json", p)
	var rep Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != ExitBadArchive || rep.Error == nil || rep.Error.Kind != "bad_archive" {
		t.Fatalf("exit %d, %s (%v)", code, out, err)
	}
	if code, _, _ := runCLI(t, "", nil, "inspect", filepath.Join(t.TempDir(), "missing.zip")); code != ExitFailure {
		t.Errorf("missing file: exit %d", code)
	}
}

func TestFetchAgainstSimulator(t *testing.T) {
	const key = "cli-test-key-0d2e"
	srv := httptest.NewServer(simulator.New(simulator.Config{APIKey: key, OtherEnvKey: "other-env"}))
	defer srv.Close()
	vars := map[string]string{keychain.EnvAPIKey: key}
	for _, tc := range []struct {
		id   string
		key  string
		code int
	}{
		{simulator.HappyID, key, ExitOK},
		{simulator.MilitaryID, key, ExitNoDocuments},
		{simulator.NotFoundID, key, ExitNotFound},
		{simulator.HappyID, "wrong", ExitUnauthorized},
		{simulator.HappyID, "other-env", ExitUnauthorized},
	} {
		code, out, stderr := runCLI(t, "", map[string]string{keychain.EnvAPIKey: tc.key}, "fetch", "--json", "--base-url", srv.URL, "--eval-id", tc.id)
		if code != tc.code {
			t.Errorf("%s with key %s: exit %d, want %d\n%s\n%s", tc.id[:8], tc.key, code, tc.code, out, stderr)
		}
		if strings.Contains(out+stderr, tc.key) {
			t.Errorf("key printed")
		}
	}

	// --save writes the ZIP unchanged; --extract writes the files and a manifest; neither overwrites.
	dir := t.TempDir()
	zipPath := filepath.Join(dir, "case.zip")
	if code, _, stderr := runCLI(t, "", vars, "fetch", "--base-url", srv.URL, "--eval-id", simulator.HappyID, "--save", zipPath); code != ExitOK {
		t.Fatalf("save: exit %d %s", code, stderr)
	}
	got, err := os.ReadFile(zipPath)
	if err != nil || !bytes.Equal(got, simulator.CaseZIP(simulator.HappyID)) {
		t.Errorf("saved ZIP differs from the one served (%v)", err)
	}
	if code, _, _ := runCLI(t, "", vars, "fetch", "--base-url", srv.URL, "--eval-id", simulator.HappyID, "--save", zipPath); code == ExitOK {
		t.Error("save overwrote an existing file")
	}
	out := filepath.Join(dir, "out")
	if code, _, stderr := runCLI(t, "", vars, "fetch", "--base-url", srv.URL, "--eval-id", simulator.HappyID, "--extract", out); code != ExitOK {
		t.Fatalf("extract: exit %d %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, casefile.ManifestName)); err != nil {
		t.Errorf("no manifest: %v", err)
	}
	if code, _, _ := runCLI(t, "", vars, "fetch", "--base-url", srv.URL, "--eval-id", simulator.HappyID, "--extract", out); code == ExitOK {
		t.Error("extract overwrote existing files")
	}
}

func TestFetchDemoNeedsNoKey(t *testing.T) {
	code, out, stderr := runCLI(t, "", nil, "fetch", "--env", "demo", "--eval-id", simulator.PassportID)
	if code != ExitOK || !strings.Contains(out, "selfie") {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
}

func TestKeyCommands(t *testing.T) {
	keyring.MockInit()
	const key = "sentinel-key-5b7e"
	steps := []struct {
		args  []string
		stdin string
		code  int
		want  string
	}{
		{[]string{"key", "status", "--env", "sandbox"}, "", ExitOK, "no key stored"},
		{[]string{"fetch", "--eval-id", simulator.HappyID, "--base-url", "http://127.0.0.1:9"}, "", ExitUnauthorized, "no API key"},
		{[]string{"key", "set", "--env", "sandbox"}, "", ExitFailure, "no key on standard input"},
		{[]string{"key", "set", "--env", "sandbox"}, key + "\n", ExitOK, "stored"},
		{[]string{"key", "status", "--env", "sandbox"}, "", ExitOK, "key stored"},
		{[]string{"key", "status", "--env", "production"}, "", ExitOK, "no key stored"},
		{[]string{"key", "delete", "--env", "sandbox"}, "", ExitOK, "deleted"},
		{[]string{"key", "delete", "--env", "sandbox"}, "", ExitOK, "no key was stored"},
	}
	for _, s := range steps {
		code, out, stderr := runCLI(t, s.stdin, nil, s.args...)
		if code != s.code || !strings.Contains(out+stderr, s.want) {
			t.Errorf("%q: exit %d (want %d), output %q (want %q)", s.args, code, s.code, out+stderr, s.want)
		}
		if strings.Contains(out+stderr, key) {
			t.Errorf("%q printed the key", s.args)
		}
	}
}
