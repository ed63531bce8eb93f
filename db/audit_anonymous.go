package db

import (
	"context"
	"encoding/json"
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
	objs, _ := json.Marshal([]exithub.AuditObject{{Type: "ClientAddress", ID: addr}})
	err := pgx.BeginTxFunc(ctx, d.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, insertAudit, "unauthenticated "+minute.UTC().Format(time.RFC3339), addr, nil, "",
			fmt.Sprintf("refused requests: %d", n), string(objs), []string{}, nil, exithub.EUNAUTHENTICATED)
		return err
	})
	if err != nil && ctx.Err() == nil {
		d.log.ErrorContext(ctx, "audit of unauthenticated requests failed", "err", err)
	}
}
