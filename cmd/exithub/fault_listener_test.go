package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// terminateListener ends the hub's LISTEN session from the database's side,
// as a restart of a backend or a network cut would.
func terminateListener(t *testing.T, h *hub) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), h.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	err = conn.QueryRow(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query = 'LISTEN `+"exithub_referrals"+`'`).Scan(&n)
	if err != nil || n != 1 {
		t.Fatalf("terminate the listener: %d sessions, %v", n, err)
	}
}

// TestListenerLossTellsEverySubscriber is issue item 5: when the hub's
// LISTEN connection is lost, every open subscription ends at once with a
// retryable UNAVAILABLE error (the events notified meanwhile reach no one);
// the loss and the return are logged and counted, and a new subscription
// carries events again.
func TestListenerLossTellsEverySubscriber(t *testing.T) {
	h := startHub(t)
	f := newReferral(t, h, "reden")
	subs := []*wsClient{dialWS(t, h.url, f.ngo), dialWS(t, h.url, f.ngo), dialWS(t, h.url, f.cw)}
	for _, s := range subs {
		s.subscribe("1", eventsSubscription)
	}
	waitUntil(t, 5*time.Second, "subscriptions in place", func() bool { return h.main.listener.Subscribers() == len(subs) })

	lost := time.Now()
	terminateListener(t, h)
	for i, s := range subs {
		m := s.readPast(2 * time.Second)
		if m["type"] != "error" || m["id"] != "1" || get(m, "payload") == nil {
			t.Fatalf("subscriber %d after the listener was lost: %v; want an error", i, m)
		}
		e := get(m, "payload", 0)
		if get(e, "extensions", "code") != exithub.EUNAVAILABLE || get(e, "extensions", "retryable") != true {
			t.Fatalf("subscriber %d was told %v; want UNAVAILABLE, retryable", i, e)
		}
	}
	told := time.Since(lost)
	back := waitUntil(t, 5*time.Second, "listener back", func() bool { return h.main.listener.Reconnects() == 1 })
	if h.main.listener.Losses() != 1 {
		t.Fatalf("%d losses counted; want 1", h.main.listener.Losses())
	}
	metrics := getText(t, h.url+"/metrics")
	for _, want := range []string{"exithub_listener_losses_total 1", "exithub_listener_reconnects_total 1", "exithub_listener_up 1"} {
		if !strings.Contains(metrics, want) {
			t.Fatalf("/metrics lacks %q", want)
		}
	}
	logs := strings.Join(h.logs.Lines(), "\n")
	for _, want := range []string{"listener lost its connection", "listener listening again"} {
		if !strings.Contains(logs, want) {
			t.Fatalf("the log does not say %q", want)
		}
	}

	again := dialWS(t, h.url, f.ngo)
	again.subscribe("2", eventsSubscription)
	waitUntil(t, 5*time.Second, "the new subscription in place", func() bool { return h.main.listener.Subscribers() == 1 })
	g := newReferral(t, h, "reden")
	m := again.read(5 * time.Second)
	if get(m, "payload", "data", "referralEvents", "referral", "id") != g.referral {
		t.Fatalf("the new subscription got %v; want the new referral", m)
	}
	t.Logf("listener lost: %d subscribers told UNAVAILABLE within %v; listening again %v later", len(subs), told, back)
}

// getText reads a page's body.
func getText(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSubscriptionSinceReplaysTheGap: a subscriber told of a loss
// subscribes again with `since`, and hears of what changed in the gap (a
// status change of an older referral, which the inbox's `since`, on the
// moment a referral was sent, does not show); another NGO hears nothing.
func TestSubscriptionSinceReplaysTheGap(t *testing.T) {
	h := startHub(t)
	f := newReferral(t, h, "reden")
	cw := dialWS(t, h.url, f.cw)
	cw.subscribe("1", eventsSubscription)
	waitUntil(t, 5*time.Second, "subscription in place", func() bool { return h.main.listener.Subscribers() == 1 })
	since := time.Now().Add(-time.Second).UTC().Format(time.RFC3339Nano)
	terminateListener(t, h)
	if m := cw.readPast(2 * time.Second); m["type"] != "error" {
		t.Fatalf("after the loss the subscriber got %v; want an error", m)
	}
	if r := f.transition(f.ngo, "receive", nil); len(r.Errors) > 0 {
		t.Fatalf("receive: %s", r.raw)
	}
	waitUntil(t, 5*time.Second, "listener back", h.main.listener.Listening)
	q := `subscription($since: DateTime) { referralEvents(since: $since) { kind referral { id status to { code } } } }`
	cw.send(map[string]any{"id": "2", "type": "subscribe", "payload": map[string]any{"query": q, "variables": map[string]any{"since": since}}})
	for {
		m := cw.read(5 * time.Second)
		if m == nil || m["type"] != "next" {
			t.Fatalf("the replay since %s ended with %v before the change made in the gap", since, m)
		}
		ev := get(m, "payload", "data", "referralEvents")
		if get(ev, "kind") == "STATUS_CHANGED" && get(ev, "referral", "id") == f.referral && get(ev, "referral", "status") == "RECEIVED" {
			break
		}
	}
	other := dialWS(t, h.url, f.otherNGO)
	other.send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": q, "variables": map[string]any{"since": since}}})
	if m := other.read(time.Second); m != nil {
		t.Fatalf("another NGO's replay showed %v", m)
	}
}

// readPast returns the first message that is not an event: events of
// changes made before the loss may still be on their way.
func (c *wsClient) readPast(timeout time.Duration) map[string]any {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		m := c.read(time.Until(deadline))
		if m == nil || m["type"] != "next" {
			return m
		}
	}
}
