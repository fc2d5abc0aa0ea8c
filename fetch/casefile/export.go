package casefile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ManifestName is the manifest file Export writes.
const ManifestName = "manifest.json"

// Export errors.
var (
	ErrExportExists = errors.New("export target already exists")
	ErrCaseClosed   = errors.New("the case is closed")
)

// ExportPlan lists what Export would write, for the confirmation dialog.
type ExportPlan struct {
	Dir   string
	Files []string // relative cleaned paths, manifest.json last
	Bytes int64    // bytes of the entries (the manifest not counted)
}

// exportItem is one entry and where it goes.
type exportItem struct {
	entry *Entry
	rel   string
}

// manifest is what manifest.json holds (no PII: paths, sizes, hashes, roles).
type manifest struct {
	EvalID      string         `json:"eval_id"`
	Environment string         `json:"environment"`
	ExportedAt  string         `json:"exported_at"`
	Files       []manifestFile `json:"files"`
	Skipped     []manifestSkip `json:"skipped,omitempty"`
}

type manifestFile struct {
	Path   string `json:"path"`   // where it was written, relative to the export folder
	Source string `json:"source"` // its path in the archive
	Bytes  int    `json:"bytes"`
	SHA256 string `json:"sha256"`
	Role   Role   `json:"role"`
}

type manifestSkip struct {
	Source string `json:"source"`
	Role   Role   `json:"role"`
	Reason string `json:"reason"`
}

// PlanExport computes what Export(c, dir) would write, without writing.
func PlanExport(c *Case, dir string) (ExportPlan, error) {
	if c == nil {
		return ExportPlan{}, errors.New("export: no case")
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	plan, _, _, err := c.planExport(dir)
	return plan, err
}

// planExport maps every readable entry to a safe, collision-free relative
// path. Callers hold c.mu.
func (c *Case) planExport(dir string) (ExportPlan, []exportItem, []manifestSkip, error) {
	if c.closed {
		return ExportPlan{}, nil, nil, fmt.Errorf("export: %w", ErrCaseClosed)
	}
	if strings.TrimSpace(dir) == "" {
		return ExportPlan{}, nil, nil, errors.New("export: no destination folder")
	}
	plan := ExportPlan{Dir: filepath.Clean(dir)}
	names := newNameSet()
	names.take(ManifestName)
	var items []exportItem
	var skipped []manifestSkip
	for _, e := range c.Entries {
		if e.Err != nil || e.Data == nil {
			reason := "no data"
			if e.Err != nil {
				reason = e.Err.Error()
			}
			skipped = append(skipped, manifestSkip{Source: e.Path, Role: e.Role, Reason: reason})
			continue
		}
		rel := names.unique(safeRelPath(e.Path))
		items = append(items, exportItem{entry: e, rel: rel})
		plan.Files = append(plan.Files, rel)
		plan.Bytes += int64(len(e.Data))
	}
	plan.Files = append(plan.Files, ManifestName)
	return plan, items, skipped, nil
}

// Export writes the case's readable entries (original bytes, cleaned safe names)
// inside dir, plus manifest.json with the SHA-256 of every file. It refuses to
// overwrite anything and never writes outside dir. It is only ever called on
// an explicit user action.
//
// dir is created (0700) when missing; files are created 0600 with O_EXCL
// through an os.Root, so no symbolic link can lead outside dir. If any
// target exists nothing is written. When a write fails midway, the files
// and folders created so far are removed. Entries with an error are not
// written; the manifest lists them as skipped with the reason.
func Export(c *Case, dir string) (ExportPlan, error) {
	if c == nil {
		return ExportPlan{}, errors.New("export: no case")
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	plan, items, skipped, err := c.planExport(dir)
	if err != nil {
		return plan, err
	}
	if err := os.MkdirAll(plan.Dir, 0o700); err != nil {
		return plan, fmt.Errorf("export: create folder: %w", err)
	}
	root, err := os.OpenRoot(plan.Dir)
	if err != nil {
		return plan, fmt.Errorf("export: open folder: %w", err)
	}
	defer root.Close()

	for _, rel := range plan.Files {
		if _, err := root.Lstat(filepath.FromSlash(rel)); err == nil {
			return plan, fmt.Errorf("export: %s: %w", rel, ErrExportExists)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return plan, fmt.Errorf("export: %s: %w", rel, err)
		}
	}

	w := &exportWriter{root: root}
	m := manifest{
		EvalID:      c.EvalID,
		Environment: string(c.Env),
		ExportedAt:  time.Now().UTC().Format(time.RFC3339),
		Files:       []manifestFile{},
		Skipped:     skipped,
	}
	for _, it := range items {
		if err := w.write(it.rel, it.entry.Data); err != nil {
			w.undo()
			return plan, fmt.Errorf("export: %s: %w", it.rel, err)
		}
		sum := sha256.Sum256(it.entry.Data)
		m.Files = append(m.Files, manifestFile{
			Path: it.rel, Source: it.entry.Path, Bytes: len(it.entry.Data),
			SHA256: hex.EncodeToString(sum[:]), Role: it.entry.Role,
		})
	}
	body, err := json.MarshalIndent(m, "", "  ")
	if err == nil {
		err = w.write(ManifestName, append(body, '\n'))
	}
	if err != nil {
		w.undo()
		return plan, fmt.Errorf("export: %s: %w", ManifestName, err)
	}
	return plan, nil
}

// exportWriter creates files and folders under root and remembers them so
// a failed export can be undone.
type exportWriter struct {
	root  *os.Root
	files []string
	dirs  []string
}

// write creates rel (never replacing anything) with data, making its folders.
func (w *exportWriter) write(rel string, data []byte) error {
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		d := filepath.FromSlash(strings.Join(parts[:i], "/"))
		if err := w.root.Mkdir(d, 0o700); err == nil {
			w.dirs = append(w.dirs, d)
		} else if fi, serr := w.root.Lstat(d); serr != nil || !fi.IsDir() {
			return err
		}
	}
	name := filepath.FromSlash(rel)
	f, err := w.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	w.files = append(w.files, name)
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// undo removes what write created, newest first.
func (w *exportWriter) undo() {
	for i := len(w.files) - 1; i >= 0; i-- {
		w.root.Remove(w.files[i])
	}
	for i := len(w.dirs) - 1; i >= 0; i-- {
		w.root.Remove(w.dirs[i])
	}
}

// maxSegment bounds one exported path segment, in bytes.
const maxSegment = 100

// safeRelPath turns an archive path into a relative path of segments made
// of [A-Za-z0-9._-] only, without leading or trailing dots, without
// Windows device names, joined by '/'.
func safeRelPath(p string) string {
	var segs []string
	for _, s := range strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' }) {
		segs = append(segs, safeSegment(s))
	}
	if len(segs) == 0 {
		return "_"
	}
	return strings.Join(segs, "/")
}

// safeSegment cleans one path segment.
func safeSegment(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			return r
		}
		return '_'
	}, s)
	s = strings.Trim(s, ".")
	if len(s) > maxSegment {
		ext := path.Ext(s)
		if len(ext) > 10 {
			ext = ""
		}
		s = strings.TrimRight(s[:maxSegment-len(ext)], ".") + ext
	}
	if s == "" {
		return "_"
	}
	stem, _, _ := strings.Cut(strings.ToUpper(s), ".")
	switch stem {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return "_" + s
	}
	if len(stem) == 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) && stem[3] >= '0' && stem[3] <= '9' {
		return "_" + s
	}
	return s
}

// nameSet hands out relative paths that differ ignoring case, and never
// use a file's name as a folder or a folder's name as a file.
type nameSet struct {
	files, dirs map[string]bool
}

func newNameSet() *nameSet {
	return &nameSet{files: map[string]bool{}, dirs: map[string]bool{}}
}

// free reports whether rel can be taken.
func (n *nameSet) free(rel string) bool {
	k := strings.ToLower(rel)
	if n.files[k] || n.dirs[k] {
		return false
	}
	for i := range len(k) {
		if k[i] == '/' && n.files[k[:i]] {
			return false
		}
	}
	return true
}

// take records rel and its folders.
func (n *nameSet) take(rel string) {
	k := strings.ToLower(rel)
	n.files[k] = true
	for i := range len(k) {
		if k[i] == '/' {
			n.dirs[k[:i]] = true
		}
	}
}

// unique takes rel, or rel with "-2", "-3"… before its extension, or, when
// one of its folders is already a file, the same flattened to one segment.
func (n *nameSet) unique(rel string) string {
	for _, cand := range []string{rel, strings.ReplaceAll(rel, "/", "_")} {
		dir, base := path.Split(cand)
		ext := path.Ext(base)
		stem := strings.TrimSuffix(base, ext)
		for i := 1; i <= 1000; i++ {
			c := cand
			if i > 1 {
				c = dir + stem + "-" + strconv.Itoa(i) + ext
			}
			if n.free(c) {
				n.take(c)
				return c
			}
		}
	}
	// Unreachable with fewer than 1000 entries per name; stay safe anyway.
	for i := 1; ; i++ {
		c := "entry-" + strconv.Itoa(i)
		if n.free(c) {
			n.take(c)
			return c
		}
	}
}
