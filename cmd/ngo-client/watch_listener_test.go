package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// terminateListener ends the hub's LISTEN session from the database's side.
func terminateListener(t *testing.T, h *hub) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), h.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	err = conn.QueryRow(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query = 'LISTEN exithub_referrals'`).Scan(&n)
	if err != nil || n != 1 {
		t.Fatalf("terminate the listener: %d sessions, %v", n, err)
	}
}

// liveEvent creates referrals until one arrives as an event (not through a
// catch-up): then the subscription is in place.
func liveEvent(t *testing.T, h *hub, w *watching, citizen string) {
	t.Helper()
	for i := 0; i < 10; i++ {
		id := h.refer(citizen)
		waitFor(t, 10*time.Second, "referral printed", func() bool { return len(lines(w.out, id)) > 0 })
		if strings.HasPrefix(lines(w.out, id)[0], "CREATED ") {
			return
		}
	}
	t.Fatal("no referral arrived as an event")
}

// TestWatchCatchesUpAtOnceWhenTheHubLosesItsListener: when the hub loses
// the LISTEN connection that feeds subscriptions, watch is told at once
// (UNAVAILABLE) and subscribes again, replaying from before the loss, so a
// referral created meanwhile is printed within a second or so, once.
func TestWatchCatchesUpAtOnceWhenTheHubLosesItsListener(t *testing.T) {
	h := startHub(t)
	citizen := h.citizen()
	w := startWatch(t, h.endpoint(), h.token("reden", "ngo_worker"), "--retry-min", "50ms", "--retry-max", "500ms")
	waitFor(t, 20*time.Second, "connection", func() bool { return strings.Contains(w.log.String(), "connected") })
	liveEvent(t, h, w, citizen)

	terminateListener(t, h)
	missed := h.refer(citizen) // most likely before the hub listens again
	told := waitFor(t, 5*time.Second, "word of the loss", func() bool {
		return strings.Contains(w.log.String(), "disconnected: UNAVAILABLE: the event stream was interrupted")
	})
	took := waitFor(t, 5*time.Second, "the referral created during the loss", func() bool { return len(lines(w.out, missed)) > 0 })
	if got := lines(w.out, missed); len(got) != 1 {
		t.Fatalf("referral %s printed %d times: %q", missed, len(got), got)
	}
	liveEvent(t, h, w, citizen)
	t.Logf("watch heard of the loss after %v and printed the referral created meanwhile after %v", told, took)
}
