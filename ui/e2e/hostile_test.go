//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
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
)

// Bounds every hostile case must stay within.
const (
	hostileTimeout = 60 * time.Second
	maxRSSBytes    = 400 << 20
	maxMessageLen  = 300
)

// hostileRun is what one run of the binary did, with its cost.
type hostileRun struct {
	result
	rss      int64         // peak resident set, bytes
	took     time.Duration // wall time
	sigToEnd time.Duration // SIGINT to exit, when interrupted
}

// runHostile runs the binary in a fresh sandbox (HOME, XDG_*, TMPDIR and the
// working directory empty folders under root), sending SIGINT when interrupt
// (if not nil) is closed, and measures its peak memory.
//
// The peak comes from GNU time when it is installed, else from polling the
// process's VmHWM. The rusage of our own child is no use: Go starts it with
// vfork, and Linux carries the parent's peak RSS (this test process, which
// builds 500 MB inputs) into the child's ru_maxrss at exec.
func runHostile(t *testing.T, root string, extraEnv []string, interrupt <-chan struct{}, args ...string) hostileRun {
	t.Helper()
	env := sandboxEnv(t, root, extraEnv...)
	work := filepath.Join(root, "work")
	if err := os.MkdirAll(work, 0o700); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
	defer cancel()
	prog := append([]string{binary(t)}, args...)
	rssFile := ""
	if _, err := os.Stat(gnuTime); err == nil {
		rssFile = filepath.Join(t.TempDir(), "maxrss")
		prog = append([]string{gnuTime, "-f", "%M", "-o", rssFile}, prog...)
	}
	cmd := exec.CommandContext(ctx, prog[0], prog[1:]...)
	cmd.Env, cmd.Dir = env, work
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // SIGINT goes to the group, as Ctrl+C does
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var polled atomic.Int64
	if rssFile == "" {
		go pollHWM(cmd.Process.Pid, &polled)
	}
	exited := make(chan struct{})
	signalled := make(chan time.Time, 1)
	if interrupt != nil {
		go func() {
			select {
			case <-interrupt:
				signalled <- time.Now()
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
			case <-exited:
				close(signalled)
			}
		}()
	}
	err := cmd.Wait()
	end := time.Now()
	close(exited)
	var sigAt time.Time
	if interrupt != nil {
		sigAt = <-signalled
	}
	if ctx.Err() != nil {
		t.Fatalf("%v hung: killed after %v\nstderr: %s", args, hostileTimeout, errb.String())
	}
	r := hostileRun{result: result{stdout: out.String(), stderr: errb.String()}, took: end.Sub(start), rss: polled.Load()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	if rssFile != "" {
		b, err := os.ReadFile(rssFile)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Fields(string(b)) // "Command exited with non-zero status N" comes first
		if len(lines) == 0 {
			t.Fatalf("GNU time wrote %q", b)
		}
		kb, err := strconv.ParseInt(lines[len(lines)-1], 10, 64)
		if err != nil {
			t.Fatalf("GNU time wrote %q", b)
		}
		r.rss = kb * 1024
	}
	if !sigAt.IsZero() {
		r.sigToEnd = end.Sub(sigAt)
	}
	return r
}

// gnuTime measures a child's peak RSS without our own peak mixed in.
const gnuTime = "/usr/bin/time"

// pollHWM records the peak RSS (VmHWM) of pid every 5 ms until it exits.
func pollHWM(pid int, peak *atomic.Int64) {
	path := "/proc/" + strconv.Itoa(pid) + "/status"
	for {
		b, err := os.ReadFile(path)
		if err != nil {
			return
		}
		_, rest, ok := bytes.Cut(b, []byte("VmHWM:"))
		if !ok {
			return // a zombie has no memory
		}
		f := strings.Fields(string(rest))
		if len(f) > 0 {
			if kb, err := strconv.ParseInt(f[0], 10, 64); err == nil && kb*1024 > peak.Load() {
				peak.Store(kb * 1024)
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// hostileCase is one hostile input and what the binary must do with it.
type hostileCase struct {
	name string
	// zip is the archive given to `inspect --json` (file name: zipName or case.zip).
	zip     func(t *testing.T) []byte
	zipName string
	// docs answers the documents request of `fetch --json` (the evaluation is fine).
	docs func(w http.ResponseWriter, r *http.Request)
	// eval answers the evaluation request instead of a plain summary.
	eval func(w http.ResponseWriter, r *http.Request)
	// interrupt, when not nil, is closed once the binary is busy with the
	// case (its server has started sending); SIGINT is sent then.
	interrupt chan struct{}
	code      int
	kind      string // error.kind, when the command fails
	check     func(t *testing.T, rep report)
	maxRSS    int64 // override of maxRSSBytes
}

// Checks shared by the cases.

// wantWarning requires a warning containing sub (lower case) and no entry whose path escapes.
func wantWarning(sub string) func(*testing.T, report) {
	return func(t *testing.T, rep report) {
		found := false
		for _, w := range rep.Warnings {
			if strings.Contains(strings.ToLower(w), sub) {
				found = true
			}
		}
		if !found {
			t.Errorf("no warning containing %q: %q", sub, rep.Warnings)
		}
		for _, p := range allPaths(rep) {
			if strings.Contains(p, "evil") {
				t.Errorf("unsafe entry listed as %q", p)
			}
		}
		wantGoodSelfie(t, rep)
	}
}

// wantEntryError requires the entry at path to carry an error containing sub
// (any error when sub is ""), and the selfie to show.
func wantEntryError(path, sub string) func(*testing.T, report) {
	return func(t *testing.T, rep report) {
		t.Helper()
		e, ok := entryError(rep, path)
		if !ok {
			t.Errorf("entry %s not listed: %+v", path, rep)
		} else if e == "" || !strings.Contains(strings.ToLower(e), sub) {
			t.Errorf("entry %s: error %q, want one containing %q", path, e, sub)
		}
		wantGoodSelfie(t, rep)
	}
}

// wantShown requires the entry at path to be listed; an error is allowed (the
// decoder may or may not cope) but a success must have a size or pages.
func wantShown(path string) func(*testing.T, report) {
	return func(t *testing.T, rep report) {
		t.Helper()
		if _, ok := entryError(rep, path); !ok {
			t.Errorf("entry %s not listed", path)
		}
		for _, im := range rep.Images {
			if im.Path == path && im.Error == "" && (im.Width == 0 || im.Height == 0) {
				t.Errorf("%s: no error and no size", path)
			}
		}
		for _, a := range rep.Attachments {
			if a.Path == path && a.Error == "" && a.Pages < 1 {
				t.Errorf("%s: no error and no pages", path)
			}
		}
		wantGoodSelfie(t, rep)
	}
}

func wantGoodSelfie(t *testing.T, rep report) {
	t.Helper()
	for _, im := range rep.Images {
		if im.Role == "selfie" && im.Error == "" && im.Width == 640 && im.Height == 400 {
			return
		}
	}
	t.Errorf("the good selfie is not shown: %s", roles(rep))
}

func entryError(rep report, path string) (string, bool) {
	for _, im := range rep.Images {
		if im.Path == path {
			return im.Error, true
		}
	}
	for _, a := range rep.Attachments {
		if a.Path == path {
			return a.Error, true
		}
	}
	for _, o := range rep.Other {
		if o.Path == path {
			return "", true
		}
	}
	return "", false
}

func allPaths(rep report) []string {
	var ps []string
	for _, im := range rep.Images {
		ps = append(ps, im.Path)
	}
	for _, a := range rep.Attachments {
		ps = append(ps, a.Path)
	}
	for _, o := range rep.Other {
		ps = append(ps, o.Path)
	}
	return ps
}

// checkMessage requires a message to be non-empty, short and printable.
func checkMessage(t *testing.T, what, msg string) {
	t.Helper()
	switch {
	case strings.TrimSpace(msg) == "":
		t.Errorf("%s: empty message", what)
	case len(msg) > maxMessageLen:
		t.Errorf("%s: message of %d bytes (> %d): %.120q…", what, len(msg), maxMessageLen, msg)
	case containsControl(msg):
		t.Errorf("%s: message holds raw bytes or control characters: %q", what, msg)
	}
}

// status answers the documents request with code, a content type and a body.
func status(code int, ct, body string, header ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(code)
		fmt.Fprint(w, body)
	}
}

// hijack answers with raw bytes, then closes the connection (with a reset when rst).
func hijack(raw func() []byte, rst bool) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		buf.Write(raw())
		buf.Flush()
		if tc, ok := conn.(*net.TCPConn); ok && rst {
			tc.SetLinger(0)
		}
		conn.Close()
	}
}

// endless sends a ZIP signature and then zeros as fast as the client takes them.
func endless(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/zip")
	chunk := make([]byte, 1<<20)
	copy(chunk, "PK\x03\x04")
	for {
		if _, err := w.Write(chunk); err != nil {
			return
		}
		chunk[0], chunk[1] = 0, 0
	}
}

// trickle returns a handler that sends "PK" and then one byte every 100 ms
// until the client goes away. It closes started (once) when the client has
// been sent the first bytes, i.e. is in the middle of a download.
func trickle(started chan struct{}) http.HandlerFunc {
	var once sync.Once
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/zip")
		w.WriteHeader(http.StatusOK)
		rc := http.NewResponseController(w)
		w.Write([]byte("PK"))
		rc.Flush()
		once.Do(func() { close(started) })
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
				if _, err := w.Write([]byte{0}); err != nil {
					return
				}
				rc.Flush()
			}
		}
	}
}

func hostileCases(t *testing.T) []hostileCase {
	good := goodJPEG(t)
	slowBody := make(chan struct{}) // closed when the endless slow body has started
	var cases []hostileCase
	for _, name := range sortedKeys(traversalNames) {
		bad := traversalNames[name]
		cases = append(cases, hostileCase{name: "zip/traversal/" + name, code: 0, check: wantWarning("unsafe"),
			zip: func(t *testing.T) []byte { return withSelfie(t, zent{name: bad, data: good}) }})
	}
	okZIP := func(t *testing.T) []byte {
		return buildZIP(t, zent{name: frontPath, data: good}, zent{name: selfiePath, data: good})
	}
	cases = append(cases, []hostileCase{
		{name: "zip/bomb/ratio 60 MB of zeros", check: wantEntryError(frontPath, "ratio"),
			zip: func(t *testing.T) []byte { return withSelfie(t, zent{name: frontPath, data: zeros(60 << 20)}) }},
		{name: "zip/bomb/declared 1000 bytes inflates to 60 MB", check: wantEntryError(frontPath, ""),
			zip: func(t *testing.T) []byte {
				return withSelfie(t, rawEntry(t, frontPath, zeros(60<<20), 1000, 0))
			}},
		{name: "zip/bomb/declared 16 EiB", check: wantEntryError(frontPath, ""),
			zip: func(t *testing.T) []byte { return withSelfie(t, rawEntry(t, frontPath, good, 1<<62, 0)) }},
		{name: "zip/size/entry of 65 MiB stored", check: wantEntryError(frontPath, "too large"),
			zip: func(t *testing.T) []byte {
				return withSelfie(t, zent{name: frontPath, data: sparseNoise(65 << 20), store: true})
			}},
		{name: "zip/size/entry of 65 MiB declared 60 MiB", check: wantEntryError(frontPath, ""),
			zip: func(t *testing.T) []byte {
				return withSelfie(t, rawEntry(t, frontPath, sparseNoise(65<<20), 60<<20, 0))
			}},
		{name: "zip/size/total over 512 MiB", maxRSS: 700 << 20, check: func(t *testing.T, rep report) {
			refused := 0
			for _, o := range rep.Images {
				if strings.Contains(o.Error, "total") {
					refused++
				}
			}
			for _, a := range rep.Attachments {
				if strings.Contains(a.Error, "total") {
					refused++
				}
			}
			if refused == 0 {
				t.Errorf("no entry refused for the total size: %s", roles(rep))
			}
		}, zip: func(t *testing.T) []byte {
			blob := rawEntry(t, "", sparseNoise(60<<20), 60<<20, 0)
			if r := float64(blob.hdr.UncompressedSize64) / float64(blob.hdr.CompressedSize64); r < 5 || r > 95 {
				t.Fatalf("sparse noise compresses %.0f:1; want under the ratio limit", r)
			}
			var ents []zent
			for i := range 9 {
				e := blob
				e.name = fmt.Sprintf("user_uploaded/document_verification/documentfrontDoc_Front_%d_blob.jpg", i+1)
				ents = append(ents, e)
			}
			return buildZIP(t, ents...)
		}},
		{name: "zip/20000 entries", code: 6, kind: "bad_archive", zip: func(t *testing.T) []byte { return manyEntries(t, 20000) }},
		{name: "zip/duplicates", check: func(t *testing.T, rep report) {
			wantWarning("share the name")(t, rep)
			if n := strings.Count(roles(rep), "front"); n != 2 {
				t.Errorf("%d fronts listed, want both duplicates: %s", n, roles(rep))
			}
		}, zip: func(t *testing.T) []byte {
			return withSelfie(t, zent{name: frontPath, data: good}, zent{name: strings.ToUpper(frontPath[:13]) + frontPath[13:], data: good})
		}},
		{name: "zip/encrypted entry", check: wantEntryError(frontPath, "password"),
			zip: func(t *testing.T) []byte { return withSelfie(t, rawEntry(t, frontPath, good, uint64(len(good)), 1)) }},
		{name: "zip/truncated", code: 6, kind: "bad_archive",
			zip: func(t *testing.T) []byte { z := okZIP(t); return z[:len(z)*2/3] }},
		{name: "zip/truncated central directory", code: 6, kind: "bad_archive",
			zip: func(t *testing.T) []byte { z := okZIP(t); return z[:len(z)-10] }},
		{name: "zip/garbage before a valid archive", check: wantShown(frontPath),
			zip: func(t *testing.T) []byte { return append(bytes.Repeat([]byte("MZ junk \x00\xff"), 400), okZIP(t)...) }},
		{name: "zip/html page as zip", code: 6, kind: "bad_archive",
			zip: func(t *testing.T) []byte { return []byte(htmlPage) }},
		{name: "zip/empty archive", check: func(t *testing.T, rep report) {
			if len(rep.Warnings) == 0 || len(allPaths(rep)) != 0 {
				t.Errorf("want no entries and a warning, got %+v", rep)
			}
		}, zip: func(t *testing.T) []byte { return buildZIP(t) }},
		{name: "zip/zero bytes", code: 6, kind: "bad_archive", zip: func(t *testing.T) []byte { return nil }},

		{name: "jpeg/dimension bomb 65535x65535", check: wantEntryError(frontPath, ""),
			zip: func(t *testing.T) []byte { return withSelfie(t, zent{name: frontPath, data: dimensionBomb(t)}) }},
		{name: "jpeg/truncated", check: wantShown(frontPath),
			zip: func(t *testing.T) []byte { return withSelfie(t, zent{name: frontPath, data: good[:len(good)/2]}) }},
		{name: "jpeg/header only", check: wantEntryError(frontPath, ""),
			zip: func(t *testing.T) []byte { return withSelfie(t, zent{name: frontPath, data: good[:200]}) }},
		{name: "jpeg/png named jpg", check: wantShown(frontPath),
			zip: func(t *testing.T) []byte { return withSelfie(t, zent{name: frontPath, data: pngBytes(t)}) }},
		{name: "jpeg/gif named jpg", check: wantEntryError(frontPath, ""),
			zip: func(t *testing.T) []byte { return withSelfie(t, zent{name: frontPath, data: gifBytes(t)}) }},
		{name: "jpeg/text named jpg", check: wantEntryError(frontPath, ""),
			zip: func(t *testing.T) []byte {
				return withSelfie(t, zent{name: frontPath, data: []byte("this is not an image\n")})
			}},
		{name: "jpeg/cmyk", check: wantShown(frontPath),
			zip: func(t *testing.T) []byte { return withSelfie(t, zent{name: frontPath, data: testdata(t, "cmyk.jpg")}) }},
		{name: "jpeg/ycck", check: wantShown(frontPath),
			zip: func(t *testing.T) []byte { return withSelfie(t, zent{name: frontPath, data: testdata(t, "ycck.jpg")}) }},
		{name: "jpeg/arithmetic coding", check: wantShown(frontPath),
			zip: func(t *testing.T) []byte {
				return withSelfie(t, zent{name: frontPath, data: testdata(t, "arithmetic.jpg")})
			}},
		{name: "jpeg/broken exif", check: func(t *testing.T, rep report) {
			wantShown(frontPath)(t, rep)
			for _, im := range rep.Images {
				if im.Path == frontPath && im.Error == "" && im.Orientation != 1 {
					t.Errorf("orientation %d from a broken EXIF, want 1", im.Orientation)
				}
			}
		}, zip: func(t *testing.T) []byte { return withSelfie(t, zent{name: frontPath, data: brokenEXIF(t)}) }},
		{name: "jpeg/progressive with 1000 scans", check: wantShown(frontPath),
			zip: func(t *testing.T) []byte { return withSelfie(t, zent{name: frontPath, data: manyScans(t, 1000)}) }},

		{name: "pdf/good (control)", check: func(t *testing.T, rep report) {
			if len(rep.Attachments) != 1 || rep.Attachments[0].Pages != 1 || rep.Attachments[0].Error != "" {
				t.Errorf("attachments %+v, want one page", rep.Attachments)
			}
		}, zip: func(t *testing.T) []byte { return withSelfie(t, zent{name: pdfPath, data: goodPDF()}) }},
		{name: "pdf/truncated", check: wantShown(pdfPath),
			zip: func(t *testing.T) []byte {
				p := goodPDF()
				return withSelfie(t, zent{name: pdfPath, data: p[:len(p)/2]})
			}},
		{name: "pdf/encrypted with a user password", check: wantEntryError(pdfPath, "password"),
			zip: func(t *testing.T) []byte {
				return withSelfie(t, zent{name: pdfPath, data: testdata(t, "pdf/encrypted-user-password.pdf")})
			}},
		{name: "pdf/encrypted with an owner password only", check: wantShown(pdfPath),
			zip: func(t *testing.T) []byte {
				return withSelfie(t, zent{name: pdfPath, data: testdata(t, "pdf/encrypted-owner-password-only.pdf")})
			}},
		{name: "pdf/html named pdf", check: wantEntryError(pdfPath, ""),
			zip: func(t *testing.T) []byte { return withSelfie(t, zent{name: pdfPath, data: []byte(htmlPage)}) }},
		{name: "pdf/page tree claiming 1000000 pages", check: wantShown(pdfPath),
			zip: func(t *testing.T) []byte { return withSelfie(t, zent{name: pdfPath, data: hugePageCountPDF()}) }},
	}...)

	// HTTP: the documents request misbehaves; the evaluation answers normally.
	ra0 := []string{"Retry-After", "0"}
	okBody := func() []byte { return okZIP(t) }
	cases = append(cases, []hostileCase{
		{name: "http/400 plain", docs: status(400, "text/plain", "Bad Request"), code: 1, kind: "bad_request"},
		{name: "http/400 no documents", docs: status(400, "application/json", `{"message":"No Documents Found"}`), code: 3, kind: "no_documents"},
		{name: "http/401", docs: status(401, "application/json", `{"message":"Unauthorized"}`), code: 4, kind: "unauthorized"},
		{name: "http/403", docs: status(403, "application/json", `{"message":"Forbidden"}`), code: 4, kind: "forbidden"},
		{name: "http/404", docs: status(404, "application/json", `{"message":"Not Found"}`), code: 5, kind: "not_found"},
		{name: "http/405", docs: status(405, "", ""), code: 1, kind: "bad_request"},
		{name: "http/408", docs: status(408, "", "", ra0...), code: 7, kind: "network"},
		{name: "http/409", docs: status(409, "text/plain", "conflict"), code: 1, kind: "bad_request"},
		{name: "http/410", docs: status(410, "", ""), code: 1, kind: "bad_request"},
		{name: "http/418", docs: status(418, "text/plain", "I'm a teapot \x00\x1b[31m\xff\xfe"), code: 1, kind: "bad_request"},
		{name: "http/429 with Retry-After", docs: status(429, "application/json", `{"message":"Too Many Requests"}`, "Retry-After", "1"), code: 7, kind: "rate_limited"},
		{name: "http/429 without Retry-After", docs: status(429, "", ""), code: 7, kind: "rate_limited"},
		{name: "http/500", docs: status(500, "text/html", "<html><title>500 Internal Server Error</title>"+strings.Repeat("x", 100000)+"</html>"), code: 7, kind: "server"},
		{name: "http/502", docs: status(502, "text/html", "<html><title>502 Bad Gateway</title></html>", ra0...), code: 7, kind: "server"},
		{name: "http/503", docs: status(503, "", "", ra0...), code: 7, kind: "server"},
		{name: "http/504", docs: status(504, "", "", ra0...), code: 7, kind: "server"},
		{name: "http/200 json", docs: status(200, "application/json", `{"message":"ok"}`), code: 6, kind: "bad_archive"},
		{name: "http/200 html", docs: status(200, "text/html; charset=utf-8", htmlPage), code: 6, kind: "bad_archive"},
		{name: "http/200 html as octet-stream", docs: status(200, "application/octet-stream", htmlPage), code: 6, kind: "bad_archive"},
		{name: "http/200 empty", docs: status(200, "application/zip", ""), code: 6, kind: "bad_archive"},
		{name: "http/content-length short", code: 7, kind: "network", docs: hijack(func() []byte {
			b := okBody()
			return append([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: "+strconv.Itoa(len(b)+5000)+"\r\n\r\n"), b...)
		}, false)},
		{name: "http/content-length long", code: 6, kind: "bad_archive", docs: hijack(func() []byte {
			return append([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: 100\r\n\r\n"), okBody()...)
		}, false)},
		{name: "http/reset mid-body", code: 7, kind: "network", docs: hijack(func() []byte {
			b := okBody()
			return append([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: "+strconv.Itoa(len(b))+"\r\n\r\n"), b[:len(b)/2]...)
		}, true)},
		{name: "http/endless slow body", docs: trickle(slowBody), interrupt: slowBody, code: 1, kind: "canceled"},
		{name: "http/endless fast body", docs: endless, code: 1, kind: "too_large"},
		{name: "http/content-length over the cap", code: 1, kind: "too_large", docs: status(200, "application/zip", "PK", "Content-Length", "300000000")},
		{name: "http/redirect loop", code: 7, kind: "server", docs: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path, http.StatusFound)
		}},
		{name: "http/redirect to plain http elsewhere", code: 2, kind: "insecure_url", docs: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://example.com"+r.URL.Path, http.StatusFound)
		}},
		{name: "http/zip bomb served", check: wantEntryError(frontPath, "ratio"), docs: func(w http.ResponseWriter, r *http.Request) {
			w.Write(withSelfie(t, zent{name: frontPath, data: zeros(60 << 20)}))
		}},
		{name: "http/20000 entries served", code: 6, kind: "bad_archive", docs: func(w http.ResponseWriter, r *http.Request) {
			w.Write(manyEntries(t, 20000))
		}},
		{name: "http/evaluation answers html", check: func(t *testing.T, rep report) {
			wantWarning("evaluation")(t, rep)
			if rep.Evaluation != nil {
				t.Errorf("an evaluation from an HTML page: %v", *rep.Evaluation)
			}
		}, docs: func(w http.ResponseWriter, r *http.Request) { w.Write(okZIP(t)) },
			eval: status(200, "text/html", htmlPage)},
		{name: "http/evaluation json bomb", check: wantGoodSelfie, docs: func(w http.ResponseWriter, r *http.Request) { w.Write(okZIP(t)) },
			eval: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(strings.Repeat(`{"a":[`, 200000)))
			}},
	}...)
	return cases
}

// hostileServer serves every fetch case on one loopback port, each under its own eval_id.
func hostileServer(t *testing.T, cases []hostileCase) (*httptest.Server, map[string]string) {
	ids := map[string]string{}
	byID := map[string]func(http.ResponseWriter, *http.Request){}
	evals := map[string]func(http.ResponseWriter, *http.Request){}
	for i, c := range cases {
		if c.docs != nil {
			id := fmt.Sprintf("%08x-0000-4000-8000-%012x", i+1, i+1)
			ids[c.name], byID[id], evals[id] = id, c.docs, c.eval
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, "/api/evaluation/")
		id, docs := strings.CutSuffix(rest, "/documents")
		h := byID[id]
		switch {
		case !ok || h == nil:
			http.NotFound(w, r)
		case docs:
			h(w, r)
		case evals[id] != nil:
			evals[id](w, r)
		default:
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"eval_id":%q,"decision":"REVIEW","status":"OPEN"}`, id)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, ids
}

// TestHostile runs every hostile input through the binary's command line
// (`inspect --json` for archives, `fetch --json` against a misbehaving
// loopback server) and checks the exit code, the messages, that nothing
// crashed or hung, the peak memory, and that nothing was written.
func TestHostile(t *testing.T) {
	binary(t)
	cases := hostileCases(t)
	srv, ids := hostileServer(t, cases)
	start := time.Now()
	var mu sync.Mutex
	var maxRSS int64
	var maxRSSCase string
	var summary []string
	t.Cleanup(func() {
		t.Logf("%d cases in %v; max RSS %.0f MB (%s)", len(cases), time.Since(start).Round(time.Millisecond), float64(maxRSS)/(1<<20), maxRSSCase)
		for _, s := range summary {
			t.Log(s)
		}
	})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			var args []string
			var extra []string
			if tc.zip != nil {
				name := tc.zipName
				if name == "" {
					name = "case.zip"
				}
				in := filepath.Join(t.TempDir(), name)
				if err := os.WriteFile(in, tc.zip(t), 0o600); err != nil {
					t.Fatal(err)
				}
				args = []string{"inspect", "--json", in}
			} else {
				extra = []string{"DOCV_API_KEY=hostile-test-key-4c2e"}
				args = []string{"fetch", "--json", "--env", "sandbox", "--base-url", srv.URL, "--eval-id", ids[tc.name]}
			}
			r := runHostile(t, root, extra, tc.interrupt, args...)
			mu.Lock()
			if r.rss > maxRSS {
				maxRSS, maxRSSCase = r.rss, tc.name
			}
			line := fmt.Sprintf("%-50s exit %d  %6.0f ms  %4.0f MB", tc.name, r.code, float64(r.took.Microseconds())/1000, float64(r.rss)/(1<<20))
			if tc.interrupt != nil {
				line += fmt.Sprintf("  SIGINT→exit %.0f ms", float64(r.sigToEnd.Microseconds())/1000)
			}
			summary = append(summary, line+"  "+outcome(r.result))
			mu.Unlock()

			if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine ") {
				t.Fatalf("crashed:\n%s", r.stderr)
			}
			if r.code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %.2000s\nstderr: %s", r.code, tc.code, r.stdout, r.stderr)
			}
			rep := decodeReport(t, r.result)
			if tc.kind != "" {
				if rep.Error == nil || rep.Error.Kind != tc.kind {
					t.Errorf("error %+v, want kind %s", rep.Error, tc.kind)
				}
			} else if rep.Error != nil {
				t.Errorf("unexpected error %+v", rep.Error)
			}
			if rep.Error != nil {
				checkMessage(t, "error.message", rep.Error.Message)
				if rep.Error.Hint != "" {
					checkMessage(t, "error.hint", rep.Error.Hint)
				}
			}
			for _, im := range rep.Images {
				if im.Error != "" {
					checkMessage(t, im.Path, im.Error)
				}
			}
			for _, a := range rep.Attachments {
				if a.Error != "" {
					checkMessage(t, a.Path, a.Error)
				}
			}
			for _, w := range rep.Warnings {
				checkMessage(t, "warning", w)
			}
			if tc.check != nil {
				tc.check(t, rep)
			}
			bound := int64(maxRSSBytes)
			if tc.maxRSS != 0 {
				bound = tc.maxRSS
			}
			if r.rss > bound {
				t.Errorf("peak RSS %.0f MB, over the %.0f MB bound", float64(r.rss)/(1<<20), float64(bound)/(1<<20))
			}
			if tc.interrupt != nil && r.sigToEnd > time.Second {
				t.Errorf("exited %v after SIGINT, want ≤ 1 s", r.sigToEnd)
			}
			for _, f := range listFiles(t, root) {
				f = filepath.ToSlash(f)
				if !strings.HasPrefix(f, "cache/docvreview/pdfium-wasm/") && f != "cache/font_index_v5.cache" &&
					!strings.HasPrefix(f, "cache/docvreview/reason-codes-") {
					t.Errorf("wrote %s", f)
				}
			}
		})
	}
}

// outcome names in a few words what a run reported, for the summary.
func outcome(r result) string {
	var rep report
	if json.Unmarshal([]byte(r.stdout), &rep) != nil {
		return "(no JSON)"
	}
	if rep.Error != nil {
		return fmt.Sprintf("%.90s", rep.Error.Kind+": "+rep.Error.Message)
	}
	var parts []string
	for _, im := range rep.Images {
		if im.Path == frontPath {
			if im.Error != "" {
				parts = append(parts, "front: "+im.Error)
			} else {
				parts = append(parts, fmt.Sprintf("front: %d×%d", im.Width, im.Height))
			}
		}
	}
	for _, a := range rep.Attachments {
		if a.Error != "" {
			parts = append(parts, "pdf: "+a.Error)
		} else {
			parts = append(parts, fmt.Sprintf("pdf: %d pages", a.Pages))
		}
	}
	if len(rep.Warnings) > 0 {
		parts = append(parts, "warning: "+rep.Warnings[0])
	}
	return fmt.Sprintf("%.110s", strings.Join(parts, "; "))
}
