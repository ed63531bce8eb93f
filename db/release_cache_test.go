package db_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
	"exithub/db"
	"exithub/policy"
)

// releaseStatements counts the statements that read or write a release
// (hub.releases, hub.release_cells, hub.release_source).
type releaseStatements struct{ n atomic.Int64 }

func (c *releaseStatements) TraceQueryStart(ctx context.Context, _ *pgx.Conn, q pgx.TraceQueryStartData) context.Context {
	if strings.Contains(q.SQL, "hub.release") {
		c.n.Add(1)
	}
	return ctx
}

func (c *releaseStatements) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// openCounted opens a second instance on url whose release statements
// are counted.
func openCounted(t *testing.T, url string, cfg db.Config) (*db.DB, *releaseStatements) {
	t.Helper()
	authz, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	counter := &releaseStatements{}
	cfg.URL, cfg.Tracer = url, counter
	d, err := db.Open(context.Background(), cfg, authz, testKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d, counter
}

func auditRecords(t *testing.T, conn *pgx.Conn, sub string) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM hub.audit_log WHERE sub = $1", sub).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A release, once read, is read again from memory: no statement reaches
// the release's tables, the answer is the same, and every read is still
// authorised and writes its audit record. A computation that failed is
// not kept: the next request computes the month.
func TestReleaseIsReadFromTheDatabaseOnce(t *testing.T) {
	_, url := openDB(t)
	d, counter := openCounted(t, url, db.Config{})
	raw := rawConn(t, url)
	ctx := as(t, d, "ministry", exithub.RoleAnalyst)
	m := exithub.Month{Year: 2014, Month: 3}
	var calls atomic.Int32
	publish := func(src exithub.ReleaseSource) (exithub.Release, error) {
		if calls.Add(1) == 1 {
			return exithub.Release{}, errors.New("the noise failed")
		}
		return exithub.DefaultPrivacy.Publish(m, src, rand.NewChaCha8([32]byte{3}))
	}
	if _, err := d.Release(ctx, m, exithub.DefaultPrivacy.K, publish); err == nil {
		t.Fatal("a failed computation answered")
	}
	first, err := d.Release(ctx, m, exithub.DefaultPrivacy.K, publish)
	if err != nil || len(first.Cells(exithub.TablePersons)) == 0 {
		t.Fatalf("the release after a failed computation: %v", err)
	}
	if n := calls.Load(); n != 2 {
		t.Fatalf("publish called %d times; want the failure and one computation", n)
	}
	before, audited := counter.n.Load(), auditRecords(t, raw, "analyst@ministry")
	for range 3 {
		again, err := d.Release(ctx, m, exithub.DefaultPrivacy.K, publish)
		if err != nil || !reflect.DeepEqual(again, first) {
			t.Fatalf("a second read answers otherwise (%v)", err)
		}
	}
	if n := counter.n.Load() - before; n != 0 {
		t.Fatalf("three more reads of the month sent %d statements to its release", n)
	}
	if n := auditRecords(t, raw, "analyst@ministry") - audited; n != 3 {
		t.Fatalf("three reads from memory wrote %d audit records", n)
	}
	// Memory serves only those the policy gives aggregates to.
	refused := auditRecords(t, raw, "caseworker@101")
	if _, err := d.Release(as(t, d, "101", exithub.RoleCaseworker), m, exithub.DefaultPrivacy.K, publish); exithub.ErrorCode(err) != exithub.EFORBIDDEN {
		t.Fatalf("a caseworker read a release: %v", err)
	}
	if auditRecords(t, raw, "caseworker@101") != refused+1 {
		t.Fatal("the refusal is not audited")
	}
	if calls.Load() != 2 {
		t.Fatal("a read from memory computed the month again")
	}
}

// Requests for a month not yet computed, while it is computed: the month
// is computed once, the waiting requests hold no connection (a read on a
// pool of two goes through meanwhile) and send no statement, and a
// computation that outlasts the requests' deadline (the statement timeout
// and its margin) is still stored, not cut off with them; the requests
// answer UNAVAILABLE saying so, and the next one reads the stored month.
func TestReleaseIsComputedOnceOutsideTheRequests(t *testing.T) {
	_, url := openDB(t)
	d, counter := openCounted(t, url, db.Config{StatementTimeout: 300 * time.Millisecond, MaxConns: 2})
	ctx := as(t, d, "ministry", exithub.RoleAnalyst)
	m := exithub.Month{Year: 2014, Month: 3}
	var calls atomic.Int32
	started, proceed := make(chan struct{}), make(chan struct{})
	var proceeding sync.Once
	release := func() { proceeding.Do(func() { close(proceed) }) }
	t.Cleanup(release)
	publish := func(src exithub.ReleaseSource) (exithub.Release, error) {
		if calls.Add(1) == 1 {
			close(started)
			<-proceed
		}
		return exithub.DefaultPrivacy.Publish(m, src, rand.NewChaCha8([32]byte{4}))
	}
	const requests = 6
	errs := make([]error, requests)
	first := make(chan struct{})
	go func() {
		defer close(first)
		_, errs[0] = d.Release(ctx, m, exithub.DefaultPrivacy.K, publish)
	}()
	<-started
	before := counter.n.Load()
	var wg sync.WaitGroup
	for i := 1; i < requests; i++ {
		wg.Go(func() { _, errs[i] = d.Release(ctx, m, exithub.DefaultPrivacy.K, publish) })
	}
	_, readErr := d.National(ctx, exithub.Date{Year: 2014, Month: 3, Day: 18})
	wg.Wait()
	sent := counter.n.Load() - before
	// The first request has waited longer than the others: past its
	// deadline too, whatever the computation does next.
	release()
	<-first
	if readErr != nil {
		t.Fatalf("a read while the month is computed: %v", readErr)
	}
	for i, err := range errs {
		if exithub.ErrorCode(err) != exithub.EUNAVAILABLE || !strings.Contains(err.Error(), "being computed") {
			t.Fatalf("request %d, waiting past its deadline for the computation: %v", i, err)
		}
	}
	if sent != 0 {
		t.Fatalf("the waiting requests sent %d statements to the release", sent)
	}
	// Each read waits for the computation's end, as long as a request may.
	rel, err := d.Release(ctx, m, exithub.DefaultPrivacy.K, publish)
	for i := 0; i < 20 && err != nil && strings.Contains(err.Error(), "being computed"); i++ {
		rel, err = d.Release(ctx, m, exithub.DefaultPrivacy.K, publish)
	}
	if err != nil || len(rel.Cells(exithub.TablePersons)) == 0 {
		t.Fatalf("the month after its computation: %v", err)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("the month was computed %d times", n)
	}
	other, counted := openCounted(t, url, db.Config{})
	stored, err := other.Release(as(t, other, "ministry", exithub.RoleAnalyst), m, exithub.DefaultPrivacy.K, publish)
	if err != nil || !reflect.DeepEqual(stored, rel) || counted.n.Load() == 0 {
		t.Fatalf("another instance reads otherwise what was stored (%v)", err)
	}
}

// A month stored by someone else while this computation ran (the lock
// keeps instances of the hub apart; this stands in for anything else) is
// the release: the computation is dropped, and what is served, now and
// from memory later, is what the database holds.
func TestReleaseServedIsTheStoredOne(t *testing.T) {
	_, url := openDB(t)
	d, _ := openCounted(t, url, db.Config{})
	raw := rawConn(t, url)
	ctx := as(t, d, "ministry", exithub.RoleAnalyst)
	m := exithub.Month{Year: 2014, Month: 4}
	publish := func(src exithub.ReleaseSource) (exithub.Release, error) {
		if _, err := raw.Exec(context.Background(), `INSERT INTO hub.releases (month, threshold, epsilon, k) VALUES ('2014-04-01', 7, '1/1', 2);
			INSERT INTO hub.release_cells (month, tbl, pos, key, value) VALUES ('2014-04-01', 'persons', 0, 'ORIENTATION||', 42)`); err != nil {
			return exithub.Release{}, err
		}
		return exithub.DefaultPrivacy.Publish(m, src, rand.NewChaCha8([32]byte{6}))
	}
	for range 2 {
		rel, err := d.Release(ctx, m, exithub.DefaultPrivacy.K, publish)
		if err != nil {
			t.Fatal(err)
		}
		cells := rel.Cells(exithub.TablePersons)
		if rel.Threshold != 7 || len(cells) != 1 || cells[0].Key != "ORIENTATION||" || *cells[0].Cell.Value != 42 {
			t.Fatalf("served a release that is not the stored one: threshold %d, %v", rel.Threshold, cells)
		}
	}
}
