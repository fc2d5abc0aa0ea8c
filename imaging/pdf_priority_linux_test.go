package imaging

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// threadNice reads the calling thread's nice value (/proc/thread-self/stat,
// field 19).
func threadNice() (int, error) {
	b, err := os.ReadFile("/proc/thread-self/stat")
	if err != nil {
		return 0, err
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // from field 3 on
	if len(fields) < 17 {
		return 0, fmt.Errorf("short stat line %q", s)
	}
	return strconv.Atoi(fields[16])
}

// TestLowerThreadPriority: the thread that starts the engine in the
// background runs at nice 19; the others keep their priority (that thread
// ends with its goroutine).
func TestLowerThreadPriority(t *testing.T) {
	before, err := threadNice()
	if err != nil {
		t.Skip("no /proc/thread-self:", err)
	}
	type result struct {
		nice int
		err  error
	}
	got := make(chan result)
	go func() {
		runtime.LockOSThread() // exits locked: the thread ends with it
		if err := lowerThreadPriority(); err != nil {
			got <- result{err: err}
			return
		}
		n, err := threadNice()
		got <- result{n, err}
	}()
	if r := <-got; r.err != nil || r.nice != 19 {
		t.Errorf("the warm-up thread runs at nice %d (%v), want 19", r.nice, r.err)
	}
	if after, err := threadNice(); err != nil || after != before {
		t.Errorf("this thread's nice went %d → %d (%v)", before, after, err)
	}
}

// TestStartLowPriority: an engine warmed up at low priority is a working
// engine (it opens and renders), started once (Start afterwards is a
// no-op, and so is StartLowPriority after Start).
func TestStartLowPriority(t *testing.T) {
	testPDFEngine(t) // the shared cache holds the compiled code: this start is warm
	e := newPDFTestEngine()
	t.Cleanup(func() { _ = e.Close() })
	e.StartLowPriority()
	e.Start()
	if err := e.WaitReady(context.Background()); err != nil {
		t.Fatal(err)
	}
	doc, err := e.Open(context.Background(), makePDF(testPDF{pages: 1}))
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	if img, err := doc.Render(context.Background(), 0, 36); err != nil || img.Bounds().Dx() == 0 {
		t.Fatalf("render: %v", err)
	}
}
