package simulator

import (
	"encoding/json"
	"net/http"
	"strings"
)

// reasonCode is one entry of the simulated reason-code catalogue.
type reasonCode struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Product     string `json:"product"`
	IsActive    bool   `json:"isActive"`
}

// reasonCatalogue describes every code the scenarios use, plus a couple of
// others (one inactive). The texts are the simulator's own.
var reasonCatalogue = []reasonCode{
	{"I831", "All required document images were captured and processed", "DocV", true},
	{"I834", "The selfie matches the portrait on the document", "DocV", true},
	{"I836", "The document is within its validity period", "DocV", true},
	{"I845", "The barcode on the back was read and agrees with the front", "DocV", true},
	{"R810", "The document image shows signs of digital editing", "DocV", true},
	{"R822", "The image quality was too low to read the document; a new capture was requested", "DocV", true},
	{"R827", "The selfie does not sufficiently match the portrait on the document", "DocV", true},
	{"R838", "The barcode data differs from the data on the front of the document", "DocV", true},
	{"R919", "The consumer is under the minimum age", "DocV", true},
	{"R800", "Legacy: the document type could not be recognised", "DocV", false},
	{"I610", "The email address has a long history with this identity", "Email RiskScore", true},
}

// serveReasonCodes answers GET /api/reason-codes with the catalogue, filtered
// by product, name (repeatable), text (in the description) and isActive,
// as {"reasonCodes": [...]}.
func serveReasonCodes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	product := strings.TrimSpace(q.Get("product"))
	text := strings.ToLower(strings.TrimSpace(q.Get("text")))
	names := map[string]bool{}
	for _, n := range q["name"] {
		for _, part := range strings.Split(n, ",") {
			if part = strings.ToUpper(strings.TrimSpace(part)); part != "" {
				names[part] = true
			}
		}
	}
	active := strings.ToLower(strings.TrimSpace(q.Get("isActive")))
	out := []reasonCode{}
	for _, c := range reasonCatalogue {
		switch {
		case product != "" && !strings.EqualFold(product, c.Product):
		case len(names) > 0 && !names[c.Name]:
		case text != "" && !strings.Contains(strings.ToLower(c.Description), text):
		case active == "true" && !c.IsActive, active == "false" && c.IsActive:
		default:
			out = append(out, c)
		}
	}
	b, err := json.Marshal(struct {
		ReasonCodes []reasonCode `json:"reasonCodes"`
	}{out})
	if err != nil {
		writeMessage(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	writeJSON(w, http.StatusOK, b)
}
