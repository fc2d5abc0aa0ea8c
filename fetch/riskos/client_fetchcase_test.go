package riskos

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"docvreview/fetch/casefile"
	"docvreview/fetch/eval"
)

// caseZIP is a small documents ZIP with a front, back, selfie and a PDF.
func caseZIP(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range map[string]string{
		"user_uploaded/document_verification/documentfrontDoc_Front_1_blob.jpg": "\xff\xd8\xff\xe0front",
		"user_uploaded/document_verification/documentbackDoc_Back_1_blob.jpg":   "\xff\xd8\xff\xe0back",
		"user_uploaded/vouched_id_verification/Doc_Selfie_1_blob.jpg":           "\xff\xd8\xff\xe0selfie",
		"case_attachments/identity.pdf":                                         "%PDF-1.4\n%%EOF\n",
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(data))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// evaluationJSON is an evaluation whose DocV result has the given document type and DOB.
func evaluationJSON(id, docType, dob string) string {
	return fmt.Sprintf(`{"eval_id":%q,"decision":"REVIEW","status":"OPEN",
		"eval_end_time":"2025-01-10T10:00:00Z","environment_name":"Sandbox",
		"data_enrichments":[{"enrichment_name":"Socure Document Request","status_code":200,
		"response":{"documentVerification":{"reasonCodes":["I831"],
		"documentType":{"type":%q,"country":"US"},"decision":{"name":"standard","value":"accept"},
		"documentData":{"firstName":"Jane","surName":"Specimen","dob":%q}}}}]}`, id, docType, dob)
}

// caseServer answers documents and evaluation requests with the given handlers.
func caseServer(t *testing.T, docs, eval func(http.ResponseWriter, *http.Request)) *hitServer {
	return newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if strings.HasSuffix(r.URL.Path, "/documents") {
			docs(w, r)
			return
		}
		eval(w, r)
	})
}

func answer(status int, ct, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(status)
		w.Write([]byte(body))
	}
}

func TestEvaluation(t *testing.T) {
	tests := []struct {
		name   string
		h      func(http.ResponseWriter, *http.Request)
		kind   error
		msgHas string
	}{
		{name: "ok", h: answer(200, "application/json", evaluationJSON(sampleID, "Drivers License", "1980-01-01"))},
		{name: "not found", h: answer(404, "application/json", `{"message":"Not Found"}`), kind: ErrNotFound, msgHas: "Not Found"},
		{name: "html page", h: answer(200, "text/html", "<html><body>login</body></html>"), kind: ErrServer, msgHas: "HTML page, not JSON"},
		{name: "not json", h: answer(200, "application/json", `{"eval_id":`), kind: ErrServer, msgHas: "could not be read"},
		{name: "too large", h: answer(200, "application/json", `{"x":"`+strings.Repeat("a", eval.MaxEvaluationBytes)+`"}`), kind: ErrTooLarge, msgHas: "8 MiB limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := caseServer(t, answer(500, "", ""), tt.h)
			c := newTestClient(t, srv.URL, nil)
			ev, err := c.Evaluation(context.Background(), strings.ToUpper(sampleID))
			if tt.kind == nil {
				if err != nil {
					t.Fatal(err)
				}
				if ev.EvalID != sampleID || ev.Decision != "REVIEW" || ev.DocV == nil || ev.DocV.DocumentType.Type != "Drivers License" {
					t.Errorf("evaluation %+v", ev)
				}
				return
			}
			e := asAPIError(t, err)
			if !errors.Is(err, tt.kind) || e.Op != "evaluation" || !strings.Contains(e.Message, tt.msgHas) {
				t.Errorf("error %v (message %q)", err, e.Message)
			}
			if strings.Contains(err.Error(), "Jane") {
				t.Errorf("error %q holds PII", err)
			}
		})
	}
}

func TestFetchCase(t *testing.T) {
	zipBytes := caseZIP(t)
	okDocs := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/zip")
		w.Write(zipBytes)
	}
	noDocs := answer(400, "application/json", `{"message":"No Documents Found"}`)
	okEval := answer(200, "application/json", evaluationJSON(sampleID, "Drivers License", "1980-01-01"))

	t.Run("documents and evaluation", func(t *testing.T) {
		srv := caseServer(t, okDocs, okEval)
		c := newTestClient(t, srv.URL, nil)
		cs, err := c.FetchCase(context.Background(), sampleID, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer cs.Close()
		if cs.EvalID != sampleID || cs.Env != eval.Sandbox || cs.Evaluation == nil || len(cs.Warnings) != 0 {
			t.Errorf("case %s %s evaluation %v warnings %q", cs.EvalID, cs.Env, cs.Evaluation != nil, cs.Warnings)
		}
		if cs.Primary(casefile.RoleFront) == nil || cs.Primary(casefile.RoleBack) == nil || cs.Primary(casefile.RoleSelfie) == nil || len(cs.Attachments()) != 1 {
			t.Errorf("entries %d", len(cs.Entries))
		}
	})

	t.Run("evaluation unavailable", func(t *testing.T) {
		srv := caseServer(t, okDocs, answer(429, "application/json", `{"message":"Too Many Requests for Jane"}`))
		c := newTestClient(t, srv.URL, nil)
		cs, err := c.FetchCase(context.Background(), sampleID, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer cs.Close()
		if cs.Evaluation != nil || len(cs.Entries) != 4 {
			t.Errorf("evaluation %v, %d entries", cs.Evaluation, len(cs.Entries))
		}
		if len(cs.Warnings) != 1 || cs.Warnings[0] != "evaluation summary unavailable: rate limited" {
			t.Errorf("warnings %q", cs.Warnings)
		}
	})

	reasons := []struct {
		name string
		eval func(http.ResponseWriter, *http.Request)
		want NoDocsReason
		ev   bool
	}{
		{"military", answer(200, "application/json", evaluationJSON(sampleID, "Military", "1980-01-01")), ReasonMilitary, true},
		{"minor", answer(200, "application/json", evaluationJSON(sampleID, "Drivers License", "2010-05-05")), ReasonMinor, true},
		{"retention", okEval, ReasonRetention, true},
		{"evaluation failed too", answer(500, "", ""), ReasonRetention, false},
	}
	for _, tt := range reasons {
		t.Run("no documents "+tt.name, func(t *testing.T) {
			srv := caseServer(t, noDocs, tt.eval)
			c := newTestClient(t, srv.URL, nil)
			cs, err := c.FetchCase(context.Background(), sampleID, nil)
			if cs != nil {
				t.Fatal("got a case")
			}
			var nd *NoDocumentsError
			if !errors.As(err, &nd) || !errors.Is(err, ErrNoDocuments) || KindName(err) != "no_documents" {
				t.Fatalf("error %v (%T)", err, err)
			}
			if nd.EvalID != sampleID || nd.Explanation.Reason != tt.want || (nd.Evaluation != nil) != tt.ev {
				t.Errorf("got %s, reason %s, evaluation %v", nd.EvalID, nd.Explanation.Reason, nd.Evaluation != nil)
			}
			if nd.Err == nil || nd.Err.Status != 400 || nd.Err.Op != "documents" {
				t.Errorf("underlying error %+v", nd.Err)
			}
			if strings.Contains(err.Error(), "Jane") || strings.Contains(err.Error(), "2010") {
				t.Errorf("error %q holds PII", err)
			}
		})
	}

	t.Run("documents error stops the evaluation", func(t *testing.T) {
		evalArrived, evalCanceled := make(chan struct{}), make(chan struct{})
		forbidden := answer(403, "application/json", `{"message":"Forbidden"}`)
		srv := caseServer(t, func(w http.ResponseWriter, r *http.Request) {
			select { // answer once the evaluation request is in flight
			case <-evalArrived:
			case <-time.After(2 * time.Second):
			}
			forbidden(w, r)
		}, func(w http.ResponseWriter, r *http.Request) {
			close(evalArrived)
			<-r.Context().Done()
			close(evalCanceled)
		})
		c := newTestClient(t, srv.URL, nil)
		start := time.Now()
		_, err := c.FetchCase(context.Background(), sampleID, nil)
		if !errors.Is(err, ErrForbidden) || KindName(err) != "forbidden" {
			t.Fatalf("error %v", err)
		}
		if want := "fetch documents for " + sampleID + ": documents: 403 forbidden"; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("error %q, want prefix %q", err, want)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("took %v", d)
		}
		select {
		case <-evalCanceled:
		case <-time.After(2 * time.Second):
			t.Error("the evaluation request was not canceled")
		}
	})

	t.Run("unreadable archive", func(t *testing.T) {
		srv := caseServer(t, answer(200, "application/zip", "PK\x03\x04 but nothing more"), okEval)
		c := newTestClient(t, srv.URL, nil)
		_, err := c.FetchCase(context.Background(), sampleID, nil)
		if !errors.Is(err, ErrBadArchive) || KindName(err) != "bad_archive" || !strings.Contains(err.Error(), sampleID) {
			t.Errorf("error %v", err)
		}
	})

	t.Run("requests run concurrently", func(t *testing.T) {
		var arrived atomic.Int32
		both := make(chan struct{})
		barrier := func(w http.ResponseWriter, r *http.Request) {
			if arrived.Add(1) == 2 {
				close(both)
			}
			select {
			case <-both:
			case <-time.After(2 * time.Second):
				w.WriteHeader(http.StatusGatewayTimeout) // the other request never came
				return
			}
			if strings.HasSuffix(r.URL.Path, "/documents") {
				okDocs(w, r)
			} else {
				okEval(w, r)
			}
		}
		srv := caseServer(t, barrier, barrier)
		c := newTestClient(t, srv.URL, func(o *Options) { o.MaxAttempts = 1 })
		cs, err := c.FetchCase(context.Background(), sampleID, nil)
		if err != nil {
			t.Fatalf("requests were not concurrent: %v", err)
		}
		cs.Close()
	})

	t.Run("cancel", func(t *testing.T) {
		srv := caseServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100000")
			w.Write([]byte("PK\x03\x04"))
			http.NewResponseController(w).Flush()
			<-r.Context().Done()
		}, okEval)
		c := newTestClient(t, srv.URL, nil)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		_, err := c.FetchCase(ctx, sampleID, nil)
		if !errors.Is(err, context.Canceled) || KindName(err) != "canceled" {
			t.Errorf("error %v", err)
		}
		if d := time.Since(start); d > 250*time.Millisecond {
			t.Errorf("took %v", d)
		}
	})
}
