package imaging

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"docvreview/fetch/simulator"
)

// rssMarker precedes the child's peak RSS (kB) in its output.
const rssMarker = "DOCV-VmHWM-kB:"

// rssChildEnv makes the test binary act as the measured child process.
const rssChildEnv = "DOCV_IMAGING_RSS_CHILD"

// TestCasePeakRSS runs the display path on the simulator's demo case
// (3 × 12 MP) in a fresh child process, which reads the ZIP from its stdin,
// and reports the child's peak RSS. With TurboJPEG it must stay within the
// 80 MB budget (README.md, Performance and first start). Nothing is written to disk.
//
//	go test -run TestCasePeakRSS -v ./imaging/
//	go test -tags purego -run TestCasePeakRSS -v ./imaging/
func TestCasePeakRSS(t *testing.T) {
	if os.Getenv(rssChildEnv) == "1" {
		decodeCaseFromStdin(t)
		return
	}
	if testing.Short() || raceEnabled {
		t.Skip("measures memory; not in -short or -race runs")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestCasePeakRSS$")
	cmd.Env = append(os.Environ(), rssChildEnv+"=1")
	cmd.Stdin = bytes.NewReader(simulator.CaseZIP(simulator.HappyID))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	// The child reports its own high-water mark: ru_maxrss from wait4
	// would include the parent's, inherited through vfork+exec.
	_, rest, ok := bytes.Cut(out, []byte(rssMarker))
	if !ok {
		t.Skipf("child reported no VmHWM (not Linux?):\n%s", out)
	}
	kb, err := strconv.Atoi(strings.TrimSpace(strings.Fields(string(rest))[0]))
	if err != nil {
		t.Fatalf("child output: %v", err)
	}
	mb := float64(kb) / 1024
	t.Logf("backend %s: peak RSS %.1f MB for ZIP → 3 display images (1280×960)", Backend(), mb)
	if Backend() == "turbojpeg" && mb > 80 {
		t.Errorf("peak RSS %.1f MB exceeds 80 MB", mb)
	}
}

func decodeCaseFromStdin(t *testing.T) {
	zipped, err := io.ReadAll(os.Stdin)
	if err != nil {
		t.Fatal(err)
	}
	sources, err := unzipImages(zipped)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	DecodeAll(context.Background(), sources, 1280, 960, Options{}, func(r Result) {
		if r.Err != nil {
			t.Error(r.Err)
		}
		n++
	})
	if n != 3 {
		t.Fatalf("%d images", n)
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fmt.Println(rssMarker, strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
}
