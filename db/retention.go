package db

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// RunRetention erases, as the owner, the citizens whose last course and
// referral ended, and who were last touched, before the day before (never
// after today); it returns how many. The app login cannot: it may only run
// what is due (RunDueRetention).
func RunRetention(ctx context.Context, ownerURL string, before exithub.Date) (int, error) {
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		return 0, translate(err)
	}
	defer conn.Close(ctx)
	var n int
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
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

// SetRetentionPeriod sets, as the owner, how long personal data is kept
// after the last activity: the period hub.retention_run_due() erases by.
func SetRetentionPeriod(ctx context.Context, ownerURL string, keep time.Duration) error {
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		return translate(err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "UPDATE hub_private.retention_period SET keep = make_interval(secs => $1)", keep.Seconds())
	return translate(err)
}

// RunDueRetention erases what is past the period the database holds, and
// returns how many citizens it erased.
func (d *DB) RunDueRetention(ctx context.Context) (int, error) {
	var n int
	err := d.pool.QueryRow(ctx, "SELECT hub.retention_run_due()").Scan(&n)
	return n, translate(err)
}

// RunRetentionDaily runs what retention is due once a day (and shortly
// after start).
func (d *DB) RunRetentionDaily(ctx context.Context) {
	wait := time.Minute
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = 24 * time.Hour
		n, err := d.RunDueRetention(ctx)
		if err != nil {
			d.log.Error("retention run failed", "err", err)
			continue
		}
		d.log.Info("retention run", "erased_citizens", n)
	}
}

// RetentionCutoff is the day before which records are past keep, on the
// database's clock, the one that dated them, by the one rule of the
// scheduled runs too (hub.retention_cutoff_for: never after today).
func RetentionCutoff(ctx context.Context, url string, keep time.Duration) (exithub.Date, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return exithub.Date{}, translate(err)
	}
	defer conn.Close(ctx)
	var day time.Time
	if err := conn.QueryRow(ctx, "SELECT hub.retention_cutoff_for($1)", keep).Scan(&day); err != nil {
		return exithub.Date{}, translate(err)
	}
	return exithub.DateOf(day), nil
}
