package riskos

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// MaxRedirects is how many redirects a request may follow.
const MaxRedirects = 5

// errTooManyRedirects stops a redirect chain longer than MaxRedirects.
var errTooManyRedirects = fmt.Errorf("stopped after %d redirects", MaxRedirects)

// parseBaseURL checks a base URL: https anywhere, http only to a loopback
// host; no credentials, query or fragment. Errors wrap ErrInsecureURL and
// never echo credentials.
func parseBaseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: not a URL", ErrInsecureURL)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: the URL must not contain a user name or password", ErrInsecureURL)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("%w: %q has no host (want https://host)", ErrInsecureURL, truncateRunes(printable(raw), 60))
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("%w: %s must not have a query or fragment", ErrInsecureURL, u.Host)
	}
	if !secureURL(u) {
		return nil, fmt.Errorf("%w: %s://%s is not allowed (https anywhere, http only to 127.0.0.1, ::1 or localhost)",
			ErrInsecureURL, truncateRunes(printable(u.Scheme), 10), u.Host)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// secureURL reports whether a request may go to u: https, or http to loopback.
func secureURL(u *url.URL) bool {
	switch strings.ToLower(u.Scheme) {
	case "https":
		return u.Hostname() != ""
	case "http":
		return isLoopbackHost(u.Hostname())
	}
	return false
}

// isLoopbackHost reports localhost, 127.0.0.0/8 and ::1 (also IPv4-mapped).
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	return addr.Unmap().IsLoopback()
}

// sameHost reports whether two URLs name the same scheme, host and port.
func sameHost(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(canonicalHost(a), canonicalHost(b))
}

// canonicalHost is host:port with the scheme's default port made explicit.
func canonicalHost(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// redirectPolicy follows at most MaxRedirects redirects, each to base's own
// scheme and host or to a secure URL, and drops the credentials headers on
// any hop whose host is not base's.
func redirectPolicy(base *url.URL) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > MaxRedirects {
			return errTooManyRedirects
		}
		same := sameHost(req.URL, base)
		if !same && !secureURL(req.URL) {
			return &insecureRedirectError{target: req.URL}
		}
		if !same {
			req.Header.Del("Authorization")
			req.Header.Del("X-API-Version")
			req.Header.Del("Cookie")
		}
		return nil
	}
}

// newHTTPClient builds the client requests go through: a copy of given (or
// a fresh one over a cloned default transport) with the redirect policy set.
func newHTTPClient(given *http.Client, rt http.RoundTripper, base *url.URL) *http.Client {
	var hc http.Client
	if given != nil {
		hc = *given
	} else if rt != nil {
		hc.Transport = rt
	} else {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSHandshakeTimeout = 15 * time.Second
		t.ExpectContinueTimeout = time.Second
		t.MaxResponseHeaderBytes = 1 << 20
		hc.Transport = t
	}
	hc.CheckRedirect = redirectPolicy(base)
	return &hc
}

// insecureRedirectError is a redirect to a URL that is not HTTPS (nor http
// to loopback). errors.Is(err, ErrInsecureURL) holds.
type insecureRedirectError struct {
	target *url.URL
}

func (e *insecureRedirectError) Error() string { return e.describe("") }

// Is makes errors.Is(err, ErrInsecureURL) true.
func (e *insecureRedirectError) Is(target error) bool { return target == ErrInsecureURL }

// describe names the refused target (scheme and host only), with secret
// redacted before the host is shortened.
func (e *insecureRedirectError) describe(secret string) string {
	host := printable(e.target.Host)
	if secret != "" {
		host = strings.ReplaceAll(host, secret, redacted)
	}
	return "redirect to " + truncateRunes(printable(e.target.Scheme), 10) + "://" + truncateRunes(host, 80) + " refused (not HTTPS)"
}
