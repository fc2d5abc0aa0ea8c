package ui

// The test binary, like main.go, loads ui/locale before Fyne's packages, so
// that Fyne prints no locale error under LANG=C.UTF-8.
import _ "docvreview/ui/locale"
