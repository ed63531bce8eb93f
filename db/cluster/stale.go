package cluster

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// RemoveStale removes the throwaway clusters (see StartTemp) whose owning
// process is gone, such as those of a test run that was killed, stopping
// their servers first if still running. Failures are ignored: what cannot
// be removed now is tried again next time.
func RemoveStale() { removeStaleIn(os.TempDir()) }

// removeStaleIn is RemoveStale for the clusters under root.
func removeStaleIn(root string) {
	dirs, _ := filepath.Glob(filepath.Join(root, tempPrefix+"*")) // fails only on a bad pattern
	for _, dir := range dirs {
		if isStale(dir) {
			removeStaleDir(dir)
		}
	}
}

// isStale reports whether dir's owner is dead. A directory without an
// owner file counts as stale only when not brand new, since its owner
// writes the file just after creating the directory.
func isStale(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, ownerFile))
	if errors.Is(err, fs.ErrNotExist) {
		fi, err := os.Stat(dir)
		return err == nil && fi.IsDir() && time.Since(fi.ModTime()) > time.Minute
	}
	if err != nil {
		return false // someone else's, most likely; not ours to judge
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	return err != nil || !processAlive(pid)
}

// removeStaleDir stops a left-behind server, if any, and deletes its files.
func removeStaleDir(dir string) {
	c := &Cluster{DataDir: filepath.Join(dir, "data")}
	if c.Running() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// Failures here and below are ignored, as RemoveStale says: a
		// server that did not stop keeps its directory stale for next time.
		if bin, err := BinDir(ctx); err == nil {
			c.bin = bin
			c.runAs, _ = serverAccount()
			_ = c.Stop(ctx, "immediate")
		}
	}
	_ = os.RemoveAll(dir)
}
