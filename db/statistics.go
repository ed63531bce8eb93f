package db

import (
	"context"

	"github.com/jackc/pgx/v5"

	"exithub"
)

var _ exithub.StatisticsService = (*DB)(nil)

// statisticsScope refuses anyone the policy does not give aggregates to,
// and marks the transaction's read as one to record.
func (d *DB) statisticsScope(tx pgx.Tx, p *exithub.Principal) error {
	auditAlways(tx)
	return d.statisticsAllowed(p)
}

// statisticsAllowed refuses anyone the policy does not give aggregates to.
func (d *DB) statisticsAllowed(p *exithub.Principal) error {
	s, err := d.scope(p, exithub.ResStatistics, exithub.ActRead)
	if err != nil {
		return err
	}
	if s != exithub.ScopeAggregate && s != exithub.ScopeAll {
		return exithub.Forbidden(p.Role, exithub.ActRead, exithub.ResStatistics)
	}
	return nil
}

// statisticsRead is a read of statistics that may be served without a
// transaction of its own (a release held in memory): it is authorised as
// aggregate's transactions are, bounded by a call's deadline, and returns
// only once its audit record has committed through the instance's audit
// writer, as readOn's reads do; a refusal is recorded as one.
func (d *DB) statisticsRead(ctx context.Context, serve func(call context.Context) error) error {
	p, err := exithub.RequirePrincipal(ctx)
	if err != nil {
		return err
	}
	if _, ok := dbRoles[p.Org.Kind]; !ok {
		return exithub.ErrForbidden
	}
	call, cancel := d.callCtx(ctx)
	defer cancel()
	err = d.statisticsAllowed(p)
	if err == nil {
		err = serve(call)
	}
	if err == nil {
		a := exithub.NewAuditBuilder(call, p)
		a.Always()
		e, _ := a.Entry()
		err = d.audit.WriteAudit(call, e)
	}
	err = translate(err)
	if refused(err) {
		d.AuditRefusal(ctx, p, exithub.ErrorCode(err))
	}
	return err
}

// National reads the persons helped on a day by category and CTI track,
// from the rollups: counts, never a person.
func (d *DB) National(ctx context.Context, asOf exithub.Date) ([]exithub.NationalCount, error) {
	var out []exithub.NationalCount
	err := d.aggregate(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT category, track, persons FROM hub.national_cells($1) ORDER BY 1, 2`, dateValue(asOf))
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
