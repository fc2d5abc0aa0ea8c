package fetch

// OWNER: helper "fetch-data". Contract stub.

// Case is one evaluation's evidence held in memory. Close drops it.
type Case struct {
	EvalID      string
	Env         Environment
	Entries     []*Entry    // sorted: role order, then capture, then path
	Evaluation  *Evaluation // nil when the summary was not fetched
	Warnings    []string    // no PII
	ArchiveSize int64
}

// NewCase reads the ZIP (taking ownership of zipBytes, which it zeroes once
// inflated) and classifies its entries.
func NewCase(evalID string, env Environment, zipBytes []byte, ev *Evaluation, lim Limits) (*Case, error) {
	panic("TODO fetch-data")
}

// Primary is the entry to display for a role: the newest capture that has
// no error, else the newest; nil when the role is absent.
func (c *Case) Primary(r Role) *Entry { panic("TODO fetch-data") }

// ByRole lists the entries of a role, oldest capture first.
func (c *Case) ByRole(r Role) []*Entry { panic("TODO fetch-data") }

// Images lists front, back, selfie and other images in display order.
func (c *Case) Images() []*Entry { panic("TODO fetch-data") }

// Attachments lists the attachment entries.
func (c *Case) Attachments() []*Entry { panic("TODO fetch-data") }

// Others lists entries that are neither images nor attachments.
func (c *Case) Others() []*Entry { panic("TODO fetch-data") }

// Close zeroes every buffer the case owns and drops every reference. Safe to call twice.
func (c *Case) Close() { panic("TODO fetch-data") }

// Closed reports whether Close was called.
func (c *Case) Closed() bool { panic("TODO fetch-data") }
