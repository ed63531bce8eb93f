// Package pgtest is the integration-test harness: one throwaway PostgreSQL
// cluster per test binary, a template database migrated once, and a fresh
// copy of it for every test that asks.
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, db.Migrate)) }
//
//	func TestSomething(t *testing.T) {
//		url := pgtest.NewDatabase(t)
//		...
//	}
//
// When PostgreSQL cannot be started the test binary fails: the integration
// tests are required, so they never skip.
package pgtest

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"exithub/db/cluster"
)

// MigrateFunc brings the database at superuserURL to the current schema.
// It must close its connections before returning, since PostgreSQL copies
// a template only while nobody is connected to it.
type MigrateFunc func(ctx context.Context, superuserURL string) error

// TemplateDatabase is the migrated database every NewDatabase copies.
const TemplateDatabase = "exithub_template"

// setupTimeout bounds starting the cluster and migrating the template.
const setupTimeout = 2 * time.Minute

// current is this test binary's cluster, set by Main before any test runs.
var current *cluster.Cluster

// Main runs the package's tests against a fresh cluster whose template
// database migrate has prepared (an empty one when migrate is nil), then
// removes the cluster, also when tests fail or the run is interrupted. It
// returns the exit code for os.Exit.
func Main(m *testing.M, migrate MigrateFunc) int {
	return MainWithOptions(m, migrate, cluster.TempOptions{})
}

// MainWithOptions is Main with extra server settings, e.g. a larger
// max_connections.
func MainWithOptions(m *testing.M, migrate MigrateFunc, opts cluster.TempOptions) int {
	// Listening from the start keeps an interrupt during setup pending
	// until there is a cluster to remove, rather than lost or fatal.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	cluster.RemoveStale()
	c, err := setUp(migrate, opts)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: FAIL: PostgreSQL for the integration tests: %v\n", err)
		return 1
	}
	stopWatching := removeOnSignal(c, sigs)
	defer stopWatching()
	// Deferred so that a panic in m.Run still removes the cluster. A test
	// that panics ends the process from its own goroutine, where no defer
	// of ours runs: then the server dies with us and RemoveStale deletes
	// the files on the next run.
	defer tearDown(c)
	current = c
	return m.Run()
}

// TempDir is t.TempDir() opened to the server's user, for a cluster of the
// test's own (cluster.TempOptions.Dir, StartReplica): undoing the 0700 that
// t.TempDir gives it and its parent, so that the test writes nowhere else.
func TempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Cluster returns this test binary's cluster, e.g. for its URL or port, or
// to stop and restart it. It is nil unless TestMain runs Main.
func Cluster() *cluster.Cluster { return current }

// setUp starts the cluster and builds the template database.
func setUp(migrate MigrateFunc, opts cluster.TempOptions) (*cluster.Cluster, error) {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	c, err := cluster.StartTemp(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := buildTemplate(ctx, c, migrate); err != nil {
		_ = c.Remove() // the build's error is the one to report; RemoveStale retries what is left
		return nil, err
	}
	return c, nil
}

// tearDown removes the cluster; a failure only warrants a warning since
// RemoveStale retries on the next run.
func tearDown(c *cluster.Cluster) {
	if err := c.Remove(); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
	}
}

// removeOnSignal removes the cluster and exits when sigs reports that the
// run was interrupted or terminated, which would otherwise skip every defer.
func removeOnSignal(c *cluster.Cluster, sigs <-chan os.Signal) (stop func()) {
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			fmt.Fprintf(os.Stderr, "pgtest: %v: removing the test cluster\n", sig)
			tearDown(c)
			os.Exit(1)
		case <-done:
		}
	}()
	return func() { close(done) }
}
