package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// fault is what becomes of one request the page sends: answered by the
// test before the hub sees it (before), or sent to the hub and its answer
// replaced once the hub has committed (after); the connection breaks
// (fail) or the answer is status, header and body.
type fault struct {
	before, after bool
	fail          bool
	status        int64
	header        map[string]string
	body          string
}

// unavailable is the hub's answer when the database failed: retryable,
// with the Retry-After it names.
func unavailable(retryAfter string) *fault {
	return &fault{status: 200, header: map[string]string{"Content-Type": "application/json", "Retry-After": retryAfter},
		body: `{"errors":[{"message":"the database is not answering","extensions":{"code":"UNAVAILABLE","retryable":true}}],"data":null}`}
}

// faults intercepts a tab's POSTs to /graphql and applies a plan to those
// that run one operation; it keeps their bodies for the test to read.
type faults struct {
	mu     sync.Mutex
	bodies []string
	after  map[fetch.RequestID]*fault
	errs   []error
}

// injectFaults makes plan(n) decide the fate of the n-th request (from 1)
// of the mutation or query named op; nil lets it pass untouched.
func injectFaults(t *testing.T, tb *tab, op string, plan func(n int) *fault) *faults {
	t.Helper()
	f := &faults{after: map[fetch.RequestID]*fault{}}
	paused := chromedp.Events(tb.ctx, fetch.RequestPaused)
	if _, err := chromedp.Call(tb.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/graphql"}}}); err != nil {
		t.Fatal(err)
	}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			f.record(f.handle(tb, op, plan, &ev))
		}
	}()
	return f
}

// handle decides one paused request or answer.
func (f *faults) handle(tb *tab, op string, plan func(n int) *fault, ev *fetch.EventRequestPaused) error {
	if ev.ResponseStatusCode != 0 || ev.ResponseErrorReason != "" {
		f.mu.Lock()
		fl := f.after[ev.RequestID]
		delete(f.after, ev.RequestID)
		f.mu.Unlock()
		return apply(tb, ev.RequestID, fl)
	}
	body := postData(ev.Request)
	if !strings.Contains(body, " "+op+"(") {
		return apply(tb, ev.RequestID, nil)
	}
	f.mu.Lock()
	f.bodies = append(f.bodies, body)
	fl := plan(len(f.bodies))
	if fl != nil && fl.after {
		f.after[ev.RequestID] = fl
	}
	f.mu.Unlock()
	if fl != nil && fl.after {
		intercept := true
		_, err := chromedp.Call(tb.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID, InterceptResponse: &intercept})
		return err
	}
	return apply(tb, ev.RequestID, fl)
}

// apply lets a request go on (fl nil), breaks its connection or answers it.
func apply(tb *tab, id fetch.RequestID, fl *fault) error {
	switch {
	case fl == nil:
		_, err := chromedp.Call(tb.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: id})
		return err
	case fl.fail:
		_, err := chromedp.Call(tb.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: id, ErrorReason: network.ErrorReasonConnectionReset})
		return err
	}
	var headers []*fetch.HeaderEntry
	for k, v := range fl.header {
		headers = append(headers, &fetch.HeaderEntry{Name: k, Value: v})
	}
	_, err := chromedp.Call(tb.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: id, ResponseCode: fl.status, ResponseHeaders: headers, Body: []byte(fl.body)})
	return err
}

func postData(r *network.Request) string {
	var b strings.Builder
	for _, e := range r.PostDataEntries {
		b.Write(e.Bytes)
	}
	return b.String()
}

func (f *faults) record(err error) {
	if err == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs = append(f.errs, err)
}

// sent returns the bodies of the operation's requests so far, failing the
// test if the browser refused a command of the interception.
func (f *faults) sent(t *testing.T) []string {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.errs) > 0 {
		t.Fatalf("intercepting the page's requests: %v", f.errs)
	}
	return append([]string(nil), f.bodies...)
}

// keys returns the idempotencyKey of each body.
func keys(t *testing.T, bodies []string) []string {
	t.Helper()
	var out []string
	for _, b := range bodies {
		var req struct {
			Variables struct {
				Input map[string]any `json:"input"`
			} `json:"variables"`
		}
		if err := json.Unmarshal([]byte(b), &req); err != nil {
			t.Fatalf("a request body is not JSON: %v: %s", err, b)
		}
		out = append(out, fmt.Sprint(req.Variables.Input["idempotencyKey"]))
	}
	return out
}
