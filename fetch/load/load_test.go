package load

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/riskos"
	"docvreview/fetch/simulator"
)

// smallJPEG is a w×h JPEG with a gradient (cheap to build and decode).
func smallJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x + y), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type zent struct {
	name string
	data []byte
}

// buildZIP writes ents (deflated) into an in-memory ZIP.
func buildZIP(t testing.TB, ents ...zent) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range ents {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// licenceZIP is a small licence case: front, back, selfie, a PDF and a text file last.
func licenceZIP(t testing.TB) []byte {
	return buildZIP(t,
		zent{"user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg", smallJPEG(t, 320, 200)},
		zent{"user_uploaded/document_verification/documentbackDoc_Back_1_blob.jpg", smallJPEG(t, 320, 200)},
		zent{"user_uploaded/vouched_id_verification/Doc_Selfie_1_blob.jpg", smallJPEG(t, 200, 320)},
		zent{"case_attachments/identity.pdf", []byte("%PDF-1.4\n%%EOF\n")},
		zent{"notes.txt", []byte("last entry")},
	)
}

// recorder collects a load's callbacks and checks they never overlap.
type recorder struct {
	mu       sync.Mutex // only to read the results afterwards
	in       bool
	overlap  bool
	progress []Progress
	images   []Image
}

func (r *recorder) enter() func() {
	if r.in {
		r.overlap = true
	}
	r.in = true
	return func() { r.in = false }
}

func (r *recorder) options(w, h int) Options {
	return Options{MaxW: w, MaxH: h,
		Progress: func(p Progress) { defer r.enter()(); r.progress = append(r.progress, p) },
		OnImage:  func(im Image) { defer r.enter()(); r.images = append(r.images, im) },
	}
}

// last is the last report of stage s.
func (r *recorder) last(s Stage) (Progress, bool) {
	for i := len(r.progress) - 1; i >= 0; i-- {
		if r.progress[i].Stage == s {
			return r.progress[i], true
		}
	}
	return Progress{}, false
}

func TestOpenDecodesEveryImageWithProgress(t *testing.T) {
	rec := &recorder{}
	c, err := Open(context.Background(), "", "", licenceZIP(t), rec.options(160, 160))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if rec.overlap {
		t.Error("callbacks overlapped")
	}
	if len(c.Entries) != 5 {
		t.Fatalf("%d entries, want 5", len(c.Entries))
	}
	if len(rec.images) != 3 {
		t.Fatalf("%d images reported, want 3", len(rec.images))
	}
	for _, im := range rec.images {
		if im.Err != nil {
			t.Errorf("%s: %v", im.Entry.Path, im.Err)
			continue
		}
		b := im.Display.Image.Bounds()
		if b.Dx() > 160 || b.Dy() > 160 || max(b.Dx(), b.Dy()) != 160 {
			t.Errorf("%s decoded to %v, want a 160 box", im.Entry.Path, b)
		}
		if !im.Entry.Role.IsImage() {
			t.Errorf("%s (role %s) decoded", im.Entry.Path, im.Entry.Role)
		}
	}
	// Progress per stage, rising to its total.
	want := map[Stage]Progress{StageInflate: {StageInflate, 5, 5, 0}, StageDecode: {StageDecode, 3, 3, 0}}
	for s, w := range want {
		if got, ok := rec.last(s); !ok || got != w {
			t.Errorf("last %s progress %+v, want %+v", s, got, w)
		}
	}
	var prev = map[Stage]int64{}
	for _, p := range rec.progress {
		if p.Done < prev[p.Stage] || p.Done > p.Total {
			t.Errorf("progress %+v after %d", p, prev[p.Stage])
		}
		prev[p.Stage] = p.Done
	}
	if _, ok := rec.last(StageDownload); ok {
		t.Error("Open reported a download")
	}
}

func TestOpenWithoutBoxDecodesNothing(t *testing.T) {
	rec := &recorder{}
	c, err := Open(context.Background(), "", "", licenceZIP(t), rec.options(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if len(rec.images) != 0 || len(c.Images()) != 3 {
		t.Errorf("%d decoded, %d images in the case; want 0 and 3", len(rec.images), len(c.Images()))
	}
}

func TestOpenWantPicksEntries(t *testing.T) {
	rec := &recorder{}
	o := rec.options(100, 100)
	o.Want = func(e *casefile.Entry) bool { return e.Role == casefile.RoleBack }
	c, err := Open(context.Background(), "", "", licenceZIP(t), o)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if len(rec.images) != 1 || rec.images[0].Entry.Role != casefile.RoleBack {
		t.Errorf("decoded %+v, want the back alone", rec.images)
	}
}

// TestStreaming proves a decode starts before the archive has finished
// inflating: the report of the next-to-last entry waits until a decode has
// begun. A pipeline that decoded only after inflating everything would
// never get there (and the test fails on its context instead of hanging).
func TestStreaming(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	started := make(chan struct{})
	var once sync.Once
	var waited, failed bool
	o := Options{MaxW: 100, MaxH: 100, Progress: func(p Progress) {
		if p.Stage != StageInflate || p.Done != p.Total-1 {
			return
		}
		select {
		case <-started:
			waited = true
		case <-ctx.Done():
			failed = true
		}
	}}
	data := licenceZIP(t)
	p := newPipeline(context.Background(), o)
	p.hookDecodeStarted = func(*casefile.Entry) { once.Do(func() { close(started) }) }
	c, err := casefile.NewCaseWith(p.ctx, "", "", data, nil, casefile.ReadOptions{OnEntry: p.onEntry, Drain: p.wait})
	c, err = p.finish(context.Background(), c, err)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if failed || !waited {
		t.Fatal("no decode started before the last entry was inflated")
	}
}

// TestCancelMidInflateZeroes cancels after the first entries are inflated:
// the load fails with the context's error and every buffer handed out (to
// a decoder, or not) reads as zeros.
func TestCancelMidInflateZeroes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var handed [][]byte
	var imgs []Image
	data := licenceZIP(t)
	archive := data
	o := Options{MaxW: 100, MaxH: 100, OnImage: func(im Image) { imgs = append(imgs, im) }}
	p := newPipeline(ctx, o)
	onEntry := func(e *casefile.Entry, done, total int) {
		if e.Data != nil {
			handed = append(handed, e.Data)
		}
		p.onEntry(e, done, total)
		if done == 2 {
			cancel()
		}
	}
	c, err := casefile.NewCaseWith(p.ctx, "", "", data, nil, casefile.ReadOptions{OnEntry: onEntry, Drain: p.wait})
	c, err = p.finish(ctx, c, err)
	if !errors.Is(err, context.Canceled) || c != nil {
		t.Fatalf("case %v, err %v; want context.Canceled", c, err)
	}
	if len(handed) < 2 {
		t.Fatalf("%d buffers handed out, want ≥ 2", len(handed))
	}
	for i, b := range append(handed, archive) {
		if !allZero(b[:cap(b)]) {
			t.Errorf("buffer %d not zeroed", i)
		}
	}
	for _, im := range imgs {
		if im.Entry.Data != nil {
			t.Errorf("%s still holds data", im.Entry.Path)
		}
	}
}

// TestOpenCancelledDuringDecode: a load cancelled once inflated (while
// decoding) returns ctx's error, closes the case and zeroes its bytes.
func TestOpenCancelledDuringDecode(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var entries []*casefile.Entry
	var bufs [][]byte
	o := Options{MaxW: 100, MaxH: 100, Progress: func(p Progress) {
		if p.Stage == StageInflate && p.Done == p.Total {
			cancel()
		}
	}, OnImage: func(im Image) { entries = append(entries, im.Entry); bufs = append(bufs, im.Entry.Data) }}
	c, err := Open(ctx, "", "", licenceZIP(t), o)
	if !errors.Is(err, context.Canceled) || c != nil {
		t.Fatalf("case %v, err %v; want context.Canceled", c, err)
	}
	for i, b := range bufs {
		if !allZero(b[:cap(b)]) {
			t.Errorf("buffer %d of a decoded image not zeroed", i)
		}
	}
}

// TestHostileArchivesThroughThePipeline: the archive limits hold through
// Open exactly as through casefile.
func TestHostileArchivesThroughThePipeline(t *testing.T) {
	big := bytes.Repeat([]byte{0}, 3<<20) // 3 MiB of zeros deflates ~1000:1
	tests := []struct {
		name    string
		zip     []byte
		wantErr error // of the whole load
		path    string
		entry   error // of that entry
	}{
		{name: "not a zip", zip: []byte("<!DOCTYPE html><html></html>"), wantErr: casefile.ErrBadArchive},
		{name: "truncated", zip: licenceZIP(t)[:200], wantErr: casefile.ErrBadArchive},
		{name: "zip bomb ratio", zip: buildZIP(t, zent{"user_uploaded/bomb_Front_1.jpg", big}), path: "user_uploaded/bomb_Front_1.jpg", entry: casefile.ErrCompressionRatio},
		{name: "traversal", zip: buildZIP(t, zent{"../../etc/evil.jpg", smallJPEG(t, 8, 8)}, zent{"ok_Front_1.jpg", smallJPEG(t, 8, 8)}), path: "ok_Front_1.jpg"},
		{name: "wrong magic", zip: buildZIP(t, zent{"user_uploaded/x_Front_1.jpg", []byte("<html>not a jpeg</html>")}), path: "user_uploaded/x_Front_1.jpg", entry: casefile.ErrWrongMagic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			c, err := Open(context.Background(), "", "", tt.zip, rec.options(64, 64))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || c != nil {
					t.Fatalf("err %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			var found *casefile.Entry
			for _, e := range c.Entries {
				if e.Path == tt.path {
					found = e
				}
			}
			if found == nil {
				t.Fatalf("entry %s missing: %d entries", tt.path, len(c.Entries))
			}
			if !errors.Is(found.Err, tt.entry) && !(tt.entry == nil && found.Err == nil) {
				t.Errorf("entry error %v, want %v", found.Err, tt.entry)
			}
			for _, im := range rec.images {
				if im.Entry.Err != nil {
					t.Errorf("refused entry %s was decoded", im.Entry.Path)
				}
			}
			if tt.name == "traversal" && (len(c.Warnings) == 0 || len(c.Entries) != 1) {
				t.Errorf("traversal: entries %d, warnings %q", len(c.Entries), c.Warnings)
			}
		})
	}
	t.Run("limits", func(t *testing.T) {
		// The limits are casefile's defaults: an archive of more than 1000 entries is refused.
		var ents []zent
		for i := range 1001 {
			ents = append(ents, zent{name: "f" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ".txt", data: []byte("x")})
		}
		if _, err := Open(context.Background(), "", "", buildZIP(t, ents...), Options{}); !errors.Is(err, casefile.ErrBadArchive) {
			t.Errorf("1001 entries: err %v", err)
		}
	})
}

// TestFetchFromTheSimulator loads a case through a real client: the
// simulator answers the evaluation and a small licence ZIP with a corrupt
// JPEG stands in for its documents (no 12 MP images are generated).
// Download progress, the corrupt image reported on its own, the others
// decoded, the evaluation attached; and "No Documents Found" explained.
func TestFetchFromTheSimulator(t *testing.T) {
	sim := simulator.New(simulator.Config{})
	docs := buildZIP(t,
		zent{"user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg", smallJPEG(t, 320, 200)},
		zent{"user_uploaded/document_verification/documentbackDoc_Back_1_blob.jpg", append(smallJPEG(t, 320, 200)[:300:300], make([]byte, 64)...)},
		zent{"user_uploaded/vouched_id_verification/Doc_Selfie_1_blob.jpg", smallJPEG(t, 200, 320)},
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, simulator.HappyID+"/documents") {
			w.Header().Set("Content-Type", "application/zip")
			w.Write(docs)
			return
		}
		sim.ServeHTTP(w, r)
	}))
	defer srv.Close()
	client, err := riskos.NewClient(riskos.Options{Env: eval.Sandbox, BaseURL: srv.URL, APIKey: "test-key"})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	c, err := Fetch(context.Background(), client, simulator.HappyID, rec.options(200, 200))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if rec.overlap {
		t.Error("callbacks overlapped")
	}
	if c.Evaluation == nil || len(c.Warnings) != 0 {
		t.Errorf("evaluation %v, warnings %q", c.Evaluation, c.Warnings)
	}
	if p, ok := rec.last(StageDownload); !ok || p.Done != int64(len(docs)) {
		t.Errorf("download progress %+v, want %d bytes", p, len(docs))
	}
	var good, bad int
	for _, im := range rec.images {
		if im.Err != nil {
			bad++
		} else {
			good++
		}
	}
	if good != 2 || bad != 1 {
		t.Errorf("%d decoded, %d failed; want 2 and 1", good, bad)
	}

	t.Run("no documents", func(t *testing.T) {
		_, err := Fetch(context.Background(), client, simulator.MilitaryID, Options{MaxW: 100, MaxH: 100})
		var nd *riskos.NoDocumentsError
		if !errors.As(err, &nd) || nd.Evaluation == nil {
			t.Errorf("err %v, want a NoDocumentsError with its evaluation", err)
		}
	})
}

func allZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}
