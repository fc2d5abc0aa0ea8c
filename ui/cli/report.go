package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
	"docvreview/fetch/load"
	"docvreview/fetch/riskos"
	"docvreview/imaging"
	"docvreview/imaging/forensics"
)

// Report is the one object inspect --json and fetch --json print.
type Report struct {
	EvalID      string           `json:"eval_id"`
	Environment string           `json:"environment"`
	Images      []ImageReport    `json:"images"`
	Attachments []AttachReport   `json:"attachments"`
	Other       []OtherReport    `json:"other"`
	Evaluation  *eval.Evaluation `json:"evaluation,omitempty"`
	Warnings    []string         `json:"warnings"`
	Error       *ErrorReport     `json:"error,omitempty"`
}

// ImageReport describes one image entry.
type ImageReport struct {
	Role        string `json:"role"`
	Path        string `json:"path"`
	Bytes       int64  `json:"bytes"`
	SHA256      string `json:"sha256"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	Orientation int    `json:"orientation"`
	// Forensics is the evidence checks (nil when the image could not be read).
	Forensics *forensics.Report `json:"forensics"`
	Error     string            `json:"error,omitempty"`
}

// AttachReport describes one attachment (PDF).
type AttachReport struct {
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	Pages  int    `json:"pages"`
	Error  string `json:"error,omitempty"`
}

// OtherReport describes an entry that is neither an image nor an attachment.
type OtherReport struct {
	Path  string `json:"path"`
	Bytes int64  `json:"bytes"`
}

// ErrorReport is the failure, when there is one.
type ErrorReport struct {
	Kind    string `json:"kind"`
	Status  int    `json:"status,omitempty"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
}

// displayBox bounds the size the pipeline decodes images to, as a laptop
// window's pane would; the decode is coarse (imaging.Options.Coarse: a
// power-of-two fraction of the image within it, no area-averaging pass),
// since the checks read the pixels and nobody looks at them.
const displayBox = 1280

// caseChecks gathers, while a case loads (fetch/load), what the report
// says of each image: its size or decode error and its evidence checks,
// run on the display decode as each image finishes (the barcode is looked
// for there first, so a 12 MP back is normally not decoded twice).
type caseChecks struct {
	ctx    context.Context
	images map[*casefile.Entry]imageChecks // written only by onImage (serialised by the pipeline)
}

// imageChecks is what the load learned of one image.
type imageChecks struct {
	info      imaging.Info
	err       error
	forensics *forensics.Report
}

func newCaseChecks(ctx context.Context) *caseChecks {
	return &caseChecks{ctx: ctx, images: map[*casefile.Entry]imageChecks{}}
}

// options are the load options of the window's pipeline with the checks attached.
func (cc *caseChecks) options() load.Options {
	return load.Options{MaxW: displayBox, MaxH: displayBox, Decode: imaging.Options{Coarse: true}, OnImage: cc.onImage}
}

// onImage records one decoded image and runs its evidence checks, one
// image at a time (the pipeline serialises the calls), then drops the
// display image. The document data is compared later (analyze), once the
// evaluation has arrived.
func (cc *caseChecks) onImage(im load.Image) {
	if im.Err != nil {
		cc.images[im.Entry] = imageChecks{err: im.Err}
		return
	}
	ic := imageChecks{info: im.Display.Info}
	if rep, err := forensics.AnalyzeWith(cc.ctx, im.Entry.Data, string(im.Entry.Role), nil, forensics.Options{Display: im.Display}); err == nil {
		ic.forensics = &rep
	}
	cc.images[im.Entry] = ic
	imaging.Recycle(im.Display.Image) // the next image decodes into it
}

// analyze builds the report of a case loaded with cc's options: every
// image's size and evidence checks (the barcode compared with the
// evaluation's document data), and the page count of every attachment —
// read from the file when it is simple (unless withEngine), else from the
// PDF engine (pdf, may be nil: then no count), which is started only then.
func analyze(ctx context.Context, c *casefile.Case, cc *caseChecks, pdf func() *imaging.PDFEngine, withEngine bool) Report {
	r := newReport(c.EvalID, string(c.Env))
	r.Evaluation = c.Evaluation
	r.Warnings = append(r.Warnings, c.Warnings...)
	doc := documentData(c.Evaluation)

	images := c.Images()
	r.Images = make([]ImageReport, len(images))
	warned := false
	for i, e := range images {
		ir := &r.Images[i]
		*ir = ImageReport{Role: string(e.Role), Path: e.Path, Bytes: e.Size, SHA256: e.SHA256, Orientation: 1}
		if e.Err != nil {
			ir.Error = e.Err.Error()
			continue
		}
		ic, ok := cc.images[e]
		switch {
		case !ok:
			ir.Error = "not decoded"
			continue
		case ic.err != nil:
			ir.Error = ic.err.Error()
			continue
		}
		ir.Width, ir.Height = ic.info.OrientedSize()
		ir.Orientation = ic.info.Orientation
		if f := ic.forensics; f != nil {
			f.CompareWith(doc)
			ir.Forensics = f
			if f.BarcodeUnavailable && !warned {
				r.Warnings = append(r.Warnings, barcodeUnavailable)
				warned = true
			}
		}
	}
	atts := c.Attachments()
	r.Attachments = make([]AttachReport, len(atts))
	for i, e := range atts {
		r.Attachments[i] = AttachReport{Path: e.Path, Bytes: e.Size, SHA256: e.SHA256}
		if e.Err != nil {
			r.Attachments[i].Error = e.Err.Error()
			continue
		}
		if n, err := imaging.CountPDFPages(e.Data); err == nil && !withEngine {
			r.Attachments[i].Pages = n
		} else if pdf != nil {
			if engine := pdf(); engine != nil {
				r.Attachments[i].Pages, r.Attachments[i].Error = countPages(ctx, engine, e.Data)
			}
		}
	}
	for _, e := range c.Others() {
		r.Other = append(r.Other, OtherReport{Path: e.Path, Bytes: e.Size})
	}
	return r
}

// barcodeUnavailable is the one warning a build without the barcode reader gives.
const barcodeUnavailable = "barcode reading not available in this build: the ID back's barcode was not checked"

// documentData is the evaluation's document data for the barcode
// comparison; nil without one.
func documentData(ev *eval.Evaluation) *forensics.DocumentData {
	if ev == nil || ev.DocV == nil {
		return nil
	}
	d := ev.DocV.Data
	return &forensics.DocumentData{FirstName: d.FirstName, SurName: d.SurName, FullName: d.FullName,
		Address: d.Address, DocumentNumber: d.DocumentNumber, DOB: d.DOB,
		ExpirationDate: d.ExpirationDate, IssueDate: d.IssueDate}
}

func countPages(ctx context.Context, pdf *imaging.PDFEngine, data []byte) (int, string) {
	doc, err := pdf.Open(ctx, data)
	if err != nil {
		return 0, err.Error()
	}
	defer doc.Close()
	return doc.Pages(), ""
}

func newReport(evalID, env string) Report {
	return Report{EvalID: evalID, Environment: env, Images: []ImageReport{}, Attachments: []AttachReport{},
		Other: []OtherReport{}, Warnings: []string{}}
}

// errorReport describes err for --json.
func errorReport(err error) *ErrorReport {
	er := &ErrorReport{Kind: riskos.KindName(err), Message: err.Error(), Hint: hintOf(err)}
	var ae *riskos.APIError
	if errors.As(err, &ae) {
		er.Status = ae.Status
	}
	return er
}

// hintOf is what the user can do about err, if anything is known.
func hintOf(err error) string {
	var h interface{ Hint() string } // *riskos.ChangedError, *riskos.OutcomeUnknownError
	if errors.As(err, &h) {
		return h.Hint()
	}
	var nd *riskos.NoDocumentsError
	if errors.As(err, &nd) {
		return strings.TrimSpace(nd.Explanation.Detail)
	}
	var ae *riskos.APIError
	if errors.As(err, &ae) {
		return ae.Hint
	}
	if errors.Is(err, riskos.ErrNoKey) {
		return "store a key with: docvreview key set --env ENV (it reads the key from standard input)"
	}
	return ""
}

func writeJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeHuman prints a short readable summary of r.
func writeHuman(w io.Writer, r Report) {
	title := r.EvalID
	if title == "" {
		title = "(no eval_id)"
	}
	if r.Environment != "" {
		title += " [" + r.Environment + "]"
	}
	fmt.Fprintln(w, title)
	if r.Error != nil {
		fmt.Fprintf(w, "  %s\n", r.Error.Message)
		if r.Error.Hint != "" {
			fmt.Fprintf(w, "  %s\n", r.Error.Hint)
		}
	}
	if ev := r.Evaluation; ev != nil {
		fmt.Fprintf(w, "  evaluation: decision %s, status %s\n", orDash(ev.Decision), orDash(ev.Status))
		if ev.InProgress() {
			fmt.Fprintf(w, "  the evaluation is %s: its decision is not final\n", strings.TrimPrefix(ev.EvalStatus, "evaluation_"))
		}
		if ev.DocVAttempts > 1 {
			fmt.Fprintf(w, "  DocV attempts: %d (the last one is shown)\n", ev.DocVAttempts)
		}
		for _, rc := range ev.ReasonCodes {
			if rc.Description != "" {
				fmt.Fprintf(w, "  reason %-8s %s\n", rc.Code, rc.Description)
			} else {
				fmt.Fprintf(w, "  reason %s\n", rc.Code)
			}
		}
	}
	for _, im := range r.Images {
		if im.Error != "" {
			fmt.Fprintf(w, "  %-10s %-60s %9s  ERROR: %s\n", im.Role, im.Path, sizeString(im.Bytes), im.Error)
			continue
		}
		fmt.Fprintf(w, "  %-10s %-60s %9s  %d×%d (orientation %d)\n", im.Role, im.Path, sizeString(im.Bytes), im.Width, im.Height, im.Orientation)
		if line := evidenceLine(im.Forensics); line != "" {
			fmt.Fprintf(w, "  %-10s %s\n", "", line)
		}
	}
	for _, a := range r.Attachments {
		if a.Error != "" {
			fmt.Fprintf(w, "  %-10s %-60s %9s  ERROR: %s\n", "attachment", a.Path, sizeString(a.Bytes), a.Error)
			continue
		}
		fmt.Fprintf(w, "  %-10s %-60s %9s  %d page(s)\n", "attachment", a.Path, sizeString(a.Bytes), a.Pages)
	}
	for _, o := range r.Other {
		fmt.Fprintf(w, "  %-10s %-60s %9s\n", "other", o.Path, sizeString(o.Bytes))
	}
	ws := append([]string(nil), r.Warnings...)
	sort.Strings(ws)
	for _, s := range ws {
		fmt.Fprintf(w, "  warning: %s\n", s)
	}
}

// evidenceLine summarises an image's evidence checks for people: the EXIF
// tells and the names (never the values) of the fields on which a barcode
// and the document data disagree. "" when there is nothing to say.
func evidenceLine(f *forensics.Report) string {
	if f == nil {
		return ""
	}
	var parts []string
	if f.JPEGQuality != nil {
		parts = append(parts, fmt.Sprintf("JPEG quality ≈%d", *f.JPEGQuality))
	}
	for _, fl := range f.EXIFFlags {
		parts = append(parts, string(fl.Name))
	}
	if b := f.Barcode; b != nil {
		if len(b.Mismatches) == 0 {
			parts = append(parts, "barcode "+b.Format+" "+b.Standard+": agrees")
		} else {
			fields := make([]string, len(b.Mismatches))
			for i, m := range b.Mismatches {
				fields[i] = m.Field
			}
			parts = append(parts, "barcode differs from the document data: "+strings.Join(fields, ", "))
		}
	}
	return strings.Join(parts, " · ")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// sizeString formats a byte count for people.
func sizeString(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func goVersion() string { return runtime.Version() + ", " + runtime.GOOS + "/" + runtime.GOARCH }
