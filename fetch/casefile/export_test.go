package casefile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"docvreview/fetch/eval"
)

// handCase builds a Case straight from entries (paths a hostile or buggy
// caller could produce), bypassing ReadArchive.
func handCase(entries ...*Entry) *Case {
	for _, e := range entries {
		e.Data = slices.Clone(e.Data) // Close zeroes it: never hand it the shared fixtures
		if e.Err == nil {
			sum := sha256.Sum256(e.Data)
			e.SHA256 = hex.EncodeToString(sum[:])
		}
	}
	return &Case{EvalID: "11111111-1111-4111-8111-111111111111", Env: eval.Sandbox, Entries: entries}
}

// listTree lists every file and folder under root, relative, with '/'.
func listTree(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			rel += "/"
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func TestExportWritesExactlyThePlan(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	dir := filepath.Join(parent, "out", "case")
	c, err := NewCase("11111111-1111-4111-8111-111111111111", eval.Sandbox, buildZip(t,
		zfile{Name: "user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg", Data: jpegBytes},
		zfile{Name: "user_uploaded/vouched_id_verification/Doc_Selfie_1_blob.jpg", Data: pngBytes},
		zfile{Name: "case_attachments/identity.pdf", Data: pdfBytes},
		zfile{Name: "case_attachments/fake.pdf", Data: htmlBytes},
		zfile{Name: "../../escape.jpg", Data: jpegBytes},
	), nil, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	plan, err := PlanExport(c, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("PlanExport touched the disk")
	}
	wantFiles := []string{
		"user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg",
		"user_uploaded/vouched_id_verification/Doc_Selfie_1_blob.jpg",
		"case_attachments/identity.pdf",
		ManifestName,
	}
	if strings.Join(plan.Files, "|") != strings.Join(wantFiles, "|") || plan.Dir != dir ||
		plan.Bytes != int64(len(jpegBytes)+len(pngBytes)+len(pdfBytes)) {
		t.Fatalf("plan = %+v", plan)
	}
	got, err := Export(c, dir)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Files, "|") != strings.Join(plan.Files, "|") {
		t.Errorf("Export wrote %q, planned %q", got.Files, plan.Files)
	}
	tree := listTree(t, parent)
	want := []string{
		"out/", "out/case/",
		"out/case/case_attachments/", "out/case/case_attachments/identity.pdf",
		"out/case/manifest.json",
		"out/case/user_uploaded/", "out/case/user_uploaded/document_verification/",
		"out/case/user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg",
		"out/case/user_uploaded/vouched_id_verification/",
		"out/case/user_uploaded/vouched_id_verification/Doc_Selfie_1_blob.jpg",
	}
	if strings.Join(tree, "\n") != strings.Join(want, "\n") {
		t.Fatalf("tree:\n%s\nwant:\n%s", strings.Join(tree, "\n"), strings.Join(want, "\n"))
	}
	for _, e := range c.Entries {
		if e.Err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(e.Path)))
		if err != nil || string(b) != string(e.Data) {
			t.Errorf("%s: content differs (%v)", e.Path, err)
		}
	}
	if runtime.GOOS != "windows" {
		for _, p := range tree {
			fi, err := os.Lstat(filepath.Join(parent, filepath.FromSlash(p)))
			if err != nil {
				t.Fatal(err)
			}
			wantMode := fs.FileMode(0o600)
			if fi.IsDir() {
				wantMode = fs.ModeDir | 0o700
			}
			if p != "out/" && fi.Mode() != wantMode {
				t.Errorf("%s: mode %v, want %v", p, fi.Mode(), wantMode)
			}
		}
	}

	var m manifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil || json.Unmarshal(b, &m) != nil {
		t.Fatalf("manifest: %v", err)
	}
	if m.EvalID != c.EvalID || m.Environment != "sandbox" || m.ExportedAt == "" || len(m.Files) != 3 {
		t.Fatalf("manifest = %+v", m)
	}
	for _, f := range m.Files {
		data, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		sum := sha256.Sum256(data)
		if f.SHA256 != hex.EncodeToString(sum[:]) || f.Bytes != len(data) || f.Role == "" {
			t.Errorf("manifest entry %+v does not match the file", f)
		}
	}
	if len(m.Skipped) != 1 || m.Skipped[0].Source != "case_attachments/fake.pdf" || !strings.Contains(m.Skipped[0].Reason, "HTML page") {
		t.Errorf("skipped = %+v", m.Skipped)
	}
	if strings.Contains(string(b), "escape") {
		t.Error("the unsafe entry reached the manifest")
	}

	// A second export to the same place refuses, and changes nothing.
	if _, err := Export(c, dir); !errors.Is(err, ErrExportExists) {
		t.Fatalf("second export: %v", err)
	}
	if after := listTree(t, parent); strings.Join(after, "\n") != strings.Join(tree, "\n") {
		t.Error("a refused export changed the folder")
	}
}

func TestExportRefusesOverwrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := handCase(
		&Entry{Path: "a/front.jpg", Role: RoleFront, Data: jpegBytes},
		&Entry{Path: "b.pdf", Role: RoleAttachment, Data: pdfBytes},
	)
	for _, existing := range []string{"b.pdf", ManifestName, "a/front.jpg"} {
		t.Run(existing, func(t *testing.T) {
			d := filepath.Join(dir, strings.ReplaceAll(existing, "/", "_"))
			p := filepath.Join(d, filepath.FromSlash(existing))
			os.MkdirAll(filepath.Dir(p), 0o700)
			if err := os.WriteFile(p, []byte("keep me"), 0o600); err != nil {
				t.Fatal(err)
			}
			before := listTree(t, d)
			_, err := Export(c, d)
			if !errors.Is(err, ErrExportExists) || !strings.Contains(err.Error(), existing) {
				t.Fatalf("err = %v", err)
			}
			if b, _ := os.ReadFile(p); string(b) != "keep me" {
				t.Error("existing file overwritten")
			}
			if after := listTree(t, d); strings.Join(after, "|") != strings.Join(before, "|") {
				t.Errorf("refused export wrote %q", after)
			}
		})
	}
}

func TestExportNeverLeavesDir(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	dir := filepath.Join(parent, "dest")
	c := handCase(
		&Entry{Path: "../../evil.jpg", Role: RoleImage, Data: jpegBytes},
		&Entry{Path: "/etc/passwd", Role: RoleOther, Data: []byte("x")},
		&Entry{Path: `C:\Windows\evil.pdf`, Role: RoleAttachment, Data: pdfBytes},
		&Entry{Path: `..\..\win.jpg`, Role: RoleImage, Data: jpegBytes},
		&Entry{Path: "a/../../../b.jpg", Role: RoleImage, Data: jpegBytes},
		&Entry{Path: "..", Role: RoleOther, Data: []byte("dots")},
		&Entry{Path: ".hidden/.profile", Role: RoleOther, Data: []byte("h")},
		&Entry{Path: "con.jpg", Role: RoleImage, Data: jpegBytes},
		&Entry{Path: "pässport photo (1).jpg", Role: RoleImage, Data: jpegBytes},
		&Entry{Path: "Dup.jpg", Role: RoleImage, Data: jpegBytes},
		&Entry{Path: "dup.jpg", Role: RoleImage, Data: pngBytes, Duplicate: true},
		&Entry{Path: "MANIFEST.JSON", Role: RoleOther, Data: []byte("{}")},
		&Entry{Path: "x", Role: RoleOther, Data: []byte("file x")},
		&Entry{Path: "x/y.txt", Role: RoleOther, Data: []byte("under x")},
		&Entry{Path: strings.Repeat("long", 60) + ".jpg", Role: RoleImage, Data: jpegBytes},
		&Entry{Path: "bad.jpg", Role: RoleFront, Err: ErrCorruptEntry},
	)
	plan, err := Export(c, dir)
	if err != nil {
		t.Fatal(err)
	}
	outside := listTree(t, parent)
	for _, p := range outside {
		if !strings.HasPrefix(p, "dest/") {
			t.Errorf("written outside the export folder: %s", p)
		}
	}
	seen := map[string]bool{}
	for _, f := range plan.Files {
		low := strings.ToLower(f)
		if seen[low] {
			t.Errorf("two files named %s (ignoring case)", f)
		}
		seen[low] = true
		for _, seg := range strings.Split(f, "/") {
			if seg == "" || strings.HasPrefix(seg, ".") || strings.HasSuffix(seg, ".") || len(seg) > maxSegment ||
				strings.ContainsFunc(seg, func(r rune) bool {
					return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
				}) {
				t.Errorf("unsafe exported name %q", f)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f))); err != nil {
			t.Errorf("planned file %s not written: %v", f, err)
		}
	}
	if len(plan.Files) != 16 || plan.Files[len(plan.Files)-1] != ManifestName {
		t.Errorf("files = %q", plan.Files)
	}
	for _, want := range []string{"_/_/evil.jpg", "etc/passwd", "C_/Windows/evil.pdf", "_/_/win.jpg", "a/_/_/_/b.jpg", "_-2",
		"hidden/profile", "_con.jpg", "p_ssport_photo__1_.jpg", "Dup.jpg", "dup-2.jpg", "MANIFEST-2.JSON", "x", "x_y.txt"} {
		if !slices.Contains(plan.Files, want) {
			t.Errorf("missing %s in %q", want, plan.Files)
		}
	}
}

func TestExportDoesNotFollowSymlinksOut(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	parent := t.TempDir()
	outside := filepath.Join(parent, "outside")
	dir := filepath.Join(parent, "dest")
	os.Mkdir(outside, 0o700)
	os.Mkdir(dir, 0o700)
	if err := os.Symlink(outside, filepath.Join(dir, "user_uploaded")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "m.json"), filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	c := handCase(&Entry{Path: "user_uploaded/front.jpg", Role: RoleFront, Data: jpegBytes})
	if _, err := Export(c, dir); err == nil {
		t.Fatal("export through a symlink leading outside succeeded")
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Fatalf("written outside through a symlink: %v", entries)
	}
	// A symlink named like the manifest, pointing outside, is "existing".
	dir2 := filepath.Join(parent, "dest2")
	os.Mkdir(dir2, 0o700)
	os.Symlink(filepath.Join(outside, "m.json"), filepath.Join(dir2, ManifestName))
	if _, err := Export(handCase(&Entry{Path: "a.jpg", Role: RoleImage, Data: jpegBytes}), dir2); !errors.Is(err, ErrExportExists) {
		t.Fatalf("dangling manifest symlink: %v", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Fatalf("written outside through a symlink: %v", entries)
	}
}

func TestExportBadInput(t *testing.T) {
	t.Parallel()
	if _, err := Export(nil, t.TempDir()); err == nil {
		t.Error("nil case exported")
	}
	if _, err := PlanExport(nil, t.TempDir()); err == nil {
		t.Error("nil case planned")
	}
	c := handCase(&Entry{Path: "a.jpg", Role: RoleImage, Data: jpegBytes})
	if _, err := Export(c, " "); err == nil {
		t.Error("empty folder accepted")
	}
	c.Close()
	dir := filepath.Join(t.TempDir(), "never")
	if _, err := Export(c, dir); !errors.Is(err, ErrCaseClosed) {
		t.Errorf("closed case: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Error("export of a closed case created the folder")
	}
	if runtime.GOOS != "windows" && os.Getuid() != 0 {
		ro := t.TempDir()
		os.Chmod(ro, 0o500)
		t.Cleanup(func() { os.Chmod(ro, 0o700) })
		c2 := handCase(&Entry{Path: "a.jpg", Role: RoleImage, Data: jpegBytes})
		if _, err := Export(c2, ro); err == nil {
			t.Error("export to a read-only folder succeeded")
		}
	}
}

func TestExportWriterUndo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	w := &exportWriter{root: root}
	if err := w.write("a/b/c.jpg", jpegBytes); err != nil {
		t.Fatal(err)
	}
	if err := w.write("top.pdf", pdfBytes); err != nil {
		t.Fatal(err)
	}
	if err := w.write("a/b", []byte("x")); err == nil {
		t.Fatal("wrote a file over a folder")
	}
	if err := w.write("top.pdf/x", []byte("x")); err == nil {
		t.Fatal("made a folder of a file")
	}
	if got := listTree(t, dir); len(got) != 4 {
		t.Fatalf("before undo: %q", got)
	}
	w.undo()
	if got := listTree(t, dir); len(got) != 0 {
		t.Fatalf("undo left %q", got)
	}
}
