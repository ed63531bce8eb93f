package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// refusingHub answers every request with one GraphQL error, as the hub
// would, and counts the requests.
type refusingHub struct {
	srv      *httptest.Server
	requests atomic.Int32
}

// startRefusingHub answers with code, the HTTP status and, when not empty,
// a Retry-After header; an answer of a retryable code says so in
// extensions, as the hub's do.
func startRefusingHub(t *testing.T, code string, status int, retryAfter string) *refusingHub {
	t.Helper()
	h := &refusingHub{}
	ext := fmt.Sprintf(`{"code":%q}`, code)
	if code == "UNAVAILABLE" || code == "RATE_LIMITED" {
		ext = fmt.Sprintf(`{"code":%q,"retryable":true}`, code)
	}
	body := fmt.Sprintf(`{"errors":[{"message":"refused for the test","extensions":%s}],"data":null}`, ext)
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.requests.Add(1)
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if _, err := w.Write([]byte(body)); err != nil {
			t.Errorf("answering: %v", err)
		}
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *refusingHub) endpoint() string { return h.srv.URL + "/graphql" }

func TestOnlyUnavailableAndRateLimitedAreRetryable(t *testing.T) {
	coded := func(code string) error {
		return gqlerror.List{{Message: "m", Extensions: map[string]any{"code": code}}}
	}
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"UNAVAILABLE", coded("UNAVAILABLE"), true},
		{"RATE_LIMITED over HTTP 429", &graphql.HTTPError{StatusCode: 429, Response: graphql.Response{Errors: coded("RATE_LIMITED").(gqlerror.List)}}, true},
		{"a code marked retryable", gqlerror.List{{Extensions: map[string]any{"code": "SOMETHING_NEW", "retryable": true}}}, true},
		{"NOT_FOUND", coded("NOT_FOUND"), false},
		{"CONFLICT", coded("CONFLICT"), false},
		{"INTERNAL", coded("INTERNAL"), false},
		{"UNAUTHENTICATED", coded("UNAUTHENTICATED"), false},
		{"FORBIDDEN", coded("FORBIDDEN"), false},
		{"BAD_USER_INPUT", coded("BAD_USER_INPUT"), false},
		{"an unknown code", coded("SOMETHING_NEW"), false},
		{"UNAVAILABLE beside CONFLICT", gqlerror.List{coded("UNAVAILABLE").(gqlerror.List)[0], coded("CONFLICT").(gqlerror.List)[0]}, false},
		{"no answer", &net.OpError{Op: "dial", Err: errors.New("connection refused")}, true},
		{"a proxy's 502 page", &graphql.HTTPError{StatusCode: 502, Response: graphql.Response{Errors: gqlerror.List{{Message: "<html>"}}}}, true},
		{"a proxy's 413 page", &graphql.HTTPError{StatusCode: 413, Response: graphql.Response{Errors: gqlerror.List{{Message: "<html>"}}}}, false},
		{"stopped by the user", fmt.Errorf("post: %w", context.Canceled), false},
	}
	for _, c := range cases {
		if got := retryable(c.err); got != c.want || final(c.err) == c.want {
			t.Errorf("%s: retryable %v, final %v; want retryable %v", c.name, got, final(c.err), c.want)
		}
	}
}

func TestRetryAfterIsReadInBothFormsAndBounded(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"":                              0,
		"3":                             3 * time.Second,
		"-3":                            0,
		"soon":                          0,
		"99999999999999999":             maxRetryAfter,
		"Tue, 01 Dec 2026 12:00:07 GMT": 7 * time.Second,
		"Tue, 01 Dec 2026 11:00:00 GMT": 0,
		"Wed, 02 Dec 2026 12:00:00 GMT": maxRetryAfter,
	}
	for v, want := range cases {
		if got := parseRetryAfter(v, now); got != want {
			t.Errorf("Retry-After %q: %v, want %v", v, got, want)
		}
	}
}

// Watch gives up on a final error rather than asking again: the fake hub
// sees the one request and no retry.
func TestWatchGivesUpOnEveryFinalCode(t *testing.T) {
	for _, code := range []string{"NOT_FOUND", "CONFLICT", "INTERNAL", "SOMETHING_NEW"} {
		t.Run(code, func(t *testing.T) {
			h := startRefusingHub(t, code, http.StatusOK, "")
			w := startWatch(t, h.endpoint(), "token", "--retry-min", "10ms", "--retry-max", "20ms")
			w.wantErr = true
			waitFor(t, 10*time.Second, "watch to give up", w.ended)
			if w.err == nil || !strings.Contains(w.log.String(), code) {
				t.Fatalf("watch ended with %v, stderr %q; want %s", w.err, w.log, code)
			}
			if n := h.requests.Load(); n != 1 {
				t.Fatalf("the hub was asked %d times; a final error is not asked again", n)
			}
		})
	}
}

// Watch waits as long as the hub's Retry-After asks, longer than its own
// backoff, but no longer than maxRetryAfter. The wait is read from watch's
// log line, not timed.
func TestWatchWaitsAsLongAsRetryAfterAsks(t *testing.T) {
	cases := []struct {
		code       string
		status     int
		retryAfter string
		want       time.Duration
	}{
		{"UNAVAILABLE", http.StatusOK, "3", 3 * time.Second},
		{"RATE_LIMITED", http.StatusTooManyRequests, "2", 2 * time.Second},
		{"UNAVAILABLE", http.StatusOK, "86400", maxRetryAfter},
	}
	for _, c := range cases {
		t.Run(c.code+" "+c.retryAfter, func(t *testing.T) {
			h := startRefusingHub(t, c.code, c.status, c.retryAfter)
			w := startWatch(t, h.endpoint(), "token", "--retry-min", "10ms", "--retry-max", "20ms")
			want := fmt.Sprintf("reconnecting in %v\n", c.want)
			waitFor(t, 10*time.Second, "a retry announced", func() bool { return strings.Contains(w.log.String(), "reconnecting in") })
			if !strings.Contains(w.log.String(), want) || w.ended() {
				t.Fatalf("watch logged %q; want a retry %q", w.log, want)
			}
		})
	}
}

// A one-shot command tells by its exit code whether running it again may
// help, and sends its request once: it never repeats a mutation itself.
func TestOneShotCommandsExitRetryableOrFinal(t *testing.T) {
	_, client := binaries(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close() // a port nothing listens on any more
	cases := []struct {
		name       string
		code       string
		status     int
		retryAfter string
		exit       int
		says       string
	}{
		{"UNAVAILABLE", "UNAVAILABLE", http.StatusOK, "1", exitRetryable, "retryable: try again in 1s"},
		{"RATE_LIMITED", "RATE_LIMITED", http.StatusTooManyRequests, "4", exitRetryable, "retryable: try again in 4s"},
		{"NOT_FOUND", "NOT_FOUND", http.StatusOK, "", exitFinal, "NOT_FOUND"},
		{"INTERNAL", "INTERNAL", http.StatusOK, "", exitFinal, "INTERNAL"},
		{"the hub not reached", "", 0, "", exitRetryable, "retryable: try again later"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			endpoint := closed.URL + "/graphql"
			var h *refusingHub
			if c.code != "" {
				h = startRefusingHub(t, c.code, c.status, c.retryAfter)
				endpoint = h.endpoint()
			}
			var stderr bytes.Buffer
			cmd := exec.Command(client, "accept", "UmVmZXJyYWw6eA", "--endpoint", endpoint, "--token", "token")
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != c.exit || !strings.Contains(stderr.String(), c.says) {
				t.Fatalf("got %v, stderr %q; want exit code %d saying %q", err, stderr.String(), c.exit, c.says)
			}
			if h != nil && h.requests.Load() != 1 {
				t.Fatalf("the hub was asked %d times, want once", h.requests.Load())
			}
		})
	}
}

// startWebSocketRefusingHub answers watch's read of its inbox with an empty
// one, refuses every WebSocket with status (and Retry-After, when given),
// and answers the query Me with me, with HTTP status meStatus.
func startWebSocketRefusingHub(t *testing.T, status int, retryAfter string, meStatus int, me string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet { // the WebSocket's handshake
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			http.Error(w, "refused", status)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading the request: %v", err)
		}
		w.Header().Set("Content-Type", "application/json")
		answer := `{"data":{"referrals":{"edges":[],"pageInfo":{"endCursor":null,"hasNextPage":false}}}}`
		if bytes.Contains(body, []byte("query Me")) {
			w.WriteHeader(meStatus)
			answer = me
		}
		if _, err := io.WriteString(w, answer); err != nil {
			t.Errorf("answering: %v", err)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A WebSocket the hub refuses for now (503: too many connections) carries a
// Retry-After too, which watch honours as it does an HTTP answer's.
func TestWatchWaitsAsLongAsARefusedWebSocketAsks(t *testing.T) {
	srv := startWebSocketRefusingHub(t, http.StatusServiceUnavailable, "5", http.StatusOK,
		`{"data":{"me":{"sub":"w","role":"ngo_worker","organisation":{"code":"reden"}}}}`)
	w := startWatch(t, srv.URL+"/graphql", "token", "--retry-min", "10ms", "--retry-max", "20ms")
	waitFor(t, 10*time.Second, "a retry announced", func() bool { return strings.Contains(w.log.String(), "reconnecting in") })
	if log := w.log.String(); !strings.Contains(log, "503") || !strings.Contains(log, "reconnecting in 5s\n") {
		t.Fatalf("watch logged %q; want the 503 and a retry in 5s", log)
	}
}

// A refused WebSocket does not say why; watch asks the same token over
// HTTP, and gives up when the answer is final (a token that expired
// between its read of the inbox and its subscription, say).
func TestWatchAsksOverHTTPWhyAWebSocketWasRefused(t *testing.T) {
	srv := startWebSocketRefusingHub(t, http.StatusForbidden, "", http.StatusUnauthorized,
		`{"errors":[{"message":"the token has expired","extensions":{"code":"UNAUTHENTICATED"}}]}`)
	w := startWatch(t, srv.URL+"/graphql", "token", "--retry-min", "10ms", "--retry-max", "20ms")
	w.wantErr = true
	waitFor(t, 10*time.Second, "watch to give up", w.ended)
	if w.err == nil || !strings.Contains(w.log.String(), "UNAUTHENTICATED: the token has expired") {
		t.Fatalf("watch ended with %v, stderr %q; want UNAUTHENTICATED", w.err, w.log)
	}
}
