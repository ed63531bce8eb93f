package main

import (
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"exithub"
)

// TestGraphiQLLoadsOfflineFromTheBinary opens GraphiQL in headless Chromium
// with every request to another host refused, as in a network without
// internet access, and checks that the page asked for nothing elsewhere and
// that its documentation explorer lists the schema's Query type.
func TestGraphiQLLoadsOfflineFromTheBinary(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("GraphiQL's browser test needs Chromium at %s (Debian package chromium): %v", chromiumPath, err)
	}
	// GraphiQL's introspection query nests deeper than the default depth
	// limit; the limit is not what this test is about.
	h := startHub(t, func(m *Main) { m.Config.Dev, m.Config.MaxDepth = true, 20 })
	hub, err := url.Parse(h.url)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	elsewhere := offline(t, b, hub.Host)
	_, err = chromedp.Call(b.ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
		Headers: network.Headers{"Authorization": "Bearer " + h.token("101", exithub.RoleCaseworker)}})
	if err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Navigate(h.url + "/"))
	const docs = `button[aria-label="Show Documentation Explorer"]`
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`!!document.querySelector('`+docs+`')`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("GraphiQL did not load (%v); it asked other hosts for %v", err, elsewhere())
	}
	b.do(chromedp.Click(chromedp.CSS(docs)))
	root, err := chromedp.Run(b.ctx, chromedp.Poll[string](
		`[...document.querySelectorAll('.graphiql-doc-explorer a')].map(a => a.textContent).find(s => s === 'Query')`,
		chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil || root != "Query" {
		t.Fatalf("the documentation explorer does not list Query (%q, %v); it shows %q", root, err,
			b.eval(`(document.querySelector('.graphiql-doc-explorer') || document.body).innerText.slice(0, 500)`))
	}
	if got := elsewhere(); len(got) > 0 {
		t.Errorf("GraphiQL asked other hosts for %v", got)
	}
	b.checkClean()
}

// offline lets the browser reach only host, failing every request to any
// other host, and returns what it refused so far; a request it could not
// continue or fail (the browser's answer to the test) fails the test when
// that is asked.
func offline(t *testing.T, b *browser, host string) func() []string {
	t.Helper()
	var mu sync.Mutex
	var refused []string
	var errs []error
	paused := chromedp.Events(b.ctx, fetch.RequestPaused)
	if _, err := chromedp.Call(b.ctx, fetch.Enable, fetch.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			var aerr error
			if u, perr := url.Parse(ev.Request.URL); perr == nil && u.Host == host {
				_, aerr = chromedp.Call(b.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
			} else {
				mu.Lock()
				refused = append(refused, ev.Request.URL)
				mu.Unlock()
				_, aerr = chromedp.Call(b.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonInternetDisconnected})
			}
			if aerr != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", ev.Request.URL, aerr))
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		for _, err := range errs {
			t.Errorf("the browser refused the test's answer to a request: %v", err)
		}
		errs = nil
		return append([]string(nil), refused...)
	}
}
