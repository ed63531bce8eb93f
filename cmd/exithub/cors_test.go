package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"exithub"
	"exithub/server"
)

// TestCORSAllowListAnswersPreflightsWithoutToken: browser apps on an
// origin in --cors-origins may call /graphql (their preflight is answered
// without a token, and the answers, refusals too, carry the allowing
// headers); any other origin, and every origin by default, is not allowed.
func TestCORSAllowListAnswersPreflightsWithoutToken(t *testing.T) {
	const app, other = "https://app.example.dk", "https://evil.example.com"
	var m *Main
	h := startHub(t, func(mm *Main) {
		m = mm
		if err := m.ParseFlags([]string{"--addr", "127.0.0.1:0", "--keys", m.KeysDir, "--cors-origins", app + ", http://localhost:5173"}); err != nil {
			t.Fatal(err)
		}
	})
	if !slices.Equal(m.Config.CORSOrigins, []string{app, "http://localhost:5173"}) {
		t.Fatalf("--cors-origins read as %q", m.Config.CORSOrigins)
	}
	resp := preflight(t, h.url, app)
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != app {
		t.Fatalf("preflight from %s: %d, Allow-Origin %q", app, resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	allowedHeaders := strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers"))
	if !strings.Contains(allowedHeaders, "authorization") || !strings.Contains(allowedHeaders, "content-type") {
		t.Errorf("preflight allows headers %q", allowedHeaders)
	}
	if resp := preflight(t, h.url, other); resp.StatusCode == http.StatusUnauthorized || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from %s: %d, Allow-Origin %q", other, resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	token := h.token("101", exithub.RoleCaseworker)
	for _, c := range []struct {
		origin, token, allow string
		status               int
	}{{app, token, app, 200}, {app, "", app, 401}, {other, token, "", 200}} {
		resp := corsPost(t, h.url, c.origin, c.token)
		if resp.StatusCode != c.status || resp.Header.Get("Access-Control-Allow-Origin") != c.allow {
			t.Errorf("POST from %s (token %t): %d, Allow-Origin %q; want %d, %q", c.origin, c.token != "",
				resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), c.status, c.allow)
		}
	}
	def := startHub(t)
	if resp := preflight(t, def.url, app); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("without --cors-origins a preflight from %s is allowed", app)
	}
}

func TestCORSOriginsMustBeOrigins(t *testing.T) {
	for _, bad := range []string{"*", "app.example.dk", "https://app.example.dk/path", "ftp://app.example.dk", "https://u@app.example.dk"} {
		if _, err := server.ParseOrigins(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func preflight(t *testing.T, base, origin string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodOptions, base+"/graphql", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
	return send(t, req)
}

func corsPost(t *testing.T, base, origin, token string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader([]byte(`{"query":"{ me { sub } }"}`)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", origin)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return send(t, req)
}

// send does the request and closes the body, which these tests do not read.
func send(t *testing.T, req *http.Request) *http.Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if err := resp.Body.Close(); err != nil {
		t.Fatal(err)
	}
	return resp
}

// TestCORSBrowserAppOnAnotherOriginCallsTheAPI: in headless Chromium, a
// page from an origin in --cors-origins calls /graphql with a bearer token
// (a preflighted request) and reads the answer; a page from another origin
// is stopped by the browser.
func TestCORSBrowserAppOnAnotherOriginCallsTheAPI(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the CORS browser test needs Chromium at %s (Debian package chromium): %v", chromiumPath, err)
	}
	page := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!doctype html><title>app</title>")) // the browser reads it or the test fails below
	})
	app, stranger := httptest.NewServer(page), httptest.NewServer(page)
	defer app.Close()
	defer stranger.Close()
	h := startHub(t, func(m *Main) { m.Config.CORSOrigins = []string{app.URL} })
	call := `fetch(%q, {method: 'POST', headers: {'Content-Type': 'application/json', 'Authorization': 'Bearer %s'},
		body: JSON.stringify({query: '{ me { sub } }'})}).then(r => r.json()).then(j => j.data.me.sub, e => 'refused: ' + e.message)`
	js := fmt.Sprintf(call, h.url+"/graphql", h.token("101", exithub.RoleCaseworker))
	b := newBrowser(t)
	b.do(chromedp.Navigate(app.URL))
	if got := b.evalAsync(js); got != "caseworker@101" {
		t.Errorf("the app on %s got %q", app.URL, got)
	}
	b.do(chromedp.Navigate(stranger.URL))
	if got := b.evalAsync(js); got != "refused: Failed to fetch" {
		t.Errorf("a page on %s, not allowed, got %q", stranger.URL, got)
	}
}
