package pgtest

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"exithub/db/cluster"
)

// buildTemplate creates and migrates the template database, then closes it
// to connections: a session left open by migrate (a pool, say) or opened
// later would make every CREATE DATABASE ... TEMPLATE fail.
func buildTemplate(ctx context.Context, c *cluster.Cluster, migrate MigrateFunc) error {
	if err := c.CreateDatabase(ctx, TemplateDatabase, ""); err != nil {
		return err
	}
	if migrate != nil {
		if err := migrate(ctx, c.URL(TemplateDatabase)); err != nil {
			return fmt.Errorf("migrate the template database: %w", err)
		}
	}
	return sealTemplate(ctx, c)
}

// sealTemplate forbids new connections to the template and ends any that
// remain, waiting until they are gone (PostgreSQL 14 or later).
func sealTemplate(ctx context.Context, c *cluster.Cluster) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	name := pgx.Identifier{TemplateDatabase}.Sanitize()
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+name+" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"); err != nil {
		return fmt.Errorf("seal the template database: %w", err)
	}
	_, err = conn.Exec(ctx, `SELECT pg_terminate_backend(pid, 10000)
		FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, TemplateDatabase)
	if err != nil {
		return fmt.Errorf("disconnect from the template database: %w", err)
	}
	return nil
}
