//go:build e2e

package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"docvreview/fetch/simulator"
)

// report mirrors the --json schema (README.md, Command line).
type report struct {
	EvalID      string `json:"eval_id"`
	Environment string `json:"environment"`
	Images      []struct {
		Role        string `json:"role"`
		Path        string `json:"path"`
		Bytes       int64  `json:"bytes"`
		SHA256      string `json:"sha256"`
		Width       int    `json:"width"`
		Height      int    `json:"height"`
		Orientation int    `json:"orientation"`
		Forensics   *struct {
			JPEGQuality       *int     `json:"jpeg_quality"`
			ChromaSubsampling string   `json:"chroma_subsampling"`
			Progressive       bool     `json:"progressive"`
			EXIFFlags         []string `json:"exif_flags"`
			Barcode           *struct {
				Format     string            `json:"format"`
				Standard   string            `json:"standard"`
				Version    int               `json:"version"`
				Fields     map[string]string `json:"fields"`
				Mismatches []struct {
					Field    string `json:"field"`
					Barcode  string `json:"barcode"`
					Document string `json:"document"`
				} `json:"mismatches"`
			} `json:"barcode"`
		} `json:"forensics"`
		Error string `json:"error"`
	} `json:"images"`
	Attachments []struct {
		Path   string `json:"path"`
		Bytes  int64  `json:"bytes"`
		SHA256 string `json:"sha256"`
		Pages  int    `json:"pages"`
		Error  string `json:"error"`
	} `json:"attachments"`
	Other []struct {
		Path  string `json:"path"`
		Bytes int64  `json:"bytes"`
	} `json:"other"`
	Evaluation *map[string]any `json:"evaluation"`
	Warnings   []string        `json:"warnings"`
	Error      *struct {
		Kind    string `json:"kind"`
		Status  int    `json:"status"`
		Message string `json:"message"`
		Hint    string `json:"hint"`
	} `json:"error"`
}

func decodeReport(t *testing.T, r result) report {
	t.Helper()
	var rep report
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("stdout is not the documented JSON object: %v\nstdout: %s\nstderr: %s", err, r.stdout, r.stderr)
	}
	if rep.Images == nil || rep.Attachments == nil || rep.Other == nil || rep.Warnings == nil {
		t.Errorf("images, attachments, other and warnings must be arrays, got %s", r.stdout)
	}
	return rep
}

func roles(rep report) string {
	var rs []string
	for _, im := range rep.Images {
		s := im.Role
		if im.Error != "" {
			s += "!"
		}
		rs = append(rs, s)
	}
	return strings.Join(rs, ",")
}

// TestCLIScenarios runs `fetch --json` against `docvreview simulate` for every
// scenario and checks the documented exit code and JSON.
func TestCLIScenarios(t *testing.T) {
	const key = "e2e-accepted-key-7f3a"
	env := sandboxEnv(t, t.TempDir(), "DOCV_SIMULATOR_KEY="+key, "DOCV_SIMULATOR_OTHER_KEY=e2e-production-key")
	base := startSimulator(t, env)
	withKey := append(append([]string(nil), env...), "DOCV_API_KEY="+key)

	cases := []struct {
		id       string
		code     int
		kind     string
		status   int
		roles    string
		atts     int
		contains string // in error message or hint, lower case
		check    func(t *testing.T, rep report)
	}{
		{id: simulator.HappyID, code: 0, roles: "front,back,selfie", atts: 2, check: func(t *testing.T, rep report) {
			for _, im := range rep.Images {
				if im.Width == 0 || im.Height == 0 || len(im.SHA256) != 64 || im.Bytes == 0 {
					t.Errorf("image %+v lacks size or hash", im)
				}
				if im.Role == "selfie" && (im.Orientation != 6 || im.Width >= im.Height) {
					t.Errorf("selfie: orientation %d, %d×%d; want 6 and portrait", im.Orientation, im.Width, im.Height)
				}
			}
			for _, a := range rep.Attachments {
				if a.Pages < 1 || a.Error != "" {
					t.Errorf("attachment %+v: want pages and no error", a)
				}
			}
			if rep.Evaluation == nil {
				t.Error("evaluation summary missing")
			}
		}},
		{id: simulator.PassportID, code: 0, roles: "front,selfie", atts: 1},
		{id: simulator.MilitaryID, code: 3, kind: "no_documents", status: 400, contains: "military"},
		{id: simulator.MinorID, code: 3, kind: "no_documents", status: 400, contains: "18"},
		{id: simulator.RetentionID, code: 3, kind: "no_documents", status: 400, contains: "retention"},
		{id: simulator.NotFoundID, code: 5, kind: "not_found", status: 404},
		{id: simulator.FlakyID, code: 0, roles: "front,back,selfie", atts: 2},
		{id: simulator.SlowID, code: 0, roles: "front,back,selfie", atts: 2},
		{id: simulator.HostileID, code: 0, check: func(t *testing.T, rep report) {
			good, bad := 0, 0
			for _, im := range rep.Images {
				if im.Error == "" {
					good++
				} else {
					bad++
				}
				if strings.Contains(im.Path, "..") {
					t.Errorf("unsafe entry listed: %q", im.Path)
				}
			}
			if good != 1 || bad < 1 {
				t.Errorf("hostile: %d good and %d bad images (%s); want the good front and the corrupt one", good, bad, roles(rep))
			}
			if len(rep.Attachments) != 1 || rep.Attachments[0].Error == "" {
				t.Errorf("hostile: the fake PDF must be listed with an error: %+v", rep.Attachments)
			}
			if len(rep.Warnings) == 0 {
				t.Error("hostile: the traversal entry must be a warning")
			}
		}},
		{id: simulator.RecaptureID, code: 0, roles: "front,front,back,selfie,selfie,image", check: func(t *testing.T, rep report) {
			if len(rep.Other) != 1 {
				t.Errorf("recapture: want 1 other file, got %+v", rep.Other)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.id[:8], func(t *testing.T) {
			t.Parallel()
			r := run(t, withKey, "", 2*time.Minute, "fetch", "--json", "--env", "sandbox", "--base-url", base, "--eval-id", tc.id)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tc.code, r.stdout, r.stderr)
			}
			rep := decodeReport(t, r)
			if rep.EvalID != tc.id || rep.Environment != "sandbox" {
				t.Errorf("eval_id %q environment %q", rep.EvalID, rep.Environment)
			}
			if tc.kind != "" {
				if rep.Error == nil || rep.Error.Kind != tc.kind || rep.Error.Status != tc.status {
					t.Fatalf("error %+v, want kind %s status %d", rep.Error, tc.kind, tc.status)
				}
				if msg := strings.ToLower(rep.Error.Message + " " + rep.Error.Hint); !strings.Contains(msg, tc.contains) {
					t.Errorf("error %q does not mention %q", msg, tc.contains)
				}
			} else if rep.Error != nil {
				t.Fatalf("unexpected error %+v", rep.Error)
			}
			if tc.roles != "" && roles(rep) != tc.roles {
				t.Errorf("roles %s, want %s", roles(rep), tc.roles)
			}
			if tc.atts != 0 && len(rep.Attachments) != tc.atts {
				t.Errorf("%d attachments, want %d", len(rep.Attachments), tc.atts)
			}
			if tc.check != nil {
				tc.check(t, rep)
			}
			if strings.Contains(r.stdout+r.stderr, key) {
				t.Error("the API key was printed")
			}
		})
	}

	t.Run("keys", func(t *testing.T) {
		for _, k := range []struct {
			key  string
			code int
			kind string
		}{{"wrong-key", 4, "unauthorized"}, {"e2e-production-key", 4, "forbidden"}} {
			r := run(t, append(append([]string(nil), env...), "DOCV_API_KEY="+k.key), "", time.Minute,
				"fetch", "--json", "--base-url", base, "--eval-id", simulator.HappyID)
			rep := decodeReport(t, r)
			if r.code != k.code || rep.Error == nil || rep.Error.Kind != k.kind || rep.Error.Hint == "" {
				t.Errorf("key %s: exit %d error %+v; want %d %s with a hint", k.key, r.code, rep.Error, k.code, k.kind)
			}
		}
	})
}
