package cluster

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// testContext bounds a test's calls so that a hung server fails the test
// instead of the whole run.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// startTemp starts a throwaway cluster in the test's directory (unless
// opts names one), removed when the test ends.
func startTemp(t *testing.T, opts TempOptions) *Cluster {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = reachableTempDir(t)
	}
	c, err := StartTemp(testContext(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Remove(); err != nil {
			t.Errorf("remove the cluster: %v", err)
		}
	})
	return c
}

// queryString runs a one-value query in a fresh connection.
func queryString(ctx context.Context, t *testing.T, url, sql string) string {
	t.Helper()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var s string
	if err := conn.QueryRow(ctx, sql).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

// execSQL runs statements in a fresh connection.
func execSQL(ctx context.Context, t *testing.T, url, sql string) {
	t.Helper()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestTempSurvivesImmediateStop(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	c := startTemp(t, TempOptions{Settings: map[string]string{"max_connections": "42"}})
	url := c.URL("postgres")
	if got := queryString(ctx, t, url, "SELECT 1::text"); got != "1" {
		t.Fatalf("SELECT 1 = %s", got)
	}
	for name, want := range map[string]string{"max_connections": "42", "fsync": "off", "listen_addresses": "127.0.0.1"} {
		if got := queryString(ctx, t, url, "SHOW "+name); got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
	// synchronous_commit is off in temp clusters; a crash may lose commits
	// whose WAL was not written yet, so this commit asks for it.
	execSQL(ctx, t, url, `CREATE TABLE kept (v text);
		SET synchronous_commit = on; INSERT INTO kept VALUES ('before crash')`)
	if err := c.Stop(ctx, "immediate"); err != nil {
		t.Fatal(err)
	}
	if c.Running() {
		t.Fatal("running after Stop")
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if got := queryString(ctx, t, url, "SELECT v FROM kept"); got != "before crash" {
		t.Errorf("after restart: %q", got)
	}
	dir := filepath.Dir(c.DataDir)
	if err := c.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s still there after Remove: %v", dir, err)
	}
}

func TestStopRejectsUnknownMode(t *testing.T) {
	c := &Cluster{}
	if err := c.Stop(context.Background(), "gentle"); err == nil {
		t.Error("no error")
	}
}

func TestRemoveStale(t *testing.T) {
	t.Parallel()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	root := reachableTempDir(t)
	stale := fakeTempDir(t, root, dead.ProcessState.Pid())
	live := fakeTempDir(t, root, os.Getpid())
	// A real server whose owner "died": RemoveStale must stop it.
	orphan := startTemp(t, TempOptions{Dir: root})
	writeOwner(t, filepath.Dir(orphan.DataDir), dead.ProcessState.Pid())

	removeStaleIn(root)

	for _, dir := range []string{stale, filepath.Dir(orphan.DataDir)} {
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("stale %s not removed: %v", dir, err)
		}
	}
	if orphan.Running() {
		t.Error("stale server still running")
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("live owner's dir removed: %v", err)
	}
}

// fakeTempDir makes a throwaway cluster's directory under root owned by pid.
func fakeTempDir(t *testing.T, root string, pid int) string {
	t.Helper()
	dir, err := os.MkdirTemp(root, tempPrefix)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeOwner(t, dir, pid)
	return dir
}

func writeOwner(t *testing.T, dir string, pid int) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(pid)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// reachableTempDir is a directory of the test's own that the server's user
// can reach.
func reachableTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	openUp(t, dir)
	return dir
}
