package riskos

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestParseBaseURL(t *testing.T) {
	tests := []struct {
		in, want string // want "" → ErrInsecureURL
	}{
		{"https://riskos.socure.com", "https://riskos.socure.com"},
		{" https://riskos.socure.com/ ", "https://riskos.socure.com"},
		{"HTTPS://proxy.example/riskos//", "https://proxy.example/riskos"},
		{"https://[2001:db8::1]:8443", "https://[2001:db8::1]:8443"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http://127.9.9.9", "http://127.9.9.9"},
		{"http://[::1]:1", "http://[::1]:1"},
		{"http://[::ffff:127.0.0.1]:1", "http://[::ffff:127.0.0.1]:1"},
		{"http://localhost:8080/", "http://localhost:8080"},
		{"http://riskos.socure.com", ""},
		{"http://192.168.1.10", ""},
		{"http://0.0.0.0:8080", ""},
		{"http://localhost.evil.example", ""},
		{"http://127.0.0.1.nip.io", ""},
		{"ws://127.0.0.1", ""},
		{"file:///etc/passwd", ""},
		{"https://", ""},
		{"https:///path", ""},
		{"//riskos.socure.com", ""},
		{"https://a:b@riskos.socure.com", ""},
		{"https://riskos.socure.com/?x=1", ""},
		{"https://riskos.socure.com/#frag", ""},
		{"https://riskos.socure.com/?", ""},
		{"https://exa mple.com", ""},
		{"", ""},
	}
	for _, tt := range tests {
		u, err := parseBaseURL(tt.in)
		if tt.want == "" {
			if !errors.Is(err, ErrInsecureURL) {
				t.Errorf("parseBaseURL(%q) = %v, %v; want ErrInsecureURL", tt.in, u, err)
			}
			continue
		}
		if err != nil || u.String() != tt.want {
			t.Errorf("parseBaseURL(%q) = %v, %v; want %s", tt.in, u, err, tt.want)
		}
	}
}

func TestRedirectPolicy(t *testing.T) {
	base, _ := url.Parse("https://riskos.socure.com")
	policy := redirectPolicy(base)
	newReq := func(target string) *http.Request {
		r, _ := http.NewRequest(http.MethodGet, target, nil)
		r.Header.Set("Authorization", "Bearer k")
		r.Header.Set("X-API-Version", "v")
		r.Header.Set("User-Agent", "DocVReview/x")
		return r
	}
	via := []*http.Request{newReq("https://riskos.socure.com/a")}
	tests := []struct {
		target   string
		keepAuth bool
		err      error
	}{
		{"https://riskos.socure.com/b", true, nil},
		{"https://RISKOS.socure.com:443/b", true, nil},
		{"https://cdn.socure.com/b", false, nil},
		{"https://evil.riskos.socure.com/b", false, nil}, // a subdomain is another host
		{"https://riskos.socure.com:8443/b", false, nil}, // so is another port
		{"http://riskos.socure.com/b", false, ErrInsecureURL},
		{"http://127.0.0.1:9/b", false, nil},
		{"ftp://riskos.socure.com/b", false, ErrInsecureURL},
	}
	for _, tt := range tests {
		r := newReq(tt.target)
		err := policy(r, via)
		if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("%s: error %v, want %v", tt.target, err, tt.err)
			continue
		}
		if err != nil {
			continue
		}
		if got := r.Header.Get("Authorization") != ""; got != tt.keepAuth {
			t.Errorf("%s: Authorization kept = %v", tt.target, got)
		}
		if got := r.Header.Get("X-API-Version") != ""; got != tt.keepAuth {
			t.Errorf("%s: X-API-Version kept = %v", tt.target, got)
		}
		if r.Header.Get("User-Agent") == "" {
			t.Errorf("%s: User-Agent dropped", tt.target)
		}
	}
	many := make([]*http.Request, MaxRedirects+1)
	if err := policy(newReq("https://riskos.socure.com/c"), many); !errors.Is(err, errTooManyRedirects) {
		t.Errorf("after %d requests: %v", len(many), err)
	}
	if err := policy(newReq("https://riskos.socure.com/c"), many[:MaxRedirects]); err != nil {
		t.Errorf("redirect number %d refused: %v", MaxRedirects, err)
	}
}

// headerLog records the headers of requests a server saw.
type headerLog struct {
	mu      sync.Mutex
	headers []http.Header
}

func (l *headerLog) add(h http.Header) {
	l.mu.Lock()
	l.headers = append(l.headers, h.Clone())
	l.mu.Unlock()
}

func (l *headerLog) all() []http.Header {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]http.Header(nil), l.headers...)
}

func TestRedirectToAnotherHostDropsAuthorization(t *testing.T) {
	for _, tls := range []bool{false, true} {
		name := "http loopback"
		if tls {
			name = "https"
		}
		t.Run(name, func(t *testing.T) {
			start := httptest.NewServer
			if tls {
				start = httptest.NewTLSServer
			}
			var second headerLog
			other := start(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				second.add(r.Header)
				w.Write(fakeZIP(50))
			}))
			defer other.Close()
			var first headerLog
			origin := start(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				first.add(r.Header)
				switch {
				case strings.HasPrefix(r.URL.Path, "/api/"):
					http.Redirect(w, r, "/same-host"+r.URL.Path, http.StatusFound)
				default:
					http.Redirect(w, r, other.URL+"/elsewhere", http.StatusTemporaryRedirect)
				}
			}))
			defer origin.Close()

			c := newTestClient(t, origin.URL, func(o *Options) {
				o.HTTPClient = origin.Client() // trusts the test certificate, shared by both servers
				o.APIVersion = "2025-01-01.orion"
			})
			data, err := c.Documents(context.Background(), sampleID, nil)
			if err != nil || len(data) != 50 {
				t.Fatalf("got %d bytes, %v", len(data), err)
			}
			hops := first.all()
			if len(hops) != 2 {
				t.Fatalf("origin saw %d requests, want 2", len(hops))
			}
			for i, h := range hops { // the same-host redirect keeps the credentials
				if h.Get("Authorization") != "Bearer "+clientKey || h.Get("X-API-Version") == "" {
					t.Errorf("origin request %d lacks credentials: %v", i, h)
				}
			}
			got := second.all()
			if len(got) != 1 {
				t.Fatalf("other host saw %d requests", len(got))
			}
			if v := got[0].Get("Authorization"); v != "" {
				t.Errorf("Authorization reached the other host: %q", v)
			}
			if v := got[0].Get("X-API-Version"); v != "" {
				t.Errorf("X-API-Version reached the other host: %q", v)
			}
			if got[0].Get("User-Agent") != "DocVReview/"+Version {
				t.Errorf("User-Agent %q", got[0].Get("User-Agent"))
			}
		})
	}
}

func TestRedirectToHTTPRefused(t *testing.T) {
	srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, "http://example.com/"+r.URL.Path, http.StatusFound)
	})
	c := newTestClient(t, srv.URL, nil)
	_, err := c.Documents(context.Background(), sampleID, nil)
	e := asAPIError(t, err)
	if !errors.Is(err, ErrInsecureURL) || KindName(err) != "insecure_url" {
		t.Fatalf("error %v", err)
	}
	if e.Message != "redirect to http://example.com refused (not HTTPS)" || e.Attempts != 1 || srv.hits.Load() != 1 {
		t.Errorf("message %q, attempts %d, hits %d", e.Message, e.Attempts, srv.hits.Load())
	}
}

func TestTooManyRedirects(t *testing.T) {
	for _, n := range []int{MaxRedirects, MaxRedirects + 1, 50} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			srv := newHitServer(t, func(w http.ResponseWriter, r *http.Request, hit int) {
				if hit <= n {
					http.Redirect(w, r, "/hop/"+strconv.Itoa(hit), http.StatusFound)
					return
				}
				w.Write(fakeZIP(10))
			})
			c := newTestClient(t, srv.URL, nil)
			_, err := c.Documents(context.Background(), sampleID, nil)
			if n <= MaxRedirects {
				if err != nil {
					t.Fatalf("%d redirects: %v", n, err)
				}
				return
			}
			if !errors.Is(err, ErrServer) || !strings.Contains(err.Error(), "stopped after 5 redirects") {
				t.Errorf("error %v", err)
			}
			if got := srv.hits.Load(); got != MaxRedirects+1 {
				t.Errorf("server saw %d requests, want %d", got, MaxRedirects+1)
			}
		})
	}
}

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.255.0.9": true, "::1": true, "::ffff:127.0.0.1": true,
		"localhost": true, "LOCALHOST": true,
		"": false, "0.0.0.0": false, "::": false, "10.0.0.1": false, "128.0.0.1": false,
		"localhost.": false, "my.localhost.example": false, "example.com": false, "fe80::1": false,
	} {
		if got := isLoopbackHost(host); got != want {
			t.Errorf("isLoopbackHost(%q) = %v", host, got)
		}
	}
}
