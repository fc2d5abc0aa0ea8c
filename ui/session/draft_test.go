package session

import (
	"bytes"
	"testing"

	"docvreview/fetch/riskos"
)

func attachment(name string) riskos.Attachment {
	return riskos.Attachment{FileName: name, Data: []byte("%PDF-1.4 secret")}
}

func zeroed(b []byte) bool { return len(bytes.Trim(b, "\x00")) == 0 }

func TestDraftKeptAcrossAFailedWrite(t *testing.T) {
	l, f := newLoop(), newFakeLoader(t)
	c, rec, _ := newTestController(t, l, f)
	c.Fetch(reqOf(idA))
	l.until(t, "the case", func() bool { return rec.count(Loaded) == 1 })
	d := c.Draft()
	a := attachment("letter.pdf")
	d.Add(a)
	ch := d.Change("REJECT", "CLOSED", "", "notes")
	if len(ch.Attachments) != 1 || ch.Decision != "REJECT" || ch.Notes != "notes" {
		t.Fatalf("change %+v", ch)
	}
	d.SetSending(true)
	d.SetSending(false) // the write failed: nothing is dropped
	if len(d.Attachments()) != 1 || zeroed(d.Attachments()[0].Data) {
		t.Fatal("a failed write lost or zeroed the draft")
	}
	c.Drop()
	if len(d.Attachments()) != 0 || !zeroed(a.Data) {
		t.Error("dropping the case kept the draft's attachment")
	}
}

func TestDraftZeroesDroppedAttachmentsAfterTheSend(t *testing.T) {
	var d Draft
	a, b := attachment("a.pdf"), attachment("b.pdf")
	d.Add(a)
	d.Add(b)
	d.SetSending(true)
	if !d.Remove(0) || d.Remove(5) {
		t.Fatal("Remove")
	}
	if zeroed(a.Data) {
		t.Fatal("zeroed while the send reads it")
	}
	d.SetSending(false)
	if !zeroed(a.Data) || zeroed(b.Data) {
		t.Fatalf("after the send: a zeroed %v, b zeroed %v", zeroed(a.Data), zeroed(b.Data))
	}
	d.Sent()
	if !zeroed(b.Data) || len(d.Attachments()) != 0 {
		t.Error("Sent kept the attachment")
	}
}
