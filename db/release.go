package db

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// releaseLock is the first key of the advisory lock that makes a month's
// release computed once, whichever instance asks first.
const releaseLock = 0x72656c // "rel"

// releaseTimeout bounds the statements that compute a release (ms).
const releaseTimeout = "300000"

// Release returns the stored release of a month, or computes and stores
// it: under a transaction-scoped advisory lock on the month, so that a
// second request (from this instance or another) waits, then reads what
// the first stored. A stored release is read from the replica while one
// is in use; a release not yet computed is computed on the primary, the
// only one that can store it.
func (d *DB) Release(ctx context.Context, m exithub.Month, k int, publish func(exithub.ReleaseSource) (exithub.Release, error)) (exithub.Release, error) {
	if d.replicaInUse() {
		var rel exithub.Release
		err := d.aggregate(ctx, func(tx pgx.Tx) error {
			var err error
			rel, err = loadRelease(ctx, tx, m)
			return err
		})
		if err != nil || rel.Tables != nil {
			return rel, err
		}
	}
	var rel exithub.Release
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if err := d.statisticsScope(tx, p); err != nil {
			return err
		}
		var err error
		if rel, err = loadRelease(ctx, tx, m); err != nil || rel.Tables != nil {
			return err
		}
		// Computing a month takes longer than a request's statement timeout
		// at national scale; it happens once a month, and a second request
		// waits for it rather than fail.
		if _, err := tx.Exec(ctx, "SELECT set_config('statement_timeout', $1, true)", releaseTimeout); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, $2)", releaseLock, m.Year*12+int(m.Month)); err != nil {
			return err
		}
		if rel, err = loadRelease(ctx, tx, m); err != nil || rel.Tables != nil {
			return err
		}
		src, err := releaseSource(ctx, tx, m, k)
		if err != nil {
			return err
		}
		if rel, err = publish(src); err != nil {
			return err
		}
		return saveRelease(ctx, tx, rel)
	})
	return rel, err
}

func loadRelease(ctx context.Context, tx pgx.Tx, m exithub.Month) (exithub.Release, error) {
	rel := exithub.Release{Month: m}
	err := tx.QueryRow(ctx, "SELECT threshold, epsilon, k FROM hub.releases WHERE month = $1", dateValue(m.First())).
		Scan(&rel.Threshold, &rel.Epsilon, &rel.K)
	if err == pgx.ErrNoRows {
		return exithub.Release{}, nil
	}
	if err != nil {
		return rel, err
	}
	rel.Tables = map[exithub.TableID][]exithub.ReleaseCell{}
	rows, _ := tx.Query(ctx, "SELECT tbl, key, value FROM hub.release_cells WHERE month = $1 ORDER BY tbl, pos", dateValue(m.First()))
	var t exithub.TableID
	var c exithub.ReleaseCell
	_, err = pgx.ForEachRow(rows, []any{&t, &c.Key, &c.Cell.Value}, func() error {
		c.Cell.Suppressed = c.Cell.Value == nil
		rel.Tables[t] = append(rel.Tables[t], c)
		c.Cell.Value = nil
		return nil
	})
	return rel, err
}

func releaseSource(ctx context.Context, tx pgx.Tx, m exithub.Month, k int) (exithub.ReleaseSource, error) {
	src := exithub.ReleaseSource{Counts: map[exithub.TableID]map[string]int{}}
	rows, _ := tx.Query(ctx, "SELECT tbl, key, n FROM hub.release_source($1, $2)", dateValue(m.Last()), k)
	var t exithub.TableID
	var key string
	var n int
	_, err := pgx.ForEachRow(rows, []any{&t, &key, &n}, func() error {
		if src.Counts[t] == nil {
			src.Counts[t] = map[string]int{}
		}
		src.Counts[t][key] += n
		return nil
	})
	if err != nil {
		return src, fmt.Errorf("release source of %s: %w", m, err)
	}
	for kind, ids := range map[string]*[]string{"MUNICIPALITY": &src.Municipalities, "NGO": &src.NGOs} {
		rows, _ := tx.Query(ctx, "SELECT id::text FROM hub.organisations WHERE kind = $1 ORDER BY code", kind)
		if *ids, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return src, err
		}
	}
	return src, nil
}

func saveRelease(ctx context.Context, tx pgx.Tx, rel exithub.Release) error {
	var tbls, keys []string
	var pos []int
	var values []*int
	for _, t := range exithub.ReleaseTables() {
		for i, c := range rel.Tables[t] {
			tbls, keys, pos, values = append(tbls, string(t)), append(keys, c.Key), append(pos, i), append(values, c.Cell.Value)
		}
	}
	_, err := tx.Exec(ctx, "SELECT hub.release_save($1, $2, $3, $4, $5, $6, $7, $8)",
		dateValue(rel.Month.First()), rel.Threshold, rel.Epsilon, rel.K, tbls, pos, keys, values)
	return err
}
