package main

import (
	"context"
	"syscall"
	"testing"
	"time"

	"exithub/graph/relay"
)

// referInput is a create with an idempotency key, as a careful client sends it.
func referInput(f referralFixture, key string) map[string]any {
	return map[string]any{"in": map[string]any{"citizenId": f.citizenID, "to": "reden", "needs": []string{"HOUSING"},
		"message": "fault " + key, "contact": "c", "idempotencyKey": key}}
}

// createInBackground sends a create and hands over what the client got.
func createInBackground(h *hub, f referralFixture, key string) <-chan answer {
	out := make(chan answer, 1)
	go func() {
		a, err := post(h.url, f.cw, referMutation, referInput(f, key))
		if err != nil {
			a.raw = []byte(err.Error())
		}
		out <- a
	}()
	return out
}

// retryUntilDone retries a create with its key, as the README tells a
// client to, until it is acknowledged, and checks it exists exactly once.
func retryUntilDone(t *testing.T, fh *faultHub, f referralFixture, key string) time.Duration {
	t.Helper()
	var id string
	took := waitUntil(t, 20*time.Second, "acknowledged retry of "+key, func() bool {
		a, err := post(fh.url, f.cw, referMutation, referInput(f, key))
		if err != nil {
			return false
		}
		id, _ = get(a.Data, "createReferral", "id").(string)
		return len(a.Errors) == 0 && id != ""
	})
	var n int
	err := fh.admin(t).QueryRow(context.Background(), "SELECT count(*) FROM hub.referrals WHERE message = $1 AND id = $2",
		"fault "+key, relay.IDOf("Referral", id)).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	var all int
	if err := fh.admin(t).QueryRow(context.Background(), "SELECT count(*) FROM hub.referrals WHERE message = $1", "fault "+key).Scan(&all); err != nil {
		t.Fatal(err)
	}
	if n != 1 || all != 1 {
		t.Fatalf("key %s: the acknowledged referral exists %d times, referrals with its message %d; want 1 and 1", key, n, all)
	}
	return took
}

// TestCreateWhoseClaimDiesIsUnavailable is issue item 1: a create whose
// connection dies in its first statement (the idempotency claim) answers
// UNAVAILABLE, never NOT_FOUND, and its retry with the same key creates
// exactly one referral.
func TestCreateWhoseClaimDiesIsUnavailable(t *testing.T) {
	fh := startFaultHub(t)
	f := newReferral(t, fh.hub, "reden")
	ctx := context.Background()
	admin := fh.admin(t)
	// Another transaction holds the key, so the claim waits on it.
	blocker, err := admin.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = blocker.Exec(ctx, `INSERT INTO hub.idempotency_keys (org_id, key, operation, result_id, created_at)
		SELECT id, 'claim-dies', 'createReferral', gen_random_uuid(), now() FROM hub.organisations WHERE code = '101'`)
	if err != nil {
		t.Fatal(err)
	}
	got := createInBackground(fh.hub, f, "claim-dies")
	pid := waitBackend(t, fh.admin(t), "INSERT INTO hub.idempotency_keys")
	var ok bool
	if err := fh.admin(t).QueryRow(ctx, "SELECT pg_terminate_backend($1)", pid).Scan(&ok); err != nil || !ok {
		t.Fatalf("terminate backend %d: %v %v", pid, ok, err)
	}
	checkRetryable(t, "a create whose claim's connection died", <-got)
	if err := blocker.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	took := retryUntilDone(t, fh, f, "claim-dies")
	t.Logf("claim's backend terminated: the client saw UNAVAILABLE; its retry succeeded after %v", took)
}

// TestBackendKilledMidTransactionIsUnavailable is issue items 1 and 2: a
// backend killed (SIGKILL, as by the OOM killer) after the claim, in the
// middle of a create, cuts the connection short (EOF) and makes PostgreSQL
// restart; the client sees UNAVAILABLE, and its retry creates exactly one.
func TestBackendKilledMidTransactionIsUnavailable(t *testing.T) {
	fh := startFaultHub(t)
	f := newReferral(t, fh.hub, "reden")
	ctx := context.Background()
	// Another transaction holds the citizen, so the referral's foreign key
	// check waits on it, after the claim.
	blocker, err := fh.admin(t).Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = blocker.Exec(ctx, "SELECT 1 FROM hub.citizens WHERE id = $1 FOR UPDATE", relay.IDOf("Citizen", f.citizenID))
	if err != nil {
		t.Fatal(err)
	}
	got := createInBackground(fh.hub, f, "killed-mid-way")
	pid := waitBackend(t, fh.admin(t), "INSERT INTO hub.referrals")
	start := time.Now()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	checkRetryable(t, "a create whose backend was killed", <-got)
	// The hub sees its connection break as soon as the backend dies; the
	// postmaster ends the other backends a moment later: wait for that.
	waitUntil(t, 10*time.Second, "crash restart ending the blocking transaction", func() bool {
		_, err := blocker.Exec(ctx, "SELECT 1")
		return err != nil
	})
	if err := blocker.Rollback(ctx); err == nil {
		t.Fatal("the blocking transaction survived the crash restart")
	}
	took := retryUntilDone(t, fh, f, "killed-mid-way")
	t.Logf("backend killed: the client saw UNAVAILABLE; its retry succeeded %v after the kill (%v of retrying)", time.Since(start), took)
}
