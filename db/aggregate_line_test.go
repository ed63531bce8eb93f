package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// asRole runs fn in a transaction under role, as the hub's requests do,
// and rolls it back.
func asRole(t *testing.T, url, role string, fn func(pgx.Tx) error) error {
	t.Helper()
	ctx := context.Background()
	tx, err := rawConn(t, url).Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := tx.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
	}()
	if _, err := tx.Exec(ctx, "SELECT set_config('role', $1, true)", role); err != nil {
		t.Fatal(err)
	}
	return fn(tx)
}

// The database keeps the aggregate roles to the invariant and to releases
// of ended months: no exact grouped cells of a day, no true cells of an
// open month, no release stored for one; the national table they may read.
func TestAggregateRolesReadNoExactCellBeyondTheInvariant(t *testing.T) {
	_, url := openDB(t)
	ctx := context.Background()
	open := exithub.Today(time.Now())
	openEnd := exithub.Month{Year: open.Year, Month: open.Month}.Last()
	for _, role := range []string{"exithub_ministry", "exithub_agency", "exithub_evaluator"} {
		for what, sql := range map[string]string{
			"grouped cells of a day":              `SELECT count(*) FROM hub.statistics_cells('2014-03-18', true, false, false, false)`,
			"the raw source of any day":           `SELECT count(*) FROM hub.release_source('2014-03-18', 1000)`,
			"the source of the open month":        `SELECT count(*) FROM hub.release_source_ended('` + openEnd.String() + `', 2)`,
			"the source of a day mid-month":       `SELECT count(*) FROM hub.release_source_ended('2014-03-18', 2)`,
			"storing a release of a future month": `SELECT hub.release_save_ended('2099-01-01', 5, '1/1', 2, '{}', '{}', '{}', '{}')`,
		} {
			err := asRole(t, url, role, func(tx pgx.Tx) error {
				var n any
				return tx.QueryRow(ctx, sql).Scan(&n)
			})
			if !isPermissionDenied(err) {
				t.Errorf("%s, %s: %v; want permission denied", role, what, err)
			}
		}
		err := asRole(t, url, role, func(tx pgx.Tx) error {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM hub.national_cells('2014-03-18')`).Scan(&n); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `SELECT count(*) FROM hub.release_source_ended('2014-03-31', 2)`).Scan(&n)
		})
		if err != nil {
			t.Errorf("%s reads the national table and an ended month's source: %v", role, err)
		}
	}
}
