package eval

import "errors"

// ErrTooLarge is wrapped by the error of a RiskOS answer over its size
// limit (ParseEvaluation's too). riskos.ErrTooLarge is the same error, so
// errors.Is works with either name.
var ErrTooLarge = errors.New("response too large")
