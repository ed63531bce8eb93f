package seed

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// bulkTables are the tables the national load copies into.
var bulkTables = []string{"citizens", "consents", "referrals", "referral_events", "courses", "course_events"}

type indexDef struct{ name, def string }

// dropIndexes drops the indexes of the copied tables that no constraint
// needs, keeping their definitions. Once a table outgrows memory, keeping
// an index current row by row costs far more than building it once after
// the copy (the national load's referrals took four minutes with them).
// The load is one transaction: no one sees the tables without them.
func (g *generator) dropIndexes(ctx context.Context, tx pgx.Tx) error {
	rows, _ := tx.Query(ctx, `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
		FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = 'hub' AND t.relname = ANY($1)
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`, bulkTables)
	defs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indexDef, error) {
		var d indexDef
		return d, r.Scan(&d.name, &d.def)
	})
	if err != nil {
		return err
	}
	for _, d := range defs {
		if _, err := tx.Exec(ctx, "DROP INDEX "+d.name); err != nil {
			return err
		}
	}
	g.indexes = defs
	return nil
}

// createIndexes builds again what dropIndexes dropped.
func (g *generator) createIndexes(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
		return err
	}
	for _, d := range g.indexes {
		if _, err := tx.Exec(ctx, d.def); err != nil {
			return err
		}
	}
	return nil
}
