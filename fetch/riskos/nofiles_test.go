package riskos

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestNothingWritesFiles runs the whole in-memory pipeline with HOME,
// TMPDIR and the XDG folders pointing at an empty folder, and checks it
// stays empty. (Not parallel: it changes the environment.)
func TestNothingWritesFiles(t *testing.T) {
	empty := t.TempDir()
	for _, v := range []string{"HOME", "TMPDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR"} {
		t.Setenv(v, empty)
	}
	wd, _ := os.Getwd()
	before, _ := os.ReadDir(wd)

	ev, err := ParseEvaluation([]byte(fullEvaluation))
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCase("11111111-1111-4111-8111-111111111111", Sandbox, recaptureZip(t, jpegBytes), ev, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range c.Entries {
		_, _, _, _ = Classify(e.Path, e.Data)
	}
	_ = c.Primary(RoleFront)
	if _, err := PlanExport(c, filepath.Join(empty, "planned")); err != nil {
		t.Fatal(err)
	}
	c.Close()
	_, _, _ = ReadArchive(append([]byte("junk"), dlCase(t, "")...), Limits{})
	_ = ExplainNoDocuments(ev, Sandbox, time.Now())
	k := newFakeKeychain(t, &fakeKeyring{}, nil)
	k.SetSession(Sandbox, testKey)
	_, _, _ = k.Get(Sandbox)

	if left, _ := os.ReadDir(empty); len(left) != 0 {
		t.Fatalf("files were written: %v", left)
	}
	if after, _ := os.ReadDir(wd); len(after) != len(before) {
		t.Fatalf("the package folder changed: %d → %d entries", len(before), len(after))
	}
}
