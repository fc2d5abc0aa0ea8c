package load

import (
	"context"
	"testing"

	"docvreview/fetch/casefile"
)

// TestOpenBoxPerImage: Box gives each image its own box (the MaxW×MaxH
// box is ignored), the report says which, and a zero box decodes nothing.
func TestOpenBoxPerImage(t *testing.T) {
	rec := &recorder{}
	o := rec.options(0, 0)
	boxes := map[casefile.Role][2]int{
		casefile.RoleFront:  {160, 160},
		casefile.RoleBack:   {80, 80},
		casefile.RoleSelfie: {0, 0},
	}
	o.Box = func(e *casefile.Entry) (int, int) { b := boxes[e.Role]; return b[0], b[1] }
	c, err := Open(context.Background(), "", "", licenceZIP(t), o)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if len(rec.images) != 3 {
		t.Fatalf("%d images reported, want 3", len(rec.images))
	}
	for _, im := range rec.images {
		b := boxes[im.Entry.Role]
		if im.BoxW != b[0] || im.BoxH != b[1] {
			t.Errorf("%s: box %d×%d reported, want %v", im.Entry.Role, im.BoxW, im.BoxH, b)
		}
		if b[0] == 0 {
			if im.Display != nil || im.Err != nil {
				t.Errorf("%s: zero box decoded %v / %v", im.Entry.Role, im.Display, im.Err)
			}
			continue
		}
		if im.Err != nil {
			t.Fatalf("%s: %v", im.Entry.Role, im.Err)
		}
		// 320×200 fitted into the box: the width is the box's.
		if w := im.Display.Image.Rect.Dx(); w != b[0] {
			t.Errorf("%s: decoded %d wide, want %d (its box)", im.Entry.Role, w, b[0])
		}
	}
}
