package cluster

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// ensureHome creates the development cluster's home and makes sure the
// server's user can traverse it (search permission only: .data may hold
// other secrets, which keep their own modes).
func ensureHome(home string, runAs *account) error {
	if err := os.MkdirAll(home, 0o755); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	if runAs == nil || canSearch(home, runAs) {
		return nil
	}
	fi, err := os.Stat(home)
	if err == nil {
		err = os.Chmod(home, fi.Mode().Perm()|0o111)
	}
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	return nil
}

// lockFile takes an exclusive lock on path, waiting for it, so that two
// commands started together do not both run initdb. Closing the file in
// unlock releases the lock, as does the process's death.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("cluster: lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

// initOnce creates the cluster unless it exists. initdb works in a side
// directory renamed into place only when complete, so an interrupted first
// run never leaves a half-made cluster that would be taken for a real one.
func (c *Cluster) initOnce(ctx context.Context, home string) error {
	pwfile := filepath.Join(home, devPasswordName)
	if _, err := os.Stat(filepath.Join(c.DataDir, "PG_VERSION")); err == nil {
		if c.Password == "" {
			return fmt.Errorf("cluster: %s is missing, so the cluster in %s is unusable; remove that directory to start afresh", pwfile, c.DataDir)
		}
		return nil
	}
	if err := clearDataDir(c.DataDir); err != nil {
		return err
	}
	side := c.DataDir + ".init"
	if err := os.RemoveAll(side); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	c.Password = rand.Text()
	if err := writeSecret(pwfile, c.Password, c.runAs); err != nil {
		return err
	}
	if err := c.initdb(ctx, side, "scram-sha-256", pwfile); err != nil {
		return err
	}
	if err := writeSettings(side, baseSettings); err != nil {
		return err
	}
	if err := os.Rename(side, c.DataDir); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	return nil
}

// clearDataDir removes an empty data directory in the way of the rename,
// but refuses to delete one with contents that is not a cluster: those are
// not ours to judge.
func clearDataDir(dir string) error {
	err := os.Remove(dir)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return fmt.Errorf("cluster: %s exists but holds no PostgreSQL cluster; remove it to start afresh: %w", dir, err)
}

// choosePort keeps the remembered port unless something else now holds it,
// then picks and remembers another. A running server keeps its own port.
func (c *Cluster) choosePort(portFile string) error {
	if c.Running() || (c.Port != 0 && portFree(c.Port)) {
		return nil
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	c.Port = port
	return writePortFile(portFile, port)
}
