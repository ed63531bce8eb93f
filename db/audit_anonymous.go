package db

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// AuditUnauthenticated records the requests refused from one client
// address in one minute as a single row: the address in sub, the count in
// operation, the minute in request_id. A row per refusal would let anyone
// without a token fill the audit trail.
func (d *DB) AuditUnauthenticated(ctx context.Context, addr string, minute time.Time, n int) {
	e := exithub.AuditEntry{
		RequestID: "unauthenticated " + minute.UTC().Format(time.RFC3339),
		Sub:       addr,
		Operation: fmt.Sprintf("refused requests: %d", n),
		Objects:   []exithub.AuditObject{{Type: "ClientAddress", ID: addr}},
		Outcome:   exithub.EUNAUTHENTICATED,
	}
	err := pgx.BeginTxFunc(ctx, d.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		return txAuditWriter{tx}.WriteAudit(ctx, e)
	})
	if err != nil && ctx.Err() == nil {
		d.log.ErrorContext(ctx, "audit of unauthenticated requests failed", "err", err)
	}
}
