package session

import "docvreview/fetch/riskos"

// Draft is the decision being written for the case on screen: its
// attachments (memory only) and whether a send is reading them. The
// Decision panel's widgets hold its text. Dropped attachments have their
// bytes zeroed, after the send in flight when one reads them; a failed
// send keeps the draft for another try.
type Draft struct {
	atts    []riskos.Attachment
	sending bool
	// dropped holds attachments dropped while a send was reading them.
	dropped []riskos.Attachment
}

// Attachments are the draft's attachments (the caller does not keep or
// change the slice).
func (d *Draft) Attachments() []riskos.Attachment { return d.atts }

// Add adds a checked file.
func (d *Draft) Add(a riskos.Attachment) { d.atts = append(d.atts, a) }

// Remove drops attachment i; false when there is none.
func (d *Draft) Remove(i int) bool {
	if i < 0 || i >= len(d.atts) {
		return false
	}
	a := d.atts[i]
	d.atts = append(d.atts[:i:i], d.atts[i+1:]...)
	d.drop([]riskos.Attachment{a})
	return true
}

// Clear drops every attachment.
func (d *Draft) Clear() {
	atts := d.atts
	d.atts = nil
	d.drop(atts)
}

// Sent zeroes the attachments a recorded decision carried.
func (d *Draft) Sent() {
	atts := d.atts
	d.atts = nil
	zeroAttachments(atts)
}

// Change is the draft as a state change with the panel's text; the
// attachments are a copy of the list (the same bytes).
func (d *Draft) Change(decision, status, subStatus, notes string) riskos.StateChange {
	return riskos.StateChange{Decision: decision, Status: status, SubStatus: subStatus, Notes: notes,
		Attachments: append([]riskos.Attachment(nil), d.atts...)}
}

// SetSending marks a send in flight or its end; at the end the attachments
// dropped meanwhile are zeroed.
func (d *Draft) SetSending(on bool) {
	d.sending = on
	if !on && len(d.dropped) > 0 {
		zeroAttachments(d.dropped)
		d.dropped = nil
	}
}

// Sending reports whether a send reads the draft.
func (d *Draft) Sending() bool { return d.sending }

func (d *Draft) drop(atts []riskos.Attachment) {
	if d.sending {
		d.dropped = append(d.dropped, atts...)
		return
	}
	zeroAttachments(atts)
}

func zeroAttachments(atts []riskos.Attachment) {
	for _, a := range atts {
		clear(a.Data)
	}
}

// Draft is the case's decision draft (kept across a failed write, dropped
// with the case).
func (c *Controller) Draft() *Draft { return &c.draft }
