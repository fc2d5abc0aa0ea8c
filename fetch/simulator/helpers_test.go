package simulator

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// via is one way of reaching a handler: over a loopback socket or through
// the in-process Transport.
type via struct {
	name  string
	start func(t *testing.T, h http.Handler) (c *http.Client, base string)
}

// vias are both ways; every HTTP-level test runs through each.
var vias = []via{
	{"httptest", func(t *testing.T, h http.Handler) (*http.Client, string) {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv.Client(), srv.URL
	}},
	{"transport", func(t *testing.T, h http.Handler) (*http.Client, string) {
		return &http.Client{Transport: Transport(h)}, "http://riskos.simulator.invalid"
	}},
}

// get performs a GET with an optional Authorization header and returns the
// response with its body read.
func get(t *testing.T, c *http.Client, url, auth string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return resp, body
}

// message decodes a {"message": …} body.
func message(t *testing.T, body []byte) string {
	t.Helper()
	var m struct {
		Message *string `json:"message"`
	}
	if err := json.Unmarshal(body, &m); err != nil || m.Message == nil {
		t.Fatalf("body is not a JSON message: %q (%v)", body, err)
	}
	return *m.Message
}

// zipNames lists the entry names of a ZIP in order.
func zipNames(t *testing.T, b []byte) []string {
	t.Helper()
	zr := openZIP(t, b)
	names := make([]string, len(zr.File))
	for i, f := range zr.File {
		names[i] = f.Name
	}
	return names
}

// openZIP opens b, tolerating the insecure-path report of the hostile case.
func openZIP(t *testing.T, b []byte) *zip.Reader {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil && err != zip.ErrInsecurePath {
		t.Fatalf("open ZIP: %v", err)
	}
	return zr
}

// zipEntry returns the content of the entry called name.
func zipEntry(t *testing.T, b []byte, name string) []byte {
	t.Helper()
	for _, f := range openZIP(t, b).File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("open %s: %v", name, err)
		}
		defer rc.Close()
		data, err := io.ReadAll(rc)
		if err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
		return data
	}
	t.Fatalf("no entry %s", name)
	return nil
}
