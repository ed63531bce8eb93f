package db

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"exithub"
)

// errAuditUnavailable is what a read gets when its record could not be
// written: the data it read does not leave (fail-closed).
var errAuditUnavailable = exithub.Errorf(exithub.EUNAVAILABLE, "the audit trail cannot be written; try again")

// AuditBatchConfig tunes the group commit of read audit records.
type AuditBatchConfig struct {
	// MaxRecords is the most records one INSERT carries (default 256).
	MaxRecords int
	// Linger is how long the writer waits for more records after the first
	// one of a batch arrives, when fewer than MaxRecords are waiting. The
	// default, 0, writes what is queued at once: batches then form while
	// the previous one is being written, and a lone read waits for nothing.
	Linger time.Duration
}

// auditBatcher is the one writer of read audit records per instance: it
// gathers the records of concurrent reads and writes each batch as one
// multi-row INSERT, one commit for many reads (group commit). COPY is no
// option: PostgreSQL refuses COPY FROM into a table with row-level security.
type auditBatcher struct {
	pool   *pgxpool.Pool
	in     chan pendingAudit
	max    int
	linger time.Duration
	log    *slog.Logger
	noted  func(error) error // sees each batch's outcome: a write that failed or succeeded
	stop   chan struct{}
	done   chan struct{}
	once   sync.Once
}

type pendingAudit struct {
	e    exithub.AuditEntry
	done chan error
}

func newAuditBatcher(pool *pgxpool.Pool, cfg AuditBatchConfig, log *slog.Logger, noted func(error) error) *auditBatcher {
	if cfg.MaxRecords <= 0 {
		cfg.MaxRecords = 256
	}
	if cfg.Linger < 0 {
		cfg.Linger = 0
	}
	b := &auditBatcher{pool: pool, in: make(chan pendingAudit, cfg.MaxRecords), max: cfg.MaxRecords,
		linger: cfg.Linger, log: log, noted: noted, stop: make(chan struct{}), done: make(chan struct{})}
	go b.run()
	return b
}

var _ exithub.AuditWriter = (*auditBatcher)(nil)

// WriteAudit queues e and waits until the batch holding it has committed:
// the writer of read audit records, behind exithub.AuditWriter. A deadline
// that passes while the record waits (a stalled commit) is UNAVAILABLE, as
// translate says of every deadline, never a bare context error.
func (b *auditBatcher) WriteAudit(ctx context.Context, e exithub.AuditEntry) error {
	p := pendingAudit{e: e, done: make(chan error, 1)}
	select {
	case b.in <- p:
	case <-b.stop:
		return errAuditUnavailable
	case <-ctx.Done():
		return translate(ctx.Err())
	}
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		return translate(ctx.Err())
	}
}

// Close stops accepting records, writes those already queued and returns
// when the writer has finished.
func (b *auditBatcher) Close() {
	b.once.Do(func() { close(b.stop) })
	<-b.done
}

func (b *auditBatcher) run() {
	defer close(b.done)
	for {
		select {
		case p := <-b.in:
			b.flush(b.gather(p))
		case <-b.stop:
			b.drain()
			return
		}
	}
}

// gather collects the records that arrive within the linger after first,
// up to the batch's maximum.
func (b *auditBatcher) gather(first pendingAudit) []pendingAudit {
	batch := []pendingAudit{first}
	var timeout <-chan time.Time
	if b.linger > 0 {
		t := time.NewTimer(b.linger)
		defer t.Stop()
		timeout = t.C
	}
	for len(batch) < b.max {
		select {
		case p := <-b.in:
			batch = append(batch, p)
			continue
		default:
		}
		if timeout == nil {
			return batch
		}
		select {
		case p := <-b.in:
			batch = append(batch, p)
		case <-timeout:
			return batch
		case <-b.stop:
			return batch
		}
	}
	return batch
}

// drain writes what was queued before Close.
func (b *auditBatcher) drain() {
	for {
		select {
		case p := <-b.in:
			b.flush(b.gather(p))
		default:
			return
		}
	}
}

// flush writes a batch in one statement and tells each waiting read how it
// went; a failure fails every read it carried.
func (b *auditBatcher) flush(batch []pendingAudit) {
	entries := make([]exithub.AuditEntry, len(batch))
	for i, p := range batch {
		entries[i] = p.e
	}
	err := insertAuditBatch(context.Background(), b.pool, entries)
	b.noted(err)
	if err != nil {
		b.log.Error("audit batch failed; its reads fail", "records", len(batch), "err", err)
		err = errAuditUnavailable
	}
	for _, p := range batch {
		p.done <- err
	}
}

// insertAuditBatchSQL is the multi-row INSERT of a batch: the records
// travel as one JSON array, in the order they were queued, and need no work
// in the database beyond the insert (citizens come as stored references).
const insertAuditBatchSQL = `INSERT INTO hub.audit_log (request_id, sub, org_id, role, operation, objects, citizen_refs, municipality_id, outcome)
	SELECT r.request_id, r.sub, r.org_id, r.role, r.operation, r.objects, r.citizen_refs, r.municipality_id, r.outcome
	FROM jsonb_to_recordset($1::jsonb) AS r(request_id text, sub text, org_id uuid, role text, operation text,
	  objects jsonb, citizen_refs text[], municipality_id uuid, outcome text)`

func insertAuditBatch(ctx context.Context, pool *pgxpool.Pool, entries []exithub.AuditEntry) error {
	b, err := json.Marshal(entries)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	tag, err := pool.Exec(ctx, insertAuditBatchSQL, string(b))
	if err == nil && tag.RowsAffected() != int64(len(entries)) {
		err = errors.New("audit batch: fewer rows written than records")
	}
	return err
}
