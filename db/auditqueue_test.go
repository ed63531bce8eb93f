package db_test

import (
	"context"
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

// inboxAs is the NGO reden's inbox read in a request with the given id.
func inboxAs(t *testing.T, d *db.DB, requestID string) ([]*exithub.Referral, error) {
	t.Helper()
	ctx := exithub.NewContextWithRequest(as(t, d, "reden", exithub.RoleNGOWorker), exithub.Request{ID: requestID, Operation: "Inbox"})
	refs, _, err := d.FindReferrals(ctx, exithub.ReferralFilter{}, exithub.Page{Size: 10}, exithub.ReferralParts{Events: true})
	return refs, err
}

// auditedRequests is how many audit records name the request.
func auditedRequests(t *testing.T, conn *pgx.Conn, requestID string) (n int, objects string) {
	t.Helper()
	err := conn.QueryRow(context.Background(), `SELECT count(*), coalesce(max(objects::text), '')
		FROM hub.audit_log WHERE request_id = $1`, requestID).Scan(&n, &objects)
	if err != nil {
		t.Fatal(err)
	}
	return n, objects
}

func TestReadReturnsOnlyAfterItsAuditRecordCommitted(t *testing.T) {
	d, url := openDB(t)
	seedReferrals(t, d)
	conn := rawConn(t, url)
	refs, err := inboxAs(t, d, "read-then-record")
	if err != nil || len(refs) == 0 {
		t.Fatalf("inbox: %d referrals, %v; want some", len(refs), err)
	}
	n, objects := auditedRequests(t, conn, "read-then-record")
	if n != 1 {
		t.Fatalf("%d audit records for the read; want one, committed before the read returned", n)
	}
	for _, r := range refs {
		if !strings.Contains(objects, r.ID) {
			t.Fatalf("the read's audit record (%s) does not name referral %s", objects, r.ID)
		}
	}
	if len(refs[0].Events) == 0 {
		t.Fatal("the page came without its history")
	}
}

func TestFailedAuditWriteFailsTheReadWithUnavailable(t *testing.T) {
	d, url := openDB(t)
	seedReferrals(t, d)
	conn := rawConn(t, url)
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "REVOKE INSERT ON hub.audit_log FROM "+db.AppRole); err != nil {
		t.Fatal(err)
	}
	refs, err := inboxAs(t, d, "unrecordable-read")
	if exithub.ErrorCode(err) != exithub.EUNAVAILABLE || refs != nil {
		t.Fatalf("read whose record could not be written: %d referrals, %v; want none, UNAVAILABLE", len(refs), err)
	}
	if _, err := conn.Exec(ctx, "GRANT INSERT ON hub.audit_log TO "+db.AppRole); err != nil {
		t.Fatal(err)
	}
	if _, err := inboxAs(t, d, "recordable-again"); err != nil {
		t.Fatalf("after the trail is writable again: %v", err)
	}
}

// TestStalledAuditWriteFailsTheReadWithUnavailable: a batch whose INSERT
// waits (here on a lock; in life on a commit that does not return) outlasts
// the read's deadline, and the read answers UNAVAILABLE, which a client may
// retry, never INTERNAL.
func TestStalledAuditWriteFailsTheReadWithUnavailable(t *testing.T) {
	_, url := openDB(t)
	ctx := context.Background()
	d := openPool(t, db.Config{URL: url, StatementTimeout: 100 * time.Millisecond})
	seedReferrals(t, d)
	lock, err := rawConn(t, url).Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.Exec(ctx, "LOCK TABLE hub.audit_log IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	refs, err := inboxAs(t, d, "stalled-record")
	if rerr := lock.Rollback(ctx); rerr != nil {
		t.Fatal(rerr)
	}
	if exithub.ErrorCode(err) != exithub.EUNAVAILABLE || refs != nil {
		t.Fatalf("read whose record stalled: %d referrals, %v; want none, UNAVAILABLE", len(refs), err)
	}
}

// insertCounter counts the statements that insert audit records.
type insertCounter struct{ n atomic.Int64 }

func (c *insertCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, q pgx.TraceQueryStartData) context.Context {
	if strings.HasPrefix(q.SQL, "INSERT INTO hub.audit_log") {
		c.n.Add(1)
	}
	return ctx
}

func (c *insertCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func TestConcurrentReadsShareOneAuditInsert(t *testing.T) {
	_, url := openDB(t)
	authz, err := policy.New()
	if err != nil {
		t.Fatal(err)
	}
	// A batch is written when it is full: the linger is longer than the test.
	const reads = 8
	counter := &insertCounter{}
	d, err := db.Open(context.Background(), db.Config{URL: url, Tracer: counter,
		AuditBatch: db.AuditBatchConfig{MaxRecords: reads, Linger: time.Hour}}, authz, testKey)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	seedReferrals(t, d)
	before := counter.n.Load()
	var wg sync.WaitGroup
	errs := make([]error, reads)
	for i := range reads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = inboxAs(t, d, "batched-"+string(rune('a'+i)))
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	conn := rawConn(t, url)
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM hub.audit_log WHERE request_id LIKE 'batched-%'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if got := counter.n.Load() - before; got != 1 || n != reads {
		t.Fatalf("%d reads wrote %d records in %d INSERTs; want %d in one", reads, n, got, reads)
	}
}
