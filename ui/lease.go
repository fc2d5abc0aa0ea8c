package ui

import (
	"fmt"

	"docvreview/fetch/casefile"
)

// leaseEntries leases c and returns the buffers of entries through the
// lease (the case's own buffers, not copies). The caller releases the lease
// once nothing reads them any more; closing the case zeroes them after that.
func leaseEntries(c *casefile.Case, entries ...*casefile.Entry) (*casefile.Lease, [][]byte, error) {
	l, err := c.Lease()
	if err != nil {
		return nil, nil, err
	}
	out := make([][]byte, len(entries))
	for i, e := range entries {
		if out[i], err = l.Bytes(e); err != nil {
			l.Release()
			return nil, nil, fmt.Errorf("lease %s: %w", e.Name, err)
		}
	}
	return l, out, nil
}
