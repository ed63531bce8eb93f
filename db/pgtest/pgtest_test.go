package pgtest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"exithub/db/pgtest"
)

// connect opens a connection closed when the test ends.
func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// countItems counts the rows of the migrated table.
func countItems(t *testing.T, conn *pgx.Conn) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM item").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDatabasesAreMigratedAndIsolated(t *testing.T) {
	a, b := pgtest.NewDatabase(t), pgtest.NewDatabase(t)
	if a == b {
		t.Fatalf("same database twice: %s", a)
	}
	ca, cb := connect(t, a), connect(t, b)
	if _, err := ca.Exec(t.Context(), "INSERT INTO item VALUES (1, 'only in a')"); err != nil {
		t.Fatal(err)
	}
	if n := countItems(t, ca); n != 1 {
		t.Errorf("a has %d items, want 1", n)
	}
	if n := countItems(t, cb); n != 0 {
		t.Errorf("b has %d items, want 0: databases share data", n)
	}
}

func TestParallelDatabases(t *testing.T) {
	for i := range 8 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			conn := connect(t, pgtest.NewDatabase(t))
			for id := range i + 1 {
				if _, err := conn.Exec(t.Context(), "INSERT INTO item VALUES ($1, 'x')", id); err != nil {
					t.Fatal(err)
				}
			}
			if n := countItems(t, conn); n != i+1 {
				t.Errorf("%d items, want %d", n, i+1)
			}
		})
	}
}

func TestDatabaseDroppedAtCleanup(t *testing.T) {
	var name string
	t.Run("user", func(t *testing.T) {
		url := pgtest.NewDatabase(t)
		name = url[strings.LastIndex(url, "/")+1 : strings.Index(url, "?")]
	})
	conn := connect(t, pgtest.Cluster().URL("postgres"))
	var exists bool
	err := conn.QueryRow(t.Context(), "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", name).Scan(&exists)
	if err != nil || exists {
		t.Errorf("database %s still exists after its test (err %v)", name, err)
	}
}

func TestClusterIsReachable(t *testing.T) {
	c := pgtest.Cluster()
	if c == nil || !c.Running() {
		t.Fatal("no running cluster")
	}
	if !strings.Contains(c.URL("x"), fmt.Sprintf("127.0.0.1:%d/", c.Port)) {
		t.Errorf("URL %s lacks port %d", c.URL("x"), c.Port)
	}
}
