package db_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"exithub/db"
	"exithub/db/pgtest"
)

// ledger reads the ledger of applied migrations: file name to SHA-256.
func ledger(t *testing.T, url string) map[string]string {
	t.Helper()
	rows, err := rawConn(t, url).Query(context.Background(), "SELECT name, sha256 FROM public.exithub_migrations")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, sum string
		if err := rows.Scan(&name, &sum); err != nil {
			t.Fatal(err)
		}
		out[name] = sum
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkLedgerIsTheFiles holds the ledger to the migration files on disk.
func checkLedgerIsTheFiles(t *testing.T, url string) {
	t.Helper()
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	got := ledger(t, url)
	if len(got) != len(files) || len(files) != int(db.LatestVersion()) {
		t.Fatalf("the ledger holds %d migrations; want the %d files", len(got), len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if name := filepath.Base(f); got[name] != hex.EncodeToString(sum[:]) {
			t.Errorf("the ledger holds %s as %q; want its file's sha256", name, got[name])
		}
	}
}

func TestTheLedgerHoldsEveryAppliedFile(t *testing.T) {
	checkLedgerIsTheFiles(t, pgtest.NewDatabase(t))
}

// A database migrated before the ledger existed gets a row for each of its
// migrations from the migrate that brings the ledger: the migrate records
// every applied version the ledger lacks, as here, where it lacks them all.
func TestTheLedgerIsFilledForADatabaseMigratedBeforeIt(t *testing.T) {
	url := pgtest.NewDatabase(t)
	ctx := context.Background()
	if _, err := rawConn(t, url).Exec(ctx, `DELETE FROM public.exithub_migrations`); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx, url); err != nil {
		t.Fatal(err)
	}
	checkLedgerIsTheFiles(t, url)
}

// A database that applied another file under a version than this binary
// carries is refused by migrate and by serve's start, naming the file.
func TestAnEditedAppliedMigrationIsRefused(t *testing.T) {
	url := pgtest.NewDatabase(t)
	ctx := context.Background()
	if _, err := rawConn(t, url).Exec(ctx, `UPDATE public.exithub_migrations SET sha256 = repeat('0', 64) WHERE version = 5`); err != nil {
		t.Fatal(err)
	}
	err := db.Migrate(ctx, url)
	if err == nil || !strings.Contains(err.Error(), "version 5") || !strings.Contains(err.Error(), "005_statistics_rollups.sql") {
		t.Fatalf("migrate over an edited migration: %v; want a refusal naming version 5 and its file", err)
	}
	d := openPool(t, db.Config{URL: url})
	if err := d.CheckMigrations(ctx); err == nil || !strings.Contains(err.Error(), "005_statistics_rollups.sql") {
		t.Fatalf("serve's check over an edited migration: %v; want a refusal naming its file", err)
	}
}
