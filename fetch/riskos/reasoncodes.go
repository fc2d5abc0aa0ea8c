package riskos

import (
	"context"
	"docvreview/fetch/eval"
	"errors"
	"net/url"
	"strconv"
	"strings"
)

// ReasonCodeQuery filters GET /api/reason-codes. Zero fields are not sent.
type ReasonCodeQuery struct {
	Product string   // e.g. "DocV"
	Names   []string // codes, each sent as its own name= parameter
	Text    string   // words in the description
	Active  *bool    // isActive
}

// values encodes q as query parameters.
func (q ReasonCodeQuery) values() url.Values {
	v := url.Values{}
	if s := strings.TrimSpace(q.Product); s != "" {
		v.Set("product", s)
	}
	for _, n := range q.Names {
		if n = strings.TrimSpace(n); n != "" {
			v.Add("name", n)
		}
	}
	if s := strings.TrimSpace(q.Text); s != "" {
		v.Set("text", s)
	}
	if q.Active != nil {
		v.Set("isActive", strconv.FormatBool(*q.Active))
	}
	return v
}

// ReasonCodes fetches the reason-code catalogue (GET /api/reason-codes),
// filtered by q, with the retries of a read. The catalogue holds no personal
// data. Errors are *APIError (kind ErrServer for an answer that cannot be
// read as a catalogue).
func (c *Client) ReasonCodes(ctx context.Context, q ReasonCodeQuery) ([]eval.ReasonCode, error) {
	u := *c.base
	u.Path = c.base.Path + "/api/reason-codes"
	u.RawQuery = q.values().Encode()
	body, err := c.get(ctx, request{op: "reason codes", url: u.String(), accept: "application/json", max: eval.MaxReasonCodesBytes})
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) && errors.Is(ae, ErrNotFound) {
			ae.Hint = "This RiskOS account or API version offers no reason-code catalogue; the codes are shown without descriptions."
		}
		return nil, err
	}
	codes, err := eval.ParseReasonCodes(body)
	if err != nil {
		return nil, &APIError{Kind: ErrServer, Op: "reason codes", Status: 200, Attempts: 1,
			Message: "the reason-code catalogue could not be read", Hint: unexpectedHint, Err: err}
	}
	return codes, nil
}
