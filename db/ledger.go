package db

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
	"sync"

	"github.com/jackc/pgx/v5"
)

// ledgerTable holds, per applied migration, the file's name and SHA-256 as
// the database applied it (migration 020): tern records only the version.
const ledgerTable = "public.exithub_migrations"

// migrationFile is one embedded migration: its version is its place in
// the sorted list, as tern numbers them.
type migrationFile struct {
	version int32
	name    string
	sha256  string
}

// migrationList is this binary's migrations, in order.
var migrationList = sync.OnceValues(func() ([]migrationFile, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]migrationFile, len(names))
	for i, path := range names {
		b, err := fs.ReadFile(migrationFiles, path)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		out[i] = migrationFile{version: int32(i + 1), name: path[len("migrations/"):], sha256: hex.EncodeToString(sum[:])}
	}
	return out, nil
})

// querier is what the ledger is read through: a connection or the pool.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// checkLedger compares the ledger with this binary's files: a migration the
// database applied whose file has since changed, or was renamed, is an
// error, and nothing may run on a schema that is not what the files say.
// A database without the ledger yet (before migration 020) passes.
func checkLedger(ctx context.Context, q querier) error {
	files, err := migrationList()
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	var exists bool
	if err := q.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", ledgerTable).Scan(&exists); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if !exists {
		return nil
	}
	rows, _ := q.Query(ctx, "SELECT version, name, sha256 FROM "+ledgerTable+" ORDER BY version")
	applied, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (migrationFile, error) {
		var f migrationFile
		err := r.Scan(&f.version, &f.name, &f.sha256)
		return f, err
	})
	if err != nil {
		return fmt.Errorf("migrations: read the ledger: %w", err)
	}
	for _, a := range applied {
		if int(a.version) > len(files) {
			continue // a newer binary's; the version check refuses this one
		}
		if f := files[a.version-1]; f != a {
			return fmt.Errorf("migrations: version %d was applied here as %s (sha256 %s), but this binary's file is %s (sha256 %s): "+
				"an applied migration never changes; restore the file and put the change in a new one", a.version, a.name, a.sha256, f.name, f.sha256)
		}
	}
	return nil
}

// recordLedger writes the ledger's rows for the versions up to v that it
// does not hold yet: those this migrate applied, and, the first time, those
// applied before the ledger existed.
func recordLedger(ctx context.Context, conn *pgx.Conn, v int32) error {
	files, err := migrationList()
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	var versions []int32
	var names, sums []string
	for _, f := range files[:min(int(v), len(files))] {
		versions, names, sums = append(versions, f.version), append(names, f.name), append(sums, f.sha256)
	}
	_, err = conn.Exec(ctx, `INSERT INTO `+ledgerTable+` (version, name, sha256)
		SELECT * FROM unnest($1::int[], $2::text[], $3::text[]) ON CONFLICT (version) DO NOTHING`, versions, names, sums)
	if err != nil {
		return fmt.Errorf("migrations: record the ledger: %w", err)
	}
	return nil
}

// CheckMigrations says whether the migrations the database applied are the
// files this binary carries (serve asks at start).
func (d *DB) CheckMigrations(ctx context.Context) error {
	ctx, cancel := d.callCtx(ctx)
	defer cancel()
	return checkLedger(ctx, d.pool)
}
