package cluster

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// baseSettings apply to every cluster: TCP on loopback only, and no Unix
// socket, whose path would be limited to 107 bytes and whose directory the
// server's user would need to write.
var baseSettings = map[string]string{
	"listen_addresses":        "127.0.0.1",
	"unix_socket_directories": "",
}

// initdb creates a cluster in dataDir, which must be missing or empty; the
// superuser's password is read from pwfile. --no-sync trades durability of
// the fresh files against a much faster start; a crash right after initdb
// merely means running it again.
func (c *Cluster) initdb(ctx context.Context, dataDir, auth, pwfile string) error {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	if err := c.runAs.chown(dataDir); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	cmd := c.command(ctx, "initdb", "-D", dataDir, "-U", c.User, "--pwfile", pwfile,
		"--auth", auth, "--encoding=UTF8", "--locale=C", "--no-sync")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("cluster: initdb: %w\n%s", err, tail(out, 20))
	}
	return nil
}

// writeSettings appends settings to the cluster's postgresql.conf, where
// later lines win over initdb's. Values are always quoted, which PostgreSQL
// accepts for numbers and booleans too.
func writeSettings(dataDir string, settings map[string]string) error {
	var b strings.Builder
	b.WriteString("\n# Added by exithub/db/cluster.\n")
	for _, k := range slices.Sorted(maps.Keys(settings)) {
		fmt.Fprintf(&b, "%s = '%s'\n", k, strings.ReplaceAll(settings[k], "'", "''"))
	}
	f, err := os.OpenFile(filepath.Join(dataDir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	_, err = f.WriteString(b.String())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	return nil
}

// mergeSettings returns base overridden by extra.
func mergeSettings(base, extra map[string]string) map[string]string {
	out := maps.Clone(base)
	maps.Copy(out, extra)
	return out
}
