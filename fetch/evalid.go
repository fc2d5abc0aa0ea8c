package fetch

// OWNER: helper "fetch-client". Contract stub.

// ParseEvalID validates what a user typed or pasted and returns the eval_id
// as a canonical lower-case UUID. It trims whitespace and quotes and accepts
// a pasted Dashboard URL (or any text) that contains exactly one UUID.
// Errors wrap ErrInvalidEvalID and never echo more than a short excerpt.
func ParseEvalID(s string) (string, error) { panic("TODO fetch-client") }
