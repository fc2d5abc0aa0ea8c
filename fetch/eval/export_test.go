package eval

// FullEvaluation is fullEvaluation for the tests of package eval_test.
const FullEvaluation = fullEvaluation

// SpecEvaluation is specEvaluation for the tests of package eval_test.
const SpecEvaluation = specEvaluation
