package assets

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestNoticesCoverBundledSoftware(t *testing.T) {
	all := Notices()
	for _, want := range []struct{ component, phrase string }{
		{"PDFium", "The PDFium Authors"},
		{"libjpeg-turbo", "Independent JPEG Group"},
		{"libjpeg-turbo", "The zlib License"},
		{"FreeType", "The FreeType Project LICENSE"},
		{"OpenJPEG", "Universite catholique de Louvain"},
		{"wazero", "Apache License"},
		{"go-pdfium", "Klippa App BV"},
		{"Fyne", "Fyne.io developers"},
		{"boombuler/barcode", "Florian Sundermann"},
		{"zxing-cpp", "Apache"},
		{"go-keyring", "Zalando SE"},
		{"pigo", "Endre Simo"},
		{"golang.org/x/image", "The Go Authors"},
	} {
		if !strings.Contains(all, want.phrase) {
			t.Errorf("no notice for %s (%q)", want.component, want.phrase)
		}
	}
}

func TestNoticeList(t *testing.T) {
	list := NoticeList()
	files, err := fs.Glob(NoticesFS(), "*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(files) || len(list) < 12 {
		t.Fatalf("%d notices for %d files", len(list), len(files))
	}
	names := map[string]bool{}
	for i, n := range list {
		if n.Name == "" || strings.TrimSpace(n.Text) == "" {
			t.Errorf("notice %d is empty: %+v", i, n.Name)
		}
		if names[n.Name] {
			t.Errorf("duplicate notice %q", n.Name)
		}
		names[n.Name] = true
		if i > 0 && strings.ToLower(list[i-1].Name) > strings.ToLower(n.Name) {
			t.Errorf("not sorted: %q before %q", list[i-1].Name, n.Name)
		}
	}
	for _, name := range []string{"PDFium", "FreeType", "OpenJPEG", "libjpeg-turbo", "wazero", "go-pdfium"} {
		if !names[name] {
			t.Errorf("no notice named %q (have %v)", name, names)
		}
	}
}

func TestNoticeName(t *testing.T) {
	tests := []struct{ file, text, want string }{
		{"pdfium.txt", "PDFium\n======\nVersion: x\n", "PDFium"},
		{"pigo-LICENSE.txt", "Some prose\nmore prose\n", "pigo-LICENSE"},
		{"x.txt", "", "x"},
		{"y.txt", "Title\n\n", "y"},
	}
	for _, tc := range tests {
		if got := noticeName(tc.file, tc.text); got != tc.want {
			t.Errorf("noticeName(%q) = %q, want %q", tc.file, got, tc.want)
		}
	}
}

// Package assets must stay free of Fyne so that non-UI code can use it.
func TestAssetsDoesNotImportFyne(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		af, err := parser.ParseFile(fset, f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(p, "fyne.io/") {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}
