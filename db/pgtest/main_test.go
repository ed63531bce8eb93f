package pgtest_test

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"exithub/db/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, migrate)) }

// migrate stands in for the project's migrations: one table, so that tests
// can see the template's schema in their databases.
func migrate(ctx context.Context, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL)")
	return err
}
