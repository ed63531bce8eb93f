package db

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// VerifyResult is the outcome of walking the audit chain.
type VerifyResult struct {
	Sealed   int   // records whose link checked out
	Unsealed int   // records not yet sealed
	BrokenAt int64 // the sequence number of the first broken link, 0 if none
	Reason   string
}

// VerifyAudit walks the chain from its anchor (or the start) and names the
// first link that does not hold. It runs as the database's owner.
func VerifyAudit(ctx context.Context, ownerURL string) (VerifyResult, error) {
	var res VerifyResult
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		return res, err
	}
	defer conn.Close(ctx)
	seq, prev := int64(0), make([]byte, sha256.Size)
	err = conn.QueryRow(ctx, "SELECT seq, hash FROM hub.audit_anchor").Scan(&seq, &prev)
	if err != nil && err != pgx.ErrNoRows {
		return res, err
	}
	rows, _ := conn.Query(ctx, "SELECT s.seq, s.prev_hash, s.hash, "+sealColumns+` FROM hub.audit_seals s
		LEFT JOIN hub.audit_log l ON l.id = s.log_id ORDER BY s.seq`)
	defer rows.Close()
	for rows.Next() {
		var s, p, h = int64(0), []byte(nil), []byte(nil)
		var r sealRecord
		var id *int64
		var at *time.Time
		if err := rows.Scan(&s, &p, &h, &id, &at, &r.RequestID, &r.Sub, &r.OrgID, &r.Role, &r.Operation, &r.Objects, &r.Citizens, &r.Muni, &r.Outcome); err != nil {
			return res, err
		}
		if reason := checkLink(seq, prev, s, p, h, id, at, &r); reason != "" {
			res.BrokenAt, res.Reason = s, reason
			return res, nil
		}
		seq, prev = s, h
		res.Sealed++
	}
	if err := rows.Err(); err != nil {
		return res, err
	}
	err = conn.QueryRow(ctx, `SELECT count(*) FROM hub.audit_log l WHERE NOT EXISTS (SELECT 1 FROM hub.audit_seals s WHERE s.log_id = l.id)`).Scan(&res.Unsealed)
	return res, err
}

func checkLink(seq int64, prev []byte, s int64, p, h []byte, id *int64, at *time.Time, r *sealRecord) string {
	switch {
	case s != seq+1:
		return fmt.Sprintf("sequence jumps from %d to %d: seals are missing", seq, s)
	case !bytes.Equal(p, prev):
		return fmt.Sprintf("seal %d does not follow the seal before it", s)
	case id == nil:
		return fmt.Sprintf("the record sealed as %d is gone", s)
	}
	r.ID, r.At = *id, *at
	if !bytes.Equal(chain(prev, *r), h) {
		return fmt.Sprintf("audit record %d (seal %d) was changed after it was sealed", r.ID, s)
	}
	return ""
}

// PruneAudit removes sealed records older than before, as the maintenance
// role, and keeps the last removed seal as the anchor the chain starts from.
func PruneAudit(ctx context.Context, ownerURL string, before time.Time) (int64, error) {
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	var removed int64
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL ROLE exithub_maintenance"); err != nil {
			return err
		}
		// The prefix of the chain whose records are all older than before.
		var cut *int64
		err := tx.QueryRow(ctx, `SELECT CASE WHEN min(s.seq) FILTER (WHERE l.at >= $1) IS NULL THEN max(s.seq)
			ELSE min(s.seq) FILTER (WHERE l.at >= $1) - 1 END
			FROM hub.audit_seals s JOIN hub.audit_log l ON l.id = s.log_id`, before).Scan(&cut)
		if err != nil || cut == nil || *cut <= 0 {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO hub.audit_anchor (seq, hash) SELECT seq, hash FROM hub.audit_seals WHERE seq = $1
			ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`, *cut); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `WITH gone AS (DELETE FROM hub.audit_seals WHERE seq <= $1 RETURNING log_id)
			DELETE FROM hub.audit_log WHERE id IN (SELECT log_id FROM gone)`, *cut)
		removed = tag.RowsAffected()
		return err
	})
	return removed, err
}
