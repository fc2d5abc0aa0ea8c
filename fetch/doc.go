// Package fetch holds no code: its sub-packages get one RiskOS evaluation's
// evidence into memory, in the order the data flows
// (eval_id → riskos → casefile → imaging → ui):
//
//   - eval: the Environment an evaluation lives in, its Evaluation summary
//     and case state (lenient JSON parsing), and reason codes.
//   - riskos: eval_id parsing and the RiskOS client (documents and summary,
//     retries, caps, timeouts, errors, "No Documents Found" explained; the
//     writes — decision and fraud feedback — never retried blindly; the
//     reason-code catalogue and its cache).
//   - casefile: the safe in-memory ZIP, entry classification, the Case
//     (lifetime, zeroing) and export.
//   - load: the one load pipeline of a case (riskos or bytes in memory →
//     casefile → imaging), streaming: each image decodes at the display
//     size as soon as its entry is inflated; progress per stage, one
//     callback per image, cancellation that zeroes everything.
//   - keychain: one API key per environment in the OS keychain.
//   - queue: a review queue over a list of eval_ids, with marks and a
//     checklist CSV.
//   - simulator: an http.Handler that behaves like RiskOS; main.go serves
//     the Demo environment with it.
//
// None of them imports Fyne, and nothing here writes to disk except
// casefile.Export (an explicit export) and the reason-code catalogue's cache
// (riskos; no personal data).
package fetch
