// Command docvreview is DocV Review: a desktop app for inspecting the identity
// evidence behind one Socure RiskOS evaluation, and its command line.
package main

import (
	"os"
	"os/signal"
	"sync"

	"fyne.io/fyne/v2/app"

	"docvreview/fetch"
	"docvreview/imaging"
	"docvreview/ui"
	"docvreview/ui/cli"
	_ "docvreview/ui/locale" // before Fyne's init: no locale noise under LANG=C.UTF-8
)

func main() {
	interrupt := make(chan struct{})
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	go func() { <-sig; close(interrupt); signal.Stop(sig) }()

	pdf := sync.OnceValue(func() *imaging.PDFEngine { return imaging.NewPDFEngine(imaging.DefaultPDFCacheDir()) })
	keychain := fetch.NewKeychain(fetch.DefaultKeychainTimeout, os.Getenv)
	os.Exit(cli.Main(os.Args[1:], cli.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
		Keychain: keychain, PDF: pdf, Interrupt: interrupt,
		OpenWindow: func(w cli.WindowArgs) error {
			a := app.NewWithID("com.docvreview.app")
			win := a.NewWindow("DocV Review")
			ui.Run(a, win, ui.Options{Env: w.Env, EvalID: w.EvalID, Keychain: keychain, PDF: pdf()})
			return nil
		},
	}))
}
