package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
	"exithub/db"
	"exithub/graph/relay"
)

// TestCrashUnderWriteLoad stops PostgreSQL (immediate mode: a crash) in the
// middle of a sustained write load, and restarts it. Every answer a writer
// got while the database was away is UNAVAILABLE (never INTERNAL, never
// NOT_FOUND), retryable, with Retry-After and HTTP 200, as authentication's
// is; no acknowledged write is lost or duplicated; and the listener's
// backoff, grown during the outage, starts again from its minimum after a
// healthy period.
func TestCrashUnderWriteLoad(t *testing.T) {
	ctx := context.Background()
	fh := startFaultHub(t)
	h := fh.hub
	f := newReferral(t, h, "reden")
	load := newWriteLoad(h, f)
	load.start(4)
	waitUntil(t, 20*time.Second, "writes acknowledged under load", func() bool { return load.ackedCount() >= 20 })

	if err := fh.c.Stop(ctx, "immediate"); err != nil {
		t.Fatal(err)
	}
	// A read that needs the database: a referral. (`me` would not do: for
	// an organisation the hub knows it is answered from the token and the
	// directory kept in memory.)
	r, err := post(h.url, f.cw, `query($id: ID!) { referral(id: $id) { id } }`, map[string]any{"id": f.referral})
	if err != nil {
		t.Fatal(err)
	}
	checkRetryable(t, "a read while the database is down", r)
	// An organisation the hub has not read yet: authentication itself
	// needs the database, and answers as a resolver does.
	r, err = post(h.url, h.token("not-yet-known", exithub.RoleCaseworker), `{ me { sub } }`, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkRetryable(t, "authentication while the database is down", r)
	if code := readyStatus(h.url); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz while down: %d", code)
	}
	// Down long enough for every writer to be refused and for the listener
	// to fail a few reconnects, which grows its backoff.
	waitUntil(t, 20*time.Second, "every writer refused and the listener's reconnects failing", func() bool {
		return load.refusedWriters() == 4 && strings.Count(strings.Join(h.logs.Lines(), "\n"), "listener lost its connection") >= 5
	})
	if err := fh.c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	restarted := time.Now()
	waitUntil(t, 30*time.Second, "/readyz green after the restart", func() bool { return readyStatus(h.url) == http.StatusOK })
	ready := time.Since(restarted)
	acked := load.stop()
	load.checkCodes(t)
	load.retryFailed(t)
	checkNoneLostNoneDuplicated(t, fh.super, acked, load.keys())
	t.Logf("immediate stop: writers saw %v; /readyz green %v after the restart", load.codeCounts(), ready)

	checkBackoffResets(t, h)
}

// checkBackoffResets waits for the listener to be back and to hold for its
// healthy period, then cuts it again: the loss's log line must give the
// shortest backoff, not the one the outage grew, and the listener returns.
func checkBackoffResets(t *testing.T, h *hub) {
	t.Helper()
	l := h.main.listener
	waitUntil(t, 30*time.Second, "listener back after the restart", l.Listening)
	// The period the listener must hold is what is tested: wait until it has.
	waitUntil(t, 30*time.Second, "listener held for its healthy period", func() bool {
		return l.HeldFor() > db.ListenHealthy+100*time.Millisecond
	})
	losses := func() []string {
		var out []string
		for _, line := range h.logs.Lines() {
			if strings.Contains(line, "listener lost its connection") {
				out = append(out, line)
			}
		}
		return out
	}
	before := len(losses())
	if grown := loggedBackoff(t, losses()[before-1]); grown <= db.ListenBackoffMin {
		t.Fatalf("the outage did not grow the backoff: its last loss waited %v", grown)
	}
	n := l.Reconnects()
	terminateListener(t, h)
	waitUntil(t, 10*time.Second, "the short loss logged", func() bool { return len(losses()) > before })
	if b := loggedBackoff(t, losses()[before]); b != db.ListenBackoffMin {
		t.Fatalf("after a healthy period the listener waits %v, not its shortest backoff %v", b, db.ListenBackoffMin)
	}
	took := waitUntil(t, 10*time.Second, "listener back after a short loss", func() bool { return l.Reconnects() > n })
	t.Logf("listener: back %v after a loss that followed a healthy period", took)
}

type writeLoad struct {
	h     *hub
	f     referralFixture
	mu    sync.Mutex
	acked map[string]string // key → referral id
	// failed are the keys whose last attempt was refused; refused are the
	// writers refused at least once; codes counts what refusals said.
	failed  map[string]bool
	all     map[string]bool
	refused map[int]bool
	codes   map[string]int
	done    chan struct{}
	wg      sync.WaitGroup
}

func newWriteLoad(h *hub, f referralFixture) *writeLoad {
	return &writeLoad{h: h, f: f, acked: map[string]string{}, failed: map[string]bool{}, all: map[string]bool{},
		refused: map[int]bool{}, codes: map[string]int{}, done: make(chan struct{})}
}

func (l *writeLoad) start(writers int) {
	for w := 0; w < writers; w++ {
		l.wg.Add(1)
		go func(w int) {
			defer l.wg.Done()
			// Like a careful client: a refused write is retried with the
			// same idempotency key, after a pause, until it succeeds.
			for i := 0; ; i++ {
				key := fmt.Sprintf("load-%d-%d", w, i)
				for !l.write(w, key) {
					select {
					case <-l.done:
						return
					case <-time.After(50 * time.Millisecond):
					}
				}
				select {
				case <-l.done:
					return
				default:
				}
			}
		}(w)
	}
}

func (l *writeLoad) write(w int, key string) bool {
	a, err := post(l.h.url, l.f.cw, referMutation, map[string]any{"in": map[string]any{"citizenId": l.f.citizenID, "to": "reden",
		"needs": []string{"HOUSING"}, "message": "load " + key, "contact": "c", "idempotencyKey": key}})
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all[key] = true
	if id, ok := get(a.Data, "createReferral", "id").(string); ok && err == nil && len(a.Errors) == 0 {
		l.acked[key] = id
		delete(l.failed, key)
		return true
	}
	code := a.code()
	switch {
	case err != nil:
		code = "transport error: " + err.Error()
	case a.code() == exithub.EUNAVAILABLE && (!a.retryable() || a.header.Get("Retry-After") == "" || a.Status != http.StatusOK):
		code = fmt.Sprintf("UNAVAILABLE without retryable, Retry-After or 200 (HTTP %d)", a.Status)
	}
	l.codes[code]++
	l.failed[key] = true
	l.refused[w] = true
	return false
}

func (l *writeLoad) ackedCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acked)
}

func (l *writeLoad) refusedWriters() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.refused)
}

func (l *writeLoad) codeCounts() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]int{}
	for c, n := range l.codes {
		out[c] = n
	}
	return out
}

// checkCodes fails unless every refusal was UNAVAILABLE, as a client that
// retries only UNAVAILABLE needs.
func (l *writeLoad) checkCodes(t *testing.T) {
	t.Helper()
	codes := l.codeCounts()
	var other []string
	for c, n := range codes {
		if c != exithub.EUNAVAILABLE {
			other = append(other, fmt.Sprintf("%s ×%d", c, n))
		}
	}
	sort.Strings(other)
	if codes[exithub.EUNAVAILABLE] == 0 || len(other) > 0 {
		t.Fatalf("writers were refused with %v; want UNAVAILABLE only", codes)
	}
}

func (l *writeLoad) stop() map[string]string {
	close(l.done)
	l.wg.Wait()
	out := map[string]string{}
	for k, v := range l.acked {
		out[k] = v
	}
	return out
}

// retryFailed retries every refused write with its idempotency key, as a
// client would, until each succeeds.
func (l *writeLoad) retryFailed(t *testing.T) {
	deadline := time.Now().Add(30 * time.Second)
	for len(l.failed) > 0 && time.Now().Before(deadline) {
		for k := range l.failed {
			l.write(-1, k)
		}
	}
	if len(l.failed) > 0 {
		t.Fatalf("%d writes still fail after the restart", len(l.failed))
	}
}

func (l *writeLoad) keys() map[string]bool { return l.all }

func checkNoneLostNoneDuplicated(t *testing.T, url string, acked map[string]string, keys map[string]bool) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for key, id := range acked {
		var n int
		err := conn.QueryRow(ctx, "SELECT count(*) FROM hub.referrals WHERE id = $1 AND message = $2",
			relay.IDOf("Referral", id), "load "+key).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("acknowledged referral %s (key %s) is lost after the crash", id, key)
		}
	}
	var rows, distinct int
	err = conn.QueryRow(ctx, "SELECT count(*), count(DISTINCT message) FROM hub.referrals WHERE message LIKE 'load %'").Scan(&rows, &distinct)
	if err != nil {
		t.Fatal(err)
	}
	if rows != distinct || rows != len(keys) {
		t.Fatalf("%d referrals for %d distinct keys (%d tried): duplicates or losses", rows, distinct, len(keys))
	}
	t.Logf("%d writes, %d acknowledged before or during the crash; none lost, none duplicated", len(keys), len(acked))
}

// loggedBackoff is the backoff a listener's JSON log line of a loss gives.
func loggedBackoff(t *testing.T, line string) time.Duration {
	t.Helper()
	var rec struct {
		Backoff *int64 `json:"backoff"`
	}
	if err := json.Unmarshal([]byte(line), &rec); err != nil || rec.Backoff == nil {
		t.Fatalf("a loss's log line without its backoff (%v): %s", err, line)
	}
	return time.Duration(*rec.Backoff)
}
