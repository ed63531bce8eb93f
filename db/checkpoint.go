package db

import (
	"context"
	"time"
)

// MakeCheckpoints adds the statistics' fortnightly checkpoints that have
// fallen due, so a query for a recent day sums at most two weeks of
// changes. The figures are right without them, only slower.
func (d *DB) MakeCheckpoints(ctx context.Context) (int, error) {
	var n int
	err := d.pool.QueryRow(ctx, "SELECT hub.stats_make_checkpoints(current_date)").Scan(&n)
	return n, err
}

// RunCheckpoints makes due checkpoints at start and then every interval,
// until ctx ends. Several instances may run it: the function serialises
// them and the second finds nothing due.
func (d *DB) RunCheckpoints(ctx context.Context, every time.Duration) {
	d.repeat(ctx, "statistics checkpoints", every, true, func(ctx context.Context) error {
		_, err := d.MakeCheckpoints(ctx)
		return err
	})
}
