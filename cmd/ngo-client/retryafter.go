package main

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// maxRetryAfter bounds how long a Retry-After may keep the client waiting:
// the hub asks for seconds; a longer wait is more likely a proxy's mistake
// than a plan, and watch should not fall silent for it.
const maxRetryAfter = time.Minute

// retryHints remembers the Retry-After of the hub's last answer. genqlient
// returns errors without the response's headers, so the HTTP transport and
// the WebSocket dialer record it here, for whoever decides to retry.
type retryHints struct {
	mu    sync.Mutex
	after time.Duration
}

// record keeps the answer's Retry-After, or forgets the last one when the
// answer has none: a hint belongs to the answer that carried it.
func (h *retryHints) record(header http.Header) {
	d := parseRetryAfter(header.Get("Retry-After"), time.Now())
	h.mu.Lock()
	defer h.mu.Unlock()
	h.after = d
}

// take returns the last answer's hint and forgets
// it, so that it delays one retry, not every later one.
func (h *retryHints) take() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	d := h.after
	h.after = 0
	return d
}

// parseRetryAfter reads either form RFC 9110 allows, delay-seconds or an
// HTTP date, as a wait of at most maxRetryAfter. Anything else, or a moment
// already past, is no hint.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		// Bounded before it is multiplied, which could overflow.
		return time.Duration(min(max(s, 0), int(maxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), maxRetryAfter)
	}
	return 0
}

// recordRetryAfter is the HTTP transport that records each answer's hint.
type recordRetryAfter struct {
	hints *retryHints
	next  http.RoundTripper
}

// RoundTrip sends r and records the hint of its answer.
func (t recordRetryAfter) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err == nil {
		t.hints.record(resp.Header)
	}
	return resp, err
}
