package db_test

import (
	"bytes"
	"context"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"exithub"
	"exithub/db"
	"exithub/db/pgtest"
	"exithub/policy"
)

// logBuffer is a log the test can read while the database layer writes it.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// count is how many log lines contain s.
func (l *logBuffer) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), s)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor waits until cond holds, failing the test after a while.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited in vain for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func openWithReplica(t *testing.T, url, replicaURL string, maxLag time.Duration) (*db.DB, *logBuffer) {
	t.Helper()
	authz, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	d, err := db.Open(context.Background(), db.Config{URL: url, ReplicaURL: replicaURL, ReplicaMaxLag: maxLag,
		Log: slog.New(slog.NewJSONHandler(logs, nil))}, authz, testKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d, logs
}

// referralsCounted is the statistics' number of persons helped today: one
// per referral seedReferrals makes (each to a citizen of its own).
func referralsCounted(t *testing.T, d *db.DB) int {
	t.Helper()
	counts, err := d.National(as(t, d, "ministry", exithub.RoleAnalyst), exithub.Today(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range counts {
		n += c.N
	}
	return n
}

const (
	onReplica = "replica in use"
	onPrimary = "replica not used"
)

func TestStatisticsFromTheReplicaAndThePrimaryWhenItIsDownOrLags(t *testing.T) {
	d, primaryURL := openDB(t)
	ctx := context.Background()
	replica, err := pgtest.Cluster().StartReplica(ctx, pgtest.TempDir(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := replica.Remove(); err != nil {
			t.Errorf("remove the replica: %v", err)
		}
	})
	u, err := url.Parse(primaryURL)
	if err != nil {
		t.Fatal(err)
	}
	replicaURL := replica.URL(strings.TrimPrefix(u.Path, "/"))
	patient, patientLog := openWithReplica(t, primaryURL, replicaURL, time.Hour)
	strict, strictLog := openWithReplica(t, primaryURL, replicaURL, 300*time.Millisecond)
	waitFor(t, "both to read from the replica", func() bool { return patientLog.count(onReplica) == 1 && strictLog.count(onReplica) == 1 })
	before := referralsCounted(t, patient)
	checkReleaseComputedOnThePrimary(t, patient)

	// Replay paused, the replica keeps the figures of before the new referrals.
	if err := rawConn(t, replica.URL("postgres")).QueryRow(ctx, "SELECT pg_wal_replay_pause()").Scan(new(any)); err != nil {
		t.Fatal(err)
	}
	seedReferrals(t, d)
	if got := referralsCounted(t, d); got != before+2 {
		t.Fatalf("the primary counts %d referrals; want %d", got, before+2)
	}
	if got := referralsCounted(t, patient); got != before {
		t.Fatalf("read with a replica %d referrals behind: %d; want the replica's %d", 2, got, before)
	}
	waitFor(t, "a log line that the lagging replica is not used", func() bool { return strictLog.count(onPrimary) == 1 })
	if !strings.Contains(strictLog.String(), "lags") {
		t.Fatalf("the log does not say the replica lags:\n%s", strictLog)
	}
	if got := referralsCounted(t, strict); got != before+2 {
		t.Fatalf("read past the lag bound: %d referrals; want the primary's %d", got, before+2)
	}

	if err := rawConn(t, replica.URL("postgres")).QueryRow(ctx, "SELECT pg_wal_replay_resume()").Scan(new(any)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the replica caught up and used again", func() bool { return strictLog.count(onReplica) == 2 })

	// patient's replica is checked no more: only a read can find it down,
	// and that read runs again on the primary; strict's checks find it.
	db.StopReplicaChecks(patient)
	if err := replica.Stop(ctx, "immediate"); err != nil {
		t.Fatal(err)
	}
	if got := referralsCounted(t, patient); got != before+2 {
		t.Fatalf("read as the replica went down: %d referrals; want the primary's %d", got, before+2)
	}
	if patientLog.count(onPrimary) != 1 || !strings.Contains(patientLog.String(), "a read failed on it") {
		t.Fatalf("the log does not say a read found the replica down:\n%s", patientLog)
	}
	waitFor(t, "a log line that the stopped replica is not used", func() bool { return strictLog.count(onPrimary) == 2 })
	if got := referralsCounted(t, strict); got != before+2 {
		t.Fatalf("read with the replica down: %d referrals; want the primary's %d", got, before+2)
	}
}

// checkReleaseComputedOnThePrimary asks, while reads go to the replica, for
// a month no one has asked for: the replica cannot store it, so it is
// computed and stored on the primary.
func checkReleaseComputedOnThePrimary(t *testing.T, d *db.DB) {
	t.Helper()
	m := exithub.Month{Year: 2014, Month: 3}
	publish := func(src exithub.ReleaseSource) (exithub.Release, error) {
		return exithub.DefaultPrivacy.Publish(m, src, rand.NewChaCha8([32]byte{1}))
	}
	rel, err := d.Release(as(t, d, "ministry", exithub.RoleAnalyst), m, exithub.DefaultPrivacy.K, publish)
	if err != nil || rel.Tables == nil {
		t.Fatalf("a release not yet computed, asked with the replica in use: %v (stored: %t)", err, rel.Tables != nil)
	}
}
