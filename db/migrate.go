package db

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/tern/v2/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// versionTable is where tern records the schema version. It lives in public
// because the hub's schemas are created by the first migration.
const versionTable = "public.exithub_schema_version"

// AppRole is the restricted role the server logs in as.
const AppRole = "exithub_app"

// Migrate applies the embedded migrations as the owner (or a superuser),
// transactionally and under tern's advisory lock, then makes sure the
// restricted app role can log in.
func Migrate(ctx context.Context, ownerURL string) error {
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		return fmt.Errorf("migrate: connect: %w", err)
	}
	defer conn.Close(ctx)
	m, err := newMigrator(ctx, conn)
	if err != nil {
		return err
	}
	if err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := conn.Exec(ctx, "GRANT SELECT ON "+versionTable+" TO "+AppRole); err != nil {
		return fmt.Errorf("migrate: grant version table: %w", err)
	}
	return ensureAppPassword(ctx, conn)
}

func newMigrator(ctx context.Context, conn *pgx.Conn) (*migrate.Migrator, error) {
	m, err := migrate.NewMigrator(ctx, conn, versionTable)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	if err := m.LoadMigrations(sub); err != nil {
		return nil, fmt.Errorf("migrate: load: %w", err)
	}
	return m, nil
}

// LatestVersion is the schema version this binary's migrations lead to.
func LatestVersion() int32 {
	entries, _ := fs.Glob(migrationFiles, "migrations/*.sql") // fails only on a bad pattern
	return int32(len(entries))
}

// ensureAppPassword gives the app role a random password the first time and
// keeps it where only the owner can read it, so serve can log in as the app
// role when it is given nothing but an owner's URL.
func ensureAppPassword(ctx context.Context, conn *pgx.Conn) error {
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM hub_private.app_credentials WHERE rolname = $1", AppRole).Scan(&n); err != nil {
		return fmt.Errorf("migrate: app credentials: %w", err)
	}
	if n > 0 {
		return nil
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	pw := hex.EncodeToString(b)
	var stmt string
	if err := conn.QueryRow(ctx, "SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text)", AppRole, pw).Scan(&stmt); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, stmt); err != nil {
		return fmt.Errorf("migrate: set app role password: %w", err)
	}
	_, err := conn.Exec(ctx, "INSERT INTO hub_private.app_credentials (rolname, password) VALUES ($1, $2)", AppRole, pw)
	return err
}
