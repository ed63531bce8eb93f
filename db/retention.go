package db

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// RunRetention erases the citizens whose last course and referral ended,
// and who were last touched, before the day before; it returns how many.
// It runs as the retention role, whose one right is this function.
func (d *DB) RunRetention(ctx context.Context, before exithub.Date) (int, error) {
	var n int
	err := pgx.BeginTxFunc(ctx, d.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL ROLE exithub_retention"); err != nil {
			return err
		}
		// Every instance schedules a daily run; one at a time does the work,
		// and one that finds another running leaves the day to it.
		var mine bool
		if err := tx.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock(hashtext('exithub retention'))").Scan(&mine); err != nil || !mine {
			return err
		}
		return tx.QueryRow(ctx, "SELECT hub.retention_run($1)", dateValue(before)).Scan(&n)
	})
	return n, translate(err)
}

// RunRetentionDaily runs retention once a day (and shortly after start)
// for records older than keep.
func (d *DB) RunRetentionDaily(ctx context.Context, keep time.Duration) {
	wait := time.Minute
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = 24 * time.Hour
		before, err := d.RetentionCutoff(ctx, keep)
		if err != nil {
			d.log.Error("retention run failed", "err", err)
			continue
		}
		n, err := d.RunRetention(ctx, before)
		if err != nil {
			d.log.Error("retention run failed", "err", err)
			continue
		}
		d.log.Info("retention run", "erased_citizens", n, "before", before.String())
	}
}

// RetentionCutoff is the day before which records are past keep, on the
// database's clock: the one that dated them.
func (d *DB) RetentionCutoff(ctx context.Context, keep time.Duration) (exithub.Date, error) {
	var now time.Time
	if err := d.pool.QueryRow(ctx, "SELECT now()").Scan(&now); err != nil {
		return exithub.Date{}, translate(err)
	}
	return exithub.Today(now.Add(-keep)), nil
}
