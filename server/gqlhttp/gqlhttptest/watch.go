package gqlhttptest

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// Event is one thing the graphql-ws client saw (ws-watch.mjs): connecting,
// connected, closed (with the close code and reason), next (with data),
// error (what it reports to the application, with the close code that
// caused it), complete, or timeout (nothing was reported in time).
type Event struct {
	Event  string          `json:"event"`
	Code   int             `json:"code"`
	Reason string          `json:"reason"`
	Data   json.RawMessage `json:"data"`
}

// Watcher is a running graphql-ws client.
type Watcher struct {
	t      testing.TB
	ctx    context.Context
	lines  chan string
	stderr *lockedBuffer
}

// Watch starts the graphql-ws reference client on wsURL with authorization
// in connection_init, subscribing to query; it reconnects retries times, at
// once, before it reports an error. It reports within 20 seconds or prints
// a timeout event.
func Watch(t testing.TB, wsURL, authorization, query string, retries int) *Watcher {
	t.Helper()
	d := install(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	cmd := exec.CommandContext(ctx, "node", "ws-watch.mjs")
	cmd.Dir = d
	cmd.Env = append(os.Environ(), "WS_URL="+wsURL, "WS_AUTH="+authorization, "WS_QUERY="+query,
		"WS_RETRIES="+strconv.Itoa(retries))
	w := &Watcher{t: t, ctx: ctx, lines: make(chan string, 64), stderr: &lockedBuffer{}}
	cmd.Stderr = w.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	go readLines(stdout, w.lines)
	t.Cleanup(func() {
		cancel()
		// cancel kills a client still running, which is how a watch the
		// test needs no more ends; any other failure is the client's own.
		if err := cmd.Wait(); err != nil && !killed(err) {
			t.Errorf("graphql-ws client: %v; stderr: %s", err, w.stderr.String())
		}
	})
	return w
}

// killed tells whether err is the exit of a process ended by a signal, or
// by the cancel of its context, which exec reports as the context's error.
func killed(err error) bool {
	var exit *exec.ExitError
	return errors.Is(err, context.Canceled) || errors.As(err, &exit) && !exit.Exited()
}

// Until returns the events up to and including the first of kind, failing
// the test if the client ends or times out first.
func (w *Watcher) Until(kind string) []Event {
	w.t.Helper()
	var seen []Event
	for {
		select {
		case l, ok := <-w.lines:
			if !ok {
				w.t.Fatalf("graphql-ws client ended before %q; saw %+v; stderr: %s", kind, seen, w.stderr.String())
			}
			var e Event
			if err := json.Unmarshal([]byte(l), &e); err != nil {
				w.t.Fatalf("graphql-ws client printed %q: %v", l, err)
			}
			seen = append(seen, e)
			if e.Event == kind {
				return seen
			}
			if e.Event == "timeout" {
				w.t.Fatalf("graphql-ws client reported nothing before %q; saw %+v", kind, seen)
			}
		case <-w.ctx.Done():
			w.t.Fatalf("graphql-ws client: no %q in time; saw %+v; stderr: %s", kind, seen, w.stderr.String())
		}
	}
}
