package riskos

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/keychain"
	"docvreview/fetch/simulator"
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

	ev, err := eval.ParseEvaluation([]byte(evaluationJSON(sampleID, "Drivers License", "1990-01-01")))
	if err != nil {
		t.Fatal(err)
	}
	c, err := casefile.NewCase("11111111-1111-4111-8111-111111111111", eval.Sandbox, simulator.CaseZIP(simulator.RecaptureID), ev, casefile.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range c.Entries {
		_, _, _, _ = casefile.Classify(e.Path, e.Data)
	}
	_ = c.Primary(casefile.RoleFront)
	if _, err := casefile.PlanExport(c, filepath.Join(empty, "planned")); err != nil {
		t.Fatal(err)
	}
	c.Close()
	_, _, _ = casefile.ReadArchive(append([]byte("junk"), simulator.CaseZIP(simulator.HappyID)...), casefile.Limits{})
	_ = ExplainNoDocuments(ev, eval.Sandbox, time.Now())
	k := keychain.New(0, nil) // a session key never reaches the OS keychain
	k.SetSession(eval.Sandbox, clientKey)
	_, _, _ = k.Get(eval.Sandbox)

	if left, _ := os.ReadDir(empty); len(left) != 0 {
		t.Fatalf("files were written: %v", left)
	}
	if after, _ := os.ReadDir(wd); len(after) != len(before) {
		t.Fatalf("the package folder changed: %d → %d entries", len(before), len(after))
	}
}
