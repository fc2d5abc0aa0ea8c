package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/simulator"
)

func TestExportWritesExactlyTheConfirmedFiles(t *testing.T) {
	dir := t.TempDir()
	asked := 0
	choose := func(_ fyne.Window, done func(string, error)) {
		asked++
		done(dir, nil)
	}
	h := newHarness(t, Options{Env: eval.Demo, ChooseFolder: choose})
	h.open(simulator.HappyID)

	h.shortcut(fyne.KeyE)
	if !h.dialogTitled("Export case") {
		t.Fatal("Ctrl+E did not ask for confirmation")
	}
	screen := test.RenderToMarkup(h.win.Canvas())
	planned := h.exportState().planned
	if len(planned) == 0 || planned[len(planned)-1] != casefile.ManifestName {
		t.Fatalf("planned files %v", planned)
	}
	for _, f := range planned {
		if !strings.Contains(screen, f) {
			t.Errorf("the confirmation does not name %s", f)
		}
	}
	if !strings.Contains(screen, "personal data") {
		t.Error("the confirmation does not warn about personal data")
	}
	if asked != 0 {
		t.Fatal("the folder was asked for before the confirmation")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatal("files written before the confirmation")
	}

	h.tapDialog("Choose folder…")
	ex := h.exportState()
	h.loop.until(t, "the export", 30*time.Second, func() bool { return ex.done == 1 })
	if ex.err != nil {
		t.Fatalf("export failed: %v", ex.err)
	}
	res := ex.result
	var written []string
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(res.Dir, p)
			written = append(written, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(written)
	want := slices.Clone(planned)
	slices.Sort(want)
	if !slices.Equal(written, want) {
		t.Errorf("written %v\nconfirmed %v", written, want)
	}
}

func TestExportCancelledWritesNothing(t *testing.T) {
	dir := t.TempDir()
	chosen := dir
	h := newHarness(t, Options{Env: eval.Demo, ChooseFolder: func(_ fyne.Window, done func(string, error)) { done(chosen, nil) }})
	h.open(simulator.PassportID)
	h.shortcut(fyne.KeyE)
	h.tapDialog("Cancel")
	h.idle()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("cancelled export wrote %d entries", len(entries))
	}

	// A folder dialog closed without a choice writes nothing either.
	chosen = ""
	h.shortcut(fyne.KeyE)
	h.tapDialog("Choose folder…")
	h.idle()
	if h.exportState().done != 0 {
		t.Error("export ran without a folder")
	}
}

func TestExportWithoutCaseSaysSo(t *testing.T) {
	h := newHarness(t, Options{Env: eval.Demo})
	h.shortcut(fyne.KeyE)
	if h.dialogTitled("Export case") || !strings.Contains(h.status(), "nothing to export") {
		t.Errorf("status %q", h.status())
	}
}
