package assets

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// notices holds the licence notices of the third-party software in the
// application, one text file per component.
//
//go:embed notices/*.txt
var notices embed.FS

// Notice is the licence notice of one third-party component.
type Notice struct {
	Name string // e.g. "PDFium"
	Text string // the whole notice, licence text included
}

// NoticesFS returns the notices as a filesystem of text files.
func NoticesFS() fs.FS {
	sub, err := fs.Sub(notices, "notices")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}

// NoticeList returns every notice, sorted by name (case-insensitively).
func NoticeList() []Notice {
	entries, err := fs.ReadDir(notices, "notices")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	list := make([]Notice, 0, len(entries))
	for _, e := range entries {
		b, err := notices.ReadFile(path.Join("notices", e.Name()))
		if err != nil {
			panic(err)
		}
		text := string(b)
		list = append(list, Notice{Name: noticeName(e.Name(), text), Text: text})
	}
	sort.Slice(list, func(i, j int) bool {
		return strings.ToLower(list[i].Name) < strings.ToLower(list[j].Name)
	})
	return list
}

// noticeName is the title of a notice: its first line when underlined with
// "=", otherwise the file name without its extension.
func noticeName(file, text string) string {
	lines := strings.SplitN(text, "\n", 3)
	if len(lines) >= 2 && strings.TrimSpace(lines[0]) != "" &&
		strings.Trim(strings.TrimSpace(lines[1]), "=") == "" && strings.TrimSpace(lines[1]) != "" {
		return strings.TrimSpace(lines[0])
	}
	return strings.TrimSuffix(file, path.Ext(file))
}

// Notices returns all notices as one text for an About dialog.
func Notices() string {
	var b strings.Builder
	b.WriteString("DocV Review includes the following third-party software.\n")
	for _, n := range NoticeList() {
		b.WriteString("\n")
		b.WriteString(strings.Repeat("-", 76))
		b.WriteString("\n\n")
		b.WriteString(strings.TrimRight(n.Text, "\n"))
		b.WriteString("\n")
	}
	return b.String()
}
