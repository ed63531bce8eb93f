package db

import (
	"context"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// claimKey records an idempotency key first thing in a create's transaction.
// A concurrent retry with the same key waits on the unique index until the
// first commits; then it finds the first result. It returns the earlier
// result's id, or "" when this call is the first and must create.
func claimKey(ctx context.Context, tx pgx.Tx, p *exithub.Principal, key, op, newID string) (string, error) {
	if key == "" {
		return "", nil
	}
	tag, err := tx.Exec(ctx, `INSERT INTO hub.idempotency_keys (org_id, key, operation, result_id, created_at)
		VALUES ($1, $2, $3, $4, now()) ON CONFLICT (org_id, key) DO NOTHING`, p.Org.ID, key, op, newID)
	if err != nil {
		return "", err
	}
	if tag.RowsAffected() == 1 {
		return "", nil
	}
	var gotOp, id string
	err = tx.QueryRow(ctx, `SELECT operation, result_id FROM hub.idempotency_keys WHERE org_id = $1 AND key = $2`,
		p.Org.ID, key).Scan(&gotOp, &id)
	if err != nil {
		return "", err
	}
	if gotOp != op {
		return "", exithub.Errorf(exithub.ECONFLICT, "idempotency key already used for %s", gotOp)
	}
	return id, nil
}
