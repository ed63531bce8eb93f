package cluster

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// TempOptions configures StartTemp.
type TempOptions struct {
	// Settings are extra postgresql.conf settings (name to unquoted value),
	// overriding the defaults. The defaults turn fsync, synchronous_commit
	// and full_page_writes off for speed: committed data survives a server
	// crash only if its WAL was written, so a test that crashes the server
	// and counts on every acknowledged commit must set synchronous_commit
	// to "on" (here or per session).
	Settings map[string]string
	// Dir is where the cluster's directory is made: a test's t.TempDir()
	// (opened to the server's user, see pgtest.TempDir), so that the test
	// writes nowhere else. Empty: os.TempDir(), for what outlives one test
	// (a test binary's shared cluster, the bench).
	Dir string
}

// tempPrefix names throwaway clusters' directories, so that RemoveStale can
// find those of killed runs under os.TempDir().
const tempPrefix = "exithub-pgtest-"

// ownerFile, in a throwaway cluster's directory, holds the owner's pid.
const ownerFile = "owner.pid"

// tempSettings give up durability, which throwaway data does not need, for
// speed.
var tempSettings = map[string]string{
	"fsync":              "off",
	"synchronous_commit": "off",
	"full_page_writes":   "off",
}

// StartTemp creates and starts a throwaway cluster in a fresh directory
// under opts.Dir (or os.TempDir()), on a free port, with trust authentication on
// 127.0.0.1. The server is this process's child and gets an immediate
// shutdown signal if this process dies; call Remove when done.
func StartTemp(ctx context.Context, opts TempOptions) (*Cluster, error) {
	c, err := newTemp(ctx, opts.Dir)
	if err != nil {
		return nil, err
	}
	err = c.initTemp(ctx, opts.Settings)
	if err == nil {
		err = c.startOnFreePort(ctx)
	}
	if err != nil {
		// The start's error is the one to report; files Remove leaves
		// behind are stale once this process is gone, for RemoveStale.
		_ = c.Remove()
		return nil, err
	}
	return c, nil
}

// newTemp creates the directory of a throwaway cluster under parent ("":
// os.TempDir()), marked with our pid and handed to the server's user.
func newTemp(ctx context.Context, parent string) (*Cluster, error) {
	bin, err := BinDir(ctx)
	if err != nil {
		return nil, err
	}
	runAs, err := serverAccount()
	if err != nil {
		return nil, err
	}
	if parent == "" {
		parent = os.TempDir()
	}
	if runAs != nil && !canSearch(parent, runAs) {
		return nil, fmt.Errorf("cluster: user postgres cannot reach %s; set TMPDIR to a directory it can", parent)
	}
	dir, err := os.MkdirTemp(parent, tempPrefix)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	c := &Cluster{
		DataDir: filepath.Join(dir, "data"), User: "postgres", Password: rand.Text(),
		LogFile: filepath.Join(dir, "postgres.log"), bin: bin, runAs: runAs, owned: []string{dir},
	}
	err = os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
	if err == nil {
		err = runAs.chown(dir)
	}
	if err != nil {
		_ = os.RemoveAll(dir) // if left, RemoveStale deletes it: it has no owner file or a dead owner
		return nil, fmt.Errorf("cluster: %w", err)
	}
	return c, nil
}

// initTemp runs initdb and writes the settings. The superuser still gets a
// password so that URLs look the same as for the development cluster.
func (c *Cluster) initTemp(ctx context.Context, extra map[string]string) error {
	pwfile := filepath.Join(filepath.Dir(c.DataDir), "password")
	if err := writeSecret(pwfile, c.Password, c.runAs); err != nil {
		return err
	}
	if err := c.initdb(ctx, c.DataDir, "trust", pwfile); err != nil {
		return err
	}
	settings := mergeSettings(mergeSettings(baseSettings, tempSettings), extra)
	return writeSettings(c.DataDir, settings)
}

// startOnFreePort starts the server on a free port, and on another one when
// some other process bound the first before the server could.
func (c *Cluster) startOnFreePort(ctx context.Context) error {
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return err
		}
		c.Port = port
		err = c.Start(ctx)
		if err == nil || attempt == 3 || portFree(port) {
			return err
		}
	}
}
