// Package locale keeps Fyne quiet in the C locale. It must be imported (blank) by
// main.go: its init runs before Fyne's packages initialise, because Go initialises
// packages in import-path order once their dependencies are done, and
// "docvreview/…" sorts before "fyne.io/…".
//
// Containers, CI and ssh sessions often run with LANG=C.UTF-8. Fyne's locale
// lookup (github.com/jeandeaual/go-locale) reads that as the language "C", fails to
// parse it and prints three "Fyne error: Error parsing user locale C" lines on
// stderr for every command. The plain C and POSIX locales do not have that problem,
// and a LANGUAGE variable is consulted before them. So when the effective locale is
// C.<codeset> or POSIX.<codeset> and LANGUAGE is unset, this package sets
// LANGUAGE=en: only message translations read LANGUAGE (and gettext ignores it in the
// C locale), so character handling — LC_CTYPE, hence typing non-ASCII text in the
// window — is left exactly as the user had it.
package locale

import (
	"os"
	"strings"
)

func init() { Quiet(os.Getenv, os.Setenv) }

// Quiet sets LANGUAGE=en through setenv when the locale getenv describes is the C or
// POSIX locale with a codeset (C.UTF-8, POSIX.utf8, …) and LANGUAGE is empty. It
// reports whether it set it.
func Quiet(getenv func(string) string, setenv func(string, string) error) bool {
	if getenv("LANGUAGE") != "" {
		return false
	}
	loc := ""
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = getenv(v); loc != "" {
			break
		}
	}
	lang, _, hasCodeset := strings.Cut(loc, ".")
	if !hasCodeset || (lang != "C" && lang != "POSIX") {
		return false
	}
	return setenv("LANGUAGE", "en") == nil
}
