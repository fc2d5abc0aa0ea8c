// Package keychain keeps one RiskOS API key per eval.Environment in the OS
// keychain (each call off the caller's goroutine and bounded by a timeout);
// DOCV_API_KEY overrides it, and a session-only key in memory stands in
// when there is no keychain. Keys are never logged or put in errors.
//
// Its place in the data flow eval_id → riskos → casefile → imaging → ui:
// ui (or the command line) reads the key here and gives it to riskos
// before the eval_id is fetched.
package keychain
