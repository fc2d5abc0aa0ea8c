package casefile

import (
	"errors"
	"sync"
	"testing"

	"docvreview/fetch/eval"
)

// recaptureZip is the re-capture scenario: Front_1, Front_2, Back_1,
// Selfie_1, Selfie_2, a PNG, an unknown file and a PDF.
func recaptureZip(t testing.TB, front2 []byte) []byte {
	return buildZip(t,
		zfile{Name: "user_uploaded/document_verification/documentfrontDoc_Front_2_blob.jpg", Data: front2},
		zfile{Name: "user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg", Data: jpegBytes},
		zfile{Name: "user_uploaded/other/extra_1_blob.png", Data: pngBytes},
		zfile{Name: "case_attachments/identity.pdf", Data: pdfBytes},
		zfile{Name: "user_uploaded/vouched_id_verification/Doc_Selfie_2_blob.jpg", Data: jpegBytes},
		zfile{Name: "notes.txt", Data: []byte("unknown file")},
		zfile{Name: "user_uploaded/document_verification/documentbackDoc_Back_1_blob.jpg", Data: jpegBytes},
		zfile{Name: "user_uploaded/vouched_id_verification/Doc_Selfie_1_blob.jpg", Data: jpegBytes},
	)
}

func TestNewCaseOrderAndPrimary(t *testing.T) {
	zipBytes := recaptureZip(t, jpegBytes)
	size := len(zipBytes)
	ev := &eval.Evaluation{EvalID: "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"}
	c, err := NewCase("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", eval.Demo, zipBytes, ev, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !allBytes(zipBytes, 0) {
		t.Error("NewCase did not zero the archive bytes")
	}
	if c.ArchiveSize != int64(size) || c.Evaluation != ev || c.Env != eval.Demo {
		t.Errorf("ArchiveSize %d Env %s", c.ArchiveSize, c.Env)
	}
	want := []string{
		"user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg",
		"user_uploaded/document_verification/documentfrontDoc_Front_2_blob.jpg",
		"user_uploaded/document_verification/documentbackDoc_Back_1_blob.jpg",
		"user_uploaded/vouched_id_verification/Doc_Selfie_1_blob.jpg",
		"user_uploaded/vouched_id_verification/Doc_Selfie_2_blob.jpg",
		"user_uploaded/other/extra_1_blob.png",
		"case_attachments/identity.pdf",
		"notes.txt",
	}
	if got := paths(c.Entries); len(got) != len(want) {
		t.Fatalf("entries %q", got)
	} else {
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("entry %d = %s, want %s", i, got[i], want[i])
			}
		}
	}
	for role, wantPath := range map[Role]string{
		RoleFront:      want[1],
		RoleBack:       want[2],
		RoleSelfie:     want[4],
		RoleImage:      want[5],
		RoleAttachment: want[6],
		RoleOther:      want[7],
	} {
		if p := c.Primary(role); p == nil || p.Path != wantPath {
			t.Errorf("Primary(%s) = %v, want %s", role, p, wantPath)
		}
	}
	if n := len(c.ByRole(RoleFront)); n != 2 {
		t.Errorf("ByRole(front) has %d entries", n)
	}
	if n, a, o := len(c.Images()), len(c.Attachments()), len(c.Others()); n != 6 || a != 1 || o != 1 {
		t.Errorf("Images %d Attachments %d Others %d", n, a, o)
	}
}

func TestCasePrimaryPrefersReadableCapture(t *testing.T) {
	c, err := NewCase("x", eval.Demo, recaptureZip(t, []byte("not an image")), nil, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if p := c.Primary(RoleFront); p == nil || p.Capture != 1 {
		t.Fatalf("Primary(front) = %+v, want capture 1 (capture 2 is broken)", p)
	}
	// With every capture broken, the newest is shown (with its error).
	c2, err := NewCase("x", eval.Demo, buildZip(t,
		zfile{Name: "Doc_Back_1_blob.jpg", Data: []byte("x")},
		zfile{Name: "Doc_Back_2_blob.jpg", Data: []byte("y")},
	), nil, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if p := c2.Primary(RoleBack); p == nil || p.Capture != 2 || p.Err == nil {
		t.Fatalf("Primary(back) = %+v, want the broken capture 2", p)
	}
	if c2.Primary(RoleSelfie) != nil {
		t.Error("Primary of an absent role is not nil")
	}
}

func TestNewCaseBadArchive(t *testing.T) {
	data := []byte("<html>nope</html>")
	c, err := NewCase("x", eval.Sandbox, data, nil, Limits{})
	if c != nil || !errors.Is(err, ErrBadArchive) {
		t.Fatalf("c = %v, err = %v", c, err)
	}
	if !allBytes(data, 0) {
		t.Error("NewCase did not zero the bytes it took on error")
	}
}

func TestCaseCloseZeroes(t *testing.T) {
	c, err := NewCase("x", eval.Demo, recaptureZip(t, jpegBytes), &eval.Evaluation{}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var held [][]byte
	for _, e := range c.Entries {
		if len(e.Data) == 0 {
			t.Fatalf("%s has no data", e.Path)
		}
		held = append(held, e.Data)
	}
	entries := c.Entries
	c.Close()
	for i, d := range held {
		if !allBytes(d[:cap(d)], 0) {
			t.Errorf("buffer %d not zeroed by Close", i)
		}
	}
	for _, e := range entries {
		if e != nil {
			t.Fatal("Close left an entry reference in the slice it dropped")
		}
	}
	if !c.Closed() || c.Entries != nil || c.Evaluation != nil || c.Warnings != nil {
		t.Error("Close left references")
	}
	c.Close() // twice: no panic
	if c.Primary(RoleFront) != nil || c.Images() != nil || c.Attachments() != nil || c.Others() != nil {
		t.Error("accessors return entries after Close")
	}
}

func TestCaseConcurrentClose(t *testing.T) {
	c, err := NewCase("x", eval.Demo, recaptureZip(t, jpegBytes), nil, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				_ = c.Primary(RoleFront)
				_ = c.Images()
				_ = c.Closed()
			}
		})
		wg.Go(c.Close)
	}
	wg.Wait()
	if !c.Closed() {
		t.Fatal("not closed")
	}
}

func TestNilCase(t *testing.T) {
	var c *Case
	c.Close()
	if !c.Closed() || c.Primary(RoleFront) != nil || c.ByRole(RoleBack) != nil {
		t.Fatal("nil case misbehaves")
	}
}
