package db

import (
	"context"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// readInOneTrip runs a read as one pipeline: who is asking first (and that
// the transaction is read-only), then the statements queue adds, sent
// together and answered together. Statements sent as one pipeline run in
// one implicit transaction that PostgreSQL ends at the pipeline's end, so
// set_config(..., true) holds for all of them and for nothing after. read
// gets the results of queue's statements in order. The caller writes the
// audit record of what it read through the audit writer.
func (d *DB) readInOneTrip(ctx context.Context, p *exithub.Principal, queue func(*pgx.Batch), read func(pgx.BatchResults) error) error {
	role, ok := dbRoles[p.Org.Kind]
	if !ok {
		return exithub.ErrForbidden
	}
	b := &pgx.Batch{}
	b.Queue(setWhoReading, role, p.Org.ID, p.Sub, d.timeout)
	queue(b)
	call, cancel := d.callCtx(ctx)
	defer cancel()
	br := d.pool.SendBatch(call, b)
	_, err := br.Exec()
	if err == nil {
		err = read(br)
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	err = d.classify(err)
	if refused(err) {
		d.AuditRefusal(ctx, p, exithub.ErrorCode(err))
	}
	return err
}
