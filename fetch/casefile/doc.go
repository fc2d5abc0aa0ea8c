// Package casefile holds one evaluation's evidence in memory: it opens the
// documents ZIP safely (bounded entries, sizes and compression ratios,
// unsafe names refused), classifies each entry (front, back, selfie,
// image, attachment) by name and magic bytes, keeps them in a Case with
// the evaluation summary, zeroes every buffer on Close, and exports a case
// only when asked.
//
// Its place in the data flow eval_id → riskos → casefile → imaging → ui:
// riskos downloads the bytes and casefile opens them into a Case, whose
// entries imaging decodes and ui shows. It does not depend on riskos, so a
// ZIP from disk (docvreview inspect) takes the same path.
package casefile
