//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"docvreview/fetch/simulator"
)

// sentinel is the API key of the key-leak checks: it must never be seen.
const sentinel = "SENTINEL-KEY-7d1e0c"

// noSentinel fails when the sentinel (or its base64 in a Basic/Bearer dump) is in any of texts.
func noSentinel(t *testing.T, what string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if i := strings.Index(s, sentinel); i >= 0 {
			t.Errorf("%s shows the API key: …%s…", what, s[max(i-80, 0):min(i+len(sentinel)+20, len(s))])
		}
	}
}

// noSentinelInFiles scans every file under root for the sentinel.
func noSentinelInFiles(t *testing.T, root string) []string {
	t.Helper()
	files := listFiles(t, root)
	for _, rel := range files {
		data, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(sentinel)) {
			t.Errorf("file %s holds the API key", rel)
		}
	}
	return files
}

// keyLeakAPI is a loopback RiskOS stand-in with one eval_id per behaviour,
// several of which echo the key back in their error bodies (the client must
// redact them), plus a second server on another port (and 127.0.0.2) that a
// redirect points at and that records any Authorization it receives.
type keyLeakAPI struct {
	main, other, other2 *httptest.Server
	authElsewhere       atomic.Int32 // requests that reached another host with an Authorization header
	elsewhere           atomic.Int32 // requests that reached another host at all
	// slowStarted is closed when the klSlow download has sent its first bytes.
	slowStarted chan struct{}
}

const (
	klOK        = "10000000-0000-4000-8000-000000000001"
	kl401       = "10000000-0000-4000-8000-000000000401"
	kl403       = "10000000-0000-4000-8000-000000000403"
	kl404       = "10000000-0000-4000-8000-000000000404"
	klNoDocs    = "10000000-0000-4000-8000-000000000400"
	kl500       = "10000000-0000-4000-8000-000000000500"
	klRedirect  = "10000000-0000-4000-8000-000000000302"
	klRedirect2 = "10000000-0000-4000-8000-000000000307"
	klSlow      = "10000000-0000-4000-8000-000000000999"
)

func newKeyLeakAPI(t *testing.T) *keyLeakAPI {
	api := &keyLeakAPI{slowStarted: make(chan struct{})}
	slow := trickle(api.slowStarted)
	good := withSelfie(t, zent{name: frontPath, data: goodJPEG(t)})
	elsewhere := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api.elsewhere.Add(1)
		if r.Header.Get("Authorization") != "" {
			api.authElsewhere.Add(1)
		}
		if strings.HasSuffix(r.URL.Path, "/documents") {
			w.Header().Set("Content-Type", "application/zip")
			w.Write(good)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"decision":"REVIEW"}`)
	})
	api.other = httptest.NewServer(elsewhere)
	t.Cleanup(api.other.Close)
	if ln, err := net.Listen("tcp", "127.0.0.2:0"); err == nil {
		api.other2 = httptest.NewUnstartedServer(elsewhere)
		api.other2.Listener.Close()
		api.other2.Listener = ln
		api.other2.Start()
		t.Cleanup(api.other2.Close)
	}
	api.main = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, _ := strings.CutPrefix(r.URL.Path, "/api/evaluation/")
		id, docs := strings.CutSuffix(rest, "/documents")
		auth := r.Header.Get("Authorization")
		echo := func(code int, ct, format string) {
			w.Header().Set("Content-Type", ct)
			w.WriteHeader(code)
			fmt.Fprintf(w, format, auth)
		}
		if auth != "Bearer "+sentinel {
			echo(401, "application/json", `{"message":"no key: got %q"}`)
			return
		}
		switch {
		case id == klOK:
			if docs {
				w.Header().Set("Content-Type", "application/zip")
				w.Write(good)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"eval_id":%q,"decision":"ACCEPT","tags":["%s"]}`, id, "looks fine")
		case id == kl401:
			echo(401, "application/json", `{"message":"Invalid API key: %s"}`)
		case id == kl403:
			echo(403, "text/plain", "Forbidden for key %s")
		case id == kl404:
			echo(404, "application/json", `{"message":"Evaluation not found (auth %s)"}`)
		case id == klNoDocs && docs:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			fmt.Fprint(w, `{"message":"No Documents Found"}`)
		case id == klNoDocs:
			echo(200, "application/json", `{"eval_id":"`+klNoDocs+`","decision":"REJECT","workflow":"%s"}`)
		case id == kl500:
			echo(500, "text/html", "<html><title>500 Internal Server Error</title><pre>request header Authorization: %s</pre></html>")
		case id == klRedirect:
			http.Redirect(w, r, api.other.URL+r.URL.Path, http.StatusFound)
		case id == klRedirect2 && api.other2 != nil:
			http.Redirect(w, r, api.other2.URL+r.URL.Path, http.StatusTemporaryRedirect)
		case id == klSlow && docs:
			slow(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(api.main.Close)
	return api
}

// freePort returns a loopback URL on which nothing listens.
func refusedURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// TestKeyLeakCLI runs every subcommand through success and failure with the
// sentinel key in DOCV_API_KEY: it must not be in stdout, stderr, or any file
// written (under HOME, XDG_*, TMPDIR and the working directory), and the
// redirect's other host must not receive it.
func TestKeyLeakCLI(t *testing.T) {
	binary(t)
	api := newKeyLeakAPI(t)
	root := t.TempDir()
	withKey := []string{"DOCV_API_KEY=" + sentinel}
	work := filepath.Join(root, "work")
	zipFile := filepath.Join(t.TempDir(), klOK+"_document.zip")
	if err := os.WriteFile(zipFile, withSelfie(t, zent{name: frontPath, data: goodJPEG(t)}), 0o600); err != nil {
		t.Fatal(err)
	}
	badZip := filepath.Join(t.TempDir(), "bad.zip")
	if err := os.WriteFile(badZip, []byte(htmlPage), 0o600); err != nil {
		t.Fatal(err)
	}
	fetchArgs := func(base, id string, more ...string) []string {
		return append([]string{"fetch", "--env", "sandbox", "--base-url", base, "--eval-id", id}, more...)
	}
	steps := []struct {
		name string
		args []string
		code int
	}{
		{"version", []string{"version"}, 0},
		{"help", []string{"help"}, 0},
		{"fetch --help", []string{"fetch", "--help"}, 0},
		{"unknown command", []string{"frobnicate"}, 2},
		{"inspect", []string{"inspect", zipFile}, 0},
		{"inspect --json", []string{"inspect", "--json", zipFile}, 0},
		{"inspect bad archive", []string{"inspect", "--json", badZip}, 6},
		{"fetch ok", fetchArgs(api.main.URL, klOK), 0},
		{"fetch ok --json", fetchArgs(api.main.URL, klOK, "--json"), 0},
		{"fetch --save", fetchArgs(api.main.URL, klOK, "--save", filepath.Join(work, "saved.zip")), 0},
		{"fetch --extract", fetchArgs(api.main.URL, klOK, "--extract", filepath.Join(work, "extracted")), 0},
		{"fetch 401 echoing the key", fetchArgs(api.main.URL, kl401), 4},
		{"fetch 401 echoing the key --json", fetchArgs(api.main.URL, kl401, "--json"), 4},
		{"fetch 403 echoing the key", fetchArgs(api.main.URL, kl403, "--json"), 4},
		{"fetch 404 echoing the key", fetchArgs(api.main.URL, kl404), 5},
		{"fetch 400 no documents", fetchArgs(api.main.URL, klNoDocs, "--json"), 3},
		{"fetch 500 echoing the key", fetchArgs(api.main.URL, kl500, "--json"), 7},
		{"fetch refused", fetchArgs(refusedURL(t), klOK, "--json"), 7},
		{"fetch redirect to another port", fetchArgs(api.main.URL, klRedirect, "--json"), -1},
		{"fetch redirect to another host", fetchArgs(api.main.URL, klRedirect2, "--json"), -1},
		{"fetch the key as eval_id", fetchArgs(api.main.URL, sentinel), 2},
		{"fetch the key in the base URL", fetchArgs("http://"+sentinel+"@127.0.0.1:1", klOK), 2},
		{"fetch demo", []string{"fetch", "--env", "demo", "--eval-id", simulator.NotFoundID, "--json"}, 5},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			r := runHostile(t, root, withKey, nil, s.args...)
			if s.code >= 0 && r.code != s.code {
				t.Errorf("exit %d, want %d\nstdout: %.1500s\nstderr: %s", r.code, s.code, r.stdout, r.stderr)
			}
			noSentinel(t, "stdout", r.stdout)
			noSentinel(t, "stderr", r.stderr)
			if strings.Contains(r.stderr, "panic") {
				t.Errorf("crashed: %s", r.stderr)
			}
		})
	}
	if n := api.authElsewhere.Load(); n != 0 {
		t.Errorf("the redirect carried Authorization to another host %d times", n)
	}
	t.Logf("redirected requests that reached another host: %d, with Authorization: %d (other2 on 127.0.0.2: %v)",
		api.elsewhere.Load(), api.authElsewhere.Load(), api.other2 != nil)
	files := noSentinelInFiles(t, root)
	t.Logf("files written: %s", fmtFiles(files))
}

// TestKeyLeakSimulate runs `simulate` with the sentinel as the accepted key
// (and in DOCV_API_KEY) and fetches from it with the right and a wrong key:
// neither process may print it.
func TestKeyLeakSimulate(t *testing.T) {
	bin := binary(t)
	root := t.TempDir()
	env := sandboxEnv(t, root, "DOCV_API_KEY="+sentinel, "DOCV_SIMULATOR_KEY="+sentinel)
	cmd := exec.Command(bin, "simulate", "--addr", "127.0.0.1:0")
	cmd.Env, cmd.Dir = env, root
	var serr bytes.Buffer
	cmd.Stderr = &serr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var sout strings.Builder
	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			mu.Lock()
			sout.WriteString(sc.Text() + "\n")
			mu.Unlock()
			select {
			case first <- sc.Text():
			default:
			}
		}
	}()
	var base string
	select {
	case line := <-first:
		i := strings.Index(line, "http://")
		if i < 0 {
			t.Fatalf("simulate printed %q", line)
		}
		base = strings.Fields(line[i:])[0]
	case <-time.After(30 * time.Second):
		t.Fatal("simulate did not start")
	}
	for _, c := range []struct {
		key, id string
		code    int
	}{{sentinel, simulator.HappyID, 0}, {sentinel, simulator.NotFoundID, 5}, {"wrong-key", simulator.HappyID, 4}} {
		r := runHostile(t, root, []string{"DOCV_API_KEY=" + c.key}, nil, "fetch", "--json", "--base-url", base, "--eval-id", c.id)
		if r.code != c.code {
			t.Errorf("fetch %s with key %s: exit %d, want %d: %s", c.id[:8], c.key[:5], r.code, c.code, r.stderr)
		}
		noSentinel(t, "fetch output", r.stdout, r.stderr)
	}
	_ = cmd.Process.Signal(os.Interrupt)
	_ = cmd.Wait()
	mu.Lock()
	noSentinel(t, "simulate output", sout.String(), serr.String())
	mu.Unlock()
	t.Logf("files written: %s", fmtFiles(noSentinelInFiles(t, root)))
}

// TestKeyLeakArgv starts a fetch that never ends (the body trickles), reads
// its command line from /proc and `ps`, then makes it dump its goroutines
// (SIGQUIT, as a crash would): the sentinel is in none of them.
func TestKeyLeakArgv(t *testing.T) {
	bin := binary(t)
	api := newKeyLeakAPI(t)
	root := t.TempDir()
	env := sandboxEnv(t, root, "DOCV_API_KEY="+sentinel, "GOTRACEBACK=all")
	cmd := exec.Command(bin, "fetch", "--json", "--env", "sandbox", "--base-url", api.main.URL, "--eval-id", klSlow)
	cmd.Env, cmd.Dir = env, root
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	defer func() {
		_ = cmd.Process.Kill()
		<-done
	}()
	// Wait until the fetch is in the middle of its download.
	select {
	case <-api.slowStarted:
	case <-done:
		t.Fatalf("the slow fetch ended early: %s", errb.String())
	case <-time.After(30 * time.Second):
		t.Fatal("the slow fetch did not start its download")
	}
	select {
	case <-done:
		t.Fatalf("the slow fetch ended early: %s", errb.String())
	default:
	}
	argv, err := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(argv, []byte(klSlow)) {
		t.Fatalf("read the wrong command line: %q", argv)
	}
	noSentinel(t, "/proc/PID/cmdline", string(argv))
	if _, err := exec.LookPath("ps"); err == nil {
		ps, err := exec.Command("ps", "-eo", "pid,args").Output()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(ps, []byte(klSlow)) {
			t.Errorf("ps does not list the fetch:\n%s", ps)
		}
		noSentinel(t, "ps -eo args", string(ps))
	} else {
		t.Log("ps is not installed: /proc only")
	}
	_ = cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("no exit after SIGQUIT")
	}
	if !strings.Contains(errb.String(), "goroutine ") {
		t.Errorf("SIGQUIT printed no goroutine dump:\n%.500s", errb.String())
	}
	noSentinel(t, "the goroutine dump", errb.String(), out.String())
	t.Logf("goroutine dump: %d bytes, no key", errb.Len())
	t.Logf("files written: %s", fmtFiles(noSentinelInFiles(t, root)))
}

// TestKeyLeakKeychain runs key set (from stdin), status and delete against a
// real Secret Service (gnome-keyring inside dbus-run-session), and a fetch
// with the stored key, with the sentinel as the key.
func TestKeyLeakKeychain(t *testing.T) {
	if os.Getenv("DOCV_E2E_IN_DBUS") == "" {
		need(t, "dbus-run-session", "gnome-keyring-daemon")
		root := t.TempDir()
		api := newKeyLeakAPI(t)
		env := sandboxEnv(t, root, "DOCV_E2E_IN_DBUS=1", "DOCV_BIN="+binary(t), "DOCV_E2E_API="+api.main.URL)
		test, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("dbus-run-session", "--", "sh", "-c",
			`printf 'e2e-keyring-password' | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$0" -test.run '^TestKeyLeakKeychain$' -test.v`, test)
		cmd.Env, cmd.Dir = env, root
		out, err := cmd.CombinedOutput()
		t.Logf("inside dbus-run-session:\n%s", out)
		if err != nil {
			t.Fatalf("keychain check failed: %v", err)
		}
		if !strings.Contains(string(out), "--- PASS: TestKeyLeakKeychain") || !strings.Contains(string(out), "keychain steps run: 11") {
			t.Fatal("the keychain check did not run")
		}
		noSentinel(t, "the test's output", string(out))
		// gnome-keyring keeps its (encrypted) keyring under XDG_DATA_HOME: the key is not in plain text there either.
		t.Logf("files written: %s", fmtFiles(noSentinelInFiles(t, root)))
		return
	}

	env := os.Environ()
	base := os.Getenv("DOCV_E2E_API")
	steps := 0
	defer func() { t.Logf("keychain steps run: %d", steps) }()
	step := func(name, stdin string, wantCode int, wantOut string, args ...string) {
		t.Helper()
		steps++
		r := run(t, env, stdin, time.Minute, args...)
		if r.code != wantCode || !strings.Contains(r.stdout+r.stderr, wantOut) {
			t.Errorf("%s: exit %d, want %d and %q\nstdout: %s\nstderr: %s", name, r.code, wantCode, wantOut, r.stdout, r.stderr)
		}
		noSentinel(t, name, r.stdout, r.stderr)
	}
	step("key set", sentinel+"\n", 0, "stored", "key", "set", "--env", "sandbox")
	step("key set again", " "+sentinel+" \r\n", 0, "stored", "key", "set", "--env", "sandbox")
	step("key set empty", "\n", 1, "no key", "key", "set", "--env", "sandbox")
	step("key set too long", strings.Repeat(sentinel, 300), 1, "longer", "key", "set", "--env", "sandbox")
	step("key set with the key as an argument", "", 2, "", "key", "set", "--env", "sandbox", sentinel)
	step("key status", "", 0, "OS keychain", "key", "status", "--env", "sandbox")
	step("fetch with the stored key", "", 0, `"role": "selfie"`, "fetch", "--json", "--base-url", base, "--eval-id", klOK)
	step("fetch 401 with the stored key", "", 4, "unauthorized", "fetch", "--json", "--base-url", base, "--eval-id", kl401)
	step("key delete", "", 0, "deleted", "key", "delete", "--env", "sandbox")
	step("key status after delete", "", 0, "no key stored", "key", "status", "--env", "sandbox")
	step("fetch without a key", "", 4, "no API key", "fetch", "--base-url", base, "--eval-id", klOK)
}

// TestKeyLeakWindow runs the window with the sentinel in DOCV_API_KEY,
// asked to fetch from Sandbox at once (unreachable here: the network failure
// path) under Xvfb until it shows the failure (its Retry button), then stops
// it with SIGTERM. Its output and every file it wrote (preferences included)
// must be free of the key.
func TestKeyLeakWindow(t *testing.T) {
	bin := binary(t)
	need(t, "dbus-run-session")
	d := startXvfb(t, 1280, 800)
	root := t.TempDir()
	env := sandboxEnv(t, root, "DISPLAY="+d.name, "DOCV_API_KEY="+sentinel)
	cmd := exec.Command("dbus-run-session", "--", bin, "--env", "sandbox", "--eval-id", simulator.HappyID)
	cmd.Env, cmd.Dir = env, root
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	})
	if failureShown(t, d, done, 90*time.Second) {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
	} else {
		t.Logf("the window exited early:\n%s", out.String())
	}
	noSentinel(t, "window output", out.String())
	if strings.Contains(out.String(), "panic") {
		t.Errorf("the window crashed:\n%s", out.String())
	}
	t.Logf("window output (%d bytes):\n%s\nfiles written: %s", out.Len(), out.String(), fmtFiles(noSentinelInFiles(t, root)))
}

// failureShown waits until the window on d shows a failed fetch — the blue
// Retry button in the case pane — and reports true, or false when the app
// exits first (done closed). It fails the test at the deadline.
func failureShown(t *testing.T, d *display, done <-chan struct{}, timeout time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		select {
		case <-done:
			return false
		default:
		}
		img := d.capture(t)
		if countColour(img, casePane(img.Bounds()), primaryBlue, 2) >= 300 {
			return true
		}
		if time.Now().After(deadline) {
			t.Fatalf("the window showed no failed fetch within %v", timeout)
		}
		time.Sleep(pollInterval)
	}
}
