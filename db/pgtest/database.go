package pgtest

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var (
	// createMu serializes copies of the template: each copy briefly locks
	// it, and a queue beats a pile-up of "source database is being
	// accessed" errors.
	createMu sync.Mutex
	// databaseSeq makes database names unique within the run.
	databaseSeq atomic.Int64
)

// NewDatabase creates a database copied from the migrated template and
// returns the superuser's URL of it; the database is dropped, with any
// sessions still in it, when the test ends. Safe for parallel tests.
func NewDatabase(t testing.TB) string {
	t.Helper()
	c := Cluster()
	if c == nil {
		t.Fatal("pgtest: no cluster: the package's TestMain must call pgtest.Main")
	}
	name := databaseName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	createMu.Lock()
	err := c.CreateDatabase(ctx, name, TemplateDatabase)
	createMu.Unlock()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { dropDatabase(t, name) })
	return c.URL(name)
}

// dropDatabase runs at cleanup, when the test's own context is already
// cancelled, hence a fresh one.
func dropDatabase(t testing.TB, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := Cluster().DropDatabase(ctx, name); err != nil {
		t.Errorf("pgtest: drop database %s: %v", name, err)
	}
}

// unsafeChars are those replaced in database names, which then need no
// quoting in psql or logs.
var unsafeChars = regexp.MustCompile(`[^a-z0-9_]+`)

// databaseName derives a unique name that says which test made it, within
// PostgreSQL's 63-byte limit.
func databaseName(testName string) string {
	prefix := fmt.Sprintf("t%d_", databaseSeq.Add(1))
	rest := unsafeChars.ReplaceAllString(strings.ToLower(testName), "_")
	return prefix + rest[:min(len(rest), 63-len(prefix))]
}
