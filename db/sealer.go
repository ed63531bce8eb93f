package db

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// sealerLock makes the sealer single across server instances: whoever holds
// it for a round seals; the others skip the round.
const sealerLock = 7_310_2014

// sealRecord is an audit record in the form its hash covers.
type sealRecord struct {
	ID        int64
	At        time.Time
	RequestID string
	Sub       string
	OrgID     *string
	Role      string
	Operation string
	Objects   string
	Citizens  []string
	Muni      *string
	Outcome   string
}

const sealColumns = `l.id, l.at, l.request_id, l.sub, l.org_id::text, l.role, l.operation, l.objects::text,
 l.citizen_refs, l.municipality_id::text, l.outcome`

func scanSealRecord(row pgx.CollectableRow) (sealRecord, error) {
	var r sealRecord
	err := row.Scan(&r.ID, &r.At, &r.RequestID, &r.Sub, &r.OrgID, &r.Role, &r.Operation, &r.Objects, &r.Citizens, &r.Muni, &r.Outcome)
	return r, err
}

// canonical is the text a record's hash covers: every field, in order.
func (r sealRecord) canonical() string {
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	return strings.Join([]string{fmt.Sprint(r.ID), r.At.UTC().Format(time.RFC3339Nano), r.RequestID, r.Sub, deref(r.OrgID),
		r.Role, r.Operation, r.Objects, strings.Join(r.Citizens, ","), deref(r.Muni), r.Outcome}, "\x1f")
}

// chain is the hash of a record after prev.
func chain(prev []byte, r sealRecord) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write([]byte(r.canonical()))
	return h.Sum(nil)
}

// Seal chains the records committed since the last round, in the order it
// finds them, and returns how many it sealed. Requests never wait on it:
// they only insert.
func (d *DB) Seal(ctx context.Context) (int, error) {
	n := 0
	err := pgx.BeginTxFunc(ctx, d.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL ROLE exithub_sealer"); err != nil {
			return err
		}
		var got bool
		if err := tx.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock($1)", sealerLock).Scan(&got); err != nil || !got {
			return err
		}
		seq, prev, err := chainHead(ctx, tx)
		if err != nil {
			return err
		}
		// A window below the newest sealed id: a record that commits later
		// than a hundred thousand newer ones would wait for a full pass.
		rows, _ := tx.Query(ctx, "SELECT "+sealColumns+` FROM hub.audit_log l
			WHERE l.id > coalesce((SELECT max(log_id) FROM hub.audit_seals), 0) - 100000
			AND NOT EXISTS (SELECT 1 FROM hub.audit_seals s WHERE s.log_id = l.id) ORDER BY l.id LIMIT 1000`)
		recs, err := pgx.CollectRows(rows, scanSealRecord)
		if err != nil {
			return err
		}
		n = len(recs)
		return insertSeals(ctx, tx, recs, seq, prev)
	})
	return n, translate(err)
}

// insertSeals chains recs after the seal (seq, prev) and writes their seals
// in one statement.
func insertSeals(ctx context.Context, tx pgx.Tx, recs []sealRecord, seq int64, prev []byte) error {
	if len(recs) == 0 {
		return nil
	}
	ids, seqs := make([]int64, len(recs)), make([]int64, len(recs))
	prevs, hashes := make([][]byte, len(recs)), make([][]byte, len(recs))
	for i, r := range recs {
		seq++
		ids[i], seqs[i], prevs[i] = r.ID, seq, prev
		prev = chain(prev, r)
		hashes[i] = prev
	}
	_, err := tx.Exec(ctx, `INSERT INTO hub.audit_seals (log_id, seq, prev_hash, hash)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[], $4::bytea[])`, ids, seqs, prevs, hashes)
	return err
}

// chainHead is the last seal's sequence number and hash, or the anchor's
// after a prune, or zero for an empty chain.
func chainHead(ctx context.Context, tx pgx.Tx) (int64, []byte, error) {
	var seq int64
	var h []byte
	err := tx.QueryRow(ctx, `SELECT seq, hash FROM hub.audit_seals ORDER BY seq DESC LIMIT 1`).Scan(&seq, &h)
	if err == pgx.ErrNoRows {
		err = tx.QueryRow(ctx, `SELECT seq, hash FROM hub.audit_anchor`).Scan(&seq, &h)
	}
	if err == pgx.ErrNoRows {
		return 0, make([]byte, sha256.Size), nil
	}
	return seq, h, err
}

// RunSealer seals every interval until ctx ends.
func (d *DB) RunSealer(ctx context.Context, every time.Duration) {
	d.repeat(ctx, "audit sealer", every, false, func(ctx context.Context) error {
		_, err := d.Seal(ctx)
		return err
	})
}
