package main

import (
	"net/http"
	"syscall"
	"testing"
	"time"
)

// TestFrozenDatabaseIsAnsweredWithinTheDeadline is issue item 4: with every
// PostgreSQL process stopped (SIGSTOP: no backend can enforce its statement
// timeout), a read and a create answer UNAVAILABLE within the hub's own
// deadline (statement timeout + 1 s, checked with 1 s of slack), /readyz goes red, and after the
// database resumes the create's retry lands exactly once.
func TestFrozenDatabaseIsAnsweredWithinTheDeadline(t *testing.T) {
	const stmtTimeout = 2 * time.Second
	fh := startFaultHub(t, func(m *Main) { m.StmtTimeout = stmtTimeout })
	f := newReferral(t, fh.hub, "reden")
	pids := fh.postgresPIDs(t)
	resumed := false
	resume := func() {
		if !resumed {
			resumed = true
			signalAll(t, pids, syscall.SIGCONT)
		}
	}
	t.Cleanup(resume)
	signalAll(t, pids, syscall.SIGSTOP)
	frozen := time.Now()

	limit := stmtTimeout + 2*time.Second // the deadline, and slack for a loaded machine
	read := make(chan answer, 1)
	go func() {
		a, err := post(fh.url, f.cw, `query($id: ID!) { referral(id: $id) { id } }`, map[string]any{"id": f.referral})
		if err != nil {
			a.raw = []byte(err.Error())
		}
		read <- a
	}()
	created := createInBackground(fh.hub, f, "frozen")
	for what, ch := range map[string]<-chan answer{"a read": read, "a create": created} {
		select {
		case a := <-ch:
			checkRetryable(t, what+" while the database is frozen", a)
		case <-time.After(limit + time.Second):
			t.Fatalf("%s while the database is frozen: no answer within %v", what, limit+time.Second)
		}
	}
	answered := time.Since(frozen)
	if code := readyStatus(fh.url); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz while the database is frozen: %d", code)
	}

	resume()
	back := time.Now()
	retryUntilDone(t, fh, f, "frozen")
	t.Logf("frozen: clients saw UNAVAILABLE after %v (deadline %v); the retry succeeded %v after the database resumed",
		answered.Round(time.Millisecond), limit, time.Since(back).Round(time.Millisecond))
}
