package casefile

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode"

	"docvreview/fetch/eval"
	"docvreview/fetch/internal/safetext"
)

// FuzzReadArchive feeds arbitrary bytes to the ZIP reader and classifier
// and checks the promises callers rely on.
func FuzzReadArchive(f *testing.F) {
	f.Add(dlCase(f, ""))
	f.Add(dlCase(f, "fb1ddadc-6dba-4ce4-aa6d-25c005b192b5_document/"))
	f.Add(buildZip(f, zfile{Name: "../x.jpg", Data: jpegBytes}, zfile{Name: "a.pdf", Data: htmlBytes}, honestRaw("e.jpg", jpegBytes, 1, 0)))
	f.Add(buildZip(f, zfile{Name: "bomb.jpg", Data: make([]byte, 2<<20)}))
	f.Add(buildZip(f, rawDeflated(f, "lie.jpg", make([]byte, 64<<10), 10, 0)))
	f.Add([]byte{})
	lim := Limits{MaxEntries: 64, MaxEntryBytes: 4 << 20, MaxTotalBytes: 8 << 20, MaxRatio: 100}
	roles := map[Role]bool{RoleFront: true, RoleBack: true, RoleSelfie: true, RoleImage: true, RoleAttachment: true, RoleOther: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, warnings, err := ReadArchive(data, lim)
		if err != nil {
			if !errors.Is(err, ErrBadArchive) || entries != nil {
				t.Fatalf("whole-archive error %v does not wrap ErrBadArchive (or entries returned)", err)
			}
			return
		}
		if len(entries) > lim.MaxEntries {
			t.Fatalf("%d entries over the limit", len(entries))
		}
		var total int64
		for _, e := range entries {
			if clean, reason := checkEntryName(e.Path); reason != "" || clean != e.Path || strings.HasPrefix(e.Path, "/") {
				t.Fatalf("unsafe or unclean path listed: %q (%s)", e.Path, reason)
			}
			if !roles[e.Role] {
				t.Fatalf("unknown role %q", e.Role)
			}
			if e.Err != nil {
				if e.Data != nil || e.SHA256 != "" {
					t.Fatalf("%q: data or hash kept with error %v", e.Path, e.Err)
				}
				continue
			}
			sum := sha256.Sum256(e.Data)
			if e.Data == nil || e.SHA256 != hex.EncodeToString(sum[:]) || e.Size != int64(len(e.Data)) || e.Size > lim.MaxEntryBytes {
				t.Fatalf("%q: data/hash/size inconsistent", e.Path)
			}
			total += e.Size
			if r, c, fm, cerr := Classify(e.Path, e.Data); r != e.Role || c != e.Capture || fm != e.Format || cerr != nil {
				t.Fatalf("%q: classification not reproducible", e.Path)
			}
		}
		if total > lim.MaxTotalBytes {
			t.Fatalf("total %d over the limit", total)
		}
		for _, w := range warnings {
			if strings.ContainsFunc(w, func(r rune) bool { return unicode.IsControl(r) || safetext.UnsafeRune(r) }) || len(w) > 400 {
				t.Fatalf("unsafe warning %q", w)
			}
		}
		owned := slices.Clone(data) // NewCase zeroes what it is given; the fuzzer's input must stay intact
		c, err := NewCase("x", eval.Demo, owned, nil, lim)
		if err != nil {
			t.Fatalf("NewCase failed where ReadArchive did not: %v", err)
		}
		for _, r := range []Role{RoleFront, RoleBack, RoleSelfie, RoleImage, RoleAttachment, RoleOther} {
			if p := c.Primary(r); p != nil && p.Role != r {
				t.Fatal("Primary returned another role")
			}
		}
		c.Close()
		if !allBytes(owned, 0) {
			t.Fatal("NewCase did not zero its input")
		}
	})
}
