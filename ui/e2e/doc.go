// Package e2e holds DocV Review's end-to-end checks: the release binary run
// as a user runs it — in a real window under Xvfb, against a real OS keychain,
// and on the command line against the simulator. The tests need the build tag
// e2e and DOCV_BIN (the binary to test); `make e2e` sets both.
package e2e
