package riskos

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestEvaluationRedactsEchoedKey: a server (or proxy) that reflects the
// request's API key inside the evaluation JSON must not get it into the
// summary the app shows and prints.
func TestEvaluationRedactsEchoedKey(t *testing.T) {
	srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"eval_id":%q,"workflow":%q,"tags":[%q],"decision":"ACCEPT"}`,
			sampleID, r.Header.Get("Authorization"), "key="+clientKey)
	})
	c := newTestClient(t, srv.URL, nil)
	ev, err := c.Evaluation(context.Background(), sampleID)
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), clientKey) {
		t.Fatalf("the summary holds the key: %s", out)
	}
	if ev.Decision != "ACCEPT" || !strings.Contains(string(out), redacted) {
		t.Errorf("summary %s: want the decision kept and the key redacted", out)
	}
}
