// Package eval names what a reviewer looks at: one RiskOS evaluation, the
// Environment it lives in, and the Evaluation summary RiskOS returns for it
// (parsed leniently from untrusted JSON).
//
// It is the vocabulary at the start of the data flow
// eval_id → riskos → casefile → imaging → ui: riskos fetches an evaluation
// of an Environment and parses its summary here, casefile carries both in
// the Case, keychain keeps one API key per Environment, and ui shows them.
// It imports nothing of the app; nothing here touches the network or disk.
package eval
