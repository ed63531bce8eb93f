package db

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// claimKey records an idempotency key first thing in a create's transaction.
// A concurrent retry with the same key waits on the unique index until the
// first commits; then it finds the first result. It returns the earlier
// result's id, or "" when this call is the first and must create. A key
// used before for another operation, or for the same one with other input,
// is CONFLICT. Any error is the caller's to return as it is: a claim that
// failed found nothing, and must never be answered as NOT_FOUND.
func claimKey(ctx context.Context, tx pgx.Tx, p *exithub.Principal, key, op, newID string, in any) (string, error) {
	if key == "" {
		return "", nil
	}
	claim, err := claimOf(op, in)
	if err != nil {
		return "", err
	}
	tag, err := tx.Exec(ctx, `INSERT INTO hub.idempotency_keys (org_id, key, operation, result_id, created_at)
		VALUES ($1, $2, $3, $4, now()) ON CONFLICT (org_id, key) DO NOTHING`, p.Org.ID, key, claim, newID)
	if err != nil {
		return "", err
	}
	if tag.RowsAffected() == 1 {
		return "", nil
	}
	var got, id string
	err = tx.QueryRow(ctx, `SELECT operation, result_id FROM hub.idempotency_keys WHERE org_id = $1 AND key = $2`,
		p.Org.ID, key).Scan(&got, &id)
	if err != nil {
		return "", err
	}
	return id, sameClaim(got, claim)
}

// claimOf is what a key records: the operation and a digest of its input,
// as "operation:sha256". Keys recorded before digests were kept hold the
// operation alone.
func claimOf(op string, in any) (string, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return op + ":" + hex.EncodeToString(sum[:]), nil
}

// sameClaim refuses a key that was recorded for another operation or for
// other input.
func sameClaim(got, claim string) error {
	gotOp, gotSum, hasSum := strings.Cut(got, ":")
	op, sum, _ := strings.Cut(claim, ":")
	if gotOp != op {
		return &exithub.Error{Code: exithub.ECONFLICT, Field: "idempotencyKey",
			Message: "idempotency key already used for " + gotOp}
	}
	if hasSum && gotSum != sum {
		return &exithub.Error{Code: exithub.ECONFLICT, Field: "idempotencyKey",
			Message: "idempotency key already used for " + op + " with other input"}
	}
	return nil
}
