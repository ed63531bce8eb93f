package db

import (
	"context"

	"github.com/jackc/pgx/v5"

	"exithub"
)

var _ exithub.StatisticsService = (*DB)(nil)

// statisticsScope refuses anyone the policy does not give aggregates to.
func (d *DB) statisticsScope(tx pgx.Tx, p *exithub.Principal) error {
	auditAlways(tx)
	s, err := d.scope(p, exithub.ResStatistics, exithub.ActRead)
	if err != nil {
		return err
	}
	if s != exithub.ScopeAggregate && s != exithub.ScopeAll {
		return exithub.Forbidden(p.Role, exithub.ActRead, exithub.ResStatistics)
	}
	return nil
}

// National reads the persons helped on a day by category and CTI track,
// from the rollups: counts, never a person.
func (d *DB) National(ctx context.Context, asOf exithub.Date) ([]exithub.NationalCount, error) {
	var out []exithub.NationalCount
	err := d.aggregate(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT category, track, sum(persons)::bigint
			FROM hub.statistics_cells($1, false, false, false, false) GROUP BY 1, 2 ORDER BY 1, 2`, dateValue(asOf))
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[exithub.NationalCount])
		return err
	})
	return out, err
}

func (d *DB) aggregate(ctx context.Context, fn func(pgx.Tx) error) error {
	return d.readReplica(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if err := d.statisticsScope(tx, p); err != nil {
			return err
		}
		return fn(tx)
	})
}
